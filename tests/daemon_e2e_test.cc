// The daemon as a user meets it: the real binary, a real SQLite file, a real watched inbox and
// real HTTP over loopback.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/support/daemon_process.h"
#include "tests/support/http_client.h"
#include "tests/support/temp_dir.h"

namespace parkwatch {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::DaemonProcess;
using testing::Http;
using testing::TempDir;
using testing::TestCreditCode;
using testing::WaitFor;
using testing::WriteFile;

const std::string kHeader =
    "统一社会信用代码,企业名称,行业,重点企业,报告期,工业总产值(万元),用电量(万千瓦时)\n";

class DaemonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteFile(dir_ / "parkwatch.yml",
              "storage: {path: pw.db}\n"
              "web:\n"
              "  ingest_token: in-token\n"
              "  admin_token: admin-token\n"
              "  max_body_bytes: 65536\n"
              "collectors:\n"
              "  - {name: inbox, type: inbox, directory: inbox}\n"
              "  - {name: push, type: http}\n");
    std::string error;
    ASSERT_TRUE(daemon_.Start(&error)) << error;
  }

  // Drops a file the way a careful writer does: written aside, renamed in.
  void Drop(const std::string& name, const std::string& content) {
    WriteFile(dir_ / ("staging/" + name), content);
    fs::rename(dir_ / ("staging/" + name), dir_ / ("inbox/" + name));
  }

  json Get(const std::string& path) {
    auto r = Http("GET", daemon_.url(path));
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    return json::parse(r.body, nullptr, false);
  }

  json Series(int enterprise, const std::string& indicator, const std::string& cadence) {
    return Get("/api/v1/series?enterprise=" + TestCreditCode(enterprise) +
               "&indicator=" + indicator + "&cadence=" + cadence)["data"];
  }

  TempDir dir_;
  DaemonProcess daemon_{dir_ / "parkwatch.yml", dir_ / "daemon.log"};
};

TEST_F(DaemonTest, HealthAndReadiness) {
  EXPECT_EQ(Http("GET", daemon_.url("/-/healthy")).status, 200);
  EXPECT_EQ(Http("GET", daemon_.url("/-/ready")).status, 200);
  EXPECT_EQ(Http("GET", daemon_.url("/no/such")).status, 404);
}

TEST_F(DaemonTest, FileDroppedInTheInboxIsIngestedAndFiled) {
  Drop("2024-03.csv", kHeader + TestCreditCode(1) +
                          ",常德甲药业有限公司,医药化工,是,2024年3月,\"1,234.5\",56.7\n" +
                          TestCreditCode(2) + ",湖南乙机械有限公司,装备制造,否,2024年3月,800,\n");
  ASSERT_TRUE(WaitFor([&] { return fs::exists(dir_ / "inbox/processed/2024-03.csv"); }))
      << daemon_.Log();
  json s = Series(1, "output_value", "monthly");
  ASSERT_EQ(s["points"].size(), 1u) << s.dump();
  EXPECT_EQ(s["points"][0]["period"], "2024-03");
  EXPECT_DOUBLE_EQ(s["points"][0]["value"].get<double>(), 12345000.0);  // 万元 -> 元
  EXPECT_EQ(s["name"], "常德甲药业有限公司");
  // A blank electricity cell is missing, not zero.
  EXPECT_EQ(Series(2, "electricity", "monthly")["points"].size(), 0u);
  EXPECT_DOUBLE_EQ(Series(1, "electricity", "monthly")["points"][0]["value"].get<double>(),
                   567000.0);
  json enterprises = Get("/api/v1/enterprises")["data"];
  ASSERT_EQ(enterprises.size(), 2u);
  EXPECT_NE(daemon_.Log().find("2024-03.csv: committed"), std::string::npos) << daemon_.Log();
}

