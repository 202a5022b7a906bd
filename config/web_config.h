// The listener's security settings, read from a separate file in the format of Prometheus's web
// configuration (--web.config.file of Prometheus and its exporters), so an operator can reuse the
// file they already have and check it with `promtool check web-config`:
//
//   tls_server_config:
//     cert_file: server.crt            # relative paths resolve against this file's directory
//     key_file: server.key
//     client_auth_type: RequireAndVerifyClientCert   # optional; required with client_ca_file
//     client_ca_file: clients-ca.crt
//     min_version: TLS12               # TLS10 | TLS11 | TLS12 (default) | TLS13
//     max_version: TLS13
//   basic_auth_users:                  # user: bcrypt hash (`parkwatch hash-password`)
//     prometheus: $2y$10$...
//   http_server_config:
//     headers:                         # added to every response
//       Strict-Transport-Security: max-age=31536000
//   console:                           # parkwatch's own: the web console's users (not Prometheus)
//     session_ttl: 12h                 # a login lasts this long (default 12h, at most 30d)
//     anonymous_read: false            # pages and reads without login (default: only without
//     users) users:
//       zhang: {role: operator, password: $2y$10$...}   # viewer | operator | admin
//
// Settings Prometheus has and parkwatch cannot honour (cipher_suites, curve_preferences) are
// errors rather than silently ignored: a security setting that does not take effect is worse
// than none.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/diagnostic.h"

namespace parkwatch {

struct TlsServerConfig {
  std::string cert_file;
  std::string key_file;
  std::string client_ca_file;  // empty: no client certificates are verified
  // NoClientCert | RequestClientCert | RequireAnyClientCert | VerifyClientCertIfGiven |
  // RequireAndVerifyClientCert, as in Go's crypto/tls.
  std::string client_auth_type = "NoClientCert";
  std::string min_version = "TLS12";
  std::string max_version;  // empty: the newest OpenSSL offers
};

// Who may do what in the console (and through the API with a session): viewer reads, operator
// also acknowledges, silences and tunes thresholds, admin also reloads and edits the register.
enum class Role { kNone, kViewer, kOperator, kAdmin };
const char* RoleName(Role role);  // none | viewer | operator | admin

struct ConsoleUser {
  Role role = Role::kViewer;
  std::string password_hash;  // bcrypt
  bool managed = false;       // from the console's users file (an admin manages it in the page)
};

struct ConsoleConfig {
  std::map<std::string, ConsoleUser> users;
  int64_t session_ttl_seconds = 12 * 3600;
  // Read-only pages and GET endpoints without login. Unset: open when there are no users (as
  // before the console had logins), closed when there are.
  std::optional<bool> anonymous_read;

  bool AnonymousRead() const { return anonymous_read.value_or(users.empty()); }
};

struct WebSecurityConfig {
  std::string file;                                     // where it was read from; empty when none
  std::optional<TlsServerConfig> tls;                   // absent: plain HTTP
  std::map<std::string, std::string> basic_auth_users;  // user -> bcrypt hash
  std::vector<std::pair<std::string, std::string>> headers;
  ConsoleConfig console;

  bool enabled() const { return tls || !basic_auth_users.empty() || !headers.empty(); }
};

// Reads and checks a web configuration file. On success replaces *out; otherwise appends
// diagnostics (file:line:column: field: message) and leaves *out alone.
bool LoadWebConfigFile(const std::string& path, WebSecurityConfig* out,
                       std::vector<Diagnostic>* diagnostics);

// The same from text in memory; file names it in diagnostics and anchors relative paths.
bool ParseWebConfig(const std::string& text, const std::string& file, WebSecurityConfig* out,
                    std::vector<Diagnostic>* diagnostics);

// The console's users file: the users an admin adds, changes and removes in the console's 用户
// page, kept beside the web config file (console-users.yml) so the web config stays as its
// author wrote it. LoadWebConfigFile reads it after the web config; a user in both is an error.
//   users:
//     "zhao": {role: operator, password: "$2y$10$..."}
std::string ConsoleUsersPath(const std::string& web_config_file);
// Reads the file's text (file names it in diagnostics); the users come back managed.
bool ParseConsoleUsers(const std::string& text, const std::string& file,
                       std::map<std::string, ConsoleUser>* out,
                       std::vector<Diagnostic>* diagnostics);
// The file's text for users (each written, whatever its managed flag).
std::string ConsoleUsersYaml(const std::map<std::string, ConsoleUser>& users);
// What changed between two configs' users, for the audit trail: "console user zhao: added
// (operator)", "…: role operator -> admin", "…: password changed", "…: removed". No hashes.
std::vector<std::string> DiffConsoleUsers(const ConsoleConfig& before, const ConsoleConfig& after);
// A role by its name (viewer | operator | admin); kNone otherwise.
Role ParseRole(const std::string& name);

// True if hash looks like a bcrypt hash ($2a$, $2b$ or $2y$, cost, 53 characters of salt+hash).
bool IsBcryptHash(const std::string& hash);

}  // namespace parkwatch
