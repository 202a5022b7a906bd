// The monthly analysis (月度运行分析): the figures of one month the bureau brings to its meeting,
// in the shape city and county statistics bureaus publish (DESIGN.md §7): the park's value added
// and output, month and year to date, against the previous cumulative figure, the same period
// last year and the annual target; 增长面; per industry value, growth, share, pull and
// contribution; the enterprises that pulled and dragged most; key enterprises; enterprises in
// decline three months or more; the month's alerts; missing reports; data notes.
//
// One calculation: every number is a Measures result (rules/measures.h) over the rules' own
// in-memory view (rules/rule_data.h), with the scopes the rules and /metrics use (the 规上
// enterprises of the month's year, same-enterprise caliber). Nothing here sums or divides
// figures itself except shares of two levels Measures computed and the 增长面 counts.
//
// Prices: value added grows at comparable prices (可比价) when the rule set's price index (ppi,
// ingested per industry) covers the park; otherwise at current prices, and the report says so.
// Output value and levels are at current prices, as the rules and /metrics have them.
//
// Building reads RuleData and (optionally) the alert store; call it where the RuleData is
// current and not changing: the daemon's worker thread, or a command's own view.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "alerts/alert.h"
#include "config/config.h"
#include "core/period.h"
#include "core/wording.h"
#include "rules/rule_config.h"
#include "rules/rule_data.h"

namespace parkwatch {

class AlertStore;

// How an industry's cumulative growth moved since the previous month's cumulative (DESIGN §7).
enum class Movement {
  kUnknown,         // no growth now or last month
  kWidened,         // 增幅扩大: positive and higher
  kTurnedPositive,  // 由负转正
  kNarrowed,        // 降幅收窄: negative and higher
  kDeepened,        // 降幅扩大: negative and lower
  kTurnedNegative,  // 由正转负
  kFlat,            // 持平 (within 0.05 percentage points)
  kSlowed,          // 增幅回落: positive and lower
};
const char* MovementNameZh(Movement m);
const char* MovementNameEn(Movement m);

// Growth of one scope (the park or an industry) for one indicator. Ratios (0.062 = 6.2%); levels
// in the indicator's base unit (yuan). Empty where Measures has no value (reason in no_data).
struct ScopeGrowth {
  std::optional<double> level;          // the month, current prices
  std::optional<double> ytd_level;      // months 1..N, current prices
  std::optional<double> yoy;            // 当月同比
  std::optional<double> ytd;            // 累计同比, 1..N月
  std::optional<double> ytd_previous;   // 1..N−1月 cumulative (empty for 1—2月)
  std::optional<double> ytd_last_year;  // 1..N月 cumulative of last year
  std::optional<double> target;         // annual target of the rule set (`targets:`)
  int enterprises = 0;                  // in the YTD caliber
  Wording no_data;                      // why ytd has no value (as the measure words it)
};

struct IndustryFigures {
  std::string name;
  ScopeGrowth growth;
  std::optional<double> share;             // of the park's YTD level
  std::optional<double> pull;              // 当月拉动 on the park's growth (ratio; ×100 = pp)
  std::optional<double> ytd_pull;          // 累计拉动
  std::optional<double> contribution;      // 当月贡献率
  std::optional<double> ytd_contribution;  // 累计贡献率
  Movement movement = Movement::kUnknown;  // of ytd against ytd_previous
};

struct IndicatorSection {
  std::string indicator;    // value_added | output_value
  std::string title;        // 工业增加值
  bool comparable = false;  // growth at comparable prices
  std::string target_name;  // targets: key used, e.g. value_added_growth
  ScopeGrowth park;
  std::vector<IndustryFigures> industries;
};

// 增长面 of the headline indicator's cumulative growth.
struct Breadth {
  int industries = 0;           // with a cumulative growth
  int industries_growing = 0;   // > 0
  int enterprises = 0;          // with a cumulative growth
  int enterprises_growing = 0;  // > 0
  int movement[8] = {};         // industries by Movement
};

struct EnterpriseFigures {
  std::string credit_code, name, industry;
  bool key = false;
  std::optional<double> level;         // output value, the month
  std::optional<double> yoy;           // output value 当月同比
  std::optional<double> ytd;           // output value 累计同比
  std::optional<double> pull;          // 当月拉动 on the park's output growth
  std::optional<double> contribution;  // 当月贡献率
  int declines = 0;                    // months in a row with negative output YoY, ending now
  Severity colour = Severity::kNone;   // highest active warning level of its alerts
};

struct AlertLine {
  std::string kind;  // firing | escalated | resolved
  Severity severity = Severity::kNone;
  std::string rule;
  std::string subject;  // enterprise name, industry or 园区
  std::string period;
  std::string summary;
};

struct MissingReport {
  std::string credit_code, name, industry;
  bool key = false;
  std::string last_reported;  // period, "" if never
};

struct HistoryPoint {
  Period period;
  // Value added growth of the park (index 0) and each industry (1..n), as in sections[0].
  std::vector<std::optional<double>> yoy, ytd;
};

struct MonthlyReport {
  Period period;  // the month (Jan–Feb combined)
  std::string park_name;
  int64_t generated_at = 0;            // unix seconds
  int edition = 1;                     // 2.. = revised editions (修订版)
  std::vector<std::string> revisions;  // what changed since the previous edition

  // Whether there is a report at all; otherwise message says why (no data, too few reports,
  // before the first data) with the share reported.
  bool ok = false;
  std::string message;
  int expected = 0;  // 规上 enterprises of the year in the register
  int reported = 0;  // of them, with a figure for the month

  std::vector<IndicatorSection> sections;  // value added first, then output value
  Breadth breadth;
  std::vector<EnterpriseFigures> top, bottom;  // ten largest positive and negative pulls
  std::vector<EnterpriseFigures> key;          // key enterprises, by output, largest first
  std::vector<EnterpriseFigures> declining;    // output down >= 3 months in a row
  std::vector<AlertLine> alerts;               // the month's new, escalated, resolved alerts
  int alert_counts[3][5] = {};                 // [firing, escalated, resolved][Severity]
  std::vector<MissingReport> missing;
  std::vector<HistoryPoint> history;  // 24 months up to period
  std::vector<std::string> notes;     // 数据说明
};

struct MonthlyReportOptions {
  // Below this share of expected enterprises reporting, there is no report (message instead).
  double min_reported_share = 0.5;
  int64_t now = 0;  // generated_at
  int history_months = 24;
};

// The report of month (a monthly period; January or February alone means 1—2月). alerts may be
// null (no alert sections). data must hold the monthly output_value and value_added tables
// (FigureTables(), as the daemon's engine and LoadReportData keep them).
MonthlyReport BuildMonthlyReport(const RuleData& data, const Config& config, const RuleSet& rules,
                                 AlertStore* alerts, Period month,
                                 const MonthlyReportOptions& options = {});

// Loads the view a report reads from the store: the rule set's tables plus FigureTables().
void LoadReportData(Store& store, const Config& config, const RuleSet& rules, RuleData* data);

// The latest month most enterprises have reported (ParkFigures::LatestComplete).
std::optional<Period> LatestReportMonth(const RuleData& data, const Config& config);

// --- Words -----------------------------------------------------------------------------------
// 2025年6月 / 2025年1—2月; June 2025 / January–February 2025.
std::string MonthWords(Period p, const std::string& lang);
// 1—6月 / January–June; for Jan–Feb 1—2月.
std::string YtdWords(Period p, const std::string& lang);
// The headline paragraph, written from the numbers (zh or en).
std::string Headline(const MonthlyReport& report, const std::string& lang);

}  // namespace parkwatch