TEST_F(DaemonTest, BadFileIsRejectedWholeWithAnErrorReport) {
  Drop("bad.csv", kHeader + TestCreditCode(1) + ",甲,医药化工,是,2024年3月,100,1\n" +
                      TestCreditCode(2) + ",乙,装备制造,否,2024年13月,100,1\n");
  ASSERT_TRUE(WaitFor([&] { return fs::exists(dir_ / "inbox/rejected/bad.csv"); }))
      << daemon_.Log();
  std::string report = testing::ReadFile(dir_ / "inbox/rejected/bad.csv.errors.txt");
  EXPECT_NE(report.find("bad.csv:3:"), std::string::npos) << report;
  EXPECT_NE(report.find("报告期"), std::string::npos) << report;
  // The office that dropped it reads it in Chinese, the English under each line.
  EXPECT_EQ(report.rfind("# 批次 1 已拒收，未存入任何数据，共 1 条错误", 0), 0u) << report;
  EXPECT_NE(report.find("\nbad.csv 第3行第"), std::string::npos) << report;
  EXPECT_NE(report.find(" · 报告期：报告期 \"2024年13月\" 无效：月份应为1—12\n  bad.csv:3:"),
            std::string::npos)
      << report;
  // Atomic: the good first row was not stored either.
  EXPECT_EQ(Get("/api/v1/enterprises")["data"].size(), 0u);
  json batches = Get("/api/v1/batches")["data"];
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0]["status"], "rejected");
}

TEST_F(DaemonTest, IngestApiNeedsTheTokenAndReturnsASummary) {
  std::string csv = kHeader + TestCreditCode(5) + ",丙,轻工食品,否,2024-W05,10,1\n";
  EXPECT_EQ(Http("POST", daemon_.url("/api/v1/ingest"), csv).status, 401);
  EXPECT_EQ(Http("POST", daemon_.url("/api/v1/ingest"), csv, {"Authorization: Bearer nope"}).status,
            403);
  EXPECT_EQ(Get("/api/v1/enterprises")["data"].size(), 0u);  // nothing written

  auto ok = Http("POST", daemon_.url("/api/v1/ingest"), csv,
                 {"Authorization: Bearer in-token", "Content-Type: text/csv"});
  ASSERT_EQ(ok.status, 200) << ok.body;
  json summary = json::parse(ok.body)["data"];
  EXPECT_EQ(summary["status"], "committed");
  EXPECT_EQ(summary["figures_new"], 2);
  EXPECT_EQ(summary["collector"], "push");
  EXPECT_EQ(Series(5, "output_value", "weekly")["points"][0]["period"], "2024-W05");

  // The same content again changes nothing and says so.
  auto again = Http("POST", daemon_.url("/api/v1/ingest"), csv, {"Authorization: Bearer in-token"});
  EXPECT_EQ(json::parse(again.body)["data"]["status"], "duplicate");
}

TEST_F(DaemonTest, IngestApiTakesJsonAndReportsErrorsWithLocation) {
  json body = {
      {"rows",
       {{{"统一社会信用代码", TestCreditCode(6)},
         {"报告期", "2024年1-2月"},
         {"工业总产值(万元)", 50}},
        {{"统一社会信用代码", "not-a-code"}, {"报告期", "2024-03"}, {"工业总产值(万元)", 60}}}}};
  auto r = Http("POST", daemon_.url("/api/v1/ingest"), body.dump(),
                {"Authorization: Bearer in-token", "Content-Type: application/json"});
  EXPECT_EQ(r.status, 422) << r.body;
  json answer = json::parse(r.body);
  EXPECT_EQ(answer["error_zh"], "数据已拒收，未存入任何数据（1 条错误）");
  json errors = answer["data"]["errors"];
  ASSERT_GE(errors.size(), 1u);
  EXPECT_EQ(errors[0]["line"], 2);
  EXPECT_EQ(errors[0]["field"], "统一社会信用代码");
  EXPECT_EQ(errors[0]["message_zh"], "\"not-a-code\" 无效，统一社会信用代码应为18位，实为10位");
  EXPECT_EQ(
      errors[0]["text_zh"],
      "request 第2行 · 统一社会信用代码：\"not-a-code\" 无效，统一社会信用代码应为18位，实为10位");
  // The batch list gives the same, read back from the store.
  json listed = Get("/api/v1/batches")["data"][0]["errors"][0];
  EXPECT_EQ(listed["text_zh"], errors[0]["text_zh"]);
  EXPECT_EQ(listed["text"], errors[0]["text"]);
  EXPECT_EQ(Get("/api/v1/enterprises")["data"].size(), 0u);

  body["rows"].erase(1);
  r = Http("POST", daemon_.url("/api/v1/ingest"), body.dump(),
           {"Authorization: Bearer in-token", "Content-Type: application/json"});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Series(6, "output_value", "monthly")["points"][0]["period"], "2024-01/02");
}

