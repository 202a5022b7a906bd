// Figure gauges and the OpenMetrics export over a small park whose numbers are worked by hand:
// four enterprises in two industries, March 2024 and March 2025, and an April 2025 that only
// some have reported.
#include "metrics/figure_metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "alerts/alert_store.h"
#include "collectors/ingest.h"
#include "metrics/metrics.h"
#include "metrics/openmetrics_export.h"
#include "metrics/park_figures.h"
#include "tests/support/temp_dir.h"

namespace parkwatch {
namespace {

using testing::TempDir;
using testing::TestCreditCode;

const char* kHeader = "统一社会信用代码,企业名称,行业,重点企业,报告期,工业总产值(万元)\n";

bool HasLine(const std::string& text, const std::string& line) {
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    if (l == line) return true;
  return false;
}

// The value of the line "series value[ timestamp]" whose series and timestamp match, or NAN.
double Sample(const std::string& text, const std::string& series, const std::string& ts = "") {
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    if (l.rfind(series + " ", 0) != 0) continue;
    std::istringstream fields(l.substr(series.size() + 1));
    std::string value, stamp;
    fields >> value >> stamp;
    if (stamp == ts) return std::stod(value);
  }
  return NAN;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class FigureMetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_.industries = {"甲业", "乙业"};
    config_.indicators = DefaultIndicators();
    store_ = Store::Open(dir_ / "pw.db");
  }

  // One row per enterprise n (1..4, industries 甲 甲 乙 乙, enterprise 1 key) for period.
  void Ingest(const std::string& period, const std::map<int, double>& output_wan) {
    std::string csv = kHeader;
    for (const auto& [n, value] : output_wan)
      csv += TestCreditCode(n) + ",企业" + std::to_string(n) + "," + (n <= 2 ? "甲业" : "乙业") +
             "," + (n == 1 ? "是" : "否") + "," + period + "," + std::to_string(value) + "\n";
    CollectorConfig collector;
    collector.name = "test";
    BatchSummary s = IngestBody(csv, "text/csv", period, collector, config_, *store_);
    ASSERT_EQ(s.status, "committed") << period << ": " << JoinDiagnostics(s.errors);
  }

  void History() {
    Ingest("2024-03", {{1, 100}, {2, 100}, {3, 200}, {4, 100}});
    Ingest("2025-03", {{1, 110}, {2, 90}, {3, 260}, {4, 100}});
    Ingest("2025-04", {{1, 120}});  // one early reporter: April is not complete yet
  }

  TempDir dir_;
  Config config_;
  std::unique_ptr<Store> store_;
  Metrics metrics_;
  FigureMetrics figures_{metrics_.registry()};
};

std::string Enterprise(int n, const std::string& industry, bool key) {
  return "credit_code=\"" + TestCreditCode(n) + "\",industry=\"" + industry + "\",key=\"" +
         (key ? "true" : "false") + "\",name=\"企业" + std::to_string(n) + "\"";
}

TEST_F(FigureMetricsTest, LatestCompletePeriodWithLevelsGrowthAndPulls) {
  History();
  figures_.Refresh(*store_, config_);
  std::string text = metrics_.Serialize();
  // The park: 560 against 500 (万元), same enterprises.
  EXPECT_TRUE(HasLine(text,
                      "parkwatch_park_output_value_yuan{cadence=\"monthly\",period=\"2025-03\"} "
                      "5600000"))
      << text;
  EXPECT_NEAR(
      Sample(text, "parkwatch_park_output_value_yoy_ratio{cadence=\"monthly\",period=\"2025-03\"}"),
      0.12, 1e-12);
  // Pulls of a partition sum to the park's growth: 乙 +60 of 500, 甲 ±0.
  EXPECT_TRUE(HasLine(text,
                      "parkwatch_industry_output_value_pull_ratio{cadence=\"monthly\",industry="
                      "\"乙业\",period=\"2025-03\"} 0.12"))
      << text;
  EXPECT_TRUE(HasLine(text,
                      "parkwatch_industry_output_value_pull_ratio{cadence=\"monthly\",industry="
                      "\"甲业\",period=\"2025-03\"} 0"));
  EXPECT_TRUE(HasLine(text, "parkwatch_enterprise_output_value_pull_ratio{cadence=\"monthly\"," +
                                Enterprise(2, "甲业", false) + ",period=\"2025-03\"} -0.02"))
      << text;
  EXPECT_TRUE(HasLine(text, "parkwatch_enterprise_output_value_yoy_ratio{cadence=\"monthly\"," +
                                Enterprise(3, "乙业", false) + ",period=\"2025-03\"} 0.3"));
  // April has one reporter of four, so nothing is exported for it yet.
  EXPECT_FALSE(Contains(text, "2025-04")) << text;
  // No weekly figures: no weekly series, and no YTD without Jan–Feb.
  EXPECT_FALSE(Contains(text, "cadence=\"weekly\""));
  EXPECT_FALSE(Contains(text, "parkwatch_park_output_value_ytd_ratio{"));
  // Everyone reported the latest complete month.
  EXPECT_TRUE(HasLine(text, "parkwatch_enterprise_last_report_period_age{cadence=\"monthly\"," +
                                Enterprise(4, "乙业", false) + "} 0"));
  // End of March 2025 at midnight in Shanghai, for enterprise 4.
  EXPECT_TRUE(
      HasLine(text, "parkwatch_enterprise_last_report_timestamp_seconds{cadence=\"monthly\"," +
                        Enterprise(4, "乙业", false) + "} 1743436800"))
      << text;
}

