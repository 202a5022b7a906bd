// The park's figures and alert states as Prometheus gauges, for Grafana and for Prometheus
// alerting rules.
//
// Figures (metrics/park_figures.h for the list): for the latest complete period of each cadence,
// per enterprise {enterprise, cadence}, per industry {industry, cadence} and for the park
// {cadence}: output value, value added and electricity in base units (yuan, kWh), their YoY and
// YTD growth as ratios, and the pull of each enterprise and industry on the park's output growth.
// Value-added growth says its price basis: prices="comparable" (可比价) and prices="current"
// (现价), the same numbers the value-added rules measure (metrics/park_figures.h).
//
// Which period that is, one series per cadence:
//   parkwatch_figures_period_info{cadence,period} 1
//   parkwatch_figures_period_end_timestamp_seconds{cadence}
// The figure series carry no period label: one that moved with every completed week would give
// every figure series (some 400,000) a new identity each week, and the live series would not
// continue the backfilled history (which has none). A panel that shows the period joins it in:
//   parkwatch_park_output_value_yuan * on (cadence) group_left (period)
//     parkwatch_figures_period_info
//
// Enterprises (one series each, the register's size):
//   parkwatch_enterprise_info{enterprise,name,industry,key} 1
// The per-enterprise series carry only `enterprise` (the credit code); a query that wants the
// name or filters by industry or key joins, e.g.
//   parkwatch_enterprise_output_value_yoy_ratio * on (enterprise) group_left (name, industry)
//     parkwatch_enterprise_info{key="true"}
//
// Reporting ("who has not reported" is a query):
//   parkwatch_enterprise_last_report_timestamp_seconds{enterprise,cadence}
//     end of the latest period the enterprise reported, Unix seconds;
//   parkwatch_enterprise_last_report_period_age{enterprise,cadence}
//     periods from that one to the latest complete period (0 = up to date).
//
// Targets, from the `targets:` table of the rule set the alert engine evaluates:
//   parkwatch_park_growth_target_ratio{target}, parkwatch_industry_growth_target_ratio{target,
//   industry}, e.g. target="value_added_growth" 0.08.
//
// Alert states, like Prometheus's own ALERTS series:
//   parkwatch_alerts{alertname,alertstate,severity,scope,enterprise,industry} 1
// for every pending and firing alert, and with the same labels the value its rule measured
// (for a table of alerts with their figures):
//   parkwatch_alert_value{alertname,alertstate,severity,scope,enterprise,industry}
//
// How the figures are held: a park of 20,000 enterprises has about 420,000 figure series. As one
// prometheus-cpp Gauge each, every series would keep its own label map (hundreds of bytes), and
// enterprises leaving the register would be removed one by one, each Family::Remove a walk over
// the family's series (20,000 removals from one family took 11 s). So the figure, info,
// last-report and period families are one collectable (Metrics::AddCollectable) over an
// immutable snapshot of values by member: a refresh builds a new snapshot and swaps it in; a
// scrape builds the samples of the snapshot it finds. Targets and alerts, a few series, are
// ordinary gauges.
//
// Thread safety: Refresh, SetTargets and RefreshAlerts may run on a worker thread while the
// registry is scraped on another; they serialise with each other. A scrape sees one whole
// snapshot of the figures: the period info series and the figures are of the same period.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace parkwatch {

class Store;
class Metrics;
class ParkFigures;
struct AlertRow;
struct RuleSet;

class FigureMetrics {
 public:
  // Adds every family to metrics (so each has HELP and TYPE from the first scrape on): the
  // figure, info and last-report families as one collectable, which goes when this object goes,
  // and the target and alert gauges to its registry. metrics must outlive this object.
  explicit FigureMetrics(Metrics& metrics);
  ~FigureMetrics();
  FigureMetrics(const FigureMetrics&) = delete;
  FigureMetrics& operator=(const FigureMetrics&) = delete;

  // Replaces the figure, info, last-report and period series with those of figures (the daemon
  // builds it over its alert engine's data after each batch, so nothing is read from the store):
  // a period that is no longer the latest (its period info series), a figure or an enterprise
  // that is gone, a renamed enterprise's old info series are gone with the old snapshot.
  void Refresh(const ParkFigures& figures);

  // Replaces the target series with the `targets:` table of rules. Call with the rule set the
  // alert engine was just given (start, reload): the dashboards' targets are then the ones the
  // rules compare with, and no rule file is read twice.
  void SetTargets(const RuleSet& rules);

  // Replaces the parkwatch_alerts and parkwatch_alert_value series with the active (pending and
  // firing) alerts of store, and parkwatch_figures_quarantined with its quarantine: 0 for each
  // of collectors (those with quarantine: unit_errors) and state when nothing is held, so a
  // rule on the series never meets an absent one.
  // An enterprise's alert gets its industry from the register (WithRegisterContext, as routes
  // see it), so a dashboard's industry filter shows the industry's enterprises' alerts too.
  void RefreshAlerts(Store& store, const std::vector<std::string>& collectors = {});
  void RefreshAlerts(const std::vector<AlertRow>& active);

 private:
  class Collector;
  struct Families;
  using LabelSet = std::map<std::string, std::string>;
  // Desired series of the gauge families (alerts, targets): family -> labels -> value.
  using Desired = std::map<std::string, std::map<LabelSet, double>>;
  void Apply(const Desired& desired, const std::vector<std::string>& families);

  std::mutex mu_;
  std::unique_ptr<Families> families_;
  std::shared_ptr<Collector> collector_;
};

}  // namespace parkwatch
