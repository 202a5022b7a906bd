#include "core/spring_festival.h"

namespace parkwatch {
namespace {

// Chinese New Year's Day, Gregorian month and day, 2010..2040 (public calendar facts).
constexpr unsigned char kDates[][2] = {
    {2, 14}, {2, 3},  {1, 23}, {2, 10}, {1, 31}, {2, 19}, {2, 8}, {1, 28}, {2, 16}, {2, 5}, {1, 25},
    {2, 12}, {2, 1},  {1, 22}, {2, 10}, {1, 29}, {2, 17}, {2, 6}, {1, 26}, {2, 13}, {2, 3}, {1, 23},
    {2, 11}, {1, 31}, {2, 19}, {2, 8},  {1, 28}, {2, 15}, {2, 4}, {1, 24}, {2, 12}};
constexpr int kFirstYear = 2010;

}  // namespace

std::optional<std::chrono::year_month_day> SpringFestival(int year) {
  int i = year - kFirstYear;
  if (i < 0 || i >= static_cast<int>(std::size(kDates))) return std::nullopt;
  return std::chrono::year(year) / std::chrono::month(kDates[i][0]) /
         std::chrono::day(kDates[i][1]);
}

bool IsSpringFestivalWeek(Period week) {
  if (!week.valid() || !week.weekly()) return false;
  using std::chrono::days;
  using std::chrono::sys_days;
  sys_days first(week.FirstDay()), last(week.LastDay());
  // The festival of the week's own ISO year; week 1 may start in late December.
  for (int year : {week.year(), week.year() + 1}) {
    auto festival = SpringFestival(year);
    if (!festival) continue;
    sys_days from = sys_days(*festival) - days(7), to = sys_days(*festival) + days(14);
    if (first < to && last >= from) return true;
  }
  return false;
}

}  // namespace parkwatch
