#include "daemon/sessions.h"

#include <openssl/rand.h>

#include <stdexcept>

#include "core/sha256.h"
#include "daemon/auth.h"

namespace parkwatch {

Sessions::Sessions()
    : passwords_(std::make_shared<BasicAuth>(std::map<std::string, std::string>{})) {}
Sessions::~Sessions() = default;

void Sessions::Configure(const ConsoleConfig& console) {
  std::map<std::string, std::string> hashes;
  for (const auto& [user, u] : console.users) hashes[user] = u.password_hash;
  auto passwords = std::make_shared<BasicAuth>(std::move(hashes));
  std::lock_guard lock(mutex_);
  // A password changed (reset in the console, or edited and reloaded) or a user removed ends
  // that user's sessions now: whoever holds an old cookie must sign in with the new password.
  for (auto s = sessions_.begin(); s != sessions_.end();) {
    auto before = console_.users.find(s->second.user);
    auto after = console.users.find(s->second.user);
    bool same = before != console_.users.end() && after != console.users.end() &&
                before->second.password_hash == after->second.password_hash;
    s = same ? std::next(s) : sessions_.erase(s);
  }
  console_ = console;
  passwords_ = std::move(passwords);
}

bool Sessions::anonymous_read() const {
  std::lock_guard lock(mutex_);
  return console_.AnonymousRead();
}

int64_t Sessions::ttl_seconds() const {
  std::lock_guard lock(mutex_);
  return console_.session_ttl_seconds;
}

std::optional<Session> Sessions::Login(const std::string& user, const std::string& password,
                                       int64_t now, std::string* id) {
  std::shared_ptr<BasicAuth> passwords;
  {
    std::lock_guard lock(mutex_);
    passwords = passwords_;
  }
  if (!passwords->Verify(user, password)) return std::nullopt;
  std::lock_guard lock(mutex_);
  auto it = console_.users.find(user);
  if (it == console_.users.end()) return std::nullopt;  // removed by a reload meanwhile
  for (auto s = sessions_.begin(); s != sessions_.end();)
    s = s->second.expires_at <= now ? sessions_.erase(s) : std::next(s);
  if (sessions_.size() >= kMaxSessions) {
    auto oldest = sessions_.begin();
    for (auto s = sessions_.begin(); s != sessions_.end(); ++s)
      if (s->second.expires_at < oldest->second.expires_at) oldest = s;
    sessions_.erase(oldest);
  }
  Session session{user, it->second.role, RandomToken(), now + console_.session_ttl_seconds};
  *id = RandomToken();
  sessions_[Sha256Hex(*id)] = session;
  return session;
}

std::optional<Session> Sessions::Find(const std::string& cookie_header, int64_t now) const {
  std::string id = CookieValue(cookie_header, kSessionCookie);
  if (id.empty()) return std::nullopt;
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(Sha256Hex(id));
  if (it == sessions_.end() || it->second.expires_at <= now) return std::nullopt;
  auto user = console_.users.find(it->second.user);
  if (user == console_.users.end()) return std::nullopt;
  Session s = it->second;
  s.role = user->second.role;
  return s;
}

void Sessions::End(const std::string& cookie_header) {
  std::string id = CookieValue(cookie_header, kSessionCookie);
  if (id.empty()) return;
  std::lock_guard lock(mutex_);
  sessions_.erase(Sha256Hex(id));
}

std::string SessionCookie(const std::string& id, int64_t max_age_seconds, bool secure) {
  return std::string(kSessionCookie) + "=" + id +
         "; Path=/; Max-Age=" + std::to_string(max_age_seconds) + "; HttpOnly; SameSite=Strict" +
         (secure ? "; Secure" : "");
}

std::string ClearedSessionCookie(bool secure) { return SessionCookie("", 0, secure); }

std::string CookieValue(const std::string& header, const std::string& name) {
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    size_t start = header.find_first_not_of(' ', pos);
    if (start < end) {
      size_t eq = header.find('=', start);
      if (eq < end && header.compare(start, eq - start, name) == 0 && eq - start == name.size())
        return header.substr(eq + 1, end - eq - 1);
    }
    pos = end + 1;
  }
  return "";
}

bool SameOrigin(const std::string& host, const std::string& origin, const std::string& referer) {
  const std::string& from = !origin.empty() ? origin : referer;
  if (from.empty()) return true;
  size_t scheme = from.find("://");
  if (scheme == std::string::npos) return false;  // "null" origins (sandboxed frames) too
  size_t start = scheme + 3;
  size_t end = from.find('/', start);
  return from.substr(start, end == std::string::npos ? std::string::npos : end - start) == host;
}

std::string RandomToken() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1)
    throw std::runtime_error("no random bytes for a session");
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

}  // namespace parkwatch
