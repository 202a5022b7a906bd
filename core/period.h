// A reporting period: an ISO 8601 week, a calendar month, or NBS's combined January–February.
//
// Periods are values, never timestamps: a figure belongs to the period it reports on, whenever it
// arrives. Every part of parkwatch (store keys, rules, API, metrics) speaks in Periods.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/wording.h"

namespace parkwatch {

enum class Cadence : char { kWeekly = 'W', kMonthly = 'M' };

std::string_view CadenceName(Cadence c);  // "weekly" | "monthly"
std::optional<Cadence> ParseCadence(std::string_view name);
// The one letter a cadence is stored under ("W", "M"), and back (anything else reads monthly).
std::string CadenceCode(Cadence c);
Cadence CadenceFromCode(std::string_view code);

class Period {
 public:
  Period() = default;  // invalid; valid() is false

  // Constructors for known-good values; return an invalid Period when out of range.
  static Period Week(int iso_year, int week);
  static Period Month(int year, int month);
  static Period JanFeb(int year);  // NBS's 1—2月, one period

  // Accepts the forms offices write: 2024-03, 2024/3, 202403, 2024年3月, 2024-W05, 2024W5,
  // 2024年第5周, and the combined 2024年1-2月, 2024年1—2月, 2024-01/02, 2024-01~02.
  // On failure returns nullopt and, if error is given, says why: in English, or in both
  // languages for messages a data file's sender reads (报告期 "2026年13月" 无效：月份应为1—12).
  static std::optional<Period> Parse(std::string_view text, std::string* error = nullptr);
  static std::optional<Period> Parse(std::string_view text, Wording* error);

  // Storage key: weekly year*100+week; monthly year*10000+first*100+last (so 2024-01/02 is
  // 20240102 and sorts between January and February). Inverse of key().
  static std::optional<Period> FromKey(Cadence cadence, int64_t key);

  bool valid() const { return year_ != 0; }
  Cadence cadence() const { return cadence_; }
  bool weekly() const { return cadence_ == Cadence::kWeekly; }
  bool monthly() const { return cadence_ == Cadence::kMonthly; }
  int year() const { return year_; }
  int week() const { return first_; }         // weekly only
  int first_month() const { return first_; }  // monthly only
  int last_month() const { return last_; }    // monthly only; 2 for Jan–Feb
  bool is_jan_feb() const { return monthly() && first_ == 1 && last_ == 2; }
  int64_t key() const;

  std::string ToString() const;  // 2024-W05, 2024-03, 2024-01/02

  // Neighbours in the same cadence. Months step one calendar month (Jan→Feb, Feb→Mar);
  // Jan–Feb steps to March and back to December. Weeks step across ISO years.
  Period Next() const;
  Period Prev() const;

  // The period a year before, for YoY: same ISO week number (nullopt for week 53 when the
  // previous ISO year has 52 weeks), same month(s).
  std::optional<Period> SameLastYear() const;

  // First and last civil day (Monday..Sunday for weeks).
  std::chrono::year_month_day FirstDay() const;
  std::chrono::year_month_day LastDay() const;

  // Periods covering a civil day.
  static Period WeekOf(std::chrono::year_month_day day);
  static Period MonthOf(std::chrono::year_month_day day);

  friend bool operator==(const Period&, const Period&) = default;
  friend std::strong_ordering operator<=>(const Period& a, const Period& b) {
    if (auto c = a.cadence_ <=> b.cadence_; c != 0) return c;
    return a.key() <=> b.key();
  }

 private:
  Period(Cadence c, int year, int first, int last)
      : cadence_(c), year_(year), first_(first), last_(last) {}

  Cadence cadence_ = Cadence::kMonthly;
  int16_t year_ = 0;
  int8_t first_ = 0;
  int8_t last_ = 0;
};

// Number of ISO weeks (52 or 53) in an ISO week-numbering year.
int IsoWeeksInYear(int iso_year);

}  // namespace parkwatch
