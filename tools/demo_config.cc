#include "tools/demo_config.h"

#include <chrono>
#include <filesystem>
#include <fstream>

#include "tools/default_rules.h"
#include "tools/demo_park.h"

namespace parkwatch {

std::string DemoConfigYaml(bool console_users) {
  const std::string users = console_users ? R"yaml(
  # The console's users (web.yml): sign in as 演示 or 演示管理员, password parkwatch-demo.
  config_file: web.yml)yaml"
                                          : "";
  return R"yaml(# parkwatch demo configuration: a park of ~300 enterprises in four industries.
# Every path is relative to this file.
global:
  timezone: Asia/Shanghai

park:
  name: 常德经济技术开发区 (demo)
  industries: [医药化工, 装备制造, 轻工食品, 电力电子]

storage:
  path: parkwatch.db

web:
  listen_address: 127.0.0.1:9780
  # Demo tokens; in production use ingest_token_file / admin_token_file.
  ingest_token: demo-ingest-token
  admin_token: demo-admin-token)yaml" +
         users + R"yaml(

collectors:
  - name: inbox
    type: inbox
    directory: inbox
    encoding: auto
  - name: http
    type: http

# The default rules, copied here to be tuned; SIGHUP or POST /-/reload applies a change.
rule_files: [rules/*.yml]
)yaml";
}

std::string DemoWebYaml(const std::string& password_hash) {
  return std::string(
             R"yaml(# The console's users (README "Users and roles"). In production make hashes with
# `parkwatch hash-password`; users an admin adds in the console go to console-users.yml.
console:
  anonymous_read: true   # the demo's pages open without signing in
  users:
)yaml") + "    " +
         kDemoOperator + ": {role: operator, password: '" + password_hash + "'}\n" + "    " +
         kDemoAdmin + ": {role: admin, password: '" + password_hash + "'}\n";
}

bool WriteDemo(const std::string& dir, const std::string& password_hash, std::string* error) {
  namespace fs = std::filesystem;
  fs::create_directories(dir);
  // The inbox is written in a staging folder and renamed in, the way a careful office drops
  // files, so a daemon already watching sees whole files only.
  DemoParkOptions options;
  options.dir = (fs::path(dir) / ".staging").string();
  options.today = std::chrono::year_month_day(
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
  auto files = WriteDemoPark(options, error);
  if (files.empty()) return false;
  fs::create_directories(fs::path(dir) / "inbox");
  for (const auto& f : files) {
    fs::path from(f);
    fs::rename(from, fs::path(dir) / "inbox" / from.filename());
  }
  for (const auto& entry : fs::directory_iterator(options.dir))
    if (entry.is_regular_file()) fs::rename(entry.path(), fs::path(dir) / entry.path().filename());
  fs::remove_all(options.dir);
  fs::create_directories(fs::path(dir) / "rules");
  std::ofstream rules(fs::path(dir) / "rules" / "default.yml");
  rules << DefaultRulesYaml();
  std::ofstream web(fs::path(dir) / "web.yml");
  web << DemoWebYaml(password_hash);
  if (!web) {
    *error = "cannot write " + (fs::path(dir) / "web.yml").string();
    return false;
  }
  std::ofstream config(fs::path(dir) / "parkwatch.yml");
  config << DemoConfigYaml(true);
  if (!config) {
    *error = "cannot write " + (fs::path(dir) / "parkwatch.yml").string();
    return false;
  }
  return true;
}

}  // namespace parkwatch
