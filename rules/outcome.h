// What the evaluator concludes about one alert identity at one period, and the text derived from
// it when someone asks.
//
// Why the text is derived on demand: a full pass over a large park yields tens of thousands of
// outcomes (every enterprise for the anomaly and missing-report rules), and nearly all of them
// are "ok" for an alert that does not exist. Building every outcome's labels, template variables
// and rendered annotations eagerly (a dozen strings in three maps, about 4 µs each) cost several
// times more than the measures themselves. So an outcome holds numbers and indices only, and
// Labels(), Vars() and Annotations() build the strings for the outcomes that need them: the ones
// the alert engine records, `parkwatch test rules`, tests.
//
// Lifetime: those three read the RuleData and Config the outcome was evaluated with (and its
// rule), so call them before the data changes; the engine converts each pass's outcomes at once.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "config/config.h"
#include "core/period.h"
#include "core/wording.h"
#include "rules/rule_config.h"
#include "rules/rule_data.h"

namespace parkwatch {

struct RuleOutcome {
  const RuleConfig* rule = nullptr;
  const RuleGroup* group = nullptr;
  Period period;
  // The compared value: after target subtraction; |z| for anomaly; overdue periods for missing
  // report.
  std::optional<double> value;
  Wording no_data_reason;            // when value is empty, in both languages
  Severity level = Severity::kNone;  // Classify(value) with the thresholds of this member
  bool cleared = false;              // Cleared(value); false on no data
  std::optional<double> threshold;   // the threshold of the level reached, or the mildest one

  // Whom it is about: scope enterprise (also every anomaly and missing-report outcome) names an
  // enterprise index, scope industry an industry index; park and set (the rule's) need neither.
  ScopeKind scope = ScopeKind::kEnterprise;
  EnterpriseIndex enterprise = -1;
  int32_t industry = -1;

  // The numbers behind template variables of the same names, when the rule kind has them:
  // target and measured (the value before target subtraction) for targets; measured (V(t)), mean
  // and ratio for anomalies; last_reported for missing reports.
  std::optional<double> measured, target, mean, ratio;
  // Industry and park growth of a summed indicator: the totals behind it (MeasureResult::total).
  std::optional<double> total, total_year_ago;
  std::optional<Period> last_reported;
  // Threshold rules with a value: "comparable" or "current", the prices the value is at.
  const char* price_basis = nullptr;
  // Missing reports: the latest period still missing (the engine tells receivers of a missing
  // report only when it is recent; older ones are history).
  std::optional<Period> newest_missing;
  std::optional<Period> missing_since;  // first period of the missing run ending at newest_missing
  // fall(): the period's YoY growth, the growth over the year before (empty without one) and
  // the usual swing of its growth (Measures::Falls; empty while it has none of its own).
  std::optional<double> growth, course, swing;

  // What Labels, Vars and Annotations read; set by the evaluator.
  const RuleData* data = nullptr;
  const Config* config = nullptr;

  // Identity: {"scope": enterprise|industry|park|set, "enterprise": code, "industry": name,
  // "set": name} as applicable, plus the rule's labels (rendered with Vars(); identity keys win).
  // An enterprise outcome carries no industry label, so reclassifying an enterprise does not
  // orphan its alerts; Vars()["industry"] has it for messages.
  std::map<std::string, std::string> Labels() const;

  // Template variables: name, enterprise, industry, set, period, period_zh (2025年第20周),
  // missing_since and missing_since_zh (missing reports), value, level, level_zh,
  // threshold, month (monthly: last month of the period, 2 for Jan–Feb), week (weekly), target,
  // measured, mean, ratio, last_reported, rule, measure, scope, no_data_reason and
  // no_data_reason_zh; fall(): growth,
  // course, swing, below_course (growth − course) and against_course / against_course_zh
  // ("比此前一年的增速（同比下降6.0%）低8.0个百分点"). value is unset on no data, so a template
  // shows "<no value>".
  std::map<std::string, std::string> Vars() const;

  // The rule's annotations rendered with Vars(); a missing report also carries missing_period
  // (the period's words), which receivers gather into one digest per period.
  std::map<std::string, std::string> Annotations() const;

 private:
  void AddFigures(std::map<std::string, std::string>* annotations) const;
};

}  // namespace parkwatch