TEST_F(DaemonTest, OversizeBodyIsRefused) {
  std::string big(70000, 'x');
  EXPECT_EQ(
      Http("POST", daemon_.url("/api/v1/ingest"), big, {"Authorization: Bearer in-token"}).status,
      413);
}

TEST_F(DaemonTest, RevisionKeepsHistoryAndSurvivesKill) {
  std::string v1 = kHeader + TestCreditCode(7) + ",丁,电力电子,是,2024年5月,100,1\n";
  std::string v2 = kHeader + TestCreditCode(7) + ",丁,电力电子,是,2024年5月,130,1\n";
  Drop("v1.csv", v1);
  ASSERT_TRUE(WaitFor([&] { return fs::exists(dir_ / "inbox/processed/v1.csv"); }));
  Drop("v2.csv", v2);
  ASSERT_TRUE(WaitFor([&] { return fs::exists(dir_ / "inbox/processed/v2.csv"); }));
  daemon_.Kill();
  std::string error;
  ASSERT_TRUE(daemon_.Start(&error)) << error;
  json s = Series(7, "output_value", "monthly");
  EXPECT_DOUBLE_EQ(s["points"][0]["value"].get<double>(), 1300000.0);
  EXPECT_EQ(s["points"][0]["revisions"], 2);
  json revisions = Get("/api/v1/revisions?enterprise=" + TestCreditCode(7) +
                       "&indicator=output_value&period=2024-05")["data"];
  ASSERT_EQ(revisions.size(), 2u);
  EXPECT_DOUBLE_EQ(revisions[0]["value"].get<double>(), 1000000.0);
  EXPECT_EQ(revisions[1]["current"], true);
}

TEST_F(DaemonTest, ReloadNeedsAdminTokenAndKeepsRunningConfigOnError) {
  EXPECT_EQ(Http("POST", daemon_.url("/-/reload")).status, 401);
  EXPECT_EQ(
      Http("POST", daemon_.url("/-/reload"), "", {"Authorization: Bearer admin-token"}).status,
      200);
  WriteFile(dir_ / "parkwatch.yml", "web:\n  bogus: 1\n");
  auto r = Http("POST", daemon_.url("/-/reload"), "", {"Authorization: Bearer admin-token"});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("parkwatch.yml:2:3"), std::string::npos) << r.body;
  // Still serving with the old config: the admin token still works.
  EXPECT_EQ(Http("GET", daemon_.url("/-/ready")).status, 200);
}

TEST(CommandLineTest, CheckConfigPrintsEveryErrorAndFails) {
  TempDir dir;
  WriteFile(dir / "bad.yml", "storage:\n  pth: x\ncollectors:\n  - name: a\n    type: inbox\n");
  std::string out;
  EXPECT_EQ(testing::RunParkwatch({"check-config", dir / "bad.yml"}, &out), 1);
  EXPECT_NE(out.find("bad.yml:2:3: storage.pth: unknown field"), std::string::npos) << out;
  EXPECT_NE(out.find("directory"), std::string::npos) << out;
  WriteFile(dir / "good.yml", "storage: {path: pw.db}\nrule_files: [r.yml]\n");
  WriteFile(dir / "r.yml",
            "groups:\n  - name: g\n    rules:\n      - alert: A\n        measure: yoy(x)\n"
            "        levels: {red: -0.3}\n");
  EXPECT_EQ(testing::RunParkwatch({"check-config", dir / "good.yml"}, &out), 1);
  EXPECT_NE(out.find("r.yml:4: A.measure: unknown indicator \"x\""), std::string::npos) << out;
  WriteFile(
      dir / "r.yml",
      "groups:\n  - name: g\n    rules:\n      - alert: A\n        measure: yoy(output_value)\n"
      "        levels: {red: -0.3}\n");
  EXPECT_EQ(testing::RunParkwatch({"check-config", dir / "good.yml"}, &out), 0) << out;
  EXPECT_NE(out.find("1 rules in 1 groups"), std::string::npos) << out;
  WriteFile(dir / "r.yml", "groups:\n  - name: g\n    rules:\n      - alert: A\n        lvls: 1\n");
  EXPECT_EQ(testing::RunParkwatch({"check-config", dir / "good.yml"}, &out), 1);
  EXPECT_NE(out.find("r.yml:5:9: groups[0].rules[0].lvls: unknown field"), std::string::npos)
      << out;
}

