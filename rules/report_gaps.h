// The due periods an enterprise has not reported, counted from its sorted reported periods: what
// a missing-report rule measures (rules/evaluator.cc EvaluateMissing).
//
// Every due period without a figure counts, gaps before the last report included (a week skipped
// in the middle is as missing as one at the end, until it arrives). Counting them period by
// period cost one lookup per due period, ~260 weeks of five years for each enterprise; this walks
// the enterprise's reported periods once instead, numbering the periods of the cadence
// consecutively so that a gap's length is a subtraction.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "core/period.h"

namespace parkwatch {

struct ReportGaps {
  int overdue = 0;                       // due periods from t back to the floor without a report
  std::optional<Period> newest_missing;  // the latest of them
  std::optional<Period> missing_since;   // the oldest of the run of missing periods ending there
};

// reported: the enterprise's reported periods of t's cadence (Period::key, ascending, as
// RuleData keeps them). The due periods are t and those before it down to floor, at most cap of
// them, stepped as PreviousPeriod steps (Jan–Feb one period when combine_jan_feb). A period
// counts as reported as RuleData::HasReported says: Jan–Feb when January, February or Jan–Feb has
// a figure. Nothing is due when t is before floor.
ReportGaps CountReportGaps(std::span<const int64_t> reported, Period t, Period floor,
                           bool combine_jan_feb, int cap);

}  // namespace parkwatch
