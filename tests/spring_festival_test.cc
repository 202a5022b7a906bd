#include "core/spring_festival.h"

#include <gtest/gtest.h>

namespace parkwatch {
namespace {

TEST(SpringFestivalTest, KnownDates) {
  using namespace std::chrono;
  EXPECT_EQ(SpringFestival(2024), 2024y / February / 10);
  EXPECT_EQ(SpringFestival(2023), 2023y / January / 22);
  EXPECT_EQ(SpringFestival(2026), 2026y / February / 17);
  EXPECT_FALSE(SpringFestival(1999).has_value());
}

TEST(SpringFestivalTest, SeasonRunsFromAWeekBeforeToTwoWeeksAfter) {
  // 2024: festival Saturday 10 February, in ISO week 6.
  EXPECT_FALSE(IsSpringFestivalWeek(Period::Week(2024, 4)));  // 22–28 Jan
  EXPECT_TRUE(IsSpringFestivalWeek(Period::Week(2024, 5)));   // 29 Jan–4 Feb: from 3 Feb
  EXPECT_TRUE(IsSpringFestivalWeek(Period::Week(2024, 6)));
  EXPECT_TRUE(IsSpringFestivalWeek(Period::Week(2024, 8)));  // 19–25 Feb: until 23 Feb
  EXPECT_FALSE(IsSpringFestivalWeek(Period::Week(2024, 9)));
  EXPECT_FALSE(IsSpringFestivalWeek(Period::Month(2024, 2)));  // months are never festival weeks
}

}  // namespace
}  // namespace parkwatch
