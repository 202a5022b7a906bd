// Figure gauges and the OpenMetrics export over a small park whose numbers are worked by hand:
// four enterprises in two industries, March 2024 and March 2025, and an April 2025 that only
// some have reported. Per-enterprise series are identified by `enterprise` alone; the name,
// industry and key flag are on one parkwatch_enterprise_info series per enterprise.
#include "metrics/figure_metrics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <regex>
#include <set>
#include <sstream>

#include "alerts/alert_store.h"
#include "alerts/engine.h"
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

  // One row per enterprise n (1..4, industries 甲 甲 乙 乙, enterprise 1 key) for period;
  // `prefix` goes before each name ("企业1"), to rename.
  BatchSummary Ingest(const std::string& period, const std::map<int, double>& output_wan,
                      const std::string& prefix = "") {
    std::string csv = kHeader;
    for (const auto& [n, value] : output_wan)
      csv += TestCreditCode(n) + "," + prefix + "企业" + std::to_string(n) + "," +
             (n <= 2 ? "甲业" : "乙业") + "," + (n == 1 ? "是" : "否") + "," + period + "," +
             std::to_string(value) + "\n";
    CollectorConfig collector;
    collector.name = "test";
    BatchSummary s = IngestBody(csv, "text/csv", period, collector, config_, *store_);
    EXPECT_EQ(s.status, "committed") << period << ": " << JoinDiagnostics(s.errors);
    return s;
  }

  // What the export and the tests use: the figures as the store has them now.
  void Refresh() { figures_.Refresh(ParkFigures(*store_, config_)); }

  void History() {
    Ingest("2024-03", {{1, 100}, {2, 100}, {3, 200}, {4, 100}});
    Ingest("2025-03", {{1, 110}, {2, 90}, {3, 260}, {4, 100}});
    Ingest("2025-04", {{1, 120}});  // one early reporter: April is not complete yet
  }

  TempDir dir_;
  Config config_;
  std::unique_ptr<Store> store_;
  Metrics metrics_;
  FigureMetrics figures_{metrics_};
};

// The identifying label of enterprise n, as a per-enterprise series carries it.
std::string Enterprise(int n) { return "enterprise=\"" + TestCreditCode(n) + "\""; }

// Enterprise n's info series line.
std::string Info(int n, const std::string& industry, bool key, const std::string& name = "") {
  return "parkwatch_enterprise_info{" + Enterprise(n) + ",industry=\"" + industry + "\",key=\"" +
         (key ? "true" : "false") + "\",name=\"" +
         (name.empty() ? "企业" + std::to_string(n) : name) + "\"} 1";
}

// Every sample line of the per-enterprise families other than the info series.
std::vector<std::string> EnterpriseSeries(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    if (l.rfind("parkwatch_enterprise_", 0) == 0 && l.rfind("parkwatch_enterprise_info", 0) != 0)
      out.push_back(l);
  return out;
}

int CountPrefix(const std::string& text, const std::string& prefix) {
  int n = 0;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) n += l.rfind(prefix, 0) == 0;
  return n;
}