TEST_F(FigureMetricsTest, ANewCompletePeriodReplacesTheOldSeries) {
  History();
  figures_.Refresh(*store_, config_);
  Ingest("2025-04", {{2, 95}, {3, 250}});  // three of four have now reported April
  figures_.Refresh(*store_, config_);
  std::string text = metrics_.Serialize();
  EXPECT_FALSE(Contains(text, "period=\"2025-03\"")) << text;
  EXPECT_TRUE(HasLine(text,
                      "parkwatch_park_output_value_yuan{cadence=\"monthly\",period=\"2025-04\"} "
                      "4650000"))
      << text;
  // No April 2024 to compare with: no growth series rather than a made-up one.
  EXPECT_FALSE(Contains(text, "parkwatch_park_output_value_yoy_ratio{"));
  // Enterprise 4 is one month behind: the "who has not reported" query.
  EXPECT_TRUE(HasLine(text, "parkwatch_enterprise_last_report_period_age{cadence=\"monthly\"," +
                                Enterprise(4, "乙业", false) + "} 1"))
      << text;
  EXPECT_TRUE(HasLine(text, "parkwatch_enterprise_last_report_period_age{cadence=\"monthly\"," +
                                Enterprise(1, "甲业", true) + "} 0"));
}

TEST_F(FigureMetricsTest, TargetsComeFromTheRuleFiles) {
  testing::WriteFile(dir_ / "rules.yml",
                     "targets:\n  value_added_growth:\n    park: 0.08\n    industry:甲业: 0.06\n");
  config_.rule_files = {dir_ / "rules.yml"};
  History();
  figures_.Refresh(*store_, config_);
  std::string text = metrics_.Serialize();
  EXPECT_TRUE(
      HasLine(text, "parkwatch_park_growth_target_ratio{target=\"value_added_growth\"} 0.08"))
      << text;
  EXPECT_TRUE(HasLine(text,
                      "parkwatch_industry_growth_target_ratio{industry=\"甲业\",target=\"value_"
                      "added_growth\"} 0.06"));
}

TEST_F(FigureMetricsTest, AlertSeriesFollowTheActiveAlerts) {
  AlertStore alerts(store_.get());
  Observation obs;
  obs.period = Period::Month(2025, 3);
  obs.value = -0.4;
  obs.breach = Severity::kRed;
  alerts.Apply("KeyEnterpriseOutputDrop",
               {{"scope", "enterprise"}, {"enterprise", TestCreditCode(1)}, {"industry", "甲业"}},
               obs, Timing{}, 1000);
  figures_.RefreshAlerts(alerts);
  std::string text = metrics_.Serialize();
  EXPECT_TRUE(HasLine(text,
                      "parkwatch_alerts{alertname=\"KeyEnterpriseOutputDrop\",alertstate="
                      "\"firing\",enterprise=\"" +
                          TestCreditCode(1) +
                          "\",industry=\"甲业\",scope=\"enterprise\",severity=\"red\"} 1"))
      << text;
  figures_.RefreshAlerts(std::vector<AlertRow>{});
  EXPECT_FALSE(Contains(metrics_.Serialize(), "parkwatch_alerts{"));
}

TEST_F(FigureMetricsTest, OpenMetricsExportHasEveryPeriodWithItsEndAsTimestamp) {
  History();
  std::ostringstream out;
  OpenMetricsExportOptions options;
  options.now = 2'000'000'000;
  OpenMetricsExportStats stats = WriteOpenMetrics(*store_, config_, options, out);
  std::string text = out.str();
  EXPECT_GT(stats.samples, 0);
  ASSERT_GE(text.size(), 6u);
  EXPECT_EQ(text.substr(text.size() - 6), "# EOF\n");
  EXPECT_TRUE(Contains(text, "# TYPE parkwatch_park_output_value_yuan gauge\n"));
  // 2024-03 ends at 2024-04-01T00:00+08:00; the history has no period label.
  EXPECT_EQ(Sample(text, "parkwatch_park_output_value_yuan{cadence=\"monthly\"}", "1711900800"),
            5000000)
      << text;
  EXPECT_NEAR(Sample(text, "parkwatch_park_output_value_yoy_ratio{cadence=\"monthly\"}",
                     std::to_string(PeriodEndUnixSeconds(Period::Month(2025, 3)))),
              0.12, 1e-12);
  // Every period that has ended is history, complete or not (April: enterprise 1 alone).
  EXPECT_TRUE(HasLine(text, "parkwatch_enterprise_output_value_yuan{cadence=\"monthly\"," +
                                Enterprise(1, "甲业", true) + "} 1200000 " +
                                std::to_string(PeriodEndUnixSeconds(Period::Month(2025, 4)))));

  // --from drops earlier periods; a period not ended by `now` is left out.
  std::ostringstream later;
  options.from = Period::Month(2025, 1);
  options.now = PeriodEndUnixSeconds(Period::Month(2025, 3));
  WriteOpenMetrics(*store_, config_, options, later);
  EXPECT_FALSE(Contains(later.str(), " 1711900800\n"));
  EXPECT_FALSE(Contains(later.str(), std::to_string(PeriodEndUnixSeconds(Period::Month(2025, 4)))));
  EXPECT_TRUE(Contains(later.str(), std::to_string(options.now)));
}

TEST(PeriodEnd, IsMidnightAfterTheLastDayInShanghai) {
  EXPECT_EQ(PeriodEndUnixSeconds(Period::Month(2024, 3)), 1711900800);  // 2024-03-31T16:00Z
  // ISO week 2024-W01 is Mon 1 Jan .. Sun 7 Jan 2024.
  EXPECT_EQ(PeriodEndUnixSeconds(Period::Week(2024, 1)), 1704672000 - 8 * 3600);
  EXPECT_EQ(PeriodEndUnixSeconds(Period::JanFeb(2024)),
            PeriodEndUnixSeconds(Period::Month(2024, 2)));
}

}  // namespace
}  // namespace parkwatch
