#include "daemon/auth.h"

namespace parkwatch {

bool ConstantTimeEquals(const std::string& a, const std::string& b) {
  // Walk the longer length whatever the inputs, folding differences (including length) in.
  size_t n = std::max(a.size(), b.size());
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < n; ++i) {
    unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= x ^ y;
  }
  return diff == 0;
}

AuthResult CheckBearer(const std::string& header, const std::string& token) {
  if (token.empty()) return AuthResult::kDisabled;
  static const std::string kScheme = "Bearer ";
  if (header.size() <= kScheme.size() || header.compare(0, kScheme.size(), kScheme) != 0)
    return AuthResult::kMissing;
  return ConstantTimeEquals(header.substr(kScheme.size()), token) ? AuthResult::kOk
                                                                  : AuthResult::kWrong;
}

}  // namespace parkwatch