TEST_F(FigureMetricsTest, LatestCompletePeriodWithLevelsGrowthAndPulls) {
  History();
  Refresh();
  std::string text = metrics_.Serialize();
  // The park: 560 against 500 (万元), same enterprises.
  EXPECT_TRUE(HasLine(text,
                      "parkwatch_park_output_value_yuan{cadence=\"monthly\"} "
                      "5600000"))
      << text;
  EXPECT_NEAR(Sample(text, "parkwatch_park_output_value_yoy_ratio{cadence=\"monthly\"}"), 0.12,
              1e-12);
  // Pulls of a partition sum to the park's growth: 乙 +60 of 500, 甲 ±0.
  EXPECT_TRUE(HasLine(text,
                      "parkwatch_industry_output_value_pull_ratio{cadence=\"monthly\",industry="
                      "\"乙业\"} 0.12"))
      << text;
  EXPECT_TRUE(HasLine(text,
                      "parkwatch_industry_output_value_pull_ratio{cadence=\"monthly\",industry="
                      "\"甲业\"} 0"));
  EXPECT_TRUE(HasLine(text, "parkwatch_enterprise_output_value_pull_ratio{cadence=\"monthly\"," +
                                Enterprise(2) + "} -0.02"))
      << text;
  EXPECT_TRUE(HasLine(text, "parkwatch_enterprise_output_value_yoy_ratio{cadence=\"monthly\"," +
                                Enterprise(3) + "} 0.3"));
  // Which month the figures are of is one series per cadence, not a label of every figure.
  EXPECT_TRUE(
      HasLine(text, "parkwatch_figures_period_info{cadence=\"monthly\",period=\"2025-03\"} 1"))
      << text;
  EXPECT_TRUE(HasLine(
      text, "parkwatch_figures_period_end_timestamp_seconds{cadence=\"monthly\"} 1743436800"));
  EXPECT_EQ(CountPrefix(text, "parkwatch_figures_period_info{"), 1);
  EXPECT_EQ(CountPrefix(text, "parkwatch_figures_period_end_timestamp_seconds{"), 1);
  // April has one reporter of four, so nothing is exported for it yet.
  EXPECT_FALSE(Contains(text, "2025-04")) << text;
  // No weekly figures: no weekly series, and no YTD without Jan–Feb.
  EXPECT_FALSE(Contains(text, "cadence=\"weekly\""));
  EXPECT_FALSE(Contains(text, "parkwatch_park_output_value_ytd_ratio{"));
  // Everyone reported the latest complete month.
  EXPECT_TRUE(HasLine(text, "parkwatch_enterprise_last_report_period_age{cadence=\"monthly\"," +
                                Enterprise(4) + "} 0"));
  // End of March 2025 at midnight in Shanghai, for enterprise 4.
  EXPECT_TRUE(
      HasLine(text, "parkwatch_enterprise_last_report_timestamp_seconds{cadence=\"monthly\"," +
                        Enterprise(4) + "} 1743436800"))
      << text;
}

TEST_F(FigureMetricsTest, NameIndustryAndKeyAreOnOneInfoSeriesPerEnterprise) {
  History();
  Refresh();
  std::string text = metrics_.Serialize();
  EXPECT_TRUE(HasLine(text, Info(1, "甲业", true))) << text;
  EXPECT_TRUE(HasLine(text, Info(2, "甲业", false)));
  EXPECT_TRUE(HasLine(text, Info(3, "乙业", false)));
  EXPECT_TRUE(HasLine(text, Info(4, "乙业", false)));
  EXPECT_EQ(CountPrefix(text, "parkwatch_enterprise_info{"), 4);
  // Every other per-enterprise series is identified by enterprise and cadence alone: no period,
  // which would give every series a new identity when a period completes.
  std::vector<std::string> series = EnterpriseSeries(text);
  // Four enterprises × output level, YoY and pull, last report time and age.
  EXPECT_EQ(series.size(), 20u);
  static const std::regex kShape(
      R"(parkwatch_enterprise_\w+\{cadence="monthly",enterprise="\w+"\} .*)");
  for (const auto& line : series) EXPECT_TRUE(std::regex_match(line, kShape)) << line;
}

TEST_F(FigureMetricsTest, ARenameReplacesOnlyTheInfoSeries) {
  History();
  Refresh();
  std::vector<std::string> before = EnterpriseSeries(metrics_.Serialize());
  // Enterprise 1 re-sends March under a new name: same figures, new register entry.
  Ingest("2025-03", {{1, 110}}, "新");
  Refresh();
  std::string text = metrics_.Serialize();
  EXPECT_TRUE(HasLine(text, Info(1, "甲业", true, "新企业1"))) << text;
  EXPECT_FALSE(HasLine(text, Info(1, "甲业", true)));
  EXPECT_EQ(CountPrefix(text, "parkwatch_enterprise_info{"), 4);
  EXPECT_EQ(EnterpriseSeries(text), before);
}

TEST_F(FigureMetricsTest, TheEnginesDataGivesTheSeriesTheStoreGives) {
  // The daemon refreshes from its alert engine's rule data, which follows each batch; the
  // export reads the store. Both must give the same series.
  AlertEngine engine(store_.get(), FigureTables(), FigurePriceIndices());
  engine.SetRules(std::make_shared<RuleSet>(), std::make_shared<Config>(config_), 1000);
  // The last three batches touch one enterprise each: the data follows them incrementally.
  for (const BatchSummary& batch :
       {Ingest("2024-03", {{1, 100}, {2, 100}, {3, 200}, {4, 100}}),
        Ingest("2025-03", {{1, 110}, {2, 90}, {3, 260}, {4, 100}}), Ingest("2025-04", {{1, 120}}),
        Ingest("2025-04", {{2, 95}}), Ingest("2025-04", {{3, 250}})})
    engine.OnBatch(batch, 1000);
  figures_.Refresh(ParkFigures(engine.data(), config_));
  std::string from_engine = metrics_.Serialize();
  Metrics other;
  FigureMetrics from_store(other);
  from_store.Refresh(ParkFigures(*store_, config_));
  EXPECT_EQ(from_engine, other.Serialize());
  EXPECT_TRUE(HasLine(from_engine,
                      "parkwatch_park_output_value_yuan{cadence=\"monthly\"} "
                      "4650000"))
      << from_engine;
}

