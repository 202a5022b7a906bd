#include "core/text.h"

#include <string>

namespace parkwatch {
namespace {

// Not <cctype>: isspace follows the process locale.
constexpr bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

}  // namespace

std::string_view Trim(std::string_view s) {
  static constexpr std::string_view kWide[] = {"\xEF\xBB\xBF", "\xE3\x80\x80", "\xC2\xA0"};
  for (bool changed = true; changed && !s.empty();) {
    changed = false;
    while (!s.empty() && IsAsciiSpace(s.front())) s.remove_prefix(1), changed = true;
    while (!s.empty() && IsAsciiSpace(s.back())) s.remove_suffix(1), changed = true;
    for (std::string_view w : kWide) {
      if (s.starts_with(w)) s.remove_prefix(w.size()), changed = true;
      if (s.ends_with(w)) s.remove_suffix(w.size()), changed = true;
    }
  }
  return s;
}

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace parkwatch
