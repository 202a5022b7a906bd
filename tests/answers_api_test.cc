// The answers a person (or the web console) asks the daemon for beyond one alert: every rule
// with its levels, overrides and the members it could not measure, named; an industry's and the
// park's measures over a period range from the code the rules use; a rejected batch's errors.
// A real daemon over loopback on a real SQLite store.
#include <gtest/gtest.h>

#include <cmath>
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

const char* kHeader = "统一社会信用代码,企业名称,行业,报告期,工业总产值(万元)\n";

// A park of three enterprises in two industries, monthly output value 2024-03..2025-06 (2025-01
// and -02 as Jan–Feb), except that 丙 has no 2024 figures: its growth has no data.
std::string ParkCsv() {
  std::string csv = kHeader;
  struct E {
    int n;
    const char* name;
    const char* industry;
    double base;
    double growth;
    bool last_year;
  } es[] = {{1, "甲制药", "医药化工", 100, 0.10, true},
            {2, "乙机械", "装备制造", 200, -0.20, true},
            {3, "丙材料", "装备制造", 50, 0, false}};
  for (const E& e : es)
    for (int year : {2024, 2025})
      for (const char* m : {"01-02", "03", "04", "05", "06"}) {
        if (year == 2024 && !e.last_year) continue;
        double v = year == 2024 ? e.base : e.base * (1 + e.growth);
        csv += TestCreditCode(e.n) + "," + e.name + "," + e.industry + "," + std::to_string(year) +
               "-" + m + "," + std::to_string(v) + "\n";
      }
  return csv;
}

class AnswersApiTest : public ::testing::Test {
 protected:
  void Start(const std::string& rules) {
    WriteFile(dir_ / "rules/r.yml", rules);
    WriteFile(dir_ / "parkwatch.yml",
              "storage: {path: pw.db}\n"
              "park: {name: 测试园区, industries: [医药化工, 装备制造]}\n"
              "web: {admin_token: a, ingest_token: i}\n"
              "collectors: [{name: inbox, directory: inbox}]\n"
              "rule_files: [rules/*.yml]\n");
    daemon_ = std::make_unique<DaemonProcess>(dir_ / "parkwatch.yml", dir_ / "daemon.log");
    std::string error;
    ASSERT_TRUE(daemon_->Start(&error)) << error;
  }
  void Ingest(const std::string& csv) {
    auto r = Http("POST", daemon_->url("/api/v1/ingest?source=park.csv"), csv,
                  {"Authorization: Bearer i", "Content-Type: text/csv"});
    ASSERT_EQ(r.status, 200) << r.body;
  }
  json Get(const std::string& path, int status = 200) {
    auto r = Http("GET", daemon_->url(path));
    EXPECT_EQ(r.status, status) << path << ": " << r.body;
    json j = json::parse(r.body, nullptr, false);
    return status == 200 ? j["data"] : j;
  }

  TempDir dir_;
  std::unique_ptr<DaemonProcess> daemon_;
};

const char* kRules =
    "groups:\n  - name: m\n    cadence: monthly\n    rules:\n"
    "      - alert: OutputDrop\n        title: Output drop\n        title_zh: 产值同比下降\n"
    "        measure: yoy(output_value)\n"
    "        levels: {yellow: -0.10, red: -0.30}\n"
    "        clear: -0.05\n"
    "        overrides:\n"
    "          - {industry: 装备制造, levels: {red: -0.40}}\n"
    "          - {enterprise: 91000000000000001X, levels: {yellow: -0.15}}\n";