TEST_F(FigureMetricsTest, TheFigureFamiliesAreThereFromTheStartAndGoWithTheirOwner) {
  History();
  Metrics metrics;
  {
    FigureMetrics figures(metrics);
    // HELP and TYPE before the first refresh, so a scrape at start knows every family.
    std::string empty = metrics.Serialize();
    EXPECT_TRUE(Contains(empty, "# TYPE parkwatch_enterprise_info gauge\n")) << empty;
    EXPECT_TRUE(Contains(empty, "# TYPE parkwatch_enterprise_output_value_yuan gauge\n"));
    EXPECT_FALSE(Contains(empty, "parkwatch_enterprise_info{"));
    figures.Refresh(ParkFigures(*store_, config_));
    EXPECT_EQ(CountPrefix(metrics.Serialize(), "parkwatch_enterprise_info{"), 4);
  }
  EXPECT_FALSE(Contains(metrics.Serialize(), "parkwatch_enterprise_info"));
}

TEST_F(FigureMetricsTest, ARefreshWithNothingNewChangesNothing) {
  History();
  Refresh();
  std::string once = metrics_.Serialize();
  Refresh();
  EXPECT_EQ(metrics_.Serialize(), once);
}

TEST_F(FigureMetricsTest, ANewCompletePeriodReplacesTheOldSeries) {
  History();
  Refresh();
  // The label sets of every figure series, which must survive a new period.
  auto identities = [](const std::string& text) {
    std::set<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
      if (l.rfind("parkwatch_", 0) == 0 && l.rfind("parkwatch_figures_period_", 0) != 0)
        out.insert(l.substr(0, l.rfind(' ')));
    return out;
  };
  std::set<std::string> before = identities(metrics_.Serialize());
  Ingest("2025-04", {{2, 95}, {3, 250}});  // three of four have now reported April
  Refresh();
  std::string text = metrics_.Serialize();
  // The period moves on the one period info series of the cadence...
  EXPECT_FALSE(Contains(text, "period=\"2025-03\"")) << text;
  EXPECT_TRUE(
      HasLine(text, "parkwatch_figures_period_info{cadence=\"monthly\",period=\"2025-04\"} 1"));
  EXPECT_TRUE(HasLine(text, "parkwatch_figures_period_end_timestamp_seconds{cadence=\"monthly\"} " +
                                std::to_string(PeriodEndUnixSeconds(Period::Month(2025, 4)))));
  // ...and every figure series that has a value in April is the series it was in March (no
  // churn); only the YoY and its pull are gone, for want of an April 2024.
  std::set<std::string> after = identities(text);
  for (const auto& series : after) EXPECT_TRUE(before.count(series)) << series;
  EXPECT_TRUE(after.count("parkwatch_park_output_value_yuan{cadence=\"monthly\"}"));
  EXPECT_TRUE(HasLine(text,
                      "parkwatch_park_output_value_yuan{cadence=\"monthly\"} "
                      "4650000"))
      << text;
  // No April 2024 to compare with: no growth series rather than a made-up one.
  EXPECT_FALSE(Contains(text, "parkwatch_park_output_value_yoy_ratio{"));
  // Enterprise 4 is one month behind: the "who has not reported" query.
  EXPECT_TRUE(HasLine(text, "parkwatch_enterprise_last_report_period_age{cadence=\"monthly\"," +
                                Enterprise(4) + "} 1"))
      << text;
  EXPECT_TRUE(HasLine(text, "parkwatch_enterprise_last_report_period_age{cadence=\"monthly\"," +
                                Enterprise(1) + "} 0"));
}

