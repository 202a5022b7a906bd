// Real NBS data through the bureau's path: CSV ingest into a real store, a "below 0%" rule,
// backtest. The point is January and February: NBS publishes them only combined (1—2月), and a
// vendor's separate January and February growth rates must not be read as two months.
//
// Data: tests/testdata/real/cta_macro_monthly_features_core.csv (see its README), column
// ths_规模以上工业增加值_当月同比 (value added of above-size industry, YoY, real terms, %).
// Provenance: republished in the public repository Zhouua/CTA, path
// data/macro/macro_monthly_features_core.csv, commit adf08b09a30ddd363eb3e057e7abced8ca863b54;
// no licence stated. Columns prefixed ths_ are a data vendor's copy of NBS figures.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "alerts/backtest.h"
#include "collectors/ingest.h"
#include "core/credit_code.h"
#include "tests/support/daemon_process.h"
#include "tests/support/temp_dir.h"

namespace parkwatch {
namespace {

using std::chrono::month;
using std::chrono::year;
using ::testing::HasSubstr;
using testing::RunParkwatch;
using testing::TempDir;
using testing::WriteFile;

constexpr char kSource[] =
    PARKWATCH_SOURCE_DIR "/tests/testdata/real/cta_macro_monthly_features_core.csv";
constexpr char kColumn[] = "ths_规模以上工业增加值_当月同比";

struct Month {
  int year = 0, month = 0;
  std::optional<double> percent;  // blank cell: no figure
};

std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  for (std::string cell; std::getline(in, cell, ',');) out.push_back(cell);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

// The value-added growth column by month, as the file has it.
std::vector<Month> ReadSource() {
  std::ifstream in(kSource);
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header = SplitCsv(line);
  size_t column = std::find(header.begin(), header.end(), kColumn) - header.begin();
  EXPECT_LT(column, header.size()) << "no column " << kColumn << " in " << kSource;
  std::vector<Month> out;
  while (std::getline(in, line)) {
    std::vector<std::string> cells = SplitCsv(line);
    Month m;
    std::sscanf(cells[0].c_str(), "%d-%d", &m.year, &m.month);  // tdate 2024-03-01
    if (column < cells.size() && !cells[column].empty()) m.percent = std::stod(cells[column]);
    out.push_back(m);
  }
  return out;
}

// One valid synthetic credit code stands for the national series.
std::string NationalCode() {
  std::string first17 = "91110000000000001";
  return first17 + CreditCodeCheckChar(first17);
}

class RealDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    source_ = ReadSource();
    ASSERT_EQ(source_.size(), 75u);  // 2020-01 .. 2026-03
    // The bureau's CSV: period 2024年3月, growth in % under its Chinese header.
    std::string csv = "统一社会信用代码,企业名称,报告期,工业增加值增速(%)\n";
    for (const Month& m : source_)
      csv += NationalCode() + ",全国规模以上工业," + std::to_string(m.year) + "年" +
             std::to_string(m.month) + "月," +
             (m.percent ? std::to_string(*m.percent) : std::string()) + "\n";
    std::string file = WriteFile(dir_ / "nbs_value_added_growth.csv", csv);
    config_file_ = WriteFile(dir_ / "parkwatch.yml", "storage:\n  path: pw.db\n");
    std::vector<Diagnostic> d;
    ASSERT_TRUE(LoadConfig(config_file_, &config_, &d)) << JoinDiagnostics(d);
    const IndicatorConfig* indicator = config_.FindIndicator("value_added_growth");
    ASSERT_NE(indicator, nullptr);
    ASSERT_EQ(indicator->kind, IndicatorKind::kRate);
    CollectorConfig collector;
    collector.name = "nbs";
    auto store = Store::Open(config_.storage_path);
    BatchSummary s = IngestFile(file, collector, config_, *store);
    ASSERT_EQ(s.status, "committed") << JoinDiagnostics(s.errors);
    // The trap is in the store: the vendor's separate January and February, as months.
    auto e = store->FindEnterprise(NationalCode());
    ASSERT_TRUE(e);
    bool january = false;
    for (const SeriesPoint& p : store->Series(e->id, "value_added_growth", Cadence::kMonthly))
      if (p.period == Period::Month(2024, 1)) january = std::fabs(p.value - 0.263) < 1e-9;
    EXPECT_TRUE(january);
  }

