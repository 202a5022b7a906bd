// `parkwatch demo`: a demo park a newcomer can start at once.
#pragma once

#include <string>

namespace parkwatch {

// The demo's console users and their password (printed by `parkwatch demo`, in the README):
// an operator, who acknowledges, silences and tunes, and an admin, who also reloads and manages
// users. The pages open without signing in, as before the console had users.
inline constexpr const char* kDemoOperator = "演示";
inline constexpr const char* kDemoAdmin = "演示管理员";
inline constexpr const char* kDemoPassword = "parkwatch-demo";

// Writes DIR/parkwatch.yml (store, listener, an inbox collector, tokens), DIR/web.yml (the
// console's users, with password_hash: a bcrypt hash of kDemoPassword) and the demo park's CSV
// files into DIR/inbox, dated up to today. Returns false and sets *error on failure.
bool WriteDemo(const std::string& dir, const std::string& password_hash, std::string* error);

// The demo's configuration text, for a park whose files are in DIR/inbox; with console_users,
// naming DIR/web.yml as its web config file.
std::string DemoConfigYaml(bool console_users = false);

}  // namespace parkwatch
