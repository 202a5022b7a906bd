#include "config/web_config.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "config/alerting.h"
#include "config/yaml_reader.h"
#include "core/json_text.h"

namespace parkwatch {
namespace {

namespace fs = std::filesystem;

const std::set<std::string> kClientAuthTypes = {"NoClientCert", "RequestClientCert",
                                                "RequireAnyClientCert", "VerifyClientCertIfGiven",
                                                "RequireAndVerifyClientCert"};
const std::set<std::string> kTlsVersions = {"TLS10", "TLS11", "TLS12", "TLS13"};
// The headers Prometheus's web config lets an operator set; others could break the protocol
// (Content-Type, Content-Length) and are refused the same way.
const std::set<std::string> kSettableHeaders = {"Content-Security-Policy", "X-Frame-Options",
                                                "X-Content-Type-Options", "X-XSS-Protection",
                                                "Strict-Transport-Security"};

void ReadTls(YamlReader& r, const YAML::Node& node, const fs::path& base, WebSecurityConfig* c) {
  const std::string w = "tls_server_config";
  if (!r.Map(node, w,
             {"cert_file", "key_file", "client_auth_type", "client_ca_file", "min_version",
              "max_version", "cipher_suites", "curve_preferences", "prefer_server_cipher_suites"}))
    return;
  for (const char* unsupported : {"cipher_suites", "curve_preferences"}) {
    if (node[unsupported])
      r.Error(node[unsupported], w + "." + unsupported,
              "not supported: parkwatch uses OpenSSL's defaults for the allowed TLS versions");
  }
  TlsServerConfig tls;
  tls.cert_file = ResolvePath(base.string(), r.String(node["cert_file"], w + ".cert_file", ""));
  tls.key_file = ResolvePath(base.string(), r.String(node["key_file"], w + ".key_file", ""));
  tls.client_ca_file =
      ResolvePath(base.string(), r.String(node["client_ca_file"], w + ".client_ca_file", ""));
  if (tls.cert_file.empty()) r.Error(node, w + ".cert_file", "required");
  if (tls.key_file.empty()) r.Error(node, w + ".key_file", "required");
  tls.client_auth_type = r.String(node["client_auth_type"], w + ".client_auth_type", "");
  if (tls.client_auth_type.empty()) {
    // As `promtool check web-config`: a CA file without a policy is a mistake, not a guess.
    if (!tls.client_ca_file.empty())
      r.Error(node, w + ".client_auth_type",
              "required with client_ca_file (e.g. RequireAndVerifyClientCert)");
    tls.client_auth_type = "NoClientCert";
  } else if (!kClientAuthTypes.count(tls.client_auth_type)) {
    r.Error(node["client_auth_type"], w + ".client_auth_type",
            "\"" + tls.client_auth_type +
                "\" is not one of NoClientCert, RequestClientCert, RequireAnyClientCert, "
                "VerifyClientCertIfGiven, RequireAndVerifyClientCert");
  } else if (tls.client_auth_type.find("Verify") != std::string::npos &&
             tls.client_ca_file.empty()) {
    r.Error(node, w + ".client_ca_file", "required with client_auth_type " + tls.client_auth_type);
  }
  for (auto [key, field] :
       {std::pair{"min_version", &tls.min_version}, std::pair{"max_version", &tls.max_version}}) {
    *field = r.String(node[key], w + "." + key, *field);
    if (!field->empty() && !kTlsVersions.count(*field))
      r.Error(node[key], w + "." + key,
              "\"" + *field + "\" is not one of TLS10, TLS11, TLS12, TLS13");
  }
  // "TLS1x" strings compare in version order.
  if (!tls.max_version.empty() && tls.max_version < tls.min_version)
    r.Error(node["max_version"], w + ".max_version", "older than min_version " + tls.min_version);
  c->tls = std::move(tls);
}

void ReadUsers(YamlReader& r, const YAML::Node& node, WebSecurityConfig* c) {
  if (!node || node.IsNull()) return;
  if (!node.IsMap())
    return r.Error(node, "basic_auth_users", "expected a map of user: bcrypt hash");
  for (const auto& item : node) {
    std::string user = item.first.Scalar();
    std::string where = "basic_auth_users." + user;
    std::string hash = r.String(item.second, where, "");
    if (user.empty() || user.find(':') != std::string::npos) {
      r.Error(item.first, where, "a user name must be non-empty and contain no ':'");
    } else if (!IsBcryptHash(hash)) {
      // The value is not echoed: it may be a password typed in by mistake.
      r.Error(item.second, where,
              "not a bcrypt hash; generate one with `parkwatch hash-password` (passwords are "
              "never stored in the clear)");
    } else {
      c->basic_auth_users[user] = hash;
    }
  }
}

void ReadConsoleUsers(YamlReader& r, const YAML::Node& users, const std::string& w, bool managed,
                      std::map<std::string, ConsoleUser>* out);

void ReadConsole(YamlReader& r, const YAML::Node& node, WebSecurityConfig* c) {
  const std::string w = "console";
  if (!r.Map(node, w, {"users", "session_ttl", "anonymous_read"})) return;
  if (node["anonymous_read"])
    c->console.anonymous_read = r.Bool(node["anonymous_read"], w + ".anonymous_read", false);
  if (const YAML::Node ttl = node["session_ttl"]) {
    std::string text = r.String(ttl, w + ".session_ttl", "");
    auto ms = ParseDurationMs(text);
    if (!ms || *ms < 60'000 || *ms > 30LL * 86'400'000)
      r.Error(ttl, w + ".session_ttl", "a duration from 1m to 30d, e.g. 12h");
    else
      c->console.session_ttl_seconds = *ms / 1000;
  }
  ReadConsoleUsers(r, node["users"], w + ".users", false, &c->console.users);
}

void ReadConsoleUsers(YamlReader& r, const YAML::Node& users, const std::string& w, bool managed,
                      std::map<std::string, ConsoleUser>* out) {
  if (!users || users.IsNull()) return;
  if (!users.IsMap()) return r.Error(users, w, "expected a map of user: {role, password}");
  for (const auto& item : users) {
    std::string user = item.first.Scalar();
    std::string where = w + "." + user;
    if (user.empty() || user.find_first_of(":; ,=\"") != std::string::npos) {
      r.Error(item.first, where, "a user name must be non-empty, without : ; , = \" or spaces");
      continue;
    }
    if (!r.Map(item.second, where, {"role", "password"})) {
      if (!item.second || item.second.IsNull())
        r.Error(item.second, where, "role and password required");
      continue;
    }
    ConsoleUser u;
    u.managed = managed;
    u.role = ParseRole(r.String(item.second["role"], where + ".role", ""));
    if (u.role == Role::kNone)
      r.Error(item.second["role"] ? item.second["role"] : item.second, where + ".role",
              "one of viewer, operator, admin");
    u.password_hash = r.String(item.second["password"], where + ".password", "");
    if (!IsBcryptHash(u.password_hash))
      r.Error(item.second["password"] ? item.second["password"] : item.second, where + ".password",
              "not a bcrypt hash; generate one with `parkwatch hash-password` (passwords are "
              "never stored in the clear)");
    (*out)[user] = u;
  }
}

void ReadServer(YamlReader& r, const YAML::Node& node, WebSecurityConfig* c) {
  const std::string w = "http_server_config";
  // http2 is accepted for compatibility and has no effect: parkwatch speaks HTTP/1.1, which every
  // client of Prometheus's web config also speaks.
  if (!r.Map(node, w, {"headers", "http2"})) return;
  r.Bool(node["http2"], w + ".http2", true);
  const YAML::Node headers = node["headers"];
  if (!headers || headers.IsNull()) return;
  if (!headers.IsMap()) return r.Error(headers, w + ".headers", "expected a map of name: value");
  for (const auto& item : headers) {
    std::string name = item.first.Scalar();
    std::string where = w + ".headers." + name;
    std::string value = r.String(item.second, where, "");
    if (!kSettableHeaders.count(name)) {
      r.Error(item.first, where,
              "cannot be set; allowed: Content-Security-Policy, X-Frame-Options, "
              "X-Content-Type-Options, X-XSS-Protection, Strict-Transport-Security");
    } else if (value.find_first_of("\r\n") != std::string::npos) {
      r.Error(item.second, where, "a header value cannot contain a line break");
    } else {
      c->headers.emplace_back(name, value);
    }
  }
}

}  // namespace

Role ParseRole(const std::string& name) {
  if (name == "viewer") return Role::kViewer;
  if (name == "operator") return Role::kOperator;
  if (name == "admin") return Role::kAdmin;
  return Role::kNone;
}

std::string ConsoleUsersPath(const std::string& web_config_file) {
  return (fs::path(web_config_file).parent_path() / "console-users.yml").string();
}

bool ParseConsoleUsers(const std::string& text, const std::string& file,
                       std::map<std::string, ConsoleUser>* out,
                       std::vector<Diagnostic>* diagnostics) {
  YAML::Node root;
  if (!ParseYaml(text, file, &root, diagnostics)) return false;
  YamlReader r(file, diagnostics);
  if (root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
  if (!r.Map(root, "", {"users"})) return false;
  std::map<std::string, ConsoleUser> users;
  ReadConsoleUsers(r, root["users"], "users", true, &users);
  if (!r.ok()) return false;
  *out = std::move(users);
  return true;
}

std::string ConsoleUsersYaml(const std::map<std::string, ConsoleUser>& users) {
  std::string text =
      "# The console's users that admins manage in its 用户 page (README \"Users and roles\").\n"
      "# parkwatch rewrites this file whole; users of the web config file are not here.\n"
      "users:\n";
  if (users.empty()) return text.substr(0, text.size() - 1) + " {}\n";
  for (const auto& [name, u] : users)
    text += "  " + DumpJson(nlohmann::json(name)) + ": {role: " + RoleName(u.role) +
            ", password: " + DumpJson(nlohmann::json(u.password_hash)) + "}\n";
  return text;
}

std::vector<std::string> DiffConsoleUsers(const ConsoleConfig& before, const ConsoleConfig& after) {
  std::vector<std::string> lines;
  for (const auto& [name, u] : after.users) {
    auto old = before.users.find(name);
    if (old == before.users.end()) {
      lines.push_back("console user " + name + ": added (" + RoleName(u.role) + ")");
      continue;
    }
    if (old->second.role != u.role)
      lines.push_back("console user " + name + ": role " + RoleName(old->second.role) + " -> " +
                      RoleName(u.role));
    if (old->second.password_hash != u.password_hash)
      lines.push_back("console user " + name + ": password changed");
  }
  for (const auto& [name, u] : before.users)
    if (!after.users.count(name)) lines.push_back("console user " + name + ": removed");
  return lines;
}

const char* RoleName(Role role) {
  switch (role) {
    case Role::kNone:
      return "none";
    case Role::kViewer:
      return "viewer";
    case Role::kOperator:
      return "operator";
    case Role::kAdmin:
      return "admin";
  }
  return "none";
}

bool IsBcryptHash(const std::string& hash) {
  // $2b$10$ + 22 characters of salt + 31 of hash = 60 characters.
  if (hash.size() != 60 || hash.compare(0, 2, "$2") != 0 || hash[3] != '$' || hash[6] != '$')
    return false;
  if (hash[2] != 'a' && hash[2] != 'b' && hash[2] != 'y') return false;
  if (!std::isdigit(static_cast<unsigned char>(hash[4])) ||
      !std::isdigit(static_cast<unsigned char>(hash[5])))
    return false;
  for (size_t i = 7; i < hash.size(); ++i) {
    char ch = hash[i];
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '.' && ch != '/') return false;
  }
  return true;
}

bool ParseWebConfig(const std::string& text, const std::string& file, WebSecurityConfig* out,
                    std::vector<Diagnostic>* diagnostics) {
  YAML::Node root;
  if (!ParseYaml(text, file, &root, diagnostics)) return false;
  YamlReader r(file, diagnostics);
  WebSecurityConfig c;
  c.file = file;
  if (root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
  if (!r.Map(root, "", {"tls_server_config", "basic_auth_users", "http_server_config", "console"}))
    return false;
  fs::path base = fs::path(file).parent_path();
  if (root["tls_server_config"] && !root["tls_server_config"].IsNull())
    ReadTls(r, root["tls_server_config"], base, &c);
  ReadUsers(r, root["basic_auth_users"], &c);
  if (root["http_server_config"]) ReadServer(r, root["http_server_config"], &c);
  if (root["console"]) ReadConsole(r, root["console"], &c);
  if (!r.ok()) return false;
  *out = std::move(c);
  return true;
}

bool LoadWebConfigFile(const std::string& path, WebSecurityConfig* out,
                       std::vector<Diagnostic>* diagnostics) {
  std::string text;
  WebSecurityConfig c;
  if (!ReadConfigFile(path, "web config file", &text, diagnostics) ||
      !ParseWebConfig(text, path, &c, diagnostics))
    return false;
  // The users the console manages, beside it.
  const std::string users_path = ConsoleUsersPath(path);
  if (fs::exists(users_path)) {
    std::map<std::string, ConsoleUser> managed;
    if (!ReadConfigFile(users_path, "console users file", &text, diagnostics) ||
        !ParseConsoleUsers(text, users_path, &managed, diagnostics))
      return false;
    for (auto& [name, u] : managed) {
      if (c.console.users.count(name)) {
        diagnostics->push_back({users_path, 0, 0, "users." + name,
                                "also a user of " + path + ": keep each user in one file"});
        return false;
      }
      c.console.users[name] = std::move(u);
    }
  }
  *out = std::move(c);
  return true;
}

}  // namespace parkwatch
