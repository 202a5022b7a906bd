// The park's figures and alert states as Prometheus gauges, for Grafana and for Prometheus
// alerting rules.
//
// Figures (metrics/park_figures.h for the list): for the latest complete period of each cadence,
// per enterprise {credit_code, name, industry, key, cadence, period}, per industry {industry,
// cadence, period} and for the park {cadence, period}: output value, value added and electricity
// in base units (yuan, kWh), their YoY and YTD growth as ratios, and the pull of each enterprise
// and industry on the park's output growth. The period label changes only when a new period
// completes; the series of the old period are removed then, so a query never sees two periods
// of one enterprise (dashboards still aggregate `without (period)` to join the backfilled
// history, which carries no period label).
//
// Reporting ("who has not reported" is a query):
//   parkwatch_enterprise_last_report_timestamp_seconds{credit_code,name,industry,key,cadence}
//     end of the latest period the enterprise reported, Unix seconds;
//   parkwatch_enterprise_last_report_period_age{...,cadence}
//     periods from that one to the latest complete period (0 = up to date).
//
// Targets, from the `targets:` table of the rule files (config.rule_files):
//   parkwatch_park_growth_target_ratio{target}, parkwatch_industry_growth_target_ratio{target,
//   industry}, e.g. target="value_added_growth" 0.08.
//
// Alert states, like Prometheus's own ALERTS series:
//   parkwatch_alerts{alertname,alertstate,severity,scope,enterprise,industry} 1
// for every pending and firing alert.
//
// Thread safety: Refresh and RefreshAlerts may run on a worker thread while the registry is
// scraped on another; they serialise with each other. A scrape during a refresh may see the
// new period's series beside the old one's for that moment; the old ones are removed last so
// that no series is ever missing.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "config/config.h"
#include "store/store.h"

namespace prometheus {
class Registry;
}  // namespace prometheus

namespace parkwatch {

class AlertStore;
struct AlertRow;

class FigureMetrics {
 public:
  // Registers every family (so each has HELP and TYPE from the first scrape on). registry must
  // outlive this object.
  explicit FigureMetrics(prometheus::Registry& registry);
  ~FigureMetrics();
  FigureMetrics(const FigureMetrics&) = delete;
  FigureMetrics& operator=(const FigureMetrics&) = delete;

  // Recomputes every figure gauge from the store's current figures and removes the series that
  // no longer exist (a period that is no longer the latest, an enterprise that left). Reads the
  // whole store's three indicators: call after each committed batch and at start, on the
  // thread that owns `store`. Throws StoreError if the store fails (the gauges stay as they were).
  void Refresh(Store& store, const Config& config);

  // Replaces the parkwatch_alerts series with the active (pending and firing) alerts.
  void RefreshAlerts(AlertStore& alerts);
  void RefreshAlerts(const std::vector<AlertRow>& active);

 private:
  struct Families;
  using LabelSet = std::map<std::string, std::string>;
  // Desired series of a set of families: family name -> labels -> value.
  using Desired = std::map<std::string, std::map<LabelSet, double>>;
  void Apply(const Desired& desired, const std::vector<std::string>& families);

  std::mutex mu_;
  std::unique_ptr<Families> families_;
};

}  // namespace parkwatch
