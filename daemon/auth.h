// Who may call the listener: bearer tokens for the endpoints that write (ingest) or administer
// (reload, silences), and HTTP basic authentication of every request when the web config file
// names basic_auth_users (config/web_config.h).
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>

namespace parkwatch {

enum class AuthResult { kOk, kMissing, kWrong, kDisabled };

// kDisabled when no token is configured (the endpoint is off), kMissing without an
// "Authorization: Bearer ..." header (401), kWrong for another token (403). The comparison
// takes the same time wherever the tokens differ, so timing reveals nothing of the secret.
AuthResult CheckBearer(const std::string& authorization_header, const std::string& token);

bool ConstantTimeEquals(const std::string& a, const std::string& b);

// Splits "Basic base64(user:password)" (scheme matched case-insensitively, RFC 7617). False if
// the header is absent, another scheme, not base64, or has no ':'.
bool ParseBasicAuthorization(const std::string& header, std::string* user, std::string* password);

// Checks users' passwords against bcrypt hashes. A bcrypt check takes tens of milliseconds on
// purpose (it slows guessing), so Verify must not run on the event loop. A pair that verified
// once is remembered by a SHA-256 of user and password (the password itself is never kept), so
// a scraper's request every few seconds costs a lookup. Thread-safe.
class BasicAuth {
 public:
  explicit BasicAuth(std::map<std::string, std::string> users) : users_(std::move(users)) {}

  bool enabled() const { return !users_.empty(); }

  // True if user and password verified before: cheap, for the event loop.
  bool Remembered(const std::string& user, const std::string& password) const;

  // The full bcrypt check; remembers success. An unknown user costs as much as a known one, so
  // timing does not tell which user names exist.
  bool Verify(const std::string& user, const std::string& password);

 private:
  static constexpr size_t kMaxRemembered = 1024;
  static std::string Key(const std::string& user, const std::string& password);

  const std::map<std::string, std::string> users_;
  mutable std::mutex mutex_;
  std::set<std::string> remembered_;
};

// A bcrypt hash ($2y$, cost 10) of password with a fresh random salt, for basic_auth_users.
// Empty if the system's crypt library cannot make one.
std::string HashPassword(const std::string& password);

}  // namespace parkwatch
