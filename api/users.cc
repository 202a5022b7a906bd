// The console's users, managed by an admin in its 用户 page: the list with roles (GET
// /api/v1/users), and adding a user, changing a role, resetting a password and removing a user
// (POST /api/v1/users, PUT and DELETE /api/v1/users/{user}). The users an admin manages live in
// console-users.yml beside the web config file (config/web_config.h), rewritten atomically and
// refused when the file changed on disk since the page read it, then reloaded: the reload's
// audit record names who did it and what changed (never a hash). Users of the web config file
// itself are shown and left to that file.
//
// The writes run on the serving pool, where a new password's bcrypt hash is made (slow on
// purpose), and hand the file and the reload to the loop (PoolServices::OnLoop).
#include <nlohmann/json.hpp>

#include "api/handlers.h"
#include "api/json_parts.h"
#include "api/managed_file.h"
#include "api/services.h"
#include "core/json_text.h"
#include "core/sha256.h"
#include "rules/tuning.h"

namespace parkwatch {

using nlohmann::json;

namespace {

constexpr size_t kMinPasswordLength = 8;

// The users file of the config in force; refused when there is no web config file to sit beside.
std::string UsersPath(const Config& config) {
  if (config.web.security.file.empty())
    throw ApiError(409, "conflict",
                   "no web config file (web.config_file or --web.config.file): console users "
                   "live beside it; create one to manage users here");
  return ConsoleUsersPath(config.web.security.file);
}

// The acting user, for the audit and for refusing to lock oneself out.
std::string Who(const ApiCall& call) {
  std::string user = SignedInUser(call);
  return user.empty() ? call.principal() : user;
}

Role RequireRole(const std::string& name) {
  Role role = ParseRole(name);
  if (role == Role::kNone) throw ApiError::BadData("role: one of viewer, operator, admin");
  return role;
}

// A new password's hash, made on this pool thread.
std::string NewHash(ApiCall& call, const std::string& password) {
  if (password.size() < kMinPasswordLength)
    throw ApiError::BadData("password: at least " + std::to_string(kMinPasswordLength) +
                            " characters");
  std::string hash = call.pool->HashPassword(password);
  if (hash.empty()) throw ApiError(500, "internal", "the crypt library cannot make a bcrypt hash");
  return hash;
}

// One change to the managed users: applied on the loop to the file as the page read it (hash),
// then reloaded; the file is put back when the reload refuses it.
using Change = std::function<std::string(std::map<std::string, ConsoleUser>&, const Config&)>;

HttpResponse ApplyChange(ApiCall& call, const std::string& hash, const Change& change) {
  const std::string principal = call.principal(), who = Who(call), user = SignedInUser(call);
  return call.pool->OnLoop([&](LoopServices& loop) {
    auto config = loop.config();
    const ManagedFile file(UsersPath(*config));
    if (file.ChangedSince(hash))
      return JsonError(409, "conflict",
                       file.path() +
                           " changed on disk since this page read it: reload the page to see "
                           "the change, then try again");
    std::map<std::string, ConsoleUser> users;
    std::vector<Diagnostic> diagnostics;
    if (!ParseConsoleUsers(file.text(), file.path(), &users, &diagnostics))
      throw ApiError(409, "conflict", JoinDiagnostics(diagnostics));
    std::string what = change(users, *config);
    std::string fresh = ConsoleUsersYaml(users);
    std::string error = file.WriteAndReload(loop, fresh, "console: " + what,
                                            user.empty() ? principal : "user:" + user);
    if (!error.empty()) return JsonError(422, "bad_config", error);
    return JsonSuccess(
        DumpJson({{"file", file.path()}, {"hash", Sha256Hex(fresh)}, {"done", what}}));
  });
}

// A user of the web config file is that file's to change.
void RequireManaged(const Config& config, const std::map<std::string, ConsoleUser>& users,
                    const std::string& name) {
  if (users.count(name)) return;
  if (config.web.security.console.users.count(name))
    throw ApiError(409, "conflict",
                   name + " is a user of " + config.web.security.file + ": change it there");
  throw ApiError::NotFound("no console user " + name);
}

void RequireNotSelf(const std::string& who, const std::string& name, const char* what) {
  if (who == name)
    throw ApiError(409, "conflict",
                   std::string("you cannot ") + what +
                       " yourself: another admin can (so the console always has one)");
}

}  // namespace

HttpResponse ApiUsers(ApiCall& call) {
  auto config = call.loop->config();
  json users = json::array();
  for (const auto& [name, u] : config->web.security.console.users)
    users.push_back({{"user", name}, {"role", RoleName(u.role)}, {"managed", u.managed}});
  json out = {{"users", users},
              {"web_config_file", config->web.security.file},
              {"file", nullptr},
              {"hash", nullptr}};
  if (!config->web.security.file.empty()) {
    const ManagedFile file(ConsoleUsersPath(config->web.security.file));
    out["file"] = file.path();
    out["hash"] = file.hash();
  }
  return JsonSuccess(DumpJson(out));
}

HttpResponse ApiAddUser(ApiCall& call) {
  json in = BodyObject(call.request.body);
  std::string name = BodyString(in, "user");
  if (name.empty() || name.size() > 64 ||
      name.find_first_of(":; ,=\"\\\n\r\t") != std::string::npos)
    throw ApiError::BadData(
        "user: a name of 1 to 64 bytes, without : ; , = \" \\ or spaces (e.g. zhao or 赵敏)");
  Role role = RequireRole(BodyString(in, "role"));
  std::string hash = NewHash(call, BodyString(in, "password"));
  return ApplyChange(call, BodyString(in, "hash"), [&](auto& users, const Config& config) {
    if (users.count(name) || config.web.security.console.users.count(name))
      throw ApiError(409, "conflict", "a user " + name + " exists already");
    users[name] = ConsoleUser{role, hash, true};
    return std::string("added user ") + name + " (" + RoleName(role) + ")";
  });
}

HttpResponse ApiChangeUser(ApiCall& call) {
  json in = BodyObject(call.request.body);
  const std::string name = call.path.at("user"), who = Who(call);
  std::string role_name = BodyString(in, "role"), password = BodyString(in, "password");
  if (role_name.empty() && password.empty()) throw ApiError::BadData("give role, password or both");
  Role role = role_name.empty() ? Role::kNone : RequireRole(role_name);
  std::string hash = password.empty() ? "" : NewHash(call, password);
  return ApplyChange(call, BodyString(in, "hash"), [&](auto& users, const Config& config) {
    RequireManaged(config, users, name);
    std::string what;
    if (role != Role::kNone && role != users[name].role) {
      RequireNotSelf(who, name, "change the role of");
      what = std::string("role of ") + name + " to " + RoleName(role);
      users[name].role = role;
    }
    if (!hash.empty()) {
      users[name].password_hash = hash;
      what += (what.empty() ? "" : "; ") + std::string("new password for ") + name;
    }
    if (what.empty()) throw ApiError::BadData(name + " has that role already");
    return what;
  });
}

HttpResponse ApiRemoveUser(ApiCall& call) {
  const std::string name = call.path.at("user"), who = Who(call);
  return ApplyChange(call, call.query.String("hash"), [&](auto& users, const Config& config) {
    RequireManaged(config, users, name);
    RequireNotSelf(who, name, "remove");
    users.erase(name);
    return "removed user " + name;
  });
}

}  // namespace parkwatch
