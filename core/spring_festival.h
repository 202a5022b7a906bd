// The Spring Festival (春节), which moves between late January and mid February and stops most
// factories for one to three weeks: weekly output around it compares badly with the same ISO week
// a year before, so weekly year-on-year rules can leave those weeks out.
#pragma once

#include <chrono>
#include <optional>

#include "core/period.h"

namespace parkwatch {

// New Year's Day of the Chinese calendar in a Gregorian year; nullopt outside 2010–2040.
std::optional<std::chrono::year_month_day> SpringFestival(int year);

// Whether an ISO week overlaps the festival season: from a week before the festival to two
// weeks after it (factories wind down before it; migrant workers return after the 15th day).
// Only weekly periods can be festival weeks.
bool IsSpringFestivalWeek(Period week);

}  // namespace parkwatch