TEST_F(AnswersApiTest, RulesListLevelsOverridesAndNamesTheMembersWithoutData) {
  std::string rules = kRules;
  rules.replace(rules.find("91000000000000001X"), 18, TestCreditCode(1));
  Start(rules);
  Ingest(ParkCsv());
  json list = Get("/api/v1/rules");
  ASSERT_EQ(list.size(), 1u);
  json r = list[0];
  EXPECT_EQ(r["name"], "OutputDrop");
  EXPECT_EQ(r["title_zh"], "产值同比下降");
  EXPECT_EQ(r["kind"], "threshold");
  EXPECT_EQ(r["scope"], "enterprise");
  EXPECT_EQ(r["measure"], "yoy(output_value)");
  EXPECT_EQ(r["measure_words"], "工业总产值同比增速");
  EXPECT_EQ(r["unit"], "ratio");
  EXPECT_EQ(r["levels"]["direction"], "below");
  EXPECT_DOUBLE_EQ(r["levels"]["levels"]["yellow"].get<double>(), -0.10);
  EXPECT_DOUBLE_EQ(r["levels"]["levels"]["red"].get<double>(), -0.30);
  EXPECT_DOUBLE_EQ(r["levels"]["clear"].get<double>(), -0.05);
  ASSERT_EQ(r["overrides"].size(), 2u);
  EXPECT_EQ(r["overrides"][0]["industry"], "装备制造");
  EXPECT_DOUBLE_EQ(r["overrides"][0]["levels"]["red"].get<double>(), -0.40);
  EXPECT_EQ(r["overrides"][1]["enterprise"], TestCreditCode(1));
  EXPECT_EQ(r["overrides"][1]["name"], "甲制药");  // the register's name beside the code

  // The evaluation the batch caused: 丙 has no figure a year before, so it is named with why.
  ASSERT_TRUE(WaitFor([&] {
    json e = Get("/api/v1/rules")[0]["last_evaluation"];
    return e.is_object() && e["no_data_at_period"].get<int>() >= 1;
  })) << daemon_->Log();
  json e = Get("/api/v1/rules")[0]["last_evaluation"];
  EXPECT_EQ(e["period"]["period"], "2025-06");
  EXPECT_EQ(e["period"]["name"], "2025年6月");
  EXPECT_GE(e["outcomes"].get<int>(), 3);
  EXPECT_NE(e["at"]["local"].get<std::string>().find("+08:00"), std::string::npos);
  ASSERT_GE(e["no_data"].size(), 1u);
  json member = e["no_data"][0];
  EXPECT_EQ(member["enterprise"], TestCreditCode(3));
  EXPECT_EQ(member["name"], "丙材料");
  EXPECT_EQ(member["industry"], "装备制造");
  // Why, as the measure worded it: the enterprise by name and code, the month it lacks in words.
  EXPECT_EQ(member["reason_zh"],
            "丙材料（" + TestCreditCode(3) + "）没有2024年6月（上年同期）的数据");
  EXPECT_EQ(member["reason"], "no figure for June 2024 (same period last year) for 丙材料 (" +
                                  TestCreditCode(3) + ")");
  EXPECT_TRUE(r["condition"].is_null());  // yoy(): the lines say all a breach needs
}

TEST_F(AnswersApiTest, ARejectedBatchKeepsItsErrorsWithLineAndField) {
  Start(kRules);
  std::string bad = std::string(kHeader) + TestCreditCode(1) + ",甲制药,医药化工,2025-06,很多\n";
  auto r = Http("POST", daemon_->url("/api/v1/ingest?source=bad.csv"), bad,
                {"Authorization: Bearer i", "Content-Type: text/csv"});
  ASSERT_EQ(r.status, 422) << r.body;
  int64_t id = json::parse(r.body)["data"]["batch_id"];

  // Later, in the list and by id: the same errors the sender was told, every field kept.
  json list = Get("/api/v1/batches");
  ASSERT_GE(list.size(), 1u);
  EXPECT_EQ(list[0]["status"], "rejected");
  ASSERT_GE(list[0]["errors"].size(), 1u);
  json one = Get("/api/v1/batches/" + std::to_string(id));
  EXPECT_EQ(one["batch_id"], id);
  EXPECT_EQ(one["source"], "bad.csv");
  ASSERT_EQ(one["errors"].size(), 1u);
  json e = one["errors"][0];
  EXPECT_EQ(e["line"], 2);
  EXPECT_EQ(e["field"], "工业总产值(万元)");
  EXPECT_NE(e["message"].get<std::string>().find("很多"), std::string::npos) << e;
  EXPECT_EQ(one["errors"], json::parse(r.body)["data"]["errors"]);
  Get("/api/v1/batches/999", 404);
}

