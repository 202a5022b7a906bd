// Unit tests for rule files, in the spirit of `promtool test rules`: `parkwatch test rules
// FILE.yml...`. Operations staff change thresholds; a test file states, for a small made-up park,
// which alerts must be active at which period, so a change that silences (or floods) a rule is
// caught before it is deployed.
//
// A test file:
//
//   rule_files: [default.yml]             # relative to the test file
//   tests:
//     - name: key enterprise output drop fires after two weeks
//       enterprises:                      # the park of this test
//         - {credit_code: 91430700MA4L000011, name: 甲药业, industry: 医药化工, key: true}
//       input_series:
//         - enterprise: 91430700MA4L000011  # or `industry: 医药化工` for a price index (ppi)
//           indicator: output_value
//           start: 2023-W01                 # first period; each value is the next period
//           values: "100x52 90x3 _ 70"
//       alert_rule_test:                  # active alerts at a reporting period
//         - eval_period: 2024-W03
//           alertname: KeyEnterpriseOutputDrop
//           exp_alerts:
//             - exp_labels: {enterprise: 91430700MA4L000011}   # subset of the alert's labels
//               exp_severity: yellow                             # optional
//               exp_state: firing                                # firing (default) | pending
//               exp_annotations: {summary: "..."}                # optional, subset
//       missing_report_test:              # deadline rules at a wall-clock time
//         - eval_time: "2024-03-11T13:00:00+08:00"
//           alertname: WeeklyReportMissing
//           exp_alerts: [...]
//
// Values notation (one token per period, separated by spaces):
//   100        one value
//   100x3      three values of 100                    (100 100 100)
//   100+2x3    three values from 100 stepping by 2    (100 102 104); 100-5x3 gives 100 95 90
//   _          one period without a figure; _x4 four of them
// Values are stored as given, in the indicator's base unit: rates as ratios (7% is 0.07), price
// indices with the same period last year = 100.
//
// Semantics: for each test the series are put into an in-memory RuleData (no store); for each
// case the rule's periods are replayed in order, from the first period with data in the rule's
// cadence up to the case's period, through the same Evaluator and lifecycle (Advance) as the
// daemon, and the alerts then pending or firing are compared with exp_alerts. A missing-report
// case evaluates the period whose deadline had passed at eval_time (Evaluator::DuePeriod), like
// the daemon's deadline check. Every expected alert must match a distinct active alert and every
// active alert must be expected: an empty exp_alerts asserts that nothing is active.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace parkwatch {

// Exit codes of `parkwatch test rules`.
inline constexpr int kRuleTestsPassed = 0;
inline constexpr int kRuleTestsFailed = 1;   // some expectation was not met
inline constexpr int kRuleTestsInvalid = 2;  // a test or rule file could not be read

// Runs every test file, printing a summary per file and a diff per failing case to out and
// file:line:column errors of unreadable files to err. Returns the worst exit code of all files.
int RunRuleTests(const std::vector<std::string>& files, std::ostream& out, std::ostream& err);

}  // namespace parkwatch