TEST_F(FigureMetricsTest, TargetsComeFromTheRuleSet) {
  testing::WriteFile(dir_ / "rules.yml",
                     "targets:\n  value_added_growth:\n    park: 0.08\n    industry:甲业: 0.06\n");
  RuleSet rules;
  std::vector<Diagnostic> diagnostics;
  ASSERT_TRUE(LoadRuleFiles({dir_ / "rules.yml"}, &rules, &diagnostics))
      << JoinDiagnostics(diagnostics);
  figures_.SetTargets(rules);
  std::string text = metrics_.Serialize();
  EXPECT_TRUE(
      HasLine(text, "parkwatch_park_growth_target_ratio{target=\"value_added_growth\"} 0.08"))
      << text;
  EXPECT_TRUE(HasLine(text,
                      "parkwatch_industry_growth_target_ratio{industry=\"甲业\",target=\"value_"
                      "added_growth\"} 0.06"));
  // A reload without targets removes them; a figure refresh leaves them alone.
  History();
  Refresh();
  EXPECT_TRUE(Contains(metrics_.Serialize(), "parkwatch_park_growth_target_ratio{"));
  figures_.SetTargets(RuleSet{});
  EXPECT_FALSE(Contains(metrics_.Serialize(), "_growth_target_ratio{"));
}

TEST_F(FigureMetricsTest, AlertSeriesFollowTheActiveAlerts) {
  History();
  Refresh();
  AlertStore alerts(store_.get());
  Observation obs;
  obs.period = Period::Month(2025, 3);
  obs.value = -0.4;
  obs.breach = Severity::kRed;
  // As the evaluator identifies an enterprise's alert: scope and credit code only. The series
  // gets the industry from the register, so a dashboard's industry filter finds it.
  alerts.Apply("KeyEnterpriseOutputDrop",
               {{"scope", "enterprise"}, {"enterprise", TestCreditCode(1)}}, obs, Timing{}, 1000);
  figures_.RefreshAlerts(*store_);
  std::string text = metrics_.Serialize();
  EXPECT_TRUE(HasLine(text,
                      "parkwatch_alerts{alertname=\"KeyEnterpriseOutputDrop\",alertstate="
                      "\"firing\",enterprise=\"" +
                          TestCreditCode(1) +
                          "\",industry=\"甲业\",scope=\"enterprise\",severity=\"red\"} 1"))
      << text;
  // Its value, for the dashboards' alert table, under the same labels.
  EXPECT_TRUE(HasLine(text,
                      "parkwatch_alert_value{alertname=\"KeyEnterpriseOutputDrop\",alertstate="
                      "\"firing\",enterprise=\"" +
                          TestCreditCode(1) +
                          "\",industry=\"甲业\",scope=\"enterprise\",severity=\"red\"} -0.4"))
      << text;
  figures_.RefreshAlerts(std::vector<AlertRow>{});
  EXPECT_FALSE(Contains(metrics_.Serialize(), "parkwatch_alerts{"));
  EXPECT_FALSE(Contains(metrics_.Serialize(), "parkwatch_alert_value{"));
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
                                Enterprise(1) + "} 1200000 " +
                                std::to_string(PeriodEndUnixSeconds(Period::Month(2025, 4)))));
  // The info series has a sample at every period end, so joins work over the history too.
  for (Period p : {Period::Month(2024, 3), Period::Month(2025, 3), Period::Month(2025, 4)})
    EXPECT_TRUE(
        HasLine(text, Info(3, "乙业", false) + " " + std::to_string(PeriodEndUnixSeconds(p))))
        << text;
  EXPECT_EQ(CountPrefix(text, "parkwatch_enterprise_info{"), 4 * 3);
  for (const auto& line : EnterpriseSeries(text))
    EXPECT_FALSE(Contains(line, "name=") || Contains(line, "industry=")) << line;
  // Which period the figures at each period end are of, as the live series say it.
  for (Period p : {Period::Month(2024, 3), Period::Month(2025, 3), Period::Month(2025, 4)}) {
    std::string end = std::to_string(PeriodEndUnixSeconds(p));
    EXPECT_TRUE(HasLine(text, "parkwatch_figures_period_info{cadence=\"monthly\",period=\"" +
                                  p.ToString() + "\"} 1 " + end))
        << text;
    EXPECT_TRUE(HasLine(
        text,
        "parkwatch_figures_period_end_timestamp_seconds{cadence=\"monthly\"} " + end + " " + end));
  }
  // Figure series are identified as the live ones are: no period label.
  std::istringstream lines(text);
  for (std::string l; std::getline(lines, l);) {
    if (l.rfind("parkwatch_figures_period_info", 0) != 0) {
      EXPECT_FALSE(Contains(l, "period=")) << l;
    }
  }

  // --from drops earlier periods; a period not ended by `now` is left out.
  std::ostringstream later;
  options.from = Period::Month(2025, 1);
  options.now = PeriodEndUnixSeconds(Period::Month(2025, 3));
  WriteOpenMetrics(*store_, config_, options, later);
  EXPECT_FALSE(Contains(later.str(), " 1711900800\n"));
  EXPECT_FALSE(Contains(later.str(), std::to_string(PeriodEndUnixSeconds(Period::Month(2025, 4)))));
  EXPECT_TRUE(Contains(later.str(), std::to_string(options.now)));
}

