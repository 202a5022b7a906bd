// "Why is it alerting?" answered by the link every message carries: the webhook's generatorURL
// leads to the alert's page, /alerts/{fingerprint}, whose JSON (/api/v1/alerts/{fingerprint}) names
// the enterprise and its industry, the value, every level's threshold for this enterprise
// (overrides applied) and the one crossed, the period with its days, the events, acknowledgements,
// matching silences and the series.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/period.h"
#include "tests/support/daemon_process.h"
#include "tests/support/http_client.h"
#include "tests/support/http_sink.h"
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

TEST(AlertDetailTest, TheMessagesLinkAnswersWhyItFires) {
  testing::HttpSink sink;
  TempDir dir;
  WriteFile(dir / "rules/r.yml",
            "groups:\n  - name: m\n    cadence: monthly\n    rules:\n"
            "      - alert: OutputDrop\n        measure: yoy(output_value)\n"
            "        levels: {yellow: -0.10, red: -0.30}\n"
            "        overrides:\n"
            "          - {industry: 装备制造, levels: {red: -0.40}}\n");
  WriteFile(dir / "parkwatch.yml",
            "storage: {path: pw.db}\n"
            "web: {admin_token: a}\n"
            "collectors: [{name: inbox, directory: inbox}]\n"
            "rule_files: [rules/*.yml]\n"
            "alerting:\n"
            "  external_url: http://parkwatch.test:9780\n"
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
  std::string code = TestCreditCode(1);
  WriteFile(dir / "inbox/.m.csv", "统一社会信用代码,企业名称,行业,报告期,工业总产值(万元)\n" +
                                      code + ",湖南德山制药,装备制造," +
                                      month.SameLastYear()->ToString() + ",100\n" + code +
                                      ",湖南德山制药,装备制造," + month.ToString() + ",65\n");
  fs::rename(dir / "inbox/.m.csv", dir / "inbox/m.csv");
  ASSERT_TRUE(WaitFor([&] { return sink.count() >= 1; }, 20000)) << daemon.Log();
  json payload = json::parse(sink.Requests()[0].body);
  std::string link = payload["alerts"][0]["generatorURL"];
  const std::string base = "http://parkwatch.test:9780";
  ASSERT_EQ(link.rfind(base, 0), 0u) << link;

  // The link is the alert's page in the console (a browser lands there); the same path under
  // /api/v1 is its JSON.
  std::string path = link.substr(base.size());
  EXPECT_EQ(path, "/alerts/" + payload["alerts"][0]["fingerprint"].get<std::string>());
  auto page = Http("GET", daemon.url(path));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("<!doctype html>"), std::string::npos);
  auto r = Http("GET", daemon.url("/api/v1" + path));
  ASSERT_EQ(r.status, 200) << r.body;
  json a = json::parse(r.body)["data"];
  EXPECT_EQ(a["rule"], "OutputDrop");
  EXPECT_EQ(a["labels"]["enterprise"], code);
  EXPECT_EQ(a["labels"]["enterprise_name"], "湖南德山制药");
  EXPECT_EQ(a["labels"]["industry"], "装备制造");
  EXPECT_NEAR(a["value"].get<double>(), -0.35, 1e-9);
  EXPECT_EQ(a["value_text"], "-35.0%");
  // -35 %: yellow for this industry, whose red is -40 % (the override), not the rule's -30 %.
  EXPECT_EQ(a["severity"], "yellow");
  EXPECT_EQ(a["severity_zh"], "黄");
  EXPECT_EQ(a["measure"], "yoy(output_value)");
  EXPECT_EQ(a["thresholds"]["crossed"], "yellow");
  EXPECT_DOUBLE_EQ(a["thresholds"]["levels"]["red"].get<double>(), -0.40);
  EXPECT_DOUBLE_EQ(a["thresholds"]["levels"]["yellow"].get<double>(), -0.10);
  EXPECT_EQ(a["period"]["period"], month.ToString());
  EXPECT_EQ(a["period"]["name"],
            std::to_string(month.year()) + "年" + std::to_string(month.first_month()) + "月");
  EXPECT_EQ(a["period"]["first_day"].get<std::string>().substr(8), "01");
  EXPECT_NE(a["fired_at"]["local"].get<std::string>().find("+08:00"), std::string::npos);
  ASSERT_FALSE(a["history"].empty());
  EXPECT_EQ(a["history"][0]["kind"], "firing");
  ASSERT_EQ(a["series"].size(), 2u);
  EXPECT_DOUBLE_EQ(a["series"][1]["value"].get<double>(), 650000.0);  // 65 万元 in yuan

  // The list filters by what the register says of the enterprise.
  auto count = [&](const std::string& query) {
    auto r = Http("GET", daemon.url("/api/v1/alerts?" + query));
    EXPECT_EQ(r.status, 200) << query << ": " << r.body;
    return json::parse(r.body)["data"].size();
  };
  EXPECT_EQ(count("industry=%E8%A3%85%E5%A4%87%E5%88%B6%E9%80%A0"), 1u);  // 装备制造
  EXPECT_EQ(count("industry=%E5%8C%BB%E8%8D%AF%E5%8C%96%E5%B7%A5"), 0u);  // 医药化工
  EXPECT_EQ(count("enterprise=" + code + "&scope=enterprise"), 1u);
  EXPECT_EQ(count("acknowledged=true"), 0u);
  EXPECT_EQ(count("silenced=false"), 1u);

  // Acknowledged and silenced: both show on the alert, and the acknowledgement in the list.
  std::string fp = a["fingerprint"];
  ASSERT_EQ(Http("POST", daemon.url("/api/v1/alerts/" + fp + "/acknowledge"),
                 R"({"author":"王科长","note":"已联系企业"})", {"Authorization: Bearer a"})
                .status,
            200);
  json silence = {{"matchers", {"industry=\"装备制造\""}},
                  {"author", "王科长"},
                  {"comment", "检修"},
                  {"duration", "24h"}};
  ASSERT_EQ(
      Http("POST", daemon.url("/api/v1/silences"), silence.dump(), {"Authorization: Bearer a"})
          .status,
      201);
  a = json::parse(Http("GET", daemon.url("/api/v1/alerts/" + fp)).body)["data"];
  ASSERT_EQ(a["acknowledgements"].size(), 1u);
  EXPECT_EQ(a["acknowledgements"][0]["author"], "王科长");
  ASSERT_EQ(a["silences"].size(), 1u);
  EXPECT_EQ(a["silences"][0]["comment"], "检修");
  EXPECT_EQ(count("acknowledged=true"), 1u);
  EXPECT_EQ(count("silenced=true"), 1u);
  EXPECT_EQ(count("silenced=false"), 0u);
  json acks = json::parse(Http("GET", daemon.url("/api/v1/acknowledgements")).body)["data"];
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0]["fingerprint"], fp);

  EXPECT_EQ(Http("GET", daemon.url("/api/v1/alerts/nosuchalert")).status, 404);
}

}  // namespace
}  // namespace parkwatch
