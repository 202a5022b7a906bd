// Rule files: the early-warning rules operations staff write and tune (see README, "Rules").
//
// A rule file holds groups; a group has a cadence (weekly | monthly) and rules. A rule names a
// scope (enterprise | industry | park | set:NAME), a selector, a measure such as yoy(output_value),
// four colour thresholds (blue < yellow < orange < red; red most severe), a clear threshold for
// hysteresis, `for` and `keep_firing_for` in periods, labels and annotations. Thresholds can be
// overridden per industry and per enterprise without copying the rule.
//
// Loading is all-or-nothing like the main config: every problem is reported with file, line and
// column, and a RuleSet is only replaced when all files are valid.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/diagnostic.h"
#include "core/period.h"
#include "core/severity.h"

namespace parkwatch {

enum class RuleKind { kThreshold, kMissingReport, kAnomaly };
enum class ScopeKind { kEnterprise, kIndustry, kPark, kSet };

enum class MeasureKind {
  kLevel,                // level(x): Σ of the scope
  kValue,                // value(rate): a published rate, used as given
  kYoy,                  // yoy(x): same period a year before, same-enterprise caliber
  kYtdYoy,               // ytd_yoy(x): cumulative from the start of the year
  kMom,                  // mom(x): previous period
  kTwoYearAvg,           // two_year_avg(x)
  kShare,                // share(x): of the park
  kPull,                 // pull(x): to the park's (or industry's) YoY growth
  kContribution,         // contribution(x): share of the park's (or industry's) change
  kConsecutiveDeclines,  // consecutive_declines(x): periods in a row with negative YoY
  kChange,               // change(x): ratio points against a year (or a period) before
  kUnitSlip,             // unit_slip(x): 1, 3 or 4 when V(t) is ~10^n or 10^-n of recent level
  kFall,                 // fall(x): YoY from its own course where that declines (Measures::Falls)
};

// Which prices a value measure is at (可比价 or 现价). comparable_or_current: comparable where
// the industry's price index exists for the period, current otherwise, each outcome saying which.
enum class PriceBasis { kCurrent, kComparable, kComparableOrCurrent };

struct MeasureSpec {
  MeasureKind kind = MeasureKind::kYoy;
  std::string indicator;
  bool comparable_prices = false;  // deflate by the industry's price index (prices: comparable)
  PriceBasis prices = PriceBasis::kCurrent;  // as written; comparable_prices unless current
  bool against_previous = false;  // change(x, against: period): the period before, not a year
  std::string deflator = "ppi";   // indicator holding the price index (last year = 100)
  std::string whole = "park";     // for pull/contribution/share: park | industry
  double swings = 3;              // fall(x, swings: N): usual swings a sudden fall reaches
  double by = 0;     // consecutive_declines(x, by: 0.01): a period's fall counts from 1 % on
  std::string text;  // as written, for messages: ytd_yoy(value_added, prices: comparable)
};

// Parses "yoy(output_value)", "ytd_yoy(value_added, prices: comparable)", "pull(output_value,
// of: industry)". Returns nullopt and sets *error when malformed.
std::optional<MeasureSpec> ParseMeasure(const std::string& text, std::string* error);

enum class Direction { kBelow, kAbove };

// Who owes a report each period (missing_report rules): every enterprise in scope, the key
// enterprises, or the members of a named set (RuleConfig::set).
// Who owes a missing-report rule's reports: every member, the key ones, a named set's, or those
// whose register entry (应报报表) lists the rule's cadence. See Evaluator: OwesReport.
enum class Reporters { kAll, kKey, kSet, kRegister };

struct Thresholds {
  Direction direction = Direction::kBelow;
  std::array<std::optional<double>, 5> levels;  // index by Severity; [0] unused
  std::optional<double> clear;                  // must be passed to resolve (hysteresis)

