#include "core/severity.h"

#include <cctype>

namespace parkwatch {
namespace {

struct SeverityNames {
  Severity severity;
  std::string_view english;
  std::string_view chinese;
};

constexpr std::array<SeverityNames, 5> kSeverities = {{
    {Severity::kNone, "none", ""},
    {Severity::kBlue, "blue", "蓝"},
    {Severity::kYellow, "yellow", "黄"},
    {Severity::kOrange, "orange", "橙"},
    {Severity::kRed, "red", "红"},
}};

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

}  // namespace

std::string_view SeverityName(Severity s) {
  for (const auto& n : kSeverities)
    if (n.severity == s) return n.english;
  return "none";
}

std::string_view SeverityChineseName(Severity s) {
  for (const auto& n : kSeverities)
    if (n.severity == s) return n.chinese;
  return "";
}

std::optional<Severity> ParseSeverity(std::string_view text) {
  constexpr std::string_view kColour = "色";
  if (text == "无") return Severity::kNone;
  for (const auto& n : kSeverities) {
    if (EqualsIgnoreCase(text, n.english)) return n.severity;
    if (n.chinese.empty()) continue;
    if (text == n.chinese) return n.severity;
    if (text.size() == n.chinese.size() + kColour.size() && text.starts_with(n.chinese) &&
        text.ends_with(kColour))
      return n.severity;
  }
  return std::nullopt;
}

}  // namespace parkwatch
