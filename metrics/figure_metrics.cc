#include "metrics/figure_metrics.h"

#include <malloc.h>
#include <prometheus/client_metric.h>
#include <prometheus/collectable.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <optional>
#include <sstream>

#include "alerts/alert_store.h"
#include "metrics/metrics.h"
#include "metrics/park_figures.h"
#include "metrics/part_collectable.h"
#include "rules/rule_config.h"
#include "store/quarantine.h"

namespace parkwatch {

namespace {

using Label = prometheus::ClientMetric::Label;
using SampleLabels = std::vector<Label>;

constexpr const char* kLastReportTimestamp = "parkwatch_enterprise_last_report_timestamp_seconds";
constexpr const char* kLastReportTimestampHelp =
    "End of the latest period the enterprise reported any figure for (Unix seconds, period ends "
    "at midnight Asia/Shanghai).";
constexpr const char* kLastReportAge = "parkwatch_enterprise_last_report_period_age";
constexpr const char* kLastReportAgeHelp =
    "Periods between the latest period the enterprise reported and the latest complete period "
    "of the cadence; 0 = up to date, 1 or more = not reported (未报).";
constexpr const char* kAlerts = "parkwatch_alerts";
constexpr const char* kAlertValue = "parkwatch_alert_value";
constexpr const char* kAlertsHelp =
    "Pending and firing parkwatch alerts, one series per alert identity with value 1, like "
    "Prometheus's ALERTS.";
constexpr const char* kAlertValueHelp =
    "The value the rule measured for a pending or firing parkwatch alert at its latest period "
    "(a growth or pull as a ratio, a level in its unit), labelled as parkwatch_alerts.";
constexpr const char* kQuarantined = "parkwatch_figures_quarantined";
constexpr const char* kParkTarget = "parkwatch_park_growth_target_ratio";
constexpr const char* kIndustryTarget = "parkwatch_industry_growth_target_ratio";
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The figure, info and last-report series as of one refresh. Immutable once published.
struct Snapshot {
  // One family at one cadence: the labels its series add to their member's, and the values.
  struct Block {
    SampleLabels extra;                               // e.g. cadence, sorted by name
    std::vector<std::pair<uint32_t, double>> series;  // member index, value
  };
  struct Family {
    std::string name;
    std::string help;
    const std::vector<SampleLabels>* members;  // into this snapshot: the scope's members or info
    std::vector<Block> blocks;
  };
  std::vector<SampleLabels> members[3];  // identifying labels by FigureScope, sorted by name
  std::vector<SampleLabels> info;        // each enterprise's info labels
  // One member without labels, for the per-cadence period series (a block per cadence).
  std::vector<SampleLabels> cadences{SampleLabels{}};
  std::vector<Family> families;  // in exposition order
  // Each part's families in the text format, serialised at the first scrape that wants them.
  mutable std::mutex text_mu;
  mutable std::shared_ptr<const std::string> text[3];
};

// std::map's order is the exposition's: labels sorted by name.
SampleLabels ToLabels(const SeriesLabels& labels) {
  SampleLabels out;
  out.reserve(labels.size());
  for (const auto& [name, value] : labels) out.push_back({name, value});
  return out;
}

// The empty families, so that each has HELP and TYPE before the first refresh.
std::shared_ptr<const Snapshot> EmptySnapshot() {
  auto s = std::make_shared<Snapshot>();
  for (const auto& def : FigureMetricDefs())
    s->families.push_back({def.name, def.help, &s->members[0], {}});
  s->families.push_back({kEnterpriseInfoName, kEnterpriseInfoHelp, &s->info, {}});
  s->families.push_back({kLastReportTimestamp, kLastReportTimestampHelp, &s->members[0], {}});
  s->families.push_back({kLastReportAge, kLastReportAgeHelp, &s->members[0], {}});
  s->families.push_back({kPeriodInfoName, kPeriodInfoHelp, &s->cadences, {}});
  s->families.push_back({kPeriodEndName, kPeriodEndHelp, &s->cadences, {}});
  return s;
}

}  // namespace

// The figure families as prometheus-cpp sees them: a Collectable over the latest snapshot.
class FigureMetrics::Collector : public PartCollectable {
 public:
  Collector() : snapshot_(EmptySnapshot()) {}

