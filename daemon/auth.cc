#include "daemon/auth.h"

#include <crypt.h>

#include <memory>

#include "core/base64.h"
#include "core/sha256.h"

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

bool ParseBasicAuthorization(const std::string& header, std::string* user, std::string* password) {
  static const std::string kScheme = "basic ";
  if (header.size() <= kScheme.size()) return false;
  for (size_t i = 0; i < kScheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return false;
  size_t start = header.find_first_not_of(' ', kScheme.size());
  if (start == std::string::npos) return false;
  auto decoded = Base64Decode(header.substr(start));
  if (!decoded) return false;
  size_t colon = decoded->find(':');
  if (colon == std::string::npos) return false;
  *user = decoded->substr(0, colon);
  *password = decoded->substr(colon + 1);
  return true;
}

std::string BasicAuth::Key(const std::string& user, const std::string& password) {
  return Sha256Hex(user + '\0' + password);
}

bool BasicAuth::Remembered(const std::string& user, const std::string& password) const {
  std::string key = Key(user, password);
  std::lock_guard lock(mutex_);
  return remembered_.count(key) > 0;
}

bool BasicAuth::Verify(const std::string& user, const std::string& password) {
  // The hash of "parkwatch" at cost 10: an unknown user is checked against it and fails, at
  // the same price as a wrong password.
  static const std::string kDecoy = "$2y$10$3KbgEWEXY1gi3LZtiKyvkOSITRGnLj6qrCd/QuYXuq5fCTzZsqTNi";
  auto it = users_.find(user);
  const std::string& hash = it == users_.end() ? kDecoy : it->second;
  auto data = std::make_unique<crypt_data>();  // ~32 KB: not on the stack
  const char* computed = crypt_r(password.c_str(), hash.c_str(), data.get());
  bool ok =
      computed && computed[0] != '*' && it != users_.end() && ConstantTimeEquals(computed, hash);
  if (ok) {
    std::lock_guard lock(mutex_);
    if (remembered_.size() >= kMaxRemembered) remembered_.clear();  // bounded; refills on use
    remembered_.insert(Key(user, password));
  }
  return ok;
}

std::string HashPassword(const std::string& password) {
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  if (!crypt_gensalt_rn("$2y$", 10, nullptr, 0, salt, sizeof salt)) return "";
  auto data = std::make_unique<crypt_data>();
  const char* hash = crypt_r(password.c_str(), salt, data.get());
  if (!hash || hash[0] == '*') return "";
  return hash;
}

}  // namespace parkwatch