  // The most severe level the value reaches (kNone if none).
  Severity Classify(double value) const;
  // Whether the value is on the safe side of the clear threshold (or of the mildest level when
  // no clear threshold is set).
  bool Cleared(double value) const;
};

struct ThresholdOverride {
  std::string industry;    // one of these two is set
  std::string enterprise;  // credit code
  Thresholds thresholds;   // the rule's, with the levels the override sets
  // The levels the override sets itself (by Severity, as Thresholds::levels): a decision of its
  // own that a change of the rule's level leaves alone; the others follow the rule's.
  std::array<bool, 5> own{};
  int line = 0;
};

struct Selector {
  std::optional<bool> key;               // key enterprises only (true) or non-key (false)
  std::vector<std::string> industries;   // empty = all
  std::vector<std::string> enterprises;  // credit codes; empty = all
};

struct Deadline {
  // Weekly: day of the week after the period (1 = Monday) and time; monthly: day of the month
  // after the period and time. "mon 12:00", "day 10 12:00".
  int day = 1;
  int minute_of_day = 12 * 60;
};

struct RuleConfig {
  std::string name;  // the alert name: an identifier for routes, API and metrics
  // What a person reads instead of the identifier: 重点企业产值同比下降 / Key enterprise output
  // drop. Messages in Chinese use title_zh (else title, else the name).
  std::string title;
  std::string title_zh;
  RuleKind kind = RuleKind::kThreshold;
  ScopeKind scope = ScopeKind::kEnterprise;
  std::string set;  // scope set:NAME, or reporters set:NAME
  Selector where;
  MeasureSpec measure;
  Thresholds thresholds;
  std::vector<ThresholdOverride> overrides;
  std::string target;  // targets key: compare value - target against the thresholds
  int for_periods = 1;
  int keep_firing_for = 0;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  Deadline deadline;                      // missing_report
  Reporters reporters = Reporters::kAll;  // missing_report: `reporters:` (required there)
  int anomaly_years = 3;                  // anomaly: how many previous years to compare with
  std::string file;
  int line = 0;

  // What the rule's levels are compared with, as pages and reports name it: the measure as
  // written, "missing_report" (periods overdue) or "anomaly(x)" (a score of x against its past).
  std::string MeasureName() const;

  // Thresholds for one scope member: an enterprise override wins over an industry one, which
  // wins over the rule's own.
  const Thresholds& ThresholdsFor(const std::string& industry, const std::string& enterprise) const;
};

struct RuleGroup {
  std::string name;
  Cadence cadence = Cadence::kMonthly;
  std::string timezone = "Asia/Shanghai";
  bool combine_jan_feb = true;  // NBS practice: January and February are one period
  // Weekly groups: leave the Spring Festival weeks (a week before to two weeks after, in this
  // year or the year compared with) out of year-on-year measures ("spring_festival: exclude").
  bool exclude_spring_festival = false;
  std::vector<RuleConfig> rules;
  std::string file;
};

// A threshold change made in the console (a rule file's `tuning:` list; the console keeps its
// own in console-tuning.yml beside the rule files, rules/tuning.h): the levels of one rule for
// the rule itself, one industry or one enterprise. Applied in order after every rule file is
// loaded, so the last change to a member wins.
struct Tuning {
  std::string rule;
  std::string industry;                           // at most one of industry and enterprise;
  std::string enterprise;                         // neither: the rule's own levels
  std::array<std::optional<double>, 5> levels;    // by Severity; unset levels are left alone
  std::array<std::optional<double>, 5> previous;  // what they were (for a revert)
  std::string by, at, comment;                    // who, when (RFC 3339), why
  std::string file;
  int line = 0;
};

struct RuleSet {
  std::vector<RuleGroup> groups;
  std::vector<Tuning> tunings;  // applied (LoadRuleFiles): kept for the console's history
  std::map<std::string, std::vector<std::string>> sets;  // named enterprise sets (credit codes)
  // targets[name][scope] = annual target (ratio); scope "park", "industry:医药化工" or a code.
  std::map<std::string, std::map<std::string, double>> targets;

  const RuleConfig* FindRule(const std::string& name) const;
  std::optional<double> Target(const std::string& name, const std::string& scope) const;
};

// The problem with levels that do not grow in severity in the watched direction, as the rule
// files and the console report it: the level (Severity index) and the message; nullopt if none.
std::optional<std::pair<int, std::string>> LevelOrderProblem(const Thresholds& t);

// Applies rules->tunings to its rules in order; a tuning of an unknown rule or with levels out
// of order is a diagnostic at its file and line. False if any.
bool ApplyTunings(RuleSet* rules, std::vector<Diagnostic>* diagnostics);

// Loads rule files (glob patterns allowed) into *out, all-or-nothing, and applies their
// `tuning:` entries after every group is loaded.
bool LoadRuleFiles(const std::vector<std::string>& patterns, RuleSet* out,
                   std::vector<Diagnostic>* diagnostics);
bool ParseRuleFile(const std::string& text, const std::string& file, RuleSet* into,
                   std::vector<Diagnostic>* diagnostics);

// Checks what a rule file cannot check alone: that every measure's indicator (and deflator) is
// configured, that value() reads a rate and growth measures a level. Appends diagnostics at the
// rule's file and line; false if any.
bool CheckRulesAgainstConfig(const RuleSet& rules, const Config& config,
                             std::vector<Diagnostic>* diagnostics);

// Human-readable differences of thresholds between two rule sets, one line each, for the audit
// record of a reload: "KeyEnterpriseOutputDrop: levels.red -0.3 -> -0.25".
std::vector<std::string> DiffThresholds(const RuleSet& before, const RuleSet& after);

}  // namespace parkwatch