  void Publish(std::shared_ptr<const Snapshot> snapshot) {
    std::lock_guard lock(mu_);
    snapshot_ = std::move(snapshot);
  }

  std::vector<prometheus::MetricFamily> CollectPart(MetricsPart part) const override {
    return Families(Current().get(), part);
  }

  std::shared_ptr<const std::string> Text(MetricsPart part) const override {
    std::shared_ptr<const Snapshot> snapshot = Current();
    std::lock_guard lock(snapshot->text_mu);  // scrapes at once serialise it once
    auto& text = snapshot->text[static_cast<size_t>(part)];
    if (!text) {
      std::ostringstream out;
      prometheus::TextSerializer().Serialize(out, Families(snapshot.get(), part));
      text = std::make_shared<const std::string>(std::move(out).str());
    }
    return text;
  }

 private:
  std::shared_ptr<const Snapshot> Current() const {
    std::lock_guard lock(mu_);
    return snapshot_;
  }

  static std::vector<prometheus::MetricFamily> Families(const Snapshot* snapshot,
                                                        MetricsPart part) {
    std::vector<prometheus::MetricFamily> out;
    out.reserve(snapshot->families.size());
    for (const Snapshot::Family& f : snapshot->families) {
      if (!InPart(f.name, part)) continue;
      prometheus::MetricFamily& family = out.emplace_back();
      family.name = f.name;
      family.help = f.help;
      family.type = prometheus::MetricType::Gauge;
      size_t count = 0;
      for (const auto& block : f.blocks) count += block.series.size();
      family.metric.reserve(count);
      for (const auto& block : f.blocks) {
        for (const auto& [member, value] : block.series) {
          prometheus::ClientMetric& metric = family.metric.emplace_back();
          const SampleLabels& own = (*f.members)[member];
          metric.label.reserve(own.size() + block.extra.size());
          std::merge(own.begin(), own.end(), block.extra.begin(), block.extra.end(),
                     std::back_inserter(metric.label),
                     [](const Label& a, const Label& b) { return a.name < b.name; });
          metric.gauge.value = value;
        }
      }
    }
    return out;
  }

  mutable std::mutex mu_;
  std::shared_ptr<const Snapshot> snapshot_;
};

// The alert families as prometheus-cpp sees them: a Collectable over the alerts of the latest
// RefreshAlerts. A first start after a bulk load finds tens of thousands of active alerts (every
// enterprise's missing report); as registry gauges each series kept its label map in the family
// and again in Families::current, for each of the two families: 65 MB at 20 000 enterprises.
class FigureMetrics::AlertCollector : public PartCollectable {
 public:
  struct Series {
    SampleLabels labels;  // sorted by name
    std::optional<double> value;
  };

  void Publish(std::shared_ptr<const std::vector<Series>> series) {
    std::lock_guard lock(mu_);
    series_ = std::move(series);
  }

