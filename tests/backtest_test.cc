// Backtest over a real store: figures ingested through the one ingest path into SQLite in a
// temporary directory, two threshold sets replayed and compared.
#include "alerts/backtest.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "collectors/ingest.h"
#include "tests/support/daemon_process.h"
#include "tests/support/temp_dir.h"

namespace parkwatch {
namespace {

using std::chrono::month;
using std::chrono::year;
using ::testing::HasSubstr;
using testing::RunParkwatch;
using testing::TempDir;
using testing::TestCreditCode;
using testing::WriteFile;

// Current thresholds: a 10% drop.
constexpr char kLoose[] = R"(groups:
  - name: monthly
    cadence: monthly
    rules:
      - alert: OutputDrop
        scope: enterprise
        where: {key: true}
        measure: yoy(output_value)
        levels: {yellow: -0.10, red: -0.30}
)";

// Proposed thresholds: also warn (blue) at a 5% drop.
constexpr char kStrict[] = R"(groups:
  - name: monthly
    cadence: monthly
    rules:
      - alert: OutputDrop
        scope: enterprise
        where: {key: true}
        measure: yoy(output_value)
        levels: {blue: -0.05, yellow: -0.10, red: -0.30}
)";

class BacktestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<Diagnostic> d;
    config_file_ = WriteFile(dir_ / "parkwatch.yml", "storage:\n  path: pw.db\n");
    ASSERT_TRUE(LoadConfig(config_file_, &config_, &d)) << JoinDiagnostics(d);
    collector_.name = "test";
    store_ = Store::Open(config_.storage_path);
    // Enterprise 1 (key, 甲药业): 100 every month of 2023; in 2024 -7% in March and April,
    // level in May, -12% in June and from July on no figures. Enterprise 2 is not key.
    std::string csv = "统一社会信用代码,企业名称,行业,重点企业,报告期,工业总产值(万元)\n";
    auto row = [&](int e, const std::string& period, const std::string& value) {
      csv += TestCreditCode(e) + "," + (e == 1 ? "甲药业,医药化工,是," : "乙化工,医药化工,否,") +
             period + "," + value + "\n";
    };
    for (int e : {1, 2}) {
      row(e, "2023年1-2月", "200");
      for (int m = 3; m <= 12; ++m) row(e, "2023年" + std::to_string(m) + "月", "100");
      row(e, "2024年1-2月", "200");
      for (const auto& [m, v] :
           std::vector<std::pair<int, std::string>>{{3, "93"}, {4, "93"}, {5, "100"}, {6, "88"}})
        row(e, "2024年" + std::to_string(m) + "月", v);
    }
    BatchSummary s = IngestBody(csv, "text/csv", "test", collector_, config_, *store_);
    ASSERT_EQ(s.status, "committed") << JoinDiagnostics(s.errors);
  }

  BacktestResult Run(const char* rules_text) {
    std::vector<Diagnostic> d;
    RuleSet rules;
    EXPECT_TRUE(ParseRuleFile(rules_text, "rules.yml", &rules, &d)) << JoinDiagnostics(d);
    RuleData data;
    data.Load(*store_, config_, rules);
    return Backtest(rules, config_, data, year(2023) / month(1), year(2024) / month(12));
  }

  TempDir dir_;
  std::string config_file_;
  Config config_;
  CollectorConfig collector_;
  std::unique_ptr<Store> store_;
};

TEST_F(BacktestTest, TwoThresholdSetsGiveDifferentTotals) {
  BacktestResult loose = Run(kLoose);
  ASSERT_EQ(loose.rules.size(), 1u);
  const RuleBacktest& a = loose.rules[0];
  EXPECT_EQ(a.periods, 22);  // 2023 and 2024: 1—2月 and March..December, twice
  ASSERT_EQ(a.alerts(), 1);
  EXPECT_EQ(a.episodes[0].scope, "enterprise " + TestCreditCode(1) + " 甲药业");
  EXPECT_EQ(a.episodes[0].from, Period::Month(2024, 6));
  EXPECT_EQ(a.episodes[0].to, Period::Month(2024, 6));
  EXPECT_EQ(a.episodes[0].highest, Severity::kYellow);
  // July on has no figure: the alert is neither resolved nor counted as firing there.
  EXPECT_TRUE(a.episodes[0].ongoing);
  EXPECT_EQ(a.periods_firing, 1);
  EXPECT_EQ(a.alerts_by_level[static_cast<size_t>(Severity::kYellow)], 1);

  BacktestResult strict = Run(kStrict);
  const RuleBacktest& b = strict.rules[0];
  ASSERT_EQ(b.alerts(), 2);
  EXPECT_EQ(b.episodes[0].from, Period::Month(2024, 3));
  EXPECT_EQ(b.episodes[0].to, Period::Month(2024, 4));
  EXPECT_EQ(b.episodes[0].periods, 2);
  EXPECT_EQ(b.episodes[0].highest, Severity::kBlue);
  EXPECT_FALSE(b.episodes[0].ongoing);  // May is back at last year's level
  EXPECT_EQ(b.periods_firing, 3);
  EXPECT_EQ(b.alerts_by_level[static_cast<size_t>(Severity::kBlue)], 1);
  EXPECT_EQ(b.alerts_by_level[static_cast<size_t>(Severity::kYellow)], 1);
}