// The value of one sample of the exposition, or NaN.
double Sample(const std::string& exposition, const std::string& series) {
  size_t at = exposition.find("\n" + series + " ");
  if (at == std::string::npos) return std::nan("");
  return std::stod(exposition.substr(at + series.size() + 2));
}

TEST_F(AnswersApiTest, IndustryAndParkSeriesCarryTheMeasuresTheRulesAndMetricsUse) {
  Start(kRules);
  Ingest(ParkCsv());
  // 装备制造: 乙 200 -> 160 万元 a month, 丙 50 万元 new this year (not in the growth's caliber).
  json s =
      Get("/api/v1/series?industry=%E8%A3%85%E5%A4%87%E5%88%B6%E9%80%A0&from=2025-03&to=2025-06");
  EXPECT_EQ(s["scope"], "industry");
  EXPECT_EQ(s["industry"], "装备制造");
  EXPECT_EQ(s["unit"], "yuan");
  EXPECT_EQ(s["growth_prices"], "current");
  ASSERT_EQ(s["points"].size(), 4u) << s.dump();
  json june = s["points"][3];
  EXPECT_EQ(june["period"], "2025-06");
  EXPECT_EQ(june["name"], "2025年6月");
  EXPECT_DOUBLE_EQ(june["level"].get<double>(), 2100000.0);          // 160 + 50 万元, in yuan
  EXPECT_NEAR(june["yoy"].get<double>(), -0.20, 1e-9);               // 乙 alone: same enterprises
  EXPECT_DOUBLE_EQ(june["ytd_level"].get<double>(), 5 * 2100000.0);  // 1—2月, 3, 4, 5, 6月
  EXPECT_NEAR(june["ytd_yoy"].get<double>(), -0.20, 1e-9);
  // The park moved 300 -> 270: 装备制造 pulled it down 40/300, and made 4/3 of its change.
  EXPECT_NEAR(june["pull"].get<double>(), -40.0 / 300, 1e-9);
  EXPECT_NEAR(june["contribution"].get<double>(), 40.0 / 30, 1e-9);
  EXPECT_NEAR(june["ytd_pull"].get<double>(), -40.0 / 300, 1e-9);

  json park = Get("/api/v1/series?scope=park&to=2025-06");
  ASSERT_EQ(park["points"].size(), 13u);  // by default the thirteen periods up to `to`
  json last = park["points"].back();
  EXPECT_NEAR(last["yoy"].get<double>(), -0.10, 1e-9);
  EXPECT_TRUE(last["pull"].is_null());

  // The same numbers /metrics exports for the latest complete month.
  std::string metrics = Http("GET", daemon_->url("/metrics")).body;
  EXPECT_DOUBLE_EQ(Sample(metrics, "parkwatch_park_output_value_yoy_ratio{cadence=\"monthly\"}"),
                   last["yoy"].get<double>());
  EXPECT_DOUBLE_EQ(Sample(metrics,
                          "parkwatch_industry_output_value_pull_ratio{cadence=\"monthly\","
                          "industry=\"装备制造\"}"),
                   june["pull"].get<double>());

  // An enterprise's figures as stored, each with its measures.
  json e = Get("/api/v1/series?enterprise=" + TestCreditCode(1) + "&from=2025-06&to=2025-06");
  EXPECT_EQ(e["name"], "甲制药");
  ASSERT_EQ(e["points"].size(), 1u);
  EXPECT_DOUBLE_EQ(e["points"][0]["value"].get<double>(), 1100000.0);
  EXPECT_NEAR(e["points"][0]["yoy"].get<double>(), 0.10, 1e-9);

  Get("/api/v1/series?industry=x&scope=park", 400);
  Get("/api/v1/series?scope=park&from=2025-W03", 400);
  Get("/api/v1/series?industry=%E6%97%A0", 404);
}

}  // namespace
}  // namespace parkwatch
