#include "rules/figure_table.h"

#include <cmath>
#include <limits>
#include <utility>

#include <gtest/gtest.h>

namespace parkwatch {
namespace {

TEST(FigureTableTest, PutGetAndOverwrite) {
  FigureTable t(Cadence::kMonthly, IndicatorKind::kLevel);
  Period mar = Period::Month(2024, 3);
  EXPECT_TRUE(t.Put(0, mar, 100));
  EXPECT_TRUE(t.Put(5, mar, 0));  // zero is a figure, not "missing"
  EXPECT_EQ(t.Get(0, mar), 100);
  EXPECT_EQ(t.Get(5, mar), 0);
  EXPECT_EQ(t.Get(1, mar), std::nullopt);                     // hole below the highest index
  EXPECT_EQ(t.Get(6, mar), std::nullopt);                     // beyond the column
  EXPECT_EQ(t.Get(0, Period::Month(2024, 4)), std::nullopt);  // no such period
  EXPECT_EQ(t.size(), 2u);
  // A revision replaces the value and does not count twice.
  EXPECT_TRUE(t.Put(0, mar, 105));
  EXPECT_EQ(t.Get(0, mar), 105);
  EXPECT_EQ(t.size(), 2u);
}

TEST(FigureTableTest, RefusesBadInput) {
  FigureTable t(Cadence::kMonthly, IndicatorKind::kLevel);
  std::string error;
  EXPECT_FALSE(t.Put(-1, Period::Month(2024, 3), 1, &error));
  EXPECT_NE(error.find("negative"), std::string::npos);
  EXPECT_FALSE(t.Put(0, Period::Week(2024, 3), 1, &error));
  EXPECT_NE(error.find("not monthly"), std::string::npos) << error;
  EXPECT_FALSE(t.Put(0, Period(), 1, &error));
  EXPECT_FALSE(t.Put(0, Period::Month(2024, 3), std::numeric_limits<double>::quiet_NaN(), &error));
  EXPECT_FALSE(t.Put(0, Period::Month(2024, 3), INFINITY, &error));
  EXPECT_EQ(t.size(), 0u);
  // Reading a period of the other cadence finds nothing rather than a wrong cell.
  EXPECT_EQ(t.Get(0, Period::Week(2024, 3)), std::nullopt);
}

TEST(FigureTableTest, JanFebIsItsOwnCell) {
  FigureTable t(Cadence::kMonthly, IndicatorKind::kLevel);
  ASSERT_TRUE(t.Put(0, Period::JanFeb(2024), 150));
  ASSERT_TRUE(t.Put(0, Period::Month(2024, 1), 70));
  EXPECT_EQ(t.Get(0, Period::JanFeb(2024)), 150);
  EXPECT_EQ(t.Get(0, Period::Month(2024, 1)), 70);
  EXPECT_EQ(t.Get(0, Period::Month(2024, 2)), std::nullopt);
  // Periods come back in key order: 2024-01 < 2024-01/02 < 2024-02.
  std::vector<Period> periods = t.Periods();
  ASSERT_EQ(periods.size(), 2u);
  EXPECT_EQ(periods[0], Period::Month(2024, 1));
  EXPECT_EQ(periods[1], Period::JanFeb(2024));
}

TEST(FigureTableTest, IterationAtAPeriod) {
  FigureTable t(Cadence::kWeekly, IndicatorKind::kLevel);
  Period w = Period::Week(2024, 5);
  ASSERT_TRUE(t.Put(7, w, 7.5));
  ASSERT_TRUE(t.Put(2, w, 2.5));
  ASSERT_TRUE(t.Put(4, Period::Week(2024, 6), 1));
  std::vector<std::pair<EnterpriseIndex, double>> seen;
  t.ForEach(w, [&](EnterpriseIndex e, double v) { seen.emplace_back(e, v); });
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], std::make_pair(EnterpriseIndex{2}, 2.5));
  EXPECT_EQ(seen[1], std::make_pair(EnterpriseIndex{7}, 7.5));
  EXPECT_EQ(t.EnterprisesAt(w), (std::vector<EnterpriseIndex>{2, 7}));
  FigureTable::Column c = t.At(w);
  EXPECT_EQ(c.count(), 2);
  EXPECT_EQ(c.Get(7), 7.5);
  EXPECT_EQ(c.Get(3), std::nullopt);
  EXPECT_TRUE(t.At(Period::Week(2024, 7)).empty());
}

// 1000 enterprises × 52 weeks = 52,000 values. A double is 8 bytes; per-column overhead
// (~80 bytes per week) adds 80 / 1000 ≈ 0.08 bytes per value.
TEST(FigureTableTest, DenseColumnsCostAboutEightBytesPerValue) {
  const int kEnterprises = 1000, kWeeks = 52;
  // Period by period, as weekly batches arrive: columns after the first are sized exactly.
  FigureTable by_period(Cadence::kWeekly, IndicatorKind::kLevel);
  for (int w = 1; w <= kWeeks; ++w)
    for (int e = 0; e < kEnterprises; ++e)
      ASSERT_TRUE(by_period.Put(e, Period::Week(2023, w), e + w));
  EXPECT_EQ(by_period.size(), size_t{kEnterprises} * kWeeks);
  EXPECT_LT(static_cast<double>(by_period.MemoryBytes()) / by_period.size(), 8.5);
  EXPECT_EQ(by_period.Get(999, Period::Week(2023, 52)), 999 + 52);

  // Enterprise by enterprise: columns grow geometrically; Compact trims the slack.
  FigureTable by_enterprise(Cadence::kWeekly, IndicatorKind::kLevel);
  for (int e = 0; e < kEnterprises; ++e)
    for (int w = 1; w <= kWeeks; ++w)
      ASSERT_TRUE(by_enterprise.Put(e, Period::Week(2023, w), e + w));
  by_enterprise.Compact();
  EXPECT_LT(static_cast<double>(by_enterprise.MemoryBytes()) / by_enterprise.size(), 8.5);
  EXPECT_EQ(by_enterprise.Get(999, Period::Week(2023, 52)), 999 + 52);
}

TEST(SelectScopeTest, FiltersByIndustryKeyAndYear) {
  std::vector<EnterpriseInfo> infos(4);
  infos[0] = {.industry = 0, .key = true, .above_size_since = 2020, .above_size_until = 2023};
  infos[1] = {.industry = 0, .key = false, .above_size_since = 2024};
  infos[2] = {.industry = 1, .key = true};
  infos[3] = {.industry = 1, .key = false, .above_size_since = 2019};
  EXPECT_EQ(SelectScope(infos, {}), (std::vector<EnterpriseIndex>{0, 1, 2, 3}));
  EXPECT_EQ(SelectScope(infos, {.industry = 0}), (std::vector<EnterpriseIndex>{0, 1}));
  EXPECT_EQ(SelectScope(infos, {.key = true}), (std::vector<EnterpriseIndex>{0, 2}));
  // 2024: enterprise 0 has left (until 2023), enterprise 1 has entered (since 2024).
  EXPECT_EQ(SelectScope(infos, {.above_size_in = 2024}), (std::vector<EnterpriseIndex>{1, 2, 3}));
  EXPECT_EQ(SelectScope(infos, {.above_size_in = 2023}), (std::vector<EnterpriseIndex>{0, 2, 3}));
  EXPECT_EQ(SelectScope(infos, {.industry = 1, .key = true, .above_size_in = 2024}),
            (std::vector<EnterpriseIndex>{2}));
}

}  // namespace
}  // namespace parkwatch