TEST_F(BacktestTest, PeriodsWithoutDataAreListedNotZero) {
  const RuleBacktest r = Run(kLoose).rules[0];
  // 2023 has no previous year in the store; July..December 2024 have no figures.
  ASSERT_EQ(r.no_data.size(), 2u);
  EXPECT_EQ(r.no_data[0].from, Period::JanFeb(2023));
  EXPECT_EQ(r.no_data[0].to, Period::Month(2023, 12));
  EXPECT_EQ(r.no_data[0].periods, 11);
  // A run says its reason for each period, in both languages.
  EXPECT_THAT(r.no_data[0].reason.zh, HasSubstr("没有上年同期的数据"));
  EXPECT_THAT(r.no_data[0].reason.en, HasSubstr("no figure for the same period a year before for"));
  EXPECT_EQ(r.no_data[1].from, Period::Month(2024, 7));
  EXPECT_EQ(r.no_data[1].to, Period::Month(2024, 12));
}

TEST_F(BacktestTest, CommandPrintsScopesTotalsAndComparison) {
  std::string loose = WriteFile(dir_ / "loose.yml", kLoose);
  std::string strict = WriteFile(dir_ / "strict.yml", kStrict);
  store_.reset();
  std::string out;
  ASSERT_EQ(RunParkwatch({"backtest", "--config.file=" + config_file_, "--rules=" + loose,
                          "--compare=" + strict, "--from=2024-01", "--to=2024-12"},
                         &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr("Backtest 2024-01 .. 2024-12 of " + loose));
  EXPECT_THAT(out, ::testing::ContainsRegex("2024-03 \\.\\. 2024-04 +2 periods +highest blue +"
                                            "enterprise " +
                                            TestCreditCode(1)));
  EXPECT_THAT(out, HasSubstr("(still firing at the end)"));
  EXPECT_THAT(out, HasSubstr("no data 2024-07 .. 2024-12 (6 periods): "));
  EXPECT_THAT(out, HasSubstr("Comparison: A = " + loose + ", B = " + strict));
  EXPECT_THAT(out, ::testing::ContainsRegex("OutputDrop +1 +2 +1 +3  yellow 1 +yellow 1, blue 1"));

  ASSERT_EQ(RunParkwatch({"backtest", "--config.file=" + config_file_, "--rules=" + loose,
                          "--from=2024-01", "--to=2024-12", "--format=json"},
                         &out),
            0)
      << out;
  auto json = nlohmann::json::parse(out);
  EXPECT_EQ(json["from"], "2024-01");
  const auto& rule = json["rule_sets"][0]["rules"][0];
  EXPECT_EQ(rule["alerts"], 1);
  EXPECT_EQ(rule["episodes"][0]["from"], "2024-06");
  EXPECT_EQ(rule["episodes"][0]["highest"], "yellow");
  EXPECT_EQ(rule["no_data"][0]["periods"], 6);
  EXPECT_THAT(rule["no_data"][0]["reason_zh"].get<std::string>(), HasSubstr("没有数据"));
}

TEST_F(BacktestTest, TheDiffNamesEveryAlertAThresholdChangeAddsOrChangesByPeriod) {
  // The strict set's blue level alerts enterprise 1 in March–April; its June alert is the same
  // in both. A tuning entry (the console's file format) makes the same change as kStrict.
  std::string loose = WriteFile(dir_ / "loose.yml", kLoose);
  std::string tuning = WriteFile(dir_ / "console-tuning.yml",
                                 "tuning:\n  - {rule: OutputDrop, levels: {blue: -0.05}}\n");
  store_.reset();
  std::string out;
  ASSERT_EQ(RunParkwatch({"backtest", "--config.file=" + config_file_, "--rules=" + loose,
                          "--compare=" + loose + "," + tuning, "--from=2024-01", "--to=2024-12",
                          "--format=json"},
                         &out),
            0)
      << out;
  auto json = nlohmann::json::parse(out);
  ASSERT_EQ(json["diff"].size(), 1u) << out;
  const auto& diff = json["diff"][0];
  EXPECT_EQ(diff["rule"], "OutputDrop");
  EXPECT_EQ(diff["added"], 1);
  EXPECT_EQ(diff["removed"], 0);
  EXPECT_EQ(diff["changed"], 0);
  ASSERT_EQ(diff["changes"].size(), 1u);
  EXPECT_EQ(diff["changes"][0]["change"], "added");
  EXPECT_EQ(diff["changes"][0]["labels"]["enterprise"], TestCreditCode(1));
  EXPECT_EQ(diff["changes"][0]["after"]["from"], "2024-03");
  EXPECT_EQ(diff["changes"][0]["after"]["to"], "2024-04");
  EXPECT_EQ(diff["changes"][0]["before"], nullptr);
  // Alerts firing per period (1—2月, March..December): the added one in March and April.
  ASSERT_EQ(diff["periods"].size(), 11u);
  EXPECT_EQ(diff["periods"][1], "2024-03");
  EXPECT_EQ(diff["firing_before"][1], 0);
  EXPECT_EQ(diff["firing_after"][1], 1);
  EXPECT_EQ(diff["firing_before"][4], 1);  // June: both
  EXPECT_EQ(diff["firing_after"][4], 1);
}

TEST(BacktestPeriods, WeeksBelongToTheMonthOfTheirThursday) {
  RuleGroup weekly;
  weekly.cadence = Cadence::kWeekly;
  // 2021-01-01 is a Friday: its week is 2020-W53 (Thursday 31 December), so January 2021
  // starts at W01 and ends at W04 (W05's Thursday is 4 February).
  auto weeks = BacktestPeriods(weekly, year(2021) / month(1), year(2021) / month(1));
  ASSERT_EQ(weeks.size(), 4u);
  EXPECT_EQ(weeks.front(), Period::Week(2021, 1));
  EXPECT_EQ(weeks.back(), Period::Week(2021, 4));
  weeks = BacktestPeriods(weekly, year(2020) / month(12), year(2020) / month(12));
  EXPECT_EQ(weeks.back(), Period::Week(2020, 53));

  RuleGroup monthly;
  monthly.cadence = Cadence::kMonthly;
  auto months = BacktestPeriods(monthly, year(2024) / month(2), year(2024) / month(4));
  ASSERT_EQ(months.size(), 3u);
  EXPECT_EQ(months[0], Period::JanFeb(2024));  // February is part of 1—2月
  monthly.combine_jan_feb = false;
  months = BacktestPeriods(monthly, year(2024) / month(2), year(2024) / month(4));
  EXPECT_EQ(months[0], Period::Month(2024, 2));
}

}  // namespace
}  // namespace parkwatch