  std::string Rules(bool combine) {
    return WriteFile(dir_ / (combine ? "below0.yml" : "below0_split.yml"),
                     std::string("groups:\n"
                                 "  - name: national\n"
                                 "    cadence: monthly\n") +
                         (combine ? "" : "    combine_jan_feb: false\n") +
                         "    rules:\n"
                         "      - alert: ValueAddedGrowthBelowZero\n"
                         "        scope: enterprise\n"
                         "        measure: value(value_added_growth)\n"
                         "        levels: {yellow: 0}\n");
  }

  BacktestResult Run(const std::string& rules_file) {
    std::vector<Diagnostic> d;
    RuleSet rules;
    EXPECT_TRUE(LoadRuleFiles({rules_file}, &rules, &d)) << JoinDiagnostics(d);
    auto store = Store::Open(config_.storage_path);
    RuleData data;
    data.Load(*store, config_, rules);
    return Backtest(rules, config_, data, year(2020) / month(1), year(2025) / month(12));
  }

  TempDir dir_;
  std::string config_file_;
  Config config_;
  std::vector<Month> source_;
};

TEST_F(RealDataTest, JanuaryAndFebruaryAreNotTwoMonths) {
  const RuleBacktest r = Run(Rules(true)).rules[0];
  EXPECT_EQ(r.periods, 6 * 11);  // 1—2月 and March..December of 2020..2025

  // Exactly the months March..December with negative growth fire, each on its own.
  std::set<Period> expected, fired;
  for (const Month& m : source_)
    if (m.month >= 3 && m.year <= 2025 && m.percent && *m.percent < 0)
      expected.insert(Period::Month(m.year, m.month));
  for (const BacktestEpisode& e : r.episodes) {
    EXPECT_EQ(e.from, e.to);
    fired.insert(e.from);
  }
  EXPECT_EQ(fired, expected);
  EXPECT_TRUE(fired.count(Period::Month(2020, 3)));   // -1.1
  EXPECT_FALSE(fired.count(Period::Month(2020, 4)));  // 3.9
  EXPECT_TRUE(fired.count(Period::Month(2022, 4)));   // -2.9
  EXPECT_EQ(r.periods_firing, static_cast<int>(expected.size()));

  // Every 1—2月 is no data, with NBS practice as the reason; 2024-02 (-12.7) fires nowhere.
  std::set<Period> no_data;
  for (const NoDataRun& n : r.no_data) {
    EXPECT_EQ(n.from, n.to);
    EXPECT_TRUE(n.from.is_jan_feb()) << n.from.ToString() << ": " << n.reason.en;
    EXPECT_THAT(n.reason.en, HasSubstr("NBS publishes only 1—2月"));
    EXPECT_THAT(n.reason.zh, HasSubstr("国家统计局只公布1—2月"));
    no_data.insert(n.from);
  }
  EXPECT_EQ(no_data.size(), 6u);
}

TEST_F(RealDataTest, BacktestCommandShowsWhatFiresAndWhatHasNoData) {
  std::string out;
  ASSERT_EQ(RunParkwatch({"backtest", "--config.file=" + config_file_, "--rules=" + Rules(true),
                          "--from=2020-01", "--to=2025-12"},
                         &out),
            0)
      << out;
  EXPECT_THAT(out, ::testing::ContainsRegex("\n  2020-03 +1 period +highest yellow +enterprise " +
                                            NationalCode()));
  EXPECT_THAT(out, ::testing::ContainsRegex("\n  2022-04 +1 period +highest yellow"));
  EXPECT_THAT(out, ::testing::Not(HasSubstr("\n  2020-04 ")));
  EXPECT_THAT(out, ::testing::Not(HasSubstr("\n  2024-02 ")));
  EXPECT_THAT(out, HasSubstr("no data 2024-01/02 (1 period): "));
  EXPECT_THAT(out, HasSubstr("separate January and February rates cannot be combined: NBS "
                             "publishes only 1—2月"));
  EXPECT_THAT(out, HasSubstr("total: 2 alerts, 2 periods firing; by highest level: yellow 2"));
}

TEST_F(RealDataTest, SplittingJanuaryAndFebruaryWouldFireOnTheVendorsFigures) {
  // What the trap looks like: with combine_jan_feb off, the vendor's 2024-02 (-12.7%) is a
  // month of its own and fires, though NBS reported +7.0% for 1—2月 2024.
  const RuleBacktest r = Run(Rules(false)).rules[0];
  auto fired = [&](Period p) {
    for (const BacktestEpisode& e : r.episodes)
      if (e.from <= p && p <= e.to) return true;
    return false;
  };
  EXPECT_TRUE(fired(Period::Month(2024, 2)));
  EXPECT_FALSE(fired(Period::Month(2024, 1)));  // +26.3, the other half of the vendor's split
}

}  // namespace
}  // namespace parkwatch
