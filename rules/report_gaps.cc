#include "rules/report_gaps.h"

#include <algorithm>
#include <chrono>

namespace parkwatch {
namespace {

// The periods of one cadence numbered consecutively in the order PreviousPeriod steps them:
// weeks across ISO years, months (or Jan–Feb, March..December when combined) across years.
class PeriodLine {
 public:
  PeriodLine(Cadence cadence, bool combine_jan_feb)
      : weekly_(cadence == Cadence::kWeekly), combine_(combine_jan_feb) {}

  // The number of a period's key; none for a period off the line (Jan–Feb where months count
  // singly). A single January or February of a combined group has Jan–Feb's number.
  std::optional<int64_t> Number(int64_t key) {
    if (weekly_) {
      const int year = static_cast<int>(key / 100);
      if (year != year_) year_ = year, first_week_ = MondayNumber(Period::Week(year, 1));
      return first_week_ + key % 100 - 1;
    }
    const int64_t year = key / 10000, first = key / 100 % 100, last = key % 100;
    if (combine_) return year * 11 + (first <= 2 ? 0 : first - 2);
    if (first != last) return std::nullopt;
    return year * 12 + first - 1;
  }

  Period At(int64_t number) const {
    using namespace std::chrono;
    if (weekly_) return Period::WeekOf(year_month_day(sys_days(days(number * 7 - 3))));
    if (combine_) {
      const int year = static_cast<int>(number / 11), rest = static_cast<int>(number % 11);
      return rest == 0 ? Period::JanFeb(year) : Period::Month(year, rest + 2);
    }
    return Period::Month(static_cast<int>(number / 12), static_cast<int>(number % 12) + 1);
  }

 private:
  // Mondays are days 4 + 7k since 1970-01-01 (a Thursday): week k + 1.
  static int64_t MondayNumber(Period week) {
    using namespace std::chrono;
    return (sys_days(week.FirstDay()).time_since_epoch().count() + 3) / 7;
  }

  bool weekly_, combine_;
  int year_ = 0;
  int64_t first_week_ = 0;
};

}  // namespace

ReportGaps CountReportGaps(std::span<const int64_t> reported, Period t, Period floor,
                           bool combine_jan_feb, int cap) {
  ReportGaps gaps;
  if (!t.valid() || t < floor || cap <= 0) return gaps;
  PeriodLine line(t.cadence(), combine_jan_feb);
  // Off the line is only Jan–Feb where months count singly. As t it is numbered right after its
  // predecessor (December), as the floor it lets February be the first period due.
  std::optional<int64_t> t_number = line.Number(t.key());
  const int64_t top =
      t_number ? *t_number : *line.Number(Period::Month(t.year() - 1, 12).key()) + 1;
  std::optional<int64_t> floor_number = line.Number(floor.key());
  if (!floor_number) floor_number = line.Number(Period::Month(floor.year(), 2).key());
  const int64_t bottom = std::max(std::min(*floor_number, top), top - cap + 1);
  // t's report is looked up as HasReported does: Jan–Feb by any of January, Jan–Feb, February.
  const Period jan = Period::Month(t.year(), 1), feb = Period::Month(t.year(), 2);
  const int64_t t_from = t.is_jan_feb() ? jan.key() : t.key();
  const int64_t t_to = t.is_jan_feb() ? feb.key() : t.key();
  auto below_t = std::lower_bound(reported.begin(), reported.end(), t_from);
  const bool t_reported = below_t != reported.end() && *below_t <= t_to;

  // Walking down from t: next is the newest period not yet seen; a run of missing periods is open
  // while the newest missing one has no reported period below it yet.
  int64_t count = t_reported ? 1 : 0, next = top - 1;
  std::optional<int64_t> newest, since;
  bool run_open = !t_reported;
  if (!t_reported) newest = top;
  for (auto it = below_t; it != reported.begin();) {
    std::optional<int64_t> n = line.Number(*--it);
    if (!n || *n > next) continue;  // off the line, or Jan–Feb's number seen already
    if (*n < bottom) break;
    if (*n < next && !newest) newest = next, run_open = true;
    if (run_open) since = *n + 1, run_open = false;
    ++count;
    next = *n - 1;
  }
  if (next >= bottom && !newest) newest = next, run_open = true;
  if (run_open) since = bottom;
  auto period = [&](int64_t n) { return n == top ? t : line.At(n); };
  gaps.overdue = static_cast<int>(top - bottom + 1 - count);
  if (newest) gaps.newest_missing = period(*newest), gaps.missing_since = period(*since);
  return gaps;
}

}  // namespace parkwatch
