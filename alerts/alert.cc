#include "alerts/alert.h"

#include "core/sha256.h"

namespace parkwatch {
namespace {

// A netstring ("5:hello,") cannot be confused with its neighbours whatever bytes it holds, so
// rule "a" with label {"b": "c"} never collides with rule "ab" and label {"": "c"}.
void AppendNetstring(std::string* out, std::string_view s) {
  out->append(std::to_string(s.size()));
  out->push_back(':');
  out->append(s);
  out->push_back(',');
}

}  // namespace

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
