// Backtesting rule sets on stored history: `parkwatch backtest`. Before deploying new
// thresholds, staff want to know what they would have done: which enterprises, industries or
// the park would have been alerted, from when to when, at which level, and how many alerts in
// all compared with the thresholds running now.
//
// Backtest replays the periods of a month range through the same Evaluator and alert lifecycle
// (Advance) as the daemon, in memory: nothing is notified and nothing is written, so it is safe
// on the production store while the daemon runs (SQLite WAL lets the reader in).
//
// Periods: monthly groups take the months of the range as their group sees them (Jan–Feb as one
// period when the group combines them, NBS practice; it is taken when the range reaches into
// January or February). Weekly groups take the ISO weeks whose Thursday falls inside the range,
// the ISO rule for which month a week belongs to, so consecutive ranges neither overlap nor
// leave gaps.
//
// What is reported per rule:
//   - episodes: one per alert that fired, with its scope (enterprise code and name, industry,
//     park, set), the first and last period it was firing with data, the highest level, and
//     how many periods with data it was firing; an alert still firing at the end of the range
//     is marked ongoing.
//   - periods without data: when no member of the rule had a value at a period, the period is
//     listed with the reason ("separate January and February rates cannot be combined: NBS
//     publishes only 1—2月"), never counted as a zero or as a quiet period.
//   - totals: alerts fired, periods firing, alerts by highest level.
//
// Limits, on purpose: the lifecycle starts inactive at the first period of the range, so an
// alert already firing before it shows as firing from that period once `for` is met again; the
// store's current figures are used for every period (revisions are not rolled back), so a
// missing-report rule only sees enterprises that have still not reported.
#pragma once

#include <array>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "alerts/alert.h"
#include "alerts/lifecycle.h"
#include "config/config.h"
#include "core/period.h"
#include "core/wording.h"
#include "rules/rule_config.h"
#include "rules/rule_data.h"

namespace parkwatch {

// One alert that fired during the range.
struct BacktestEpisode {
  std::map<std::string, std::string> labels;
  std::string scope;  // "enterprise 91430700MA4L000011 甲药业", "industry 医药化工", "park"
  Period from;        // first period firing
  Period to;          // last period firing with data
  Severity highest = Severity::kNone;
  int periods = 0;  // periods with data while firing
  bool ongoing = false;
};

// A run of consecutive periods in which no member of the rule had data, for the same reason
// (a run's reason says "each period" where one period's names it).
struct NoDataRun {
  Period from, to;
  int periods = 0;
  Wording reason;
};

struct RuleBacktest {
  std::string rule;
  std::string group;
  Cadence cadence = Cadence::kMonthly;
  std::string measure;  // as written, or missing_report
  int periods = 0;      // periods of the range evaluated
  std::vector<BacktestEpisode> episodes;
  std::vector<NoDataRun> no_data;
  int periods_firing = 0;                // sum of the episodes' periods
  std::array<int, 5> alerts_by_level{};  // by highest level, indexed by Severity
  // Each identity's status at the end of the range, by fingerprint, with its observation log:
  // what the daemon must hold after the same data arrived in any order.
  std::map<std::string, AlertStatus> final_status;

  int alerts() const { return static_cast<int>(episodes.size()); }
};

struct BacktestResult {
  std::string label;  // the rule files, for headings: "rules.yml"
  std::vector<RuleBacktest> rules;
};

// Replays every rule of rules over [from, to] (months, inclusive) on data, which must have been
// loaded (or prepared) for this rule set.
BacktestResult Backtest(const RuleSet& rules, const Config& config, const RuleData& data,
                        std::chrono::year_month from, std::chrono::year_month to);

// The periods a group evaluates in [from, to], ascending (see the file comment).
std::vector<Period> BacktestPeriods(const RuleGroup& group, std::chrono::year_month from,
                                    std::chrono::year_month to);

// What a second rule set changes of one rule's alerts, by member and period: the answer to "which
// enterprises would this threshold change alert, and when?" (the console's tuning preview and
// `backtest --compare`). Episodes are matched by identity (labels): one only after is added, one
// only before removed, one of the same identity whose periods or level differ changed.
struct BacktestChange {
  std::string change;  // added | removed | changed
  std::map<std::string, std::string> labels;
  std::string scope;
  std::optional<BacktestEpisode> before, after;
};

struct BacktestDiff {
  std::string rule;
  int added = 0, removed = 0, changed = 0;
  std::vector<BacktestChange> changes;           // by scope, then period
  std::vector<Period> periods;                   // the periods evaluated
  std::vector<int> firing_before, firing_after;  // alerts firing at each period
};

// The diff of one rule's two backtests over the same range (group: the rule's group, for the
// periods).
BacktestDiff DiffBacktests(const RuleBacktest& before, const RuleBacktest& after,
                           const RuleGroup& group, std::chrono::year_month from,
                           std::chrono::year_month to);
std::string BacktestDiffJson(const BacktestDiff& diff);  // one JSON object

// Reports: per rule and scope, then totals; with compare, the second set likewise and a
// side-by-side total per rule.
std::string BacktestText(const std::vector<BacktestResult>& results, std::chrono::year_month from,
                         std::chrono::year_month to);
// With two results (--compare) and the second rule set, the JSON also has "diff": one
// BacktestDiffJson per rule of the second set that the first has too.
std::string BacktestJson(const std::vector<BacktestResult>& results, std::chrono::year_month from,
                         std::chrono::year_month to, const RuleSet* compared = nullptr);

}  // namespace parkwatch
