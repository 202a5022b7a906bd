// The console's logins: a user of the web config's console section (config/web_config.h) signs
// in with a password once and gets a session — a random id in an HttpOnly, SameSite=Strict
// cookie, a CSRF token the page sends with every write, an expiry. Admission (daemon.cc) turns a
// session into the request's principal and role, as it turns a bearer token or a basic-auth user
// into theirs: one mechanism decides who may call a route (api/route_table.h Access).
//
// Sessions live in memory: a restart signs everyone out (the page returns to the login, keeping
// what was typed). A session follows the config in force: a user given another role by a reload
// is treated so from the next request on; a user removed, or whose password changed, is signed
// out.
//
// Threading: thread-safe. Login runs bcrypt (tens of milliseconds on purpose): not on the loop.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "config/web_config.h"

namespace parkwatch {

class BasicAuth;

struct Session {
  std::string user;
  Role role = Role::kNone;
  std::string csrf;        // sent back by the page in X-CSRF-Token with every write
  int64_t expires_at = 0;  // unix seconds
};

class Sessions {
 public:
  Sessions();
  ~Sessions();

  // The users and session lifetime of the config in force (start and every reload). Ends the
  // sessions of users it removes or whose password hash it changes.
  void Configure(const ConsoleConfig& console);
  bool anonymous_read() const;

  // Checks the password (bcrypt; an unknown user costs as much); on success a new session and
  // its id (the cookie's value).
  std::optional<Session> Login(const std::string& user, const std::string& password, int64_t now,
                               std::string* id);

  // The live session of a Cookie header, with the user's role as the config says now.
  std::optional<Session> Find(const std::string& cookie_header, int64_t now) const;

  void End(const std::string& cookie_header);

  int64_t ttl_seconds() const;

 private:
  static constexpr size_t kMaxSessions = 10000;  // oldest-expiring dropped beyond it
  mutable std::mutex mutex_;
  std::map<std::string, Session> sessions_;  // by SHA-256 of the id: the id itself is not kept
  ConsoleConfig console_;
  std::shared_ptr<BasicAuth> passwords_;
};

// The cookie's name and the Set-Cookie header values that set and clear it.
inline constexpr const char* kSessionCookie = "parkwatch_session";
std::string SessionCookie(const std::string& id, int64_t max_age_seconds, bool secure);
std::string ClearedSessionCookie(bool secure);

// The value of cookie name in a Cookie header ("a=1; b=2"), "" when absent.
std::string CookieValue(const std::string& header, const std::string& name);

// A write from a page must come from the console's own origin: the Origin header (or, without
// it, the Referer) names the Host the request was sent to. Requests with neither (scripts, curl)
// pass: browsers send Origin with every write, and a session's writes need its CSRF token too.
bool SameOrigin(const std::string& host, const std::string& origin, const std::string& referer);

// 32 random bytes as hex, for ids and tokens.
std::string RandomToken();

}  // namespace parkwatch
