// The park's figures as Prometheus series: which metrics there are, which series (enterprises,
// industries, the park) each has, and their values at a period, computed with the measures library
// (rules/measures.h) over the rules' own in-memory view (rules/rule_data.h), exactly as the rules
// compute them.
//
// Two users share it, so the live gauges and the backfilled history have the same names and
// the same values: FigureMetrics (metrics/figure_metrics.h) exports the latest complete period
// of each cadence, and the OpenMetrics export (metrics/openmetrics_export.h) every period.
//
// Only three indicators become series — output value (工业总产值), value added (工业增加值) and
// electricity use (用电量, the weekly proxy for output) — because they are what the bureau
// watches weekly and analyses monthly; every other figure stays in the JSON API.
//
// Price basis (可比价 or 现价), never left to guess: value-added growth (the _yoy_ratio and
// _ytd_ratio of value_added) carries prices="current" (现价) and, for an industry or the park,
// prices="comparable" (可比价: each enterprise's value deflated by its industry's price index,
// kFigureDeflator, exactly as a rule's `prices: comparable` computes it) where the index covers
// every enterprise of the scope, both years. The default rules measure the same figure
// `comparable_or_current`: comparable where it can be, current otherwise, each alert saying which
// in its `prices` annotation; a query takes the same choice with
//   X{prices="comparable"} or on (industry, cadence) X{prices="current"}
// (the dashboards do). An enterprise has no price index of its own, so its value-added growth is
// at current prices only. Levels are at current prices, output value growth too (the rules
// compare it so); electricity is a physical quantity.
//
// Cardinality: one series per enterprise, industry or park per metric and cadence (two for an
// industry's and the park's value-added growth: the two price bases), bounded by the
// register. A per-enterprise series carries only what identifies it (enterprise = credit code,
// cadence); which period the figures are of is one series per cadence (kPeriodInfoName), so a
// new period changes values, not label sets. The descriptive labels (name, industry, key) are on
// one info series per enterprise, parkwatch_enterprise_info, joined in PromQL where a query needs
// them (the style of node_uname_info and kube_pod_info). Repeating them on every series made a park
// of 20,000 enterprises half a million series that each carried a name, and a renamed enterprise a
// new series in every family.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/period.h"
#include "rules/figure_table.h"
#include "rules/rule_data.h"
#include "store/store.h"