TEST(CommandLineTest, IngestCommandWritesTheSameStore) {
  TempDir dir;
  WriteFile(dir / "pw.yml", "storage: {path: pw.db}\n");
  WriteFile(dir / "a.csv", kHeader + TestCreditCode(9) + ",戊,医药化工,否,2024年3月,10,1\n");
  WriteFile(dir / "b.csv", kHeader + TestCreditCode(9) + ",戊,医药化工,否,2024年3月,abc,1\n");
  std::string out;
  EXPECT_EQ(
      testing::RunParkwatch({"ingest", "--config.file=" + (dir / "pw.yml"), dir / "a.csv"}, &out),
      0)
      << out;
  EXPECT_NE(out.find("a.csv: committed"), std::string::npos) << out;
  EXPECT_EQ(
      testing::RunParkwatch({"ingest", "--config.file=" + (dir / "pw.yml"), dir / "b.csv"}, &out),
      1);
  EXPECT_NE(out.find("b.csv:2:"), std::string::npos) << out;
}

}  // namespace
}  // namespace parkwatch

namespace parkwatch {
namespace {

// Rules in the daemon: a dropped file fires an alert visible in the API; a threshold change
// through reload is audited.
TEST(DaemonRulesTest, DroppedFileFiresAlertAndReloadIsAudited) {
  TempDir dir;
  const std::string rules =
      "groups:\n"
      "  - name: monthly\n"
      "    cadence: monthly\n"
      "    rules:\n"
      "      - alert: OutputDrop\n"
      "        measure: yoy(output_value)\n"
      "        levels: {yellow: -0.10, red: -0.30}\n";
  WriteFile(dir / "rules/r.yml", rules);
  WriteFile(dir / "parkwatch.yml",
            "storage: {path: pw.db}\n"
            "web: {admin_token: a}\n"
            "collectors: [{name: inbox, directory: inbox}]\n"
            "rule_files: [rules/*.yml]\n");
  DaemonProcess daemon(dir / "parkwatch.yml", dir / "daemon.log");
  std::string error;
  ASSERT_TRUE(daemon.Start(&error)) << error;
  WriteFile(dir / "inbox/.m.csv", "统一社会信用代码,报告期,工业总产值(万元)\n" + TestCreditCode(1) +
                                      ",2023年5月,100\n" + TestCreditCode(1) + ",2024年5月,80\n");
  fs::rename(dir / "inbox/.m.csv", dir / "inbox/m.csv");
  json alerts;
  ASSERT_TRUE(WaitFor([&] {
    alerts = json::parse(Http("GET", daemon.url("/api/v1/alerts?state=firing")).body)["data"];
    return alerts.size() == 1;
  })) << daemon.Log();
  EXPECT_EQ(alerts[0]["rule"], "OutputDrop");
  EXPECT_EQ(alerts[0]["severity"], "yellow");
  EXPECT_EQ(alerts[0]["period"], "2024-05");
  EXPECT_NEAR(alerts[0]["value"].get<double>(), -0.2, 1e-9);

  json rule_list = json::parse(Http("GET", daemon.url("/api/v1/rules")).body)["data"];
  ASSERT_EQ(rule_list.size(), 1u);
  EXPECT_EQ(rule_list[0]["name"], "OutputDrop");
  EXPECT_EQ(rule_list[0]["last_evaluation"]["period"]["period"], "2024-05");

  // Tighter thresholds through a reload: the alert escalates at once and the change is audited.
  std::string tighter = rules;
  tighter.replace(tighter.find("red: -0.30"), 10, "red: -0.15");
  WriteFile(dir / "rules/r.yml", tighter);
  ASSERT_EQ(Http("POST", daemon.url("/-/reload"), "", {"Authorization: Bearer a"}).status, 200);
  ASSERT_TRUE(WaitFor([&] {
    alerts = json::parse(Http("GET", daemon.url("/api/v1/alerts?state=firing")).body)["data"];
    return alerts.size() == 1 && alerts[0]["severity"] == "red";
  })) << daemon.Log();
  json audit = json::parse(Http("GET", daemon.url("/api/v1/audit")).body)["data"];
  ASSERT_GE(audit.size(), 1u);
  EXPECT_EQ(audit[0]["changes"][0], "OutputDrop: levels.red: -0.3 -> -0.15");
  json history = json::parse(Http("GET", daemon.url("/api/v1/alerts/history")).body)["data"];
  EXPECT_EQ(history[0]["kind"], "escalated");

  // An invalid rule file keeps the running rules.
  WriteFile(dir / "rules/r.yml", "groups: [{name: g, rules: [{alert: X, measure: nope}]}]\n");
  auto bad = Http("POST", daemon.url("/-/reload"), "", {"Authorization: Bearer a"});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("r.yml:1:"), std::string::npos) << bad.body;
  EXPECT_EQ(json::parse(Http("GET", daemon.url("/api/v1/rules")).body)["data"][0]["name"],
            "OutputDrop");
}

}  // namespace
}  // namespace parkwatch

