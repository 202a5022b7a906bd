// Missing reports counted from an enterprise's reported periods (rules/report_gaps.h): the same
// count, newest missing period and start of its run as looking every due period up one by one.
#include "rules/report_gaps.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "rules/measures.h"

namespace parkwatch {
namespace {

std::vector<int64_t> Keys(std::vector<Period> periods) {
  std::vector<int64_t> keys;
  for (Period p : periods) keys.push_back(p.key());
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

// The definition, period by period: what a missing-report rule counted before the walk.
ReportGaps LookEachPeriodUp(const std::vector<int64_t>& keys, Period t, Period floor, bool combine,
                            int cap) {
  auto has = [&](Period q) { return std::binary_search(keys.begin(), keys.end(), q.key()); };
  auto reported = [&](Period q) {
    return has(q) ||
           (q.is_jan_feb() && (has(Period::Month(q.year(), 1)) || has(Period::Month(q.year(), 2))));
  };
  ReportGaps gaps;
  bool in_run = false;
  int looked = 0;
  for (Period q = t; q.valid() && looked < cap && !(q < floor);
       q = PreviousPeriod(q, combine), ++looked) {
    if (reported(q)) {
      in_run = false;
      continue;
    }
    if (!gaps.newest_missing) gaps.newest_missing = q, in_run = true;
    if (in_run) gaps.missing_since = q;
    ++gaps.overdue;
  }
  return gaps;
}

void ExpectSame(const ReportGaps& got, const ReportGaps& want, const std::string& what) {
  EXPECT_EQ(got.overdue, want.overdue) << what;
  EXPECT_EQ(got.newest_missing, want.newest_missing) << what;
  EXPECT_EQ(got.missing_since, want.missing_since) << what;
}

TEST(ReportGapsTest, AWeekSkippedInTheMiddleCountsUntilItArrives) {
  // 2020 has 53 ISO weeks: the gap 2020-W53 .. 2021-W01 is two weeks.
  std::vector<int64_t> keys = Keys({Period::Week(2020, 51), Period::Week(2020, 52),
                                    Period::Week(2021, 2), Period::Week(2021, 3)});
  ReportGaps gaps =
      CountReportGaps(keys, Period::Week(2021, 3), Period::Week(2020, 51), false, 530);
  EXPECT_EQ(gaps.overdue, 2);
  EXPECT_EQ(gaps.newest_missing, Period::Week(2021, 1));
  EXPECT_EQ(gaps.missing_since, Period::Week(2020, 53));
  // And at the end: everything after the last report, down to the run's start.
  gaps = CountReportGaps(keys, Period::Week(2021, 6), Period::Week(2020, 51), false, 530);
  EXPECT_EQ(gaps.overdue, 5);
  EXPECT_EQ(gaps.newest_missing, Period::Week(2021, 6));
  EXPECT_EQ(gaps.missing_since, Period::Week(2021, 4));
}

TEST(ReportGapsTest, JanuaryOrFebruaryReportsJanFebWhenTheGroupCombinesThem) {
  std::vector<int64_t> keys =
      Keys({Period::Month(2023, 11), Period::Month(2024, 2), Period::Month(2024, 3)});
  // Combined: Dec 2023 is the only gap (Jan–Feb is reported by February).
  ReportGaps gaps =
      CountReportGaps(keys, Period::Month(2024, 3), Period::Month(2023, 11), true, 120);
  EXPECT_EQ(gaps.overdue, 1);
  EXPECT_EQ(gaps.newest_missing, Period::Month(2023, 12));
  // Singly: January is missing too.
  gaps = CountReportGaps(keys, Period::Month(2024, 3), Period::Month(2023, 11), false, 120);
  EXPECT_EQ(gaps.overdue, 2);
  EXPECT_EQ(gaps.newest_missing, Period::Month(2024, 1));
  EXPECT_EQ(gaps.missing_since, Period::Month(2023, 12));
}

TEST(ReportGapsTest, NothingIsDueBeforeTheFloorAndAtMostCapPeriodsAreCounted) {
  std::vector<int64_t> keys = Keys({Period::Month(2024, 6)});
  EXPECT_EQ(
      CountReportGaps(keys, Period::Month(2024, 5), Period::Month(2024, 6), false, 120).overdue, 0);
  ReportGaps gaps = CountReportGaps({}, Period::Month(2024, 12), Period::Month(2000, 1), false, 12);
  EXPECT_EQ(gaps.overdue, 12);
  EXPECT_EQ(gaps.missing_since, Period::Month(2024, 1));
}

// Random series with gaps anywhere, single months and Jan–Feb mixed, weeks across 53-week
// years, floors and caps anywhere: the walk agrees with the lookups every time.
TEST(ReportGapsTest, AgreesWithLookingEveryDuePeriodUpOnRandomSeries) {
  std::mt19937 rng(11);
  for (int round = 0; round < 4000; ++round) {
    const bool weekly = round % 3 == 0, combine = !weekly && round % 2 == 0;
    std::vector<Period> line;  // every period of 2019–2024 as the data may hold them
    for (int y = 2019; y <= 2024; ++y) {
      if (weekly) {
        for (int w = 1; w <= IsoWeeksInYear(y); ++w) line.push_back(Period::Week(y, w));
      } else {
        line.push_back(Period::Month(y, 1));
        line.push_back(Period::JanFeb(y));
        for (int m = 2; m <= 12; ++m) line.push_back(Period::Month(y, m));
      }
    }
    std::uniform_int_distribution<size_t> at(0, line.size() - 1);
    const int density = std::uniform_int_distribution<int>(0, 100)(rng);
    std::vector<Period> reported;
    for (Period p : line)
      if (std::uniform_int_distribution<int>(0, 99)(rng) < density) reported.push_back(p);
    std::vector<int64_t> keys = Keys(reported);
    Period t = line[at(rng)], floor = line[at(rng)];
    if (combine && t.monthly() && t.first_month() <= 2) t = Period::JanFeb(t.year());
    if (combine && floor.monthly() && floor.first_month() <= 2)
      floor = Period::JanFeb(floor.year());
    const int cap = std::uniform_int_distribution<int>(1, 400)(rng);
    ExpectSame(CountReportGaps(keys, t, floor, combine, cap),
               LookEachPeriodUp(keys, t, floor, combine, cap),
               t.ToString() + " back to " + floor.ToString() + (combine ? " combined" : "") +
                   " cap " + std::to_string(cap));
    if (HasFailure()) break;
  }
}

}  // namespace
}  // namespace parkwatch
