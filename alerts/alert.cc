#include "alerts/alert.h"

#include <array>
#include <cctype>

#include "core/sha256.h"

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

// A netstring ("5:hello,") cannot be confused with its neighbours whatever bytes it holds, so
// rule "a" with label {"b": "c"} never collides with rule "ab" and label {"": "c"}.
void AppendNetstring(std::string* out, std::string_view s) {
  out->append(std::to_string(s.size()));
  out->push_back(':');
  out->append(s);
  out->push_back(',');
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

std::string Fingerprint(const std::string& rule, const Labels& labels) {
  std::string encoded;
  AppendNetstring(&encoded, rule);
  for (const auto& [name, value] : labels) {  // std::map: already in key order
    AppendNetstring(&encoded, name);
    AppendNetstring(&encoded, value);
  }
  return Sha256Hex(encoded);
}

}  // namespace parkwatch