namespace parkwatch {
namespace {

// A price index published per industry has no credit code: it is stored as the industry's
// series, kept out of the register, and read by comparable-price rules.
TEST_F(DaemonTest, IndustryPriceIndexTableIsAnIndustrySeries) {
  Drop("ppi.csv", "行业,报告期,PPI\n医药化工,2024年3月,104.5\n装备制造,2024年3月,98.7\n");
  ASSERT_TRUE(WaitFor([&] { return fs::exists(dir_ / "inbox/processed/ppi.csv"); }))
      << daemon_.Log() << testing::ReadFile(dir_ / "inbox/rejected/ppi.csv.errors.txt");
  EXPECT_EQ(Get("/api/v1/enterprises")["data"].size(), 0u);
  EXPECT_EQ(Get("/api/v1/batches")["data"][0]["figures_new"], 2);
}

}  // namespace
}  // namespace parkwatch

#include "core/period.h"
#include "tests/support/http_sink.h"

namespace parkwatch {
namespace {

// The whole path a user relies on: a file breaching a rule for last month is dropped, and the
// webhook receives an Alertmanager-style notification; silences are managed through the API.
TEST(DaemonDeliveryTest, BreachReachesTheWebhookAndSilencesAreManaged) {
  testing::HttpSink sink;
  TempDir dir;
  WriteFile(dir / "rules/r.yml",
            "groups:\n  - name: m\n    cadence: monthly\n    rules:\n"
            "      - alert: OutputDrop\n        measure: yoy(output_value)\n"
            "        levels: {red: -0.10}\n");
  WriteFile(dir / "parkwatch.yml",
            "storage: {path: pw.db}\n"
            "web: {admin_token: a}\n"
            "collectors: [{name: inbox, directory: inbox}]\n"
            "rule_files: [rules/*.yml]\n"
            "alerting:\n"
            "  delivery: {poll_interval: 1s, initial_backoff: 100ms}\n"
            "  receivers: [{name: hook, type: webhook, url: \"" +
                sink.url("/hook") +
                "\"}]\n"
                "  route: {receiver: hook, group_wait: 0s}\n");
  DaemonProcess daemon(dir / "parkwatch.yml", dir / "daemon.log");
  std::string error;
  ASSERT_TRUE(daemon.Start(&error)) << error;

  using namespace std::chrono;
  Period month = Period::MonthOf(year_month_day(floor<days>(system_clock::now()))).Prev();
  if (month.first_month() <= 2) month = Period::Month(month.year() - 1, 12);  // not Jan/Feb
  std::string csv = "统一社会信用代码,报告期,工业总产值(万元)\n" + TestCreditCode(1) + "," +
                    month.SameLastYear()->ToString() + ",100\n" + TestCreditCode(1) + "," +
                    month.ToString() + ",50\n";
  WriteFile(dir / "inbox/.m.csv", csv);
  fs::rename(dir / "inbox/.m.csv", dir / "inbox/m.csv");
  ASSERT_TRUE(WaitFor([&] { return sink.count() >= 1; }, 20000)) << daemon.Log();
  json body = json::parse(sink.Requests()[0].body);
  EXPECT_EQ(body["version"], "4");
  EXPECT_EQ(body["status"], "firing");
  EXPECT_EQ(body["alerts"][0]["labels"]["alertname"], "OutputDrop");
  EXPECT_EQ(body["alerts"][0]["labels"]["severity"], "red");

  json silence = {{"matchers", {"alertname=\"OutputDrop\""}},
                  {"author", "王科长"},
                  {"comment", "known: plant maintenance"},
                  {"duration", "24h"}};
  EXPECT_EQ(Http("POST", daemon.url("/api/v1/silences"), silence.dump()).status, 401);
  auto created =
      Http("POST", daemon.url("/api/v1/silences"), silence.dump(), {"Authorization: Bearer a"});
  ASSERT_EQ(created.status, 201) << created.body;
  json listed = json::parse(Http("GET", daemon.url("/api/v1/silences")).body)["data"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["author"], "王科长");
  silence.erase("author");
  EXPECT_EQ(
      Http("POST", daemon.url("/api/v1/silences"), silence.dump(), {"Authorization: Bearer a"})
          .status,
      400);
  std::string id = std::to_string(listed[0]["id"].get<int64_t>());
  EXPECT_EQ(
      Http("DELETE", daemon.url("/api/v1/silences/" + id), "", {"Authorization: Bearer a"}).status,
      200);
  EXPECT_EQ(json::parse(Http("GET", daemon.url("/api/v1/silences")).body)["data"].size(), 0u);
  EXPECT_EQ(daemon.Stop(), 0) << daemon.Log();
}

}  // namespace
}  // namespace parkwatch

