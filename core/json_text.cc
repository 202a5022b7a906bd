#include "core/json_text.h"

#include <nlohmann/json.hpp>

namespace parkwatch {

std::string DumpJson(const nlohmann::json& value, int indent) {
  return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

namespace {

// Whether text is valid UTF-8 as nlohmann's dump decodes it (no overlong forms, no surrogates,
// nothing above U+10FFFF): only then is it written as it is.
bool ValidUtf8(const std::string& text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int more = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the second byte's range
    if (c >= 0xC2 && c <= 0xDF) {
      more = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      more = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      more = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (end - p <= more || p[1] < lo || p[1] > hi) return false;
    for (int i = 2; i <= more; ++i)
      if (p[i] < 0x80 || p[i] > 0xBF) return false;
    p += more + 1;
  }
  return true;
}

// A JSON string as nlohmann's dump writes it without ensure_ascii.
void AppendQuoted(std::string* out, const std::string& text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\b':
        *out += "\\b";
        break;
      case '\f':
        *out += "\\f";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\t':
        *out += "\\t";
        break;
      default:
        if (c < 0x20) {
          *out += "\\u00";
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 0xF]);
        } else {
          out->push_back(ch);
        }
    }
  }
  out->push_back('"');
}

}  // namespace

std::string DumpJsonObject(const std::map<std::string, std::string>& object) {
  size_t size = 2;
  for (const auto& [key, value] : object) {
    if (!ValidUtf8(key) || !ValidUtf8(value)) return DumpJson(nlohmann::json(object));
    size += key.size() + value.size() + 6;
  }
  std::string out;
  out.reserve(size);
  out.push_back('{');
  for (const auto& [key, value] : object) {
    if (out.size() > 1) out.push_back(',');
    AppendQuoted(&out, key);
    out.push_back(':');
    AppendQuoted(&out, value);
  }
  out.push_back('}');
  return out;
}

}  // namespace parkwatch