TEST_F(FigureMetricsTest, OpenMetricsExportCarriesTheScrapesTargetLabels) {
  // The labels Prometheus attaches to the live series go on every backfilled series, so the two
  // are one series.
  History();
  SeriesLabels labels;
  std::string error;
  ASSERT_TRUE(ParseExportLabels("job=parkwatch,instance=parkwatch:9780", &labels, &error)) << error;
  std::ostringstream out;
  OpenMetricsExportOptions options;
  options.now = 2'000'000'000;
  options.labels = labels;
  WriteOpenMetrics(*store_, config_, options, out);
  std::string text = out.str();
  EXPECT_EQ(
      Sample(text,
             "parkwatch_park_output_value_yuan{cadence=\"monthly\",instance=\"parkwatch:9780\","
             "job=\"parkwatch\"}",
             "1711900800"),
      5000000)
      << text;
  std::istringstream lines(text);
  int samples = 0;
  for (std::string l; std::getline(lines, l);) {
    if (l.empty() || l[0] == '#') continue;
    ++samples;
    EXPECT_TRUE(Contains(l, "instance=\"parkwatch:9780\",") && Contains(l, "job=\"parkwatch\""))
        << l;
  }
  EXPECT_GT(samples, 0);

  // A malformed pair, a reserved name or one of the series' own labels is refused.
  for (const char* bad : {"job", "=x", "1a=x", "__name__=x", "a-b=x", "enterprise=x", "period=x"})
    EXPECT_FALSE(ParseExportLabels(bad, &labels, &error)) << bad;
  EXPECT_TRUE(ParseExportLabels("", &labels, &error));
  EXPECT_TRUE(labels.empty());
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

namespace parkwatch {
namespace {

// Sample lines (no comments) of a scrape, sorted: what two scrapes are compared by.
std::vector<std::string> Samples(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    if (!l.empty() && l[0] != '#') out.push_back(l);
  std::sort(out.begin(), out.end());
  return out;
}

// /metrics/park and /metrics/enterprises split /metrics: a deployment scraping both at their own
// intervals gets every series of /metrics exactly once.
TEST_F(FigureMetricsTest, TheParkAndEnterprisePartsSplitEverySeriesOnce) {
  History();
  Refresh();
  metrics_.SetBuildInfo("test", "");  // a health family
  std::string enterprises = metrics_.Serialize(MetricsPart::kEnterprises);
  std::string park = metrics_.Serialize(MetricsPart::kPark);
  EXPECT_GT(CountPrefix(enterprises, "parkwatch_enterprise_info{"), 0);
  EXPECT_EQ(CountPrefix(park, "parkwatch_enterprise_"), 0);
  EXPECT_EQ(CountPrefix(park, "# TYPE parkwatch_enterprise_"), 0);
  EXPECT_GT(CountPrefix(park, "parkwatch_park_output_value_yuan"), 0);
  EXPECT_GT(CountPrefix(park, "parkwatch_figures_period_info"), 0);
  EXPECT_GT(CountPrefix(park, "parkwatch_build_info"), 0);
  for (const std::string& line : Samples(enterprises))
    EXPECT_EQ(line.rfind("parkwatch_enterprise_", 0), 0u) << line;
  std::vector<std::string> both = Samples(enterprises + park);
  std::sort(both.begin(), both.end());
  EXPECT_EQ(both, Samples(metrics_.Serialize()));
  EXPECT_EQ(ParseMetricsPart("enterprises"), MetricsPart::kEnterprises);
  EXPECT_EQ(ParseMetricsPart("park"), MetricsPart::kPark);
  EXPECT_FALSE(ParseMetricsPart("everything"));
}

}  // namespace
}  // namespace parkwatch