namespace parkwatch {
namespace {

TEST(CommandLineTest, SilenceAddListExpire) {
  TempDir dir;
  WriteFile(dir / "pw.yml", "storage: {path: pw.db}\n");
  std::string out;
  std::string config = "--config.file=" + (dir / "pw.yml");
  EXPECT_EQ(testing::RunParkwatch({"silence", "add", config, "--matcher=alertname=\"A\"",
                                   "--matcher=industry=\"医药化工\"", "--author=李工",
                                   "--comment=planned shutdown", "--duration=2h"},
                                  &out),
            0)
      << out;
  EXPECT_EQ(testing::RunParkwatch({"silence", "list", config}, &out), 0);
  EXPECT_NE(out.find("alertname=\"A\", industry=\"医药化工\""), std::string::npos) << out;
  EXPECT_NE(out.find("李工: planned shutdown"), std::string::npos) << out;
  EXPECT_EQ(testing::RunParkwatch({"silence", "add", config, "--matcher=alertname=\"A\""}, &out),
            1);  // no author, no comment
  EXPECT_EQ(testing::RunParkwatch({"silence", "expire", config, "1"}, &out), 0) << out;
  EXPECT_EQ(testing::RunParkwatch({"silence", "list", config}, &out), 0);
  EXPECT_EQ(out.find("planned shutdown"), std::string::npos) << out;
}

}  // namespace
}  // namespace parkwatch
