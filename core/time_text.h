// Periods and times as a person reads them, in Chinese or English: 2025年第19周（5月5日—5月11日）,
// 2025年6月, 2025年1—2月; week 19 of 2025 (5 May – 11 May), June 2025, January–February 2025; and
// instants in the park's time zone. Messages, the API's answers and reports all go through these.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "core/period.h"
#include "core/wording.h"

namespace parkwatch {

enum class Language { kZh, kEn };

// 2025年第19周 / 2025年6月 / 2025年1—2月; week 19 of 2025 / June 2025 / January–February 2025.
std::string PeriodName(const Period& period, Language lang = Language::kZh);

// A month's year to date: 2025年1—6月 / January–June 2025 (1—2月 for Jan–Feb); weeks as PeriodName.
std::string YearToDateName(const Period& period, Language lang = Language::kZh);

// PeriodName and YearToDateName in both languages, for a text worded in both (core/wording.h).
Wording PeriodWording(const Period& period);
Wording YearToDateWording(const Period& period);

// 5月5日—5月11日 / 5 May – 11 May: the days the period covers.
std::string PeriodDays(const Period& period, Language lang = Language::kZh);

// The name with its days for weeks: 2025年第19周（5月5日—5月11日）; months as PeriodName.
std::string PeriodNameWithDays(const Period& period, Language lang = Language::kZh);

// Offset from UTC in minutes of a time zone parkwatch supports, or nullopt: the zones on UTC+8
// all year (Asia/Shanghai and its aliases, Hong Kong, Macau, Taipei, Singapore — none has had
// daylight saving since 1991), UTC/GMT, and fixed offsets (UTC+8, +08:00, -0530). No tz database
// is read: a park's deadlines and log times must not change with the host's tzdata.
// Configuration refuses any other zone at its file, line and column. Thread: any.
std::optional<int> UtcOffsetMinutes(const std::string& zone);

// RFC 3339 in a zone of fixed offset: "2026-11-30T20:15:00+08:00".
std::string LocalRfc3339(int64_t unix_seconds, int utc_offset_minutes);

// "2025-05-05": a civil day in ISO form.
std::string IsoDate(const std::chrono::year_month_day& day);

}  // namespace parkwatch