namespace parkwatch {

using SeriesLabels = std::map<std::string, std::string>;

enum class FigureScope { kEnterprise, kIndustry, kPark };
enum class FigureQuantity {
  kLevel,  // the figure in its base unit (yuan, kWh); a sum for an industry or the park
  kYoY,    // 当月/当周同比 as a ratio
  kYtd,    // 累计同比 (months 1..N) as a ratio; monthly cadence only
  kPull,   // 拉动: pull on the park's output growth, as a ratio (×100 = percentage points)
};

// One figure metric: parkwatch_<scope>_<indicator>[_<unit>|_yoy_ratio|_ytd_ratio|_pull_ratio].
struct FigureMetricDef {
  std::string name;
  std::string help;
  FigureScope scope;
  std::string indicator;  // output_value | value_added | electricity
  FigureQuantity quantity;
  // The price bases the family is exported at, one series each labelled prices=...; empty: no
  // prices label (levels, output value, electricity).
  std::vector<PriceBasis> prices = {};
};

// The label value of a price basis: "comparable" or "current" (the word the alerts' `prices`
// annotation uses).
const char* PriceBasisLabel(PriceBasis basis);

// The deflator of comparable value added: the rules' default (MeasureSpec::deflator), the
// industries' producer price index (same period last year = 100).
inline constexpr const char* kFigureDeflator = "ppi";

// Every figure metric, in a fixed order (the export writes families in this order).
const std::vector<FigureMetricDef>& FigureMetricDefs();

// The info series: parkwatch_enterprise_info{enterprise, name, industry, key} 1.
inline constexpr const char* kEnterpriseInfoName = "parkwatch_enterprise_info";
inline constexpr const char* kEnterpriseInfoHelp =
    "An enterprise of the register, value 1, with its name, industry and key flag (重点企业); "
    "figure series carry only enterprise, so join: * on (enterprise) group_left (name, industry) "
    "parkwatch_enterprise_info.";

// Which period the figures of a cadence are of, one series per cadence, so that the figure series
// themselves carry no period label (a label that changed every week would replace every figure
// series with a new one each week: series churn). Live: the latest complete period; history:
// each period at its end.
//   parkwatch_figures_period_info{cadence, period} 1
//   parkwatch_figures_period_end_timestamp_seconds{cadence}
inline constexpr const char* kPeriodInfoName = "parkwatch_figures_period_info";
inline constexpr const char* kPeriodInfoHelp =
    "The period the figure series of a cadence are of, value 1; show it with * on (cadence) "
    "group_left (period) parkwatch_figures_period_info.";
inline constexpr const char* kPeriodEndName = "parkwatch_figures_period_end_timestamp_seconds";
inline constexpr const char* kPeriodEndHelp =
    "End of the period the figure series of a cadence are of (Unix seconds, midnight "
    "Asia/Shanghai after its last day), for \"as of\" displays and staleness alerts.";

// The tables ParkFigures reads: the levels of the three indicators at both cadences, and the
// price index (kFigureDeflator) at both cadences. A RuleData given to ParkFigures must hold them
// (RuleData::KeepTables, AlertEngine's keep_tables and keep_price_indices).
std::vector<std::pair<std::string, Cadence>> FigureTables();
std::vector<std::pair<std::string, Cadence>> FigurePriceIndices();

// End of a period as Unix seconds: midnight at the start of the day after its last day, in the
// park's time zone. Asia/Shanghai has been UTC+8 without daylight saving since 1991, so the
// offset is fixed rather than looked up (GCC 12's <chrono> has no time zone database).
int64_t PeriodEndUnixSeconds(Period p);

// The register and the current figures of the three indicators, both cadences, as of one
// moment. Immutable once built; const methods may be called from several threads as long as the
// RuleData it reads does not change.
class ParkFigures {
 public:
  // Over data, which must hold FigureTables() and outlive this object (the daemon passes its
  // alert engine's data: no store read). Industries are config's in its order, then any other
  // the data knows, by name.
  ParkFigures(const RuleData& data, const Config& config);
  // Reads the store into a RuleData of its own (the export, tests). January and February are
  // one monthly period (NBS practice): separate January and February figures are summed into
  // Jan–Feb, as the rules do by default. Throws StoreError.
  ParkFigures(Store& store, const Config& config);
  ~ParkFigures();
  ParkFigures(const ParkFigures&) = delete;
  ParkFigures& operator=(const ParkFigures&) = delete;

  // The series of a scope, each with its identifying labels (the caller adds cadence): enterprises
  // {enterprise: credit code}, industries {industry}, the park {} (one member).
  const std::vector<SeriesLabels>& Members(FigureScope scope) const;

  // The labels of each enterprise's parkwatch_enterprise_info series, indexed like
  // Members(kEnterprise): {enterprise, name, industry, key: "true"|"false"}.
  const std::vector<SeriesLabels>& InfoLabels() const;

  // Periods with any figure of the three indicators, ascending (Jan–Feb merged).
  const std::vector<Period>& Periods(Cadence cadence) const;

  // The latest period most enterprises have reported: the latest period whose reporters are
  // more than half the most reporters of any period in the year up to it. A period only a few
  // early reporters have sent is not complete yet, and its sums would read as a collapse.
  std::optional<Period> LatestComplete(Cadence cadence) const;

  // Value of def for every member of def.scope at t (index = member index) at the given prices
  // (one of def.prices, current for a family without); NaN where there is no value (no figure,
  // no base period, YTD for weeks, a measure without data, no price index for comparable).
  std::vector<double> Values(const FigureMetricDef& def, Period t,
                             PriceBasis prices = PriceBasis::kCurrent) const;

  // For each enterprise above designated size in `at`'s year that has ever reported in the
  // cadence: its member index and the latest period it reported any figure for (any indicator,
  // as the missing-report rules count; Jan–Feb merged).
  std::vector<std::pair<int, Period>> LastReports(Cadence cadence, Period at) const;

  // Periods from `from` to `to` in the cadence (Jan–Feb one period); 0 if to <= from.
  static int PeriodsBetween(Period from, Period to);

 private:
  void Build(const Config& config);

  struct Data;
  std::unique_ptr<Data> data_;
};

}  // namespace parkwatch
