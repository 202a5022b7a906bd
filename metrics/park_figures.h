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
// Cardinality: one series per enterprise, industry or park per metric and cadence, bounded by the
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
};

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

// The tables ParkFigures reads: the levels of the three indicators at both cadences. A RuleData
// given to ParkFigures must hold them (RuleData::KeepTables, AlertEngine's keep_tables).
std::vector<std::pair<std::string, Cadence>> FigureTables();

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

  // Value of def for every member of def.scope at t (index = member index); NaN where there is
  // no value (no figure, no base period, YTD for weeks, a measure without data).
  std::vector<double> Values(const FigureMetricDef& def, Period t) const;

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
