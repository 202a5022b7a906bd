#include "metrics/figure_metrics.h"

#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <cmath>

#include "alerts/alert_store.h"
#include "metrics/park_figures.h"
#include "rules/rule_config.h"

namespace parkwatch {

namespace {

constexpr const char* kLastReportTimestamp = "parkwatch_enterprise_last_report_timestamp_seconds";
constexpr const char* kLastReportAge = "parkwatch_enterprise_last_report_period_age";
constexpr const char* kAlerts = "parkwatch_alerts";
constexpr const char* kParkTarget = "parkwatch_park_growth_target_ratio";
constexpr const char* kIndustryTarget = "parkwatch_industry_growth_target_ratio";

// Annual growth targets from the rule files' `targets:` table, so a dashboard draws growth
// against its target. Rule files that do not load leave the targets out: the rule evaluator
// reports their errors, and a figure refresh must not fail for them.
void AddTargets(
    const Config& config,
    std::map<std::string, std::map<std::map<std::string, std::string>, double>>* desired) {
  RuleSet rules;
  std::vector<Diagnostic> diagnostics;
  if (config.rule_files.empty() || !LoadRuleFiles(config.rule_files, &rules, &diagnostics)) return;
  const std::string industry_prefix = "industry:";
  for (const auto& [target, by_scope] : rules.targets) {
    for (const auto& [scope, value] : by_scope) {
      if (scope == "park")
        (*desired)[kParkTarget][{{"target", target}}] = value;
      else if (scope.rfind(industry_prefix, 0) == 0)
        (*desired)[kIndustryTarget][{{"target", target},
                                     {"industry", scope.substr(industry_prefix.size())}}] = value;
    }
  }
}

}  // namespace

struct FigureMetrics::Families {
  std::map<std::string, prometheus::Family<prometheus::Gauge>*> by_name;
  // What each family currently exports, to remove what a refresh no longer produces.
  std::map<std::string, std::map<LabelSet, prometheus::Gauge*>> current;
  std::vector<std::string> figure_names;  // the families Refresh owns
};

FigureMetrics::FigureMetrics(prometheus::Registry& registry)
    : families_(std::make_unique<Families>()) {
  auto add = [&](const std::string& name, const std::string& help) {
    families_->by_name[name] = &prometheus::BuildGauge().Name(name).Help(help).Register(registry);
  };
  for (const auto& def : FigureMetricDefs()) {
    add(def.name, def.help);
    families_->figure_names.push_back(def.name);
  }
  add(kLastReportTimestamp,
      "End of the latest period the enterprise reported any figure for (Unix seconds, period "
      "ends at midnight Asia/Shanghai).");
  add(kLastReportAge,
      "Periods between the latest period the enterprise reported and the latest complete "
      "period of the cadence; 0 = up to date, 1 or more = not reported (未报).");
  add(kParkTarget,
      "Annual growth target of the park from the rule files' targets table, as a ratio.");
  add(kIndustryTarget,
      "Annual growth target of an industry from the rule files' targets table, as a ratio.");
  families_->figure_names.push_back(kParkTarget);
  families_->figure_names.push_back(kIndustryTarget);
  families_->figure_names.push_back(kLastReportTimestamp);
  families_->figure_names.push_back(kLastReportAge);
  add(kAlerts,
      "Pending and firing parkwatch alerts, one series per alert identity with value 1, like "
      "Prometheus's ALERTS.");
}

FigureMetrics::~FigureMetrics() = default;

void FigureMetrics::Refresh(Store& store, const Config& config) {
  // Computed before taking the lock: reading the store is the slow part and needs no gauges.
  ParkFigures figures(store, config);
  Desired desired;
  for (Cadence cadence : {Cadence::kWeekly, Cadence::kMonthly}) {
    std::optional<Period> latest = figures.LatestComplete(cadence);
    if (!latest) continue;
    std::string cadence_name(CadenceName(cadence));
    std::string period = latest->ToString();
    for (const auto& def : FigureMetricDefs()) {
      std::vector<double> values = figures.Values(def, *latest);
      const auto& members = figures.Members(def.scope);
      auto& series = desired[def.name];
      for (size_t i = 0; i < values.size(); ++i) {
        if (std::isnan(values[i])) continue;
        LabelSet labels = members[i];
        labels["cadence"] = cadence_name;
        labels["period"] = period;
        series[labels] = values[i];
      }
    }
    const auto& enterprises = figures.Members(FigureScope::kEnterprise);
    for (const auto& [e, last] : figures.LastReports(cadence, *latest)) {
      LabelSet labels = enterprises[e];
      labels["cadence"] = cadence_name;
      desired[kLastReportTimestamp][labels] = static_cast<double>(PeriodEndUnixSeconds(last));
      desired[kLastReportAge][labels] = ParkFigures::PeriodsBetween(last, *latest);
    }
  }
  AddTargets(config, &desired);
  std::lock_guard lock(mu_);
  Apply(desired, families_->figure_names);
}

void FigureMetrics::RefreshAlerts(AlertStore& alerts) { RefreshAlerts(alerts.Active()); }

void FigureMetrics::RefreshAlerts(const std::vector<AlertRow>& active) {
  Desired desired;
  auto& series = desired[kAlerts];
  for (const auto& row : active) {
    auto label = [&](const char* name) {
      auto it = row.labels.find(name);
      return it == row.labels.end() ? std::string() : it->second;
    };
    // A fixed label set keeps the family's cardinality bounded by the alert identities; rule
    // labels beyond these stay in the JSON API and the notifications.
    LabelSet labels = {{"alertname", row.rule},
                       {"alertstate", std::string(AlertStateName(row.status.state))},
                       {"severity", std::string(SeverityName(row.status.severity))},
                       {"scope", label("scope")},
                       {"enterprise", label("enterprise")},
                       {"industry", label("industry")}};
    series[labels] = 1;
  }
  std::lock_guard lock(mu_);
  Apply(desired, {kAlerts});
}

void FigureMetrics::Apply(const Desired& desired, const std::vector<std::string>& names) {
  static const std::map<LabelSet, double> kNone;
  for (const auto& name : names) {
    prometheus::Family<prometheus::Gauge>& family = *families_->by_name.at(name);
    auto found = desired.find(name);
    const auto& want = found == desired.end() ? kNone : found->second;
    auto& have = families_->current[name];
    // New and changed series first, removals last: a scrape in between sees the new period
    // beside the old one rather than neither.
    for (const auto& [labels, value] : want) {
      prometheus::Gauge*& gauge = have[labels];
      if (!gauge) gauge = &family.Add(labels);
      gauge->Set(value);
    }
    for (auto it = have.begin(); it != have.end();) {
      if (want.count(it->first)) {
        ++it;
        continue;
      }
      family.Remove(it->second);
      it = have.erase(it);
    }
  }
}

}  // namespace parkwatch