  std::vector<prometheus::MetricFamily> CollectPart(MetricsPart part) const override {
    std::shared_ptr<const std::vector<Series>> series;
    {
      std::lock_guard lock(mu_);
      series = series_;
    }
    std::vector<prometheus::MetricFamily> out;
    for (const char* name : {kAlerts, kAlertValue}) {
      if (!InPart(name, part)) continue;
      prometheus::MetricFamily& family = out.emplace_back();
      family.name = name;
      family.help = name == kAlerts ? kAlertsHelp : kAlertValueHelp;
      family.type = prometheus::MetricType::Gauge;
      family.metric.reserve(series->size());
      for (const Series& one : *series) {
        if (name == kAlertValue && !one.value) continue;
        prometheus::ClientMetric& metric = family.metric.emplace_back();
        metric.label = one.labels;
        metric.gauge.value = name == kAlerts ? 1 : *one.value;
      }
    }
    return out;
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const std::vector<Series>> series_ =
      std::make_shared<const std::vector<Series>>();
};

struct FigureMetrics::Families {
  std::map<std::string, prometheus::Family<prometheus::Gauge>*> by_name;
  // What each gauge family currently exports, to remove what Apply no longer wants.
  std::map<std::string, std::map<LabelSet, prometheus::Gauge*>> current;
};

FigureMetrics::FigureMetrics(Metrics& metrics)
    : families_(std::make_unique<Families>()),
      collector_(std::make_shared<Collector>()),
      alert_collector_(std::make_shared<AlertCollector>()) {
  // The alerts first: Metrics::Serialize appends the figures' kept text after what it collects,
  // so this is the order Collect gives too.
  metrics.AddCollectable(alert_collector_);
  metrics.AddCollectable(collector_);
  auto add = [&](const std::string& name, const std::string& help) {
    families_->by_name[name] =
        &prometheus::BuildGauge().Name(name).Help(help).Register(metrics.registry());
  };
  add(kParkTarget,
      "Annual growth target of the park from the rule files' targets table, as a ratio.");
  add(kIndustryTarget,
      "Annual growth target of an industry from the rule files' targets table, as a ratio.");
  add(kQuarantined,
      "Figures held out of every total and rule as suspected unit slips, by the collector that "
      "brought them and state: held (nobody has decided) or rejected (wrong, until revised).");
}

FigureMetrics::~FigureMetrics() = default;

void FigureMetrics::Refresh(const ParkFigures& figures) {
  auto s = std::make_shared<Snapshot>();
  for (int scope = 0; scope < 3; ++scope)
    for (const auto& labels : figures.Members(static_cast<FigureScope>(scope)))
      s->members[scope].push_back(ToLabels(labels));
  for (const auto& labels : figures.InfoLabels()) s->info.push_back(ToLabels(labels));

  // Adds the values that are not NaN as a block of the family.
  auto add = [](Snapshot::Family& family, SampleLabels extra, const std::vector<double>& values) {
    Snapshot::Block& block = family.blocks.emplace_back();
    block.extra = std::move(extra);
    for (size_t m = 0; m < values.size(); ++m)
      if (!std::isnan(values[m])) block.series.emplace_back(static_cast<uint32_t>(m), values[m]);
  };
  struct Latest {
    Cadence cadence;
    std::optional<Period> period;
    std::vector<std::pair<int, Period>> last_reports;
  };
  std::vector<Latest> latest;
  for (Cadence cadence : {Cadence::kWeekly, Cadence::kMonthly}) {
    Latest& l = latest.emplace_back(Latest{cadence, figures.LatestComplete(cadence), {}});
    if (l.period) l.last_reports = figures.LastReports(cadence, *l.period);
  }

  for (const auto& def : FigureMetricDefs()) {
    auto& family = s->families.emplace_back(
        Snapshot::Family{def.name, def.help, &s->members[static_cast<int>(def.scope)], {}});
    for (const Latest& l : latest) {
      if (!l.period) continue;
      std::string cadence(CadenceName(l.cadence));
      if (def.prices.empty()) add(family, {{"cadence", cadence}}, figures.Values(def, *l.period));
      for (PriceBasis basis : def.prices)
        add(family, {{"cadence", cadence}, {"prices", PriceBasisLabel(basis)}},
            figures.Values(def, *l.period, basis));
    }
  }
  auto& info = s->families.emplace_back(
      Snapshot::Family{kEnterpriseInfoName, kEnterpriseInfoHelp, &s->info, {}});
  add(info, {}, std::vector<double>(s->info.size(), 1));
  auto& timestamp = s->families.emplace_back(
      Snapshot::Family{kLastReportTimestamp, kLastReportTimestampHelp, &s->members[0], {}});
  auto& age = s->families.emplace_back(
      Snapshot::Family{kLastReportAge, kLastReportAgeHelp, &s->members[0], {}});
  for (const Latest& l : latest) {
    if (!l.period) continue;
    std::vector<double> stamps(s->members[0].size(), kNaN), ages(stamps.size(), kNaN);
    for (const auto& [e, p] : l.last_reports) {
      stamps[static_cast<size_t>(e)] = static_cast<double>(PeriodEndUnixSeconds(p));
      ages[static_cast<size_t>(e)] = ParkFigures::PeriodsBetween(p, *l.period);
    }
    SampleLabels cadence = {{"cadence", std::string(CadenceName(l.cadence))}};
    add(timestamp, cadence, stamps);
    add(age, cadence, ages);
  }
  // The period goes on these two series, not on the figures: when a period completes, only the
  // info series of its cadence is replaced, and every figure series keeps its identity.
  auto& period_info = s->families.emplace_back(
      Snapshot::Family{kPeriodInfoName, kPeriodInfoHelp, &s->cadences, {}});
  auto& period_end =
      s->families.emplace_back(Snapshot::Family{kPeriodEndName, kPeriodEndHelp, &s->cadences, {}});
  for (const Latest& l : latest) {
    if (!l.period) continue;
    std::string cadence(CadenceName(l.cadence));
    add(period_info, {{"cadence", cadence}, {"period", l.period->ToString()}}, {1});
    add(period_end, {{"cadence", cadence}}, {static_cast<double>(PeriodEndUnixSeconds(*l.period))});
  }
  collector_->Publish(std::move(s));
}

void FigureMetrics::SetTargets(const RuleSet& rules) {
  Desired desired;
  const std::string industry_prefix = "industry:";
  for (const auto& [target, by_scope] : rules.targets) {
    for (const auto& [scope, value] : by_scope) {
      if (scope == "park")
        desired[kParkTarget][{{"target", target}}] = value;
      else if (scope.rfind(industry_prefix, 0) == 0)
        desired[kIndustryTarget]
               [{{"target", target}, {"industry", scope.substr(industry_prefix.size())}}] = value;
    }
  }
  std::lock_guard lock(mu_);
  Apply(desired, {kParkTarget, kIndustryTarget});
}

void FigureMetrics::RefreshAlerts(Store& store, const std::vector<std::string>& collectors) {
  size_t count = 0;
  {
    std::vector<AlertRow> active = AlertStore(&store).Active({.brief = true});
    WithRegisterContext(store, &active);
    RefreshAlerts(active);
    count = active.size();
  }
  // A first start finds tens of thousands of active alerts, read with their annotations: that
  // heap goes back to the system instead of staying in the daemon's RSS.
  if (count >= 10000) malloc_trim(0);
  // The quarantine changes with batches and decisions, as the alerts do.
  Desired desired;
  auto& series = desired[kQuarantined];
  for (const std::string& collector : collectors)
    for (const char* state : {"held", "rejected"})
      series[{{"collector", collector}, {"state", state}}] = 0;
  for (const auto& [key, n] : QuarantineCounts(store))
    series[{{"collector", key.first}, {"state", key.second}}] = static_cast<double>(n);
  std::lock_guard lock(mu_);
  Apply(desired, {kQuarantined});
}

void FigureMetrics::RefreshAlerts(const std::vector<AlertRow>& active) {
  // By labels: identities that differ only in labels beyond these are one series (the value of
  // the last one with a value).
  std::map<LabelSet, std::optional<double>> by_labels;
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
    std::optional<double>& value = by_labels[std::move(labels)];
    if (row.status.value) value = row.status.value;
  }
  auto series = std::make_shared<std::vector<AlertCollector::Series>>();
  series->reserve(by_labels.size());
  for (auto& [labels, value] : by_labels) {
    AlertCollector::Series& one = series->emplace_back();
    one.labels.reserve(labels.size());
    for (const auto& [name, text] : labels) one.labels.push_back({name, text});
    one.value = value;
  }
  alert_collector_->Publish(std::move(series));
}

void FigureMetrics::Apply(const Desired& desired, const std::vector<std::string>& names) {
  static const std::map<LabelSet, double> kNone;
  for (const auto& name : names) {
    prometheus::Family<prometheus::Gauge>& family = *families_->by_name.at(name);
    auto found = desired.find(name);
    const auto& want = found == desired.end() ? kNone : found->second;
    auto& have = families_->current[name];
    // New and changed series first, removals last: a scrape in between sees both rather than
    // neither.
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