namespace parkwatch {
namespace {

// A weekly period the group leaves out for the Spring Festival is reported as that, not as
// "no enterprise in the rule's scope".
TEST(BacktestFestivalTest, FestivalWeeksAreReportedAsSkippedForTheFestival) {
  RuleSet rules;
  std::vector<Diagnostic> d;
  ASSERT_TRUE(
      ParseRuleFile("groups:\n  - name: w\n    cadence: weekly\n"
                    "    spring_festival: exclude\n    rules:\n"
                    "      - alert: Drop\n        measure: yoy(output_value)\n"
                    "        levels: {red: -0.2}\n",
                    "w.yml", &rules, &d))
      << JoinDiagnostics(d);
  Config config;
  testing::TempDir dir;
  ASSERT_TRUE(ParseConfig("", dir / "pw.yml", &config, &d));
  RuleData data;
  data.Prepare(config, rules);
  EnterpriseRow row;
  row.credit_code = testing::TestCreditCode(1);
  EnterpriseIndex e = data.AddEnterprise(row);
  for (int w = 1; w <= 12; ++w) {
    data.PutFigure(e, "output_value", Period::Week(2023, w), 100);
    data.PutFigure(e, "output_value", Period::Week(2024, w), 100);
  }
  BacktestResult r =
      Backtest(rules, config, data, std::chrono::year(2024) / 2, std::chrono::year(2024) / 2);
  ASSERT_EQ(r.rules.size(), 1u);
  ASSERT_FALSE(r.rules[0].no_data.empty());
  // Festival 2024-02-10: W05–W08 are its season.
  EXPECT_THAT(r.rules[0].no_data[0].reason.en, ::testing::HasSubstr("Spring Festival season"));
  EXPECT_THAT(r.rules[0].no_data[0].reason.zh, ::testing::HasSubstr("春节期间"));
  EXPECT_EQ(r.rules[0].no_data[0].from, Period::Week(2024, 5));
}

}  // namespace
}  // namespace parkwatch
