// The audit trail answers "who changed what, when — and who tried": every reload, accepted or
// refused, with the request's principal and what it changed in thresholds, receivers (which
// fields, never their values) and routes; every silence added or expired; and a silence that
// can hold no rule's alerts warns the person making it. A real daemon over loopback.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/daemon_process.h"
#include "tests/support/http_client.h"
#include "tests/support/temp_dir.h"

namespace parkwatch {
namespace {

using nlohmann::json;
using testing::DaemonProcess;
using testing::Http;
using testing::TempDir;
using testing::WaitFor;
using testing::WriteFile;

std::string Config(const std::string& url, const std::string& group_wait) {
  return "storage: {path: pw.db}\n"
         "web: {admin_token: a}\n"
         "rule_files: [rules/*.yml]\n"
         "alerting:\n"
         "  receivers: [{name: hook, type: webhook, url: \"" +
         url +
         "\"}]\n"
         "  route: {receiver: hook, group_wait: " +
         group_wait + "}\n";
}

const char* kRules =
    "groups:\n  - name: m\n    cadence: monthly\n    rules:\n"
    "      - alert: OutputDrop\n        measure: yoy(output_value)\n"
    "        levels: {yellow: -0.10, red: -0.30}\n";

bool Contains(const json& lines, const std::string& text) {
  for (const auto& l : lines)
    if (l.get<std::string>().find(text) != std::string::npos) return true;
  return false;
}

TEST(AuditTrailTest, ReloadsAcceptedAndRefusedAndSilencesSayWhoAndWhat) {
  TempDir dir;
  WriteFile(dir / "rules/r.yml", kRules);
  WriteFile(dir / "parkwatch.yml", Config("http://127.0.0.1:9/hook?access_token=s3cret", "0s"));
  DaemonProcess daemon(dir / "parkwatch.yml", dir / "daemon.log");
  std::string error;
  ASSERT_TRUE(daemon.Start(&error)) << error;
  const std::vector<std::string> admin = {"Authorization: Bearer a"};
  auto audit = [&] { return json::parse(Http("GET", daemon.url("/api/v1/audit")).body)["data"]; };

  // A new receiver URL, a slower route and a tighter red: all three in one accepted record.
  WriteFile(dir / "parkwatch.yml", Config("http://127.0.0.1:9/hook?access_token=n3w", "30s"));
  std::string tighter = kRules;
  tighter.replace(tighter.find("red: -0.30"), 10, "red: -0.20");
  WriteFile(dir / "rules/r.yml", tighter);
  ASSERT_EQ(Http("POST", daemon.url("/-/reload"), "", admin).status, 200);
  ASSERT_TRUE(WaitFor([&] { return !audit().empty(); })) << daemon.Log();
  json a = audit()[0];
  EXPECT_EQ(a["who"], "token:admin");
  EXPECT_EQ(a["source"], "POST /-/reload");
  EXPECT_EQ(a["outcome"], "applied");
  EXPECT_TRUE(Contains(a["changes"], "OutputDrop: levels.red: -0.3 -> -0.2")) << a;
  EXPECT_TRUE(Contains(a["changes"], "receiver hook changed: url")) << a;
  EXPECT_TRUE(Contains(a["changes"], "route added: route {} -> hook")) << a;
  EXPECT_TRUE(Contains(a["changes"], "group_wait=30s")) << a;
  EXPECT_EQ(a.dump().find("n3w"), std::string::npos) << "a receiver's values are not recorded";
  EXPECT_NE(a["at_local"]["local"].get<std::string>().find("+08:00"), std::string::npos);

  // A refused reload is recorded too, with who tried and why it was refused.
  WriteFile(dir / "rules/r.yml", "groups: [{name: g, rules: [{alert: X, measure: nope}]}]\n");
  ASSERT_EQ(Http("POST", daemon.url("/-/reload"), "", admin).status, 400);
  ASSERT_TRUE(WaitFor([&] { return audit()[0]["outcome"] == "refused"; })) << daemon.Log();
  a = audit()[0];
  EXPECT_EQ(a["who"], "token:admin");
  EXPECT_NE(a["error"].get<std::string>().find("r.yml:1:"), std::string::npos) << a;
  EXPECT_TRUE(a["changes"].empty());

  // A silence that can match no rule (a typo in the rule name) warns, in the answer and the log.
  json typo = {{"matchers", {"alertname=\"OutputDorp\""}},
               {"author", "王科长"},
               {"comment", "检修"},
               {"duration", "2h"}};
  auto r = Http("POST", daemon.url("/api/v1/silences"), typo.dump(), admin);
  ASSERT_EQ(r.status, 201) << r.body;
  json created = json::parse(r.body)["data"];
  ASSERT_EQ(created["warnings"].size(), 1u) << r.body;
  EXPECT_NE(created["warnings"][0].get<std::string>().find("match no rule"), std::string::npos);
  EXPECT_NE(daemon.Log().find("match no rule"), std::string::npos);
  a = audit()[0];
  EXPECT_EQ(a["who"], "token:admin");
  EXPECT_TRUE(Contains(a["changes"], "alertname=\"OutputDorp\"")) << a;
  EXPECT_TRUE(Contains(a["changes"], "added")) << a;

  // One that can match (an industry of the rule's enterprises, at a level it has) does not.
  json fine = {
      {"matchers", {"alertname=\"OutputDrop\"", "industry=\"医药化工\"", "severity=\"red\""}},
      {"author", "王科长"},
      {"comment", "检修"},
      {"duration", "2h"}};
  r = Http("POST", daemon.url("/api/v1/silences"), fine.dump(), admin);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_TRUE(json::parse(r.body)["data"]["warnings"].empty()) << r.body;
  json orange = fine;
  orange["matchers"][2] = "severity=\"orange\"";  // the rule has no orange level
  r = Http("POST", daemon.url("/api/v1/silences"), orange.dump(), admin);
  EXPECT_EQ(json::parse(r.body)["data"]["warnings"].size(), 1u) << r.body;

  // Expiring one is recorded with who.
  int64_t id = created["id"];
  ASSERT_EQ(Http("DELETE", daemon.url("/api/v1/silences/" + std::to_string(id)), "", admin).status,
            200);
  a = audit()[0];
  EXPECT_EQ(a["source"], "DELETE /api/v1/silences/" + std::to_string(id));
  EXPECT_TRUE(Contains(a["changes"], "expired")) << a;
}

}  // namespace
}  // namespace parkwatch
