// Hand-computed cases for the NBS measures. Each test writes its arithmetic out in comments so a
// statistician can check the expected values without running anything.
#include "rules/measures.h"

#include <cmath>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/spring_festival.h"

namespace parkwatch {
namespace {

using ::testing::HasSubstr;

Period M(int y, int m) { return Period::Month(y, m); }
Period JF(int y) { return Period::JanFeb(y); }
Period W(int y, int w) { return Period::Week(y, w); }

// Puts figures or fails the test.
void Put(FigureTable& t, EnterpriseIndex e, Period p, double v) {
  std::string error;
  ASSERT_TRUE(t.Put(e, p, v, &error)) << error;
}

std::vector<EnterpriseIndex> All(int n) {
  std::vector<EnterpriseIndex> s;
  for (int i = 0; i < n; ++i) s.push_back(i);
  return s;
}

#define EXPECT_NO_DATA(result, reason_part)                      \
  do {                                                           \
    auto r_ = (result);                                          \
    EXPECT_FALSE(r_.value.has_value()) << "value " << *r_.value; \
    EXPECT_THAT(r_.no_data_reason.en, HasSubstr(reason_part));   \
  } while (0)

class MeasuresTest : public ::testing::Test {
 protected:
  FigureTable monthly_{Cadence::kMonthly, IndicatorKind::kLevel};
  std::vector<EnterpriseInfo> infos_ = std::vector<EnterpriseInfo>(8);
};

// ---- level -------------------------------------------------------------------------------

TEST_F(MeasuresTest, LevelSumsWhatWasReportedAndCountsTheRest) {
  Put(monthly_, 0, M(2024, 3), 100);
  Put(monthly_, 1, M(2024, 3), 200);
  // Enterprise 2 has not reported: left out, not counted as zero.
  Measures m(monthly_, infos_);
  std::vector<EnterpriseIndex> s = {0, 1, 2};
  MeasureResult r = m.Level(s, M(2024, 3));
  ASSERT_TRUE(r.ok()) << r.no_data_reason.en;
  EXPECT_DOUBLE_EQ(*r.value, 300);
  EXPECT_EQ(r.enterprises, 2);
  EXPECT_EQ(r.excluded, 1);
}

// ---- same-enterprise caliber (同口径) ---------------------------------------------------

// Park in 2023: A, B, C. A leaves the 规上 list after 2023; D enters in 2024 and brings its own
// 2023 figure. March figures:
//            2023   2024
//   A (exit)  100     —
//   B         200   220
//   C         300   270
//   D (new)    50    80
// 2024 scope {B, C, D}, same caliber: (220+270+80) / (200+300+50) − 1 = 570/550 − 1 = 3.6364%.
// Naive published totals: 2024 park 570 / 2023 park (A+B+C) 600 − 1 = −5%: the sign flips.
TEST_F(MeasuresTest, SameCaliberDiffersFromNaiveTotalsWhenEnterprisesEnterAndLeave) {
  enum { A, B, C, D };
  infos_[A].above_size_until = 2023;
  infos_[D].above_size_since = 2024;
  Put(monthly_, A, M(2023, 3), 100);
  Put(monthly_, B, M(2023, 3), 200);
  Put(monthly_, B, M(2024, 3), 220);
  Put(monthly_, C, M(2023, 3), 300);
  Put(monthly_, C, M(2024, 3), 270);
  Put(monthly_, D, M(2023, 3), 50);
  Put(monthly_, D, M(2024, 3), 80);
  std::vector<EnterpriseInfo> infos(infos_.begin(), infos_.begin() + 4);
  auto park2024 = SelectScope(infos, {.above_size_in = 2024});
  auto park2023 = SelectScope(infos, {.above_size_in = 2023});
  ASSERT_EQ(park2024, (std::vector<EnterpriseIndex>{B, C, D}));
  ASSERT_EQ(park2023, (std::vector<EnterpriseIndex>{A, B, C}));

  Measures m(monthly_, infos);
  MeasureResult same = m.YoY(park2024, M(2024, 3));
  ASSERT_TRUE(same.ok()) << same.no_data_reason.en;
  EXPECT_NEAR(*same.value, 570.0 / 550.0 - 1, 1e-12);  // +3.6364%
  EXPECT_EQ(same.enterprises, 3);

  double naive = *m.Level(park2024, M(2024, 3)).value / *m.Level(park2023, M(2023, 3)).value - 1;
  EXPECT_NEAR(naive, -0.05, 1e-12);
  EXPECT_GT(*same.value - naive, 0.08);

  // Even a scope that still lists A gives the same caliber: A has no 2024 figure, so it leaves
  // the base instead of dragging it.
  std::vector<EnterpriseIndex> everyone = {A, B, C, D};
  MeasureResult with_a = m.YoY(everyone, M(2024, 3));
  EXPECT_NEAR(*with_a.value, 570.0 / 550.0 - 1, 1e-12);
  EXPECT_EQ(with_a.excluded, 1);
}

// ---- year to date (累计同比) -------------------------------------------------------------

// One enterprise, Jan–Feb combined:
//              2023   2024   monthly YoY
//   1—2月       100    150   +50%
//   3月         400    400     0%
// 1—3月 cumulative: (150+400) / (100+400) − 1 = 550/500 − 1 = +10%.
// The simple mean of the monthly rates would be (50% + 0%) / 2 = 25%: wrong, the cumulative
// rate weights each month by its base.
TEST_F(MeasuresTest, YtdIsRatioOfSumsNotMeanOfMonthlyRates) {
  Put(monthly_, 0, JF(2023), 100);
  Put(monthly_, 0, M(2023, 3), 400);
  Put(monthly_, 0, JF(2024), 150);
  Put(monthly_, 0, M(2024, 3), 400);
  Measures m(monthly_, infos_);
  std::vector<EnterpriseIndex> s = {0};
  MeasureResult jf = m.YoY(s, JF(2024));
  MeasureResult mar = m.YoY(s, M(2024, 3));
  MeasureResult ytd = m.YtdYoY(s, M(2024, 3));
  ASSERT_TRUE(ytd.ok()) << ytd.no_data_reason.en;
  EXPECT_NEAR(*jf.value, 0.5, 1e-12);
  EXPECT_NEAR(*mar.value, 0.0, 1e-12);
  EXPECT_NEAR(*ytd.value, 0.10, 1e-12);
  double mean_of_rates = (*jf.value + *mar.value) / 2;  // 25%
  EXPECT_GT(mean_of_rates - *ytd.value, 0.14);
  // At Jan–Feb the cumulative rate is the Jan–Feb rate.
  EXPECT_NEAR(*m.YtdYoY(s, JF(2024)).value, 0.5, 1e-12);
}

// Same figures, but 2024 Jan–Feb stored as separate months 70 + 80 = 150: ytd for March is
// still (70+80+400)/(100+400) − 1 = 10%.
TEST_F(MeasuresTest, YtdForMarchUsesSeparateMonthsSummedIntoJanFeb) {
  Put(monthly_, 0, JF(2023), 100);
  Put(monthly_, 0, M(2023, 3), 400);
  Put(monthly_, 0, M(2024, 1), 70);
  Put(monthly_, 0, M(2024, 2), 80);
  Put(monthly_, 0, M(2024, 3), 400);
  Measures m(monthly_, infos_);
  std::vector<EnterpriseIndex> s = {0};
  EXPECT_NEAR(*m.YtdYoY(s, M(2024, 3)).value, 0.10, 1e-12);
}

// Two enterprises over 1—4月, combine_jan_feb = false, months as given:
//   e0: 2023 Jan..Apr 10, 10, 10, 10 = 40;  2024: 20, 20, 20, 20 = 80
//   e1: 2023 Jan..Apr 100 each = 400;       2024: 90 each = 360, but no April 2024 figure
// e1 lacks April 2024, so the same enterprises are only {e0}: 80/40 − 1 = 100%.
TEST_F(MeasuresTest, YtdCaliberNeedsEveryMonthInBothYears) {
  for (int mo = 1; mo <= 4; ++mo) {
    Put(monthly_, 0, M(2023, mo), 10);
    Put(monthly_, 0, M(2024, mo), 20);
    Put(monthly_, 1, M(2023, mo), 100);
    if (mo < 4) Put(monthly_, 1, M(2024, mo), 90);
  }
  Measures m(monthly_, infos_, {.combine_jan_feb = false});
  std::vector<EnterpriseIndex> s = {0, 1};
  MeasureResult r = m.YtdYoY(s, M(2024, 4));
  ASSERT_TRUE(r.ok()) << r.no_data_reason.en;
  EXPECT_NEAR(*r.value, 1.0, 1e-12);
  EXPECT_EQ(r.enterprises, 1);
  EXPECT_EQ(r.excluded, 1);
  // Through March both count: (60+270) / (30+300) − 1 = 330/330 − 1 = 0.
  EXPECT_NEAR(*m.YtdYoY(s, M(2024, 3)).value, 0.0, 1e-12);
  // Weekly data has no year-to-date measure.
  FigureTable weekly(Cadence::kWeekly, IndicatorKind::kLevel);
  EXPECT_NO_DATA(Measures(weekly, infos_).YtdYoY(s, W(2024, 5)), "monthly measure");
}

// ---- contribution and pull --------------------------------------------------------------

// Four enterprises in three industries, March:
//   industry 0: e0 100 → 120, e1 50 → 40     ΔV0 = +10, base 150
//   industry 1: e2 200 → 230                 ΔV1 = +30, base 200
//   industry 2: e3 150 → 135                 ΔV2 = −15, base 150
//   park:       500 → 525                     ΔV  = +25, growth 5%
// Pulls ΔV_i / 500: +2%, +6%, −3% (sum 5% = park growth).
// Contributions ΔV_i / 25: 40%, 120%, −60% (sum 100%).
// Pull = g_i × w_i: industry 0 grew 10/150 = 6.667% with base share 150/500 = 0.3 → 2%.
TEST_F(MeasuresTest, PullsSumToGrowthAndContributionsToOne) {
  double v2023[] = {100, 50, 200, 150}, v2024[] = {120, 40, 230, 135};
  int industry[] = {0, 0, 1, 2};
  for (int e = 0; e < 4; ++e) {
    infos_[e].industry = industry[e];
    Put(monthly_, e, M(2023, 3), v2023[e]);
    Put(monthly_, e, M(2024, 3), v2024[e]);
  }
  std::vector<EnterpriseInfo> infos(infos_.begin(), infos_.begin() + 4);
  Measures m(monthly_, infos);
  auto park = All(4);
  MeasureResult growth = m.YoY(park, M(2024, 3));
  EXPECT_NEAR(*growth.value, 0.05, 1e-12);

  double expected_pull[] = {0.02, 0.06, -0.03}, expected_contribution[] = {0.4, 1.2, -0.6};
  double pulls = 0, contributions = 0;
  for (int i = 0; i < 3; ++i) {
    auto part = SelectScope(infos, {.industry = i});
    MeasureResult pull = m.Pull(part, park, M(2024, 3));
    MeasureResult contribution = m.Contribution(part, park, M(2024, 3));
    ASSERT_TRUE(pull.ok()) << pull.no_data_reason.en;
    ASSERT_TRUE(contribution.ok()) << contribution.no_data_reason.en;
    EXPECT_NEAR(*pull.value, expected_pull[i], 1e-12) << "industry " << i;
    EXPECT_NEAR(*contribution.value, expected_contribution[i], 1e-12) << "industry " << i;
    pulls += *pull.value;
    contributions += *contribution.value;
  }
  EXPECT_NEAR(pulls, *growth.value, 1e-12);
  EXPECT_NEAR(contributions, 1.0, 1e-12);

  // Pull = g_i × w_i for industry 0.
  auto ind0 = SelectScope(infos, {.industry = 0});
  double g0 = *m.YoY(ind0, M(2024, 3)).value, w0 = 150.0 / 500.0;
  EXPECT_NEAR(*m.Pull(ind0, park, M(2024, 3)).value, g0 * w0, 1e-12);

  // The key enterprise that drags the park: e3 pulls −3 points.
  std::vector<EnterpriseIndex> e3 = {3};
  EXPECT_NEAR(*m.Pull(e3, park, M(2024, 3)).value, -0.03, 1e-12);

  // All enterprises in one pass: ΔV = +20, −10, +30, −15 over base 500 and ΔV_park 25:
  // pulls 4%, −2%, 6%, −3% (sum 5%); contributions 80%, −40%, 120%, −60% (sum 100%).
  Wording why;
  auto each = m.PullsByEnterprise(park, M(2024, 3), &why);
  ASSERT_EQ(each.size(), 4u) << why.en;
  double expected_each[] = {0.04, -0.02, 0.06, -0.03};
  double each_pulls = 0, each_contributions = 0;
  for (int e = 0; e < 4; ++e) {
    EXPECT_EQ(each[e].enterprise, e);
    EXPECT_NEAR(each[e].pull, expected_each[e], 1e-12);
    EXPECT_NEAR(*each[e].contribution, expected_each[e] / 0.05, 1e-12);
    each_pulls += each[e].pull;
    each_contributions += *each[e].contribution;
  }
  EXPECT_NEAR(each_pulls, 0.05, 1e-12);
  EXPECT_NEAR(each_contributions, 1.0, 1e-12);
  EXPECT_TRUE(m.PullsByEnterprise(park, M(2025, 3), &why).empty());
  EXPECT_THAT(why.en, HasSubstr("March 2025"));
  EXPECT_THAT(why.zh, HasSubstr("2025年3月"));

  // Share of industry 0 in March 2024: (120+40) / 525 = 30.476%.
  EXPECT_NEAR(*m.Share(ind0, park, M(2024, 3)).value, 160.0 / 525.0, 1e-12);
}

TEST_F(MeasuresTest, ContributionUndefinedWhenWholeIsFlat) {
  Put(monthly_, 0, M(2023, 3), 100);
  Put(monthly_, 0, M(2024, 3), 110);
  Put(monthly_, 1, M(2023, 3), 100);
  Put(monthly_, 1, M(2024, 3), 90);
  Measures m(monthly_, infos_);
  std::vector<EnterpriseIndex> part = {0}, whole = {0, 1};
  EXPECT_NO_DATA(m.Contribution(part, whole, M(2024, 3)), "did not change");
  EXPECT_NEAR(*m.Pull(part, whole, M(2024, 3)).value, 0.05, 1e-12);  // 10 / 200
}

// ---- January–February -------------------------------------------------------------------

TEST_F(MeasuresTest, JanFebSeparateLevelsSumToStoredJanFeb) {
  Put(monthly_, 0, JF(2024), 150);   // stored 1—2月
  Put(monthly_, 1, M(2024, 1), 70);  // separate months 70 + 80 = 150
  Put(monthly_, 1, M(2024, 2), 80);
  Put(monthly_, 2, M(2024, 1), 60);  // January only
  Measures m(monthly_, infos_);
  std::vector<EnterpriseIndex> e0 = {0}, e1 = {1}, e2 = {2}, both = {0, 1};
  EXPECT_DOUBLE_EQ(*m.Level(e0, JF(2024)).value, 150);
  EXPECT_DOUBLE_EQ(*m.Level(e1, JF(2024)).value, 150);
  EXPECT_DOUBLE_EQ(*m.Level(both, JF(2024)).value, 300);
  EXPECT_NO_DATA(m.Level(e2, JF(2024)), "January figure without February");
  // January alone is not a period while Jan–Feb are combined ...
  EXPECT_NO_DATA(m.Level(e1, M(2024, 1)), "January and February are one period");
  // ... and is read as given when they are not.
  Measures separate(monthly_, infos_, {.combine_jan_feb = false});
  EXPECT_DOUBLE_EQ(*separate.Level(e1, M(2024, 1)).value, 70);
  EXPECT_DOUBLE_EQ(*separate.Level(e2, M(2024, 1)).value, 60);
}

TEST_F(MeasuresTest, JanFebStoredFigureWinsOverSeparateMonths) {
  Put(monthly_, 0, JF(2024), 150);
  Put(monthly_, 0, M(2024, 1), 1);  // an odd partial report does not override 1—2月
  Measures m(monthly_, infos_);
  std::vector<EnterpriseIndex> s = {0};
  EXPECT_DOUBLE_EQ(*m.Level(s, JF(2024)).value, 150);
}

TEST_F(MeasuresTest, SeparateJanuaryAndFebruaryRatesAreRefused) {
  FigureTable rates(Cadence::kMonthly, IndicatorKind::kRate);
  Put(rates, 0, M(2024, 1), 0.05);
  Put(rates, 0, M(2024, 2), 0.07);
  Put(rates, 1, JF(2024), 0.06);
  Measures m(rates, infos_);
  std::vector<EnterpriseIndex> e0 = {0}, e1 = {1};
  EXPECT_NO_DATA(m.Level(e0, JF(2024)),
                 "separate January and February rates cannot be combined: NBS publishes only "
                 "1—2月");
  EXPECT_DOUBLE_EQ(*m.Level(e1, JF(2024)).value, 0.06);
}

TEST(MonthlyPeriodsTest, ListsTheYearUnderTheOption) {
  std::vector<Period> combined = MonthlyPeriodsOfYear(2024, true);
  ASSERT_EQ(combined.size(), 11u);
  EXPECT_EQ(combined[0], JF(2024));
  EXPECT_EQ(combined[1], M(2024, 3));
  EXPECT_EQ(combined[10], M(2024, 12));
  std::vector<Period> separate = MonthlyPeriodsOfYear(2024, false);
  ASSERT_EQ(separate.size(), 12u);
  EXPECT_EQ(separate[0], M(2024, 1));
  EXPECT_EQ(separate[1], M(2024, 2));

  EXPECT_EQ(PreviousPeriod(M(2024, 3), true), JF(2024));
  EXPECT_EQ(PreviousPeriod(M(2024, 3), false), M(2024, 2));
  EXPECT_EQ(PreviousPeriod(JF(2024), true), M(2023, 12));
  EXPECT_EQ(NextPeriod(M(2023, 12), true), JF(2024));
  EXPECT_EQ(NextPeriod(M(2023, 12), false), M(2024, 1));
  EXPECT_EQ(NextPeriod(JF(2024), true), M(2024, 3));
  EXPECT_EQ(SamePeriodYearsBefore(W(2020, 53), 5), W(2015, 53));  // 2015 has 53 ISO weeks
  EXPECT_FALSE(SamePeriodYearsBefore(W(2020, 53), 1).valid());
}

// ---- ISO week 53 ------------------------------------------------------------------------

TEST(WeeklyMeasuresTest, Week53HasNoPartnerInA52WeekYear) {
  ASSERT_EQ(IsoWeeksInYear(2019), 52);
  ASSERT_EQ(IsoWeeksInYear(2020), 53);
  ASSERT_EQ(IsoWeeksInYear(2025), 52);
  ASSERT_EQ(IsoWeeksInYear(2026), 53);
  FigureTable weekly(Cadence::kWeekly, IndicatorKind::kLevel);
  Put(weekly, 0, W(2019, 52), 80);
  Put(weekly, 0, W(2020, 52), 100);
  Put(weekly, 0, W(2020, 53), 90);
  Put(weekly, 0, W(2025, 52), 80);
  Put(weekly, 0, W(2026, 53), 90);
  std::vector<EnterpriseInfo> infos(1);
  Measures m(weekly, infos);
  std::vector<EnterpriseIndex> s = {0};
  EXPECT_NEAR(*m.YoY(s, W(2020, 52)).value, 0.25, 1e-12);  // 100 / 80 − 1
  EXPECT_NO_DATA(m.YoY(s, W(2020, 53)),
                 "week 53 of 2020 has no same week a year before: ISO year 2019 has 52 weeks");
  EXPECT_NO_DATA(m.YoY(s, W(2026, 53)),
                 "week 53 of 2026 has no same week a year before: ISO year 2025 has 52 weeks");
}

// ---- comparable prices ------------------------------------------------------------------

// Value added 100 in March 2023, 110 in March 2024 (current prices), industry PPI 104
// (March 2023 = 100). Real: 110 / 1.04 = 105.769 at last year's prices; growth
// 105.769 / 100 − 1 = 5.769%, while nominal growth is 10%.
TEST_F(MeasuresTest, ComparablePricesDeflateByIndustryPpi) {
  infos_[0].industry = 3;
  Put(monthly_, 0, M(2023, 3), 100);
  Put(monthly_, 0, M(2024, 3), 110);
  FigureTable ppi(Cadence::kMonthly, IndicatorKind::kRate);  // rows are industries
  Put(ppi, 3, M(2024, 3), 104);
  Measures nominal(monthly_, infos_);
  Measures real(monthly_, infos_, {.price_index = &ppi});
  std::vector<EnterpriseIndex> s = {0};
  EXPECT_NEAR(*nominal.YoY(s, M(2024, 3)).value, 0.10, 1e-12);
  EXPECT_NEAR(*real.YoY(s, M(2024, 3)).value, 110.0 / 1.04 / 100.0 - 1, 1e-12);
  EXPECT_NEAR(*real.YoY(s, M(2024, 3)).value, 0.0576923077, 1e-9);
  EXPECT_NEAR(*real.Level(s, M(2024, 3)).value, 110.0 / 1.04, 1e-9);
  // With only the nominal rate known: (1 + 10%) / 1.04 − 1, the same 5.769%.
  EXPECT_NEAR(RealGrowthFromNominal(0.10, 104), 0.0576923077, 1e-9);

  // A published nominal rate deflates the same way.
  FigureTable rates(Cadence::kMonthly, IndicatorKind::kRate);
  Put(rates, 0, M(2024, 3), 0.10);
  Measures real_rate(rates, infos_, {.price_index = &ppi});
  EXPECT_NEAR(*real_rate.Level(s, M(2024, 3)).value, 0.0576923077, 1e-9);

  // No price index for the industry: no data, never a half-deflated total.
  infos_[0].industry = 4;
  EXPECT_NO_DATA(real.YoY(s, M(2024, 3)), "no usable price index for industry 4 in March 2024");
  // MoM cannot be deflated by a same-period-last-year index.
  EXPECT_NO_DATA(real.MoM(s, M(2024, 3)), "month-on-month price index");
}

// ---- two-year average -------------------------------------------------------------------

// March: 2022 100, 2023 90 (g = −10%), 2024 108 (g = +20%).
// Two-year average: √(1.2 × 0.9) − 1 = √1.08 − 1 = 3.923%; 108 / 100 over two years agrees.
TEST_F(MeasuresTest, TwoYearAverage) {
  Put(monthly_, 0, M(2022, 3), 100);
  Put(monthly_, 0, M(2023, 3), 90);
  Put(monthly_, 0, M(2024, 3), 108);
  Measures m(monthly_, infos_);
  std::vector<EnterpriseIndex> s = {0};
  MeasureResult r = m.TwoYearAverage(s, M(2024, 3));
  ASSERT_TRUE(r.ok()) << r.no_data_reason.en;
  EXPECT_NEAR(*r.value, std::sqrt(1.2 * 0.9) - 1, 1e-12);
  EXPECT_NEAR(*r.value, 0.0392304845, 1e-9);
  // One year of history short: no data, saying which year.
  EXPECT_NO_DATA(m.TwoYearAverage(s, M(2023, 3)), "growth for March 2022");

  // From published rates 20% and −10%: the same 3.923%.
  FigureTable rates(Cadence::kMonthly, IndicatorKind::kRate);
  Put(rates, 0, M(2023, 3), -0.10);
  Put(rates, 0, M(2024, 3), 0.20);
  EXPECT_NEAR(*Measures(rates, infos_).TwoYearAverage(s, M(2024, 3)).value, 0.0392304845, 1e-9);
}

// ---- published rates --------------------------------------------------------------------

TEST_F(MeasuresTest, RatesAreUsedAsGivenNeverSummed) {
  FigureTable rates(Cadence::kMonthly, IndicatorKind::kRate);
  Put(rates, 0, M(2023, 3), 0.04);
  Put(rates, 0, M(2024, 3), 0.07);
  Put(rates, 1, M(2024, 3), 0.02);
  Measures m(rates, infos_);
  std::vector<EnterpriseIndex> one = {0}, two = {0, 1};
  EXPECT_DOUBLE_EQ(*m.Level(one, M(2024, 3)).value, 0.07);
  EXPECT_NO_DATA(m.Level(two, M(2024, 3)), "a published rate is not summed");
  EXPECT_NO_DATA(m.YoY(one, M(2024, 3)), "growth of a published rate is not defined");
  EXPECT_NO_DATA(m.YtdYoY(one, M(2024, 3)), "published rate");
  EXPECT_NO_DATA(m.MoM(one, M(2024, 3)), "published rate");
  EXPECT_NO_DATA(m.Share(one, two, M(2024, 3)), "published rate");
  EXPECT_NO_DATA(m.Pull(one, two, M(2024, 3)), "published rate");
}

// ---- missing data -----------------------------------------------------------------------

TEST_F(MeasuresTest, MissingDataIsNoDataWithAReasonNeverZero) {
  Put(monthly_, 0, M(2024, 3), 100);
  Put(monthly_, 1, M(2024, 3), 120);
  Measures m(monthly_, infos_);
  std::vector<EnterpriseIndex> s = {0, 1}, e0 = {0}, empty;
  EXPECT_NO_DATA(m.YoY(s, M(2024, 3)),
                 "no figure for March 2023 (same period last year) for any enterprise in scope "
                 "that reported March 2024");
  EXPECT_NO_DATA(m.YoY(e0, M(2024, 3)),
                 "no figure for March 2023 (same period last year) for enterprise 0");
  EXPECT_NO_DATA(m.Level(s, M(2024, 4)), "no figure for April 2024 for any of the 2 enterprises");
  EXPECT_NO_DATA(m.Level(e0, M(2024, 4)), "enterprise 0 has no figure for April 2024");
  EXPECT_NO_DATA(m.Level(empty, M(2024, 3)), "the scope has no enterprises");
  EXPECT_NO_DATA(m.YoY(s, W(2024, 3)), "not monthly");
  EXPECT_NO_DATA(TargetDeviation(m.YoY(s, M(2024, 3)), 0.05), "March 2023");
}

// Each reason is worded where it is decided in Chinese too, the periods in words: no English
// phrase is translated afterwards.
TEST_F(MeasuresTest, AReasonWithoutDataSaysTheSameInChineseWithItsPeriodsInWords) {
  Put(monthly_, 0, M(2024, 3), 100);
  Put(monthly_, 1, M(2024, 3), 120);
  MeasureOptions named;
  named.enterprise_name = [](EnterpriseIndex e) {
    return Wording{"甲药业 (91430700MA4L00001" + std::to_string(e) + ")",
                   "甲药业（91430700MA4L00001" + std::to_string(e) + "）"};
  };
  Measures m(monthly_, infos_, named);
  std::vector<EnterpriseIndex> s = {0, 1}, e0 = {0};
  EXPECT_EQ(m.YoY(s, M(2024, 3)).no_data_reason.zh,
            "报了2024年3月数据的企业都没有2023年3月（上年同期）的数据");
  EXPECT_EQ(m.YoY(e0, M(2024, 3)).no_data_reason.zh,
            "甲药业（91430700MA4L000010）没有2023年3月（上年同期）的数据");
  EXPECT_EQ(m.YoY(e0, M(2024, 3)).no_data_reason.en,
            "no figure for March 2023 (same period last year) for 甲药业 (91430700MA4L000010)");
  EXPECT_EQ(m.Level(s, M(2024, 4)).no_data_reason.zh, "范围内2家企业2024年4月都没有数据");
  EXPECT_EQ(m.Level(e0, M(2024, 4)).no_data_reason.zh,
            "甲药业（91430700MA4L000010）2024年4月没有数据");
  EXPECT_EQ(m.YtdYoY(e0, M(2024, 3)).no_data_reason.zh,
            "甲药业（91430700MA4L000010）2024年1—3月没有数据");
  EXPECT_EQ(m.TwoYearAverage(e0, M(2024, 3)).no_data_reason.zh,
            "2024年3月的增速：甲药业（91430700MA4L000010）没有2023年3月（上年同期）的数据");
  FigureTable weekly(Cadence::kWeekly, IndicatorKind::kLevel);
  Put(weekly, 0, W(2026, 53), 100);
  EXPECT_EQ(Measures(weekly, infos_).YoY(e0, W(2026, 53)).no_data_reason.zh,
            "2026年第53周没有上年同期：2025年只有52周");
}

TEST_F(MeasuresTest, GrowthFromANegativeBaseIsNoData) {
  // Profit: −20 last March, +30 this March. "Growth" of −250% would be nonsense (扭亏为盈).
  Put(monthly_, 0, M(2023, 3), -20);
  Put(monthly_, 0, M(2024, 3), 30);
  Measures m(monthly_, infos_);
  std::vector<EnterpriseIndex> s = {0};
  EXPECT_NO_DATA(m.YoY(s, M(2024, 3)), "zero or negative base");
}

// ---- month on month ---------------------------------------------------------------------

TEST_F(MeasuresTest, MonthOnMonth) {
  Put(monthly_, 0, JF(2024), 150);
  Put(monthly_, 0, M(2024, 2), 80);
  Put(monthly_, 0, M(2024, 3), 100);
  Put(monthly_, 0, M(2024, 4), 80);
  Put(monthly_, 0, M(2024, 5), 100);
  Measures m(monthly_, infos_);
  std::vector<EnterpriseIndex> s = {0};
  EXPECT_NEAR(*m.MoM(s, M(2024, 5)).value, 0.25, 1e-12);  // 100 / 80 − 1
  // Combined: March against two months would be meaningless.
  EXPECT_NO_DATA(m.MoM(s, M(2024, 3)), "Jan–Feb spans two months");
  EXPECT_NO_DATA(m.MoM(s, JF(2024)), "Jan–Feb spans two months");
  // Months as given: March 100 against February 80.
  Measures separate(monthly_, infos_, {.combine_jan_feb = false});
  EXPECT_NEAR(*separate.MoM(s, M(2024, 3)).value, 0.25, 1e-12);
}

// ---- target deviation -------------------------------------------------------------------

TEST(TargetDeviationTest, ValueMinusTarget) {
  MeasureResult g;
  g.value = 0.036;
  g.enterprises = 3;
  MeasureResult d = TargetDeviation(g, 0.05);
  EXPECT_NEAR(*d.value, -0.014, 1e-12);  // 1.4 points below a 5% target
  EXPECT_EQ(d.enterprises, 3);
}

// ---- consecutive declines ---------------------------------------------------------------

// YoY by period (2023 all 100 per month, 1—2月 200):
//   2024 1—2月 190 (−5%), 3月 90 (−10%), 4月 90 (−10%), 5月 95 (−5%), 6月 99 (−1%), 7月 101 (+1%)
//   2023-12 has no 2022 base, so the run cannot reach further back.
// At June: Jun, May, Apr, Mar, Jan–Feb = 5 in a row (stepping from March to Jan–Feb).
// At July: 0 (growth is positive).
TEST_F(MeasuresTest, ConsecutiveYoYDeclinesAcrossJanFeb) {
  Put(monthly_, 0, JF(2023), 200);
  for (int mo = 3; mo <= 12; ++mo) Put(monthly_, 0, M(2023, mo), 100);
  Put(monthly_, 0, JF(2024), 190);
  double v2024[] = {90, 90, 95, 99, 101};
  for (int mo = 3; mo <= 7; ++mo) Put(monthly_, 0, M(2024, mo), v2024[mo - 3]);
  Measures m(monthly_, infos_);
  std::vector<EnterpriseIndex> s = {0};
  EXPECT_EQ(*m.ConsecutiveDeclines(s, M(2024, 6)).value, 5);
  EXPECT_EQ(*m.ConsecutiveDeclines(s, M(2024, 3)).value, 2);
  EXPECT_EQ(*m.ConsecutiveDeclines(s, M(2024, 7)).value, 0);
  EXPECT_NO_DATA(m.ConsecutiveDeclines(s, M(2024, 8)), "August 2024");
}

// Weekly YoY: 2020-W51 +10%, 2020-W52 −10%, 2020-W53 (no partner), 2021-W01 −10%.
// At 2021-W01: W01 and W52 decline, W53 is skipped: 2.
// Weekly MoM: W10 100, W11 90, W12 80, W13 85 → at W12: 2 (W12, W11; W10 has no W09); W13: 0.
TEST(WeeklyMeasuresTest, ConsecutiveDeclinesSkipLoneWeek53) {
  FigureTable weekly(Cadence::kWeekly, IndicatorKind::kLevel);
  Put(weekly, 0, W(2019, 51), 100);
  Put(weekly, 0, W(2020, 51), 110);
  Put(weekly, 0, W(2019, 52), 100);
  Put(weekly, 0, W(2020, 52), 90);
  Put(weekly, 0, W(2020, 53), 50);
  Put(weekly, 0, W(2020, 1), 100);
  Put(weekly, 0, W(2021, 1), 90);
  double v[] = {100, 90, 80, 85};
  for (int w = 10; w <= 13; ++w) Put(weekly, 0, W(2023, w), v[w - 10]);
  std::vector<EnterpriseInfo> infos(1);
  Measures m(weekly, infos);
  std::vector<EnterpriseIndex> s = {0};
  EXPECT_EQ(*m.ConsecutiveDeclines(s, W(2021, 1)).value, 2);
  EXPECT_EQ(*m.ConsecutiveDeclines(s, W(2023, 12), GrowthBasis::kMoM).value, 2);
  EXPECT_EQ(*m.ConsecutiveDeclines(s, W(2023, 13), GrowthBasis::kMoM).value, 0);
}

// ---- seasonal anomaly -------------------------------------------------------------------

// March: 2021 90, 2022 110, 2023 100; 2024 130 (no other months, so no level adjustment).
// Baseline = median(90, 110, 100) = 100. Spread = 1.4826 × median |ln(v / 100)| =
// 1.4826 × ln(1.1) = 0.14131 (above the 0.10 floor). Score = ln(130 / 100) / 0.14131 = 1.857.
TEST_F(MeasuresTest, SeasonalAnomalyAgainstARobustBaseline) {
  Put(monthly_, 0, M(2021, 3), 90);
  Put(monthly_, 0, M(2022, 3), 110);
  Put(monthly_, 0, M(2023, 3), 100);
  Put(monthly_, 0, M(2024, 3), 130);
  Measures m(monthly_, infos_);
  AnomalyResult a = m.Anomaly(0, M(2024, 3), 3);
  ASSERT_TRUE(a.z.has_value()) << a.no_data_reason.en;
  EXPECT_NEAR(a.mean, 100, 1e-12);
  EXPECT_NEAR(a.stddev, 1.4826 * std::log(1.1), 1e-12);
  EXPECT_NEAR(*a.z, std::log(1.3) / (1.4826 * std::log(1.1)), 1e-12);
  EXPECT_NEAR(*a.ratio, 1.3, 1e-12);
  EXPECT_EQ(a.years, 3);
  // One odd year does not move a median: 2022 at 1 000 changes neither baseline nor spread much.
  Put(monthly_, 0, M(2022, 3), 1000);
  EXPECT_NEAR(m.Anomaly(0, M(2024, 3), 3).mean, 100, 1e-12);
  // Looking back two years is too short a history, and says so with what it found.
  AnomalyResult short_history = m.Anomaly(0, M(2024, 3), 2);
  EXPECT_FALSE(short_history.z.has_value());
  EXPECT_THAT(short_history.no_data_reason.en,
              HasSubstr("at least 3 earlier years; enterprise 0 has 2 (March 2023, March 2022)"));
  EXPECT_EQ(short_history.no_data_reason.zh,
            "历史同期基准至少要此前3年的同期数据，企业0只有2年（2023年3月、2022年3月）");
}

// An enterprise that grew by half is compared with its earlier Junes brought to its new level:
// June at 150 after a spring at 150 is no anomaly; June at 75 is, below.
TEST_F(MeasuresTest, SeasonalAnomalyFollowsTheRecentLevel) {
  for (int y = 2021; y <= 2024; ++y) {
    double level = y == 2024 ? 150 : 100;
    for (int month = 3; month <= 6; ++month) Put(monthly_, 0, M(y, month), level);
  }
  Measures m(monthly_, infos_);
  AnomalyResult grown = m.Anomaly(0, M(2024, 6), 3);
  ASSERT_TRUE(grown.z.has_value()) << grown.no_data_reason.en;
  EXPECT_NEAR(*grown.z, 0, 1e-12);
  EXPECT_NEAR(grown.mean, 150, 1e-9);
  Put(monthly_, 0, M(2024, 6), 75);
  AnomalyResult fell = m.Anomaly(0, M(2024, 6), 3);
  EXPECT_NEAR(*fell.ratio, 0.5, 1e-9);
  EXPECT_NEAR(*fell.z, std::log(0.5) / 0.10, 1e-9);  // the spread's floor: equal earlier years
}

// March's months before are Jan–Feb (two months, no month's level) and the months before it:
// an enterprise that grew by half since last October is compared with its earlier Marches
// brought to its new level, as any other month is. (Without a level March and April were
// compared with the raw median, two years back: a 20 % grower read +44 %, an anomaly.)
TEST_F(MeasuresTest, AMarchAnomalyFollowsTheLevelOfTheMonthsBeforeJanFeb) {
  for (int y = 2020; y <= 2024; ++y)
    for (int month = 1; month <= 12; ++month)
      if (M(y, month) >= M(2020, 10) && M(y, month) <= M(2024, 4))
        Put(monthly_, 0, M(y, month), M(y, month) >= M(2023, 10) ? 150 : 100);
  Measures m(monthly_, infos_);
  for (Period t : {M(2024, 3), M(2024, 4)}) {
    AnomalyResult a = m.Anomaly(0, t, 3);
    ASSERT_TRUE(a.z.has_value()) << a.no_data_reason.en;
    EXPECT_NEAR(a.mean, 150, 1e-9) << t.ToString();
    EXPECT_NEAR(*a.z, 0, 1e-9) << t.ToString();
  }
}

// 元 reported as 万元 (×10 000), 千元 as 万元 (×10) and the inverse are unit slips; a month's
// real swing, Jan–Feb's two months and a halving are not.
TEST_F(MeasuresTest, UnitSlipsAreFactorsOfTenThousandThousandOrTenOfTheRecentLevel) {
  for (int month = 3; month <= 12; ++month) Put(monthly_, 0, M(2023, month), 100);
  Put(monthly_, 0, Period::JanFeb(2024), 210);
  Put(monthly_, 0, M(2024, 3), 1000000);
  Put(monthly_, 0, M(2024, 4), 10);
  Put(monthly_, 0, M(2024, 5), 130);
  Put(monthly_, 0, M(2024, 6), 48);
  Measures m(monthly_, infos_);
  std::vector<EnterpriseIndex> s = {0};
  auto slip = [&](Period t) { return m.UnitSlips(s, t)[0]; };
  EXPECT_EQ(slip(Period::JanFeb(2024)).exponent, 0);
  EXPECT_EQ(slip(M(2024, 3)).exponent, 4);  // against Dec, Nov, Oct: 100
  EXPECT_NEAR(slip(M(2024, 3)).level, 100, 1e-12);
  EXPECT_EQ(slip(M(2024, 4)).exponent, -1);
  EXPECT_EQ(slip(M(2024, 5)).exponent, 0);
  EXPECT_EQ(slip(M(2024, 6)).exponent, 0);
  // Without two figures before it there is no recent level, and the reason says so.
  EXPECT_THAT(slip(M(2023, 3)).no_data_reason.en, HasSubstr("no recent level"));
  EXPECT_THAT(slip(M(2023, 3)).no_data_reason.zh, HasSubstr("2023年3月之前4期中不足2期有数据"));
}

// 47 万元 typed in 亿元 is 0.0047, which a file's two decimals write as 0.00: a week that reads
// zero (or a cent) against a level of tens of 万元 is the 1/10 000 slip, not a week without
// output. A festival week at zero is the festival: plants close for it.
TEST_F(MeasuresTest, AWeekReadingZeroAgainstItsRecentLevelIsTheTenThousandthSlip) {
  FigureTable weekly(Cadence::kWeekly, IndicatorKind::kLevel);
  for (int w = 40; w <= 52; ++w) Put(weekly, 0, W(2024, w), 47);
  for (int w = 1; w <= 3; ++w) Put(weekly, 0, W(2024 + 1, w), 47);
  Put(weekly, 0, W(2025, 5), 0);  // the Spring Festival's week (29 January 2025)
  Put(weekly, 0, W(2024, 44), 0);
  Put(weekly, 0, W(2024, 48), 0.01);
  Put(weekly, 0, W(2024, 50), 23);
  Measures m(weekly, infos_);
  std::vector<EnterpriseIndex> s = {0};
  auto slip = [&](Period t) { return m.UnitSlips(s, t)[0]; };
  EXPECT_EQ(slip(W(2024, 44)).exponent, -4);
  EXPECT_NEAR(slip(W(2024, 44)).level, 47, 1e-12);
  EXPECT_EQ(slip(W(2024, 48)).exponent, -4);  // a cent: 1/4 700 of the level, still the slip
  EXPECT_EQ(slip(W(2024, 50)).exponent, 0);   // a halving is a bad week
  EXPECT_EQ(slip(W(2025, 5)).exponent, 0);
}

// ---- fall(x): a sudden fall against the enterprise's own course ---------------------------

// Months as given (no Jan–Feb): a year is twelve periods, so the arithmetic below stays plain.
MeasureOptions SeparateMonths() {
  MeasureOptions o;
  o.combine_jan_feb = false;
  return o;
}

// An enterprise shrinking about 5 % a year: 2021 at 100 a month; 2022 at 96 in odd months and
// 94 in even ones (−4 % and −6 %); 2023 January–May at 95 % of 2022's.
void PutShrinking(FigureTable& t, EnterpriseIndex e) {
  for (int m = 1; m <= 12; ++m) Put(t, e, M(2021, m), 100);
  for (int m = 1; m <= 12; ++m) Put(t, e, M(2022, m), m % 2 ? 96 : 94);
  for (int m = 1; m <= 5; ++m) Put(t, e, M(2023, m), 0.95 * (m % 2 ? 96 : 94));
}

// The swing of an enterprise whose growths are gs: their standard deviation with the prior's
// eight periods of six points added in (Fall's swing, rules/measures.h).
double SwingOf(const std::vector<double>& gs) {
  double mean = 0, squares = 0;
  for (double g : gs) mean += g / static_cast<double>(gs.size());
  for (double g : gs) squares += (g - mean) * (g - mean);
  const double own = gs.empty() ? 0 : static_cast<double>(gs.size()) - 1;
  return std::sqrt((kFallPriorPeriods * kFallPriorSwing * kFallPriorSwing + squares) /
                   (kFallPriorPeriods + own));
}

std::vector<double> Repeat(std::initializer_list<std::pair<int, double>> runs) {
  std::vector<double> out;
  for (auto [n, g] : runs) out.insert(out.end(), static_cast<size_t>(n), g);
  return out;
}

// June 2023 is measured from where its decline would have put it, not from last June.
//   course   = the mean of the middle half of the growths of June 2022–May 2023 (four months at
//              −6 %, five at −5 %, three at −4 %; the three lowest and highest left out): one
//              at −6 %, five at −5 % = −31/6 % = −5.1667 %;
//   swing    = over the 17 months with a growth (Jan 2022–May 2023: six at −6 %, five at −5 %,
//              six at −4 %, standard deviation 0.87 points) with the prior's 8 × 6 points:
//              √((8 × 0.0036 + 0.0012) / 24) = 3.54 points;
//   expected = June 2022 brought forward by the course, 94 × 0.948333 = 89.14 (June 2021 has no
//              course of its year to come forward by).
// June at 88 % of its course (94 × 0.95 × 0.88 = 78.58): g = −16.4 %, value = 0.836 / 0.948333
// − 1 = −11.85 %, as far below the expected level: beyond 3 swings (10.6 points), a sudden
// fall. June at last year's less 5 % (94 × 0.95): value +0.18 %: its usual decline, no fall.
TEST_F(MeasuresTest, AShrinkingEnterpriseFallsFromItsOwnCourseNotFromLastYear) {
  PutShrinking(monthly_, 0);
  PutShrinking(monthly_, 1);
  Put(monthly_, 0, M(2023, 6), 94 * 0.95 * 0.88);
  Put(monthly_, 1, M(2023, 6), 94 * 0.95);
  Measures m(monthly_, infos_, SeparateMonths());
  std::vector<Fall> f = m.Falls(All(2), M(2023, 6), 3);
  ASSERT_TRUE(f[0].value.has_value()) << f[0].no_data_reason.en;
  ASSERT_TRUE(f[0].course.has_value());
  EXPECT_NEAR(*f[0].course, -0.31 / 6, 1e-12);
  EXPECT_NEAR(f[0].growth, -0.164, 1e-12);
  EXPECT_NEAR(*f[0].value, 0.836 / (1 - 0.31 / 6) - 1, 1e-12);
  EXPECT_NEAR(f[0].swing, SwingOf(Repeat({{6, -0.06}, {5, -0.05}, {6, -0.04}})), 1e-12);
  EXPECT_NEAR(f[0].swing, std::sqrt(0.03 / 24), 1e-12);
  EXPECT_EQ(f[0].swing_periods, 17);
  EXPECT_EQ(f[0].years, 1);
  ASSERT_TRUE(f[0].expected.has_value());
  EXPECT_NEAR(*f[0].expected, 94 * (1 - 0.31 / 6), 1e-9);
  EXPECT_NEAR(*f[0].from_expected, *f[0].value, 1e-12);
  EXPECT_TRUE(f[0].sudden);
  ASSERT_TRUE(f[1].value.has_value()) << f[1].no_data_reason.en;
  EXPECT_NEAR(f[1].growth, -0.05, 1e-12);
  EXPECT_NEAR(*f[1].value, 0.95 / (1 - 0.31 / 6) - 1, 1e-12);  // where its course is
  EXPECT_FALSE(f[1].sudden);
}

// An enterprise that grows is measured against last year, as the bureau measures a drop: a
// course of +10 % does not make a month at last year's level a fall, but it is 16.6 % below
// where the enterprise was heading (109 × 1.10), 4.2 swings of 3.97 points.
TEST_F(MeasuresTest, AGrowingEnterprisesFallIsItsGrowthAgainstLastYear) {
  for (int m = 1; m <= 12; ++m) Put(monthly_, 0, M(2021, m), 100);
  for (int m = 1; m <= 12; ++m) Put(monthly_, 0, M(2022, m), m % 2 ? 109 : 111);
  Put(monthly_, 0, M(2023, 1), 100);  // g = 100/109 − 1 = −8.26 %
  Measures m(monthly_, infos_, SeparateMonths());
  Fall f = m.Falls(All(1), M(2023, 1), 3)[0];
  ASSERT_TRUE(f.value.has_value()) << f.no_data_reason.en;
  EXPECT_NEAR(*f.course, 0.10, 1e-12);  // the middle half of six at +9 % and six at +11 %
  EXPECT_NEAR(*f.value, 100.0 / 109 - 1, 1e-12);
  EXPECT_NEAR(*f.from_expected, 100.0 / (109 * 1.1) - 1, 1e-12);
  EXPECT_NEAR(f.swing, std::sqrt(0.03 / 19), 1e-12);
  EXPECT_TRUE(f.sudden);
}

// A month 15 % below last year is a sudden fall for an enterprise whose growth keeps within a
// point of its course, and not for one whose growth swings by eight points either way: for that
// one, −15 % is an ordinary month (swing √((8 × 6² + 12 × 8²) / 19) = 7.5 points; three of
// them are 22 points).
TEST_F(MeasuresTest, AFallWithinTheEnterprisesUsualSwingsIsNotSudden) {
  for (int e = 0; e < 2; ++e) {
    const double step = e == 0 ? 0.01 : 0.08;
    for (int m = 1; m <= 12; ++m) Put(monthly_, e, M(2021, m), 100);
    for (int m = 1; m <= 12; ++m) Put(monthly_, e, M(2022, m), 100 * (1 + (m % 2 ? step : -step)));
    Put(monthly_, e, M(2023, 1), 0.85 * 100 * (1 + step));
  }
  Measures m(monthly_, infos_, SeparateMonths());
  std::vector<Fall> f = m.Falls(All(2), M(2023, 1), 3);
  ASSERT_TRUE(f[0].value && f[1].value);
  EXPECT_NEAR(f[0].growth, -0.15, 1e-12);
  EXPECT_NEAR(f[1].growth, -0.15, 1e-12);
  EXPECT_NEAR(f[0].swing, SwingOf(Repeat({{6, 0.01}, {6, -0.01}})), 1e-12);
  EXPECT_NEAR(f[1].swing, SwingOf(Repeat({{6, 0.08}, {6, -0.08}})), 1e-12);
  EXPECT_TRUE(f[0].sudden);
  EXPECT_FALSE(f[1].sudden);
}

// Before any growth of its own an enterprise swings as an ordinary noisy one (6 points) and its
// course counts as 0: a fall must then be 18 points below last year to be sudden (at 3 swings).
// A figure held out of the rules (no figure) or a missing base is no data, with the enterprise
// named.
TEST_F(MeasuresTest, BeforeItsOwnGrowthShowsAnEnterpriseSwingsAsAnOrdinaryNoisyOne) {
  for (int m = 1; m <= 12; ++m) Put(monthly_, 0, M(2021, m), 100);
  for (int m = 1; m <= 12; ++m) Put(monthly_, 1, M(2021, m), 100);
  Put(monthly_, 0, M(2022, 1), 78);
  Put(monthly_, 1, M(2022, 1), 85);
  Measures m(monthly_, infos_, SeparateMonths());
  std::vector<Fall> f = m.Falls(All(3), M(2022, 1), 3);
  ASSERT_TRUE(f[0].value && f[1].value);
  EXPECT_FALSE(f[0].course.has_value());
  EXPECT_EQ(f[0].swing_periods, 0);
  EXPECT_DOUBLE_EQ(f[0].swing, kFallPriorSwing);
  EXPECT_NEAR(*f[0].value, -0.22, 1e-12);
  EXPECT_TRUE(f[0].sudden);
  EXPECT_NEAR(*f[1].value, -0.15, 1e-12);
  EXPECT_FALSE(f[1].sudden);
  EXPECT_FALSE(f[2].value.has_value());
  EXPECT_THAT(f[2].no_data_reason.en, HasSubstr("enterprise 2"));
  EXPECT_THAT(f[2].no_data_reason.zh, HasSubstr("企业2"));
}

// Half a year of growth within half a point either way narrows the swing from the prior's 6
// points to 4.7 (√((8 × 6² + 6 × 0.5²) / 13)), and the course is their median: a month 15 %
// below last year is then sudden in the enterprise's first year, where one without those
// months (18 points at 3 swings) would not be.
TEST_F(MeasuresTest, AQuietEnterpriseEarnsANarrowerSwingWithinItsFirstYear) {
  for (int m = 1; m <= 12; ++m) Put(monthly_, 0, M(2021, m), 100);
  for (int m = 1; m <= 6; ++m) Put(monthly_, 0, M(2022, m), m % 2 ? 100.5 : 99.5);
  Put(monthly_, 0, M(2022, 7), 85);
  Measures m(monthly_, infos_, SeparateMonths());
  Fall f = m.Falls(All(1), M(2022, 7), 3)[0];
  ASSERT_TRUE(f.value.has_value()) << f.no_data_reason.en;
  ASSERT_TRUE(f.course.has_value());
  EXPECT_NEAR(*f.course, 0, 1e-12);  // the median of three at +0.5 % and three at −0.5 %
  EXPECT_EQ(f.swing_periods, 6);
  EXPECT_NEAR(f.swing, SwingOf(Repeat({{3, 0.005}, {3, -0.005}})), 1e-12);
  EXPECT_LT(f.swing, 0.048);
  EXPECT_TRUE(f.sudden);
}

// An earlier fall is an event, not the enterprise's usual swing: three months at −30 % in 2022
// (and their rebound of +43 % against the fallen base in 2023) are left out of it, so a fall of
// 15 % in 2024 on an enterprise that otherwise holds its level is still sudden. Counted in,
// they would make its swing 15 points and −15 % an ordinary month.
TEST_F(MeasuresTest, AnEnterprisesOwnEarlierFallDoesNotWidenItsSwing) {
  for (int y = 2021; y <= 2024; ++y)
    for (int m = 1; m <= 12; ++m) Put(monthly_, 0, M(y, m), m % 2 ? 101 : 99);
  for (int m = 4; m <= 6; ++m) Put(monthly_, 0, M(2022, m), 0.7 * (m % 2 ? 101 : 99));
  Put(monthly_, 0, M(2024, 9), 0.85 * 101);
  Measures m(monthly_, infos_, SeparateMonths());
  Fall f = m.Falls(All(1), M(2024, 9), 3)[0];
  ASSERT_TRUE(f.value.has_value()) << f.no_data_reason.en;
  EXPECT_NEAR(f.growth, -0.15, 1e-12);
  // 2022-01 to 2024-08 (2021 has no year before), less the fall and its rebound.
  EXPECT_EQ(f.swing_periods, 32 - 6);
  EXPECT_NEAR(f.swing, SwingOf(std::vector<double>(26, 0.0)), 1e-12);
  // September 2021 has no course to come forward by: its year's growths (January–August 2022)
  // are five without the fall, short of half a year.
  EXPECT_EQ(f.years, 2);
  EXPECT_TRUE(f.sudden);
}

// A period low only against a high one last year is no fall: a September 2024 back at its usual
// level after a September 2023 15 % above it reads −13 % against last year, but against the
// same month of three years (2021–2023, the enterprise holding its level) it is 4.6 % below,
// inside its swings (against last year alone it would be 13.9 points below its course, beyond
// 3 swings of 4.1). And the same comparison catches a real fall sooner than last year alone:
// three bases swing by a third of one, so a month 9.7 % below them is sudden on an enterprise
// whose growth swings by 3.5 points (8.5 points at 3 swings against three years), where against
// last year alone (10.4 points) its 8.9 would be 1.5 points short.
TEST_F(MeasuresTest, AgainstThreeEarlierYearsOneHighBaseIsNoFallAndARealFallStandsOut) {
  for (int e = 0; e < 2; ++e)
    for (int y = 2021; y <= 2024; ++y)
      for (int m = 1; m <= 12; ++m)
        Put(monthly_, e, M(y, m), 100 * (1 + ((y + m) % 2 ? 0.012 : -0.012)));
  Put(monthly_, 0, M(2023, 9), 115);
  Put(monthly_, 0, M(2024, 9), 100);
  Put(monthly_, 1, M(2024, 9), 0.90 * 100);
  Measures m(monthly_, infos_, SeparateMonths());
  std::vector<Fall> f = m.Falls(All(2), M(2024, 9), 3);
  ASSERT_TRUE(f[0].value && f[1].value);
  EXPECT_NEAR(f[0].growth, 100.0 / 115 - 1, 1e-12);
  EXPECT_EQ(f[0].years, 3);
  EXPECT_LT(f[0].growth - *f[0].course, -3 * f[0].swing);  // sudden against last year alone
  EXPECT_NEAR(*f[0].from_expected, -0.0536, 1e-4);
  EXPECT_FALSE(f[0].sudden);
  EXPECT_EQ(f[1].years, 3);
  EXPECT_GT(f[1].growth - *f[1].course, -3 * f[1].swing);  // not sudden against one year
  EXPECT_TRUE(f[1].sudden);
}

// The weeks of the Spring Festival season measure the calendar: they are no part of the course
// or the swings, so a festival week at half of last year's does not make later weeks' falls
// look ordinary.
TEST_F(MeasuresTest, FestivalWeeksAreNoPartOfAnEnterprisesCourse) {
  FigureTable weekly(Cadence::kWeekly, IndicatorKind::kLevel);
  for (int w = 1; w <= 52; ++w) Put(weekly, 0, W(2023, w), 100);
  // 2024: the festival's weeks (W05–W08) at half, the others a point either side of 2023's.
  // Left out: W02–W08 (this year's season, and the weeks facing 2023's, W02–W05); W09–W20 are
  // the twelve weeks of its growth, six at +1 %, six at −1 %.
  for (int w = 2; w <= 20; ++w)
    Put(weekly, 0, W(2024, w), IsSpringFestivalWeek(W(2024, w)) ? 50 : (w % 2 ? 101 : 99));
  Put(weekly, 0, W(2024, 21), 85);
  Measures m(weekly, infos_);
  Fall f = m.Falls(All(1), W(2024, 21), 3)[0];
  ASSERT_TRUE(f.value.has_value()) << f.no_data_reason.en;
  EXPECT_NEAR(*f.course, 0, 1e-12);  // the festival weeks at 50 are left out
  EXPECT_NEAR(f.swing, SwingOf(Repeat({{6, 0.01}, {6, -0.01}})), 1e-12);
  EXPECT_EQ(f.swing_periods, 12);
  EXPECT_TRUE(f.sudden);
}

// The first weeks of a fall under way are in the year before its later weeks; its course is the
// mean of the middle half of that year's growth, so three weeks at −25 % after nine at last
// year's level leave the course at 0 and the fourth week is still 25 % below it, not measured
// from a course the fall itself lowered (nor held to a swing its first weeks widened).
TEST_F(MeasuresTest, AFallUnderWayDoesNotBecomeItsOwnCourse) {
  FigureTable weekly(Cadence::kWeekly, IndicatorKind::kLevel);
  for (int w = 10; w <= 30; ++w) Put(weekly, 0, W(2023, w), 100);
  for (int w = 10; w <= 18; ++w) Put(weekly, 0, W(2024, w), 100);
  for (int w = 19; w <= 22; ++w) Put(weekly, 0, W(2024, w), 75);
  Measures m(weekly, infos_);
  Fall f = m.Falls(All(1), W(2024, 22), 3)[0];
  ASSERT_TRUE(f.value.has_value()) << f.no_data_reason.en;
  EXPECT_NEAR(*f.course, 0, 1e-12);  // nine weeks at 0 %, three at −25 %
  EXPECT_NEAR(*f.value, -0.25, 1e-12);
  EXPECT_EQ(f.swing_periods, 9);  // the three weeks of the fall are no swing
  EXPECT_TRUE(f.sudden);
}

}  // namespace
}  // namespace parkwatch
