// The rule evaluator: turns RuleData (the figures) and the loaded RuleSet into per-scope
// outcomes of one rule at one period. The alert lifecycle (alerts/) turns outcomes into pending,
// firing and resolved alerts; the evaluator itself keeps no state.
//
// Scope members (同口径): a rule at period t looks at the enterprises that pass its `where`
// selector AND are above designated size (规上) in t's year, so every growth compares the same
// enterprise set in both years (see rules/measures.h). Pseudo-enterprises holding price indices
// are in no scope (rules/rule_data.h).
//
//   scope: enterprise  one outcome per member, the measure over {e}. pull/contribution/share of
//                      an enterprise are against the park's members (or, with `of: industry`, its
//                      industry's members), whatever `where` says: `where` picks whom to watch,
//                      not what the whole is.
//   scope: industry    one outcome per industry with members; pull/contribution/share against
//                      the park.
//   scope: park        one outcome over all members.
//   scope: set:NAME    one outcome over the members among the set's credit codes.
//
// Targets: with `target: NAME` the value is measure − RuleSet::Target(NAME, key), key "park",
// "industry:<name>", the credit code, or "set:<name>"; no target for the key is no data.
// Anomaly rules: value = |z| of the enterprise's figure against the same period of its previous
// `years` years. Missing-report rules (members: `reporters:` all, key or a set's): value = due
// periods up to t without any figure of the enterprise in the cadence, gaps included, from its
// first report (or, never reported, its first 规上 year or the rules' first period) on;
// 0 = nothing owed, which clears.
//
// A member whose measure has no data still gets an outcome, with the reason, level none and
// cleared false: the lifecycle keeps an alert's state on no data instead of resolving it.
//
// Outcomes carry numbers only; their labels, variables and annotations are built when asked
// (rules/outcome.h says why), from the RuleData passed to Evaluate and the evaluator's Config.
//
// Time zones: GCC 12's libstdc++ has no time zone database (std::chrono::locate_zone), so
// deadlines support fixed offsets only: "UTC"/"GMT", "UTC+8", "UTC+08:00", "+08:00", "+0800",
// and the zone names of UTC+8 regions, Asia/Shanghai among them (China has kept UTC+8 without
// daylight saving time since 1991, so the fixed offset is exact for every period we handle).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/period.h"
#include "core/time_text.h"  // UtcOffsetMinutes
#include "rules/outcome.h"
#include "rules/rule_config.h"
#include "rules/rule_data.h"
#include "store/store.h"

namespace parkwatch {

// Whether an enterprise owes a missing-report rule's report at cadence: the register's 应报报表
// where it says, then the rule's reporters (in_set: the enterprise is in the rule's set).
bool OwesReport(const RuleConfig& rule, const EnterpriseInfo& info, Cadence cadence, bool in_set);

class Evaluator {
 public:
  // Holds references: rules and config must outlive the evaluator (the daemon builds a new
  // evaluator on reload).
  Evaluator(const RuleSet& rules, const Config& config);

  // Outcomes of one rule of group at period t. only: if non-null, restricts enterprise-scope
  // rules to these enterprise indices and industry-scope rules to their industries (park and
  // set scopes are always evaluated). Pull, contribution and share depend on the whole, so those
  // rules ignore `only` and evaluate every member. A period of the wrong cadence, and a single
  // January or February in a group that combines them, give no outcomes.
  std::vector<RuleOutcome> Evaluate(const RuleGroup& group, const RuleConfig& rule,
                                    const RuleData& data, Period t,
                                    const std::set<EnterpriseIndex>* only = nullptr) const;

  // Whether Evaluate gives no outcomes at t because the group leaves the Spring Festival season
  // out of the rule's year-on-year comparison (`spring_festival: exclude`).
  static bool SkipsFestival(const RuleGroup& group, const RuleConfig& rule, Period t);

  // Missing-report schedule: the latest period of the group's cadence whose deadline (the
  // rule's "mon 12:00" / "day 10 12:00" in the group's time zone) is at or before now (unix
  // seconds). nullopt for an unsupported time zone.
  static std::optional<Period> DuePeriod(const RuleGroup& group, const RuleConfig& rule,
                                         int64_t now);
  // The deadline of period p in unix seconds: weekly, the rule's weekday of the week after p;
  // monthly, the rule's day of the month after p (after February for Jan–Feb). INT64_MAX
  // ("never") for an unsupported time zone.
  static int64_t DeadlineOf(const RuleGroup& group, const RuleConfig& rule, Period p);

 private:
  struct Context;
  class ThresholdRun;  // EvaluateThreshold's stages (evaluator.cc)
  void EvaluateThreshold(const Context& c, std::vector<RuleOutcome>* out) const;
  void EvaluateAnomaly(const Context& c, std::vector<RuleOutcome>* out) const;
  void EvaluateMissing(const Context& c, std::vector<RuleOutcome>* out) const;

  const RuleSet& rules_;
  const Config& config_;
};

// How far a batch's changes are followed (PeriodsToEvaluate).
enum class BatchReach {
  // Every period from the earliest one touched to the latest: for batches whose touched periods
  // may not name every figure whose counting changed (read back from the store, which does not
  // record the later figures a batch's unit-slip check held or let back in).
  kToLatest,
  // The periods a touched figure can change the outcome of, for the measures whose reach is
  // known: level and value at the period, yoy at the period and the same period a year later,
  // unit_slip at the period and the few after it that take their recent level from it (and the
  // latest period, where the rule's status is told); other measures from the earliest touched
  // period to the latest. For a batch's own summary, which names every change.
  kReached,
};

// The periods at which a rule should be evaluated, ascending (a single January and February
// become Jan–Feb when the group combines them).
//   - Without a batch: every period with figures in the rule's table.
//   - With a batch: the table's periods from the earliest period the batch touched for the
//     rule's indicator (or its deflator, under comparable prices) to the latest, since YoY, YTD,
//     anomaly and consecutive declines at later periods read earlier ones — or, with
//     BatchReach::kReached, only those the touched figures reach. A batch that touched
//     enterprises but none of those figures gives the latest period (a file resent unchanged);
//     an attribute change (key, industry, size) reaches every period, which the engine asks for
//     without a batch (AlertEngine, BatchEffect::attributes_changed).
//   - Missing-report rules (driven by DuePeriod): with a batch, the touched periods of the
//     group's cadence (a late report clears); without one, the latest period reported.
std::vector<Period> PeriodsToEvaluate(const RuleGroup& group, const RuleConfig& rule,
                                      const RuleData& data, const BatchSummary* batch,
                                      BatchReach reach = BatchReach::kToLatest);

// One warning per rule that wants a price index (prices: comparable or comparable_or_current)
// whose deflator has_index says was never ingested for the rule's cadence: such a rule reports
// no data (comparable) or compares at current prices (comparable_or_current), and the bureau
// should know which before reading its alerts. `check-config` and the daemon's start log say it.
struct PriceIndexWarning {
  std::string rule;  // "rules/default.yml:123: IndustryValueAddedDecline: yoy(value_added, …)"
  std::string text;  // the rule, then what it wants and what it does meanwhile

  bool operator==(const PriceIndexWarning&) const = default;
};
std::vector<PriceIndexWarning> PriceIndexWarnings(
    const RuleSet& rules, const std::function<bool(const std::string&, Cadence)>& has_index);

}  // namespace parkwatch
