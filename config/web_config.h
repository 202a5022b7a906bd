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
//
// Settings Prometheus has and parkwatch cannot honour (cipher_suites, curve_preferences) are
// errors rather than silently ignored: a security setting that does not take effect is worse
// than none.
#pragma once

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

struct WebSecurityConfig {
  std::string file;                                     // where it was read from; empty when none
  std::optional<TlsServerConfig> tls;                   // absent: plain HTTP
  std::map<std::string, std::string> basic_auth_users;  // user -> bcrypt hash
  std::vector<std::pair<std::string, std::string>> headers;

  bool enabled() const { return tls || !basic_auth_users.empty() || !headers.empty(); }
};

// Reads and checks a web configuration file. On success replaces *out; otherwise appends
// diagnostics (file:line:column: field: message) and leaves *out alone.
bool LoadWebConfigFile(const std::string& path, WebSecurityConfig* out,
                       std::vector<Diagnostic>* diagnostics);

// The same from text in memory; file names it in diagnostics and anchors relative paths.
bool ParseWebConfig(const std::string& text, const std::string& file, WebSecurityConfig* out,
                    std::vector<Diagnostic>* diagnostics);

// True if hash looks like a bcrypt hash ($2a$, $2b$ or $2y$, cost, 53 characters of salt+hash).
bool IsBcryptHash(const std::string& hash);

}  // namespace parkwatch
