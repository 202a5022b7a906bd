#include "metrics/figure_metrics.h"

#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <cmath>
#include <limits>
#include <optional>
#include <unordered_map>

#include "alerts/alert_store.h"
#include "metrics/park_figures.h"
#include "rules/rule_config.h"

namespace parkwatch {

namespace {

using Family = prometheus::Family<prometheus::Gauge>;
using Gauge = prometheus::Gauge;

constexpr const char* kLastReportTimestamp = "parkwatch_enterprise_last_report_timestamp_seconds";
constexpr const char* kLastReportAge = "parkwatch_enterprise_last_report_period_age";
constexpr const char* kAlerts = "parkwatch_alerts";
constexpr const char* kParkTarget = "parkwatch_park_growth_target_ratio";
constexpr const char* kIndustryTarget = "parkwatch_industry_growth_target_ratio";
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

enum class SlotKind { kFigure, kLastReportTimestamp, kLastReportAge, kInfo };

// One family at one cadence whose series are one per member of a scope. Fixed at construction.
struct SlotLayout {
  Family* family;
  SlotKind kind;
  FigureScope scope;
  size_t def;                      // kFigure: index into FigureMetricDefs()
  std::optional<Cadence> cadence;  // none for the info family
};

// What a layout's series carry now.
struct SlotState {
  std::string period;             // the period label of its gauges; "" = none
  std::vector<Gauge*> gauges;     // by member index of the scope; nullptr = no series
  std::vector<std::string> tags;  // kInfo: the descriptive labels each gauge carries
};

// A member's key: the value of its one identifying label ("" for the park).
std::string MemberKey(const SeriesLabels& labels) {
  return labels.empty() ? std::string() : labels.begin()->second;
}

// The info labels as one string, to notice a renamed or re-classified enterprise.
std::string Tag(const SeriesLabels& labels) {
  std::string tag;
  for (const auto& [name, value] : labels) tag += value + '\x1f';
  return tag;
}

}  // namespace

struct FigureMetrics::State {
  std::map<std::string, Family*> by_name;
  // What the small families Apply replaces currently export, to remove what is no longer wanted.
  std::map<std::string, std::map<LabelSet, Gauge*>> current;
  std::vector<SlotLayout> layout;    // read without the lock: never changes after construction
  std::vector<SlotState> slots;      // by layout index
  std::vector<std::string> keys[3];  // member keys by FigureScope, as the slots are indexed
};

FigureMetrics::FigureMetrics(prometheus::Registry& registry) : state_(std::make_unique<State>()) {
  State& s = *state_;
  auto add = [&](const std::string& name, const std::string& help) {
    Family* family = &prometheus::BuildGauge().Name(name).Help(help).Register(registry);
    s.by_name[name] = family;
    return family;
  };
  const auto& defs = FigureMetricDefs();
  for (size_t i = 0; i < defs.size(); ++i) {
    Family* family = add(defs[i].name, defs[i].help);
    for (Cadence cadence : {Cadence::kWeekly, Cadence::kMonthly})
      s.layout.push_back({family, SlotKind::kFigure, defs[i].scope, i, cadence});
  }
  Family* info = add(kEnterpriseInfoName, kEnterpriseInfoHelp);
  s.layout.push_back({info, SlotKind::kInfo, FigureScope::kEnterprise, 0, std::nullopt});
  Family* timestamp =
      add(kLastReportTimestamp,
          "End of the latest period the enterprise reported any figure for (Unix seconds, period "
          "ends at midnight Asia/Shanghai).");
  Family* age = add(kLastReportAge,
                    "Periods between the latest period the enterprise reported and the latest "
                    "complete period of the cadence; 0 = up to date, 1 or more = not reported "
                    "(未报).");
  for (Cadence cadence : {Cadence::kWeekly, Cadence::kMonthly}) {
    s.layout.push_back(
        {timestamp, SlotKind::kLastReportTimestamp, FigureScope::kEnterprise, 0, cadence});
    s.layout.push_back({age, SlotKind::kLastReportAge, FigureScope::kEnterprise, 0, cadence});
  }
  s.slots.resize(s.layout.size());
  add(kParkTarget,
      "Annual growth target of the park from the rule files' targets table, as a ratio.");
  add(kIndustryTarget,
      "Annual growth target of an industry from the rule files' targets table, as a ratio.");
  add(kAlerts,
      "Pending and firing parkwatch alerts, one series per alert identity with value 1, like "
      "Prometheus's ALERTS.");
}

FigureMetrics::~FigureMetrics() = default;

void FigureMetrics::Refresh(const ParkFigures& figures) {
  State& s = *state_;
  // What every slot should hold, computed before taking the lock: the measures are the slow
  // part and need no gauges.
  struct Want {
    std::string period;
    std::vector<double> values;  // by member index; NaN = no series
  };
  std::optional<Period> latest[2];
  std::vector<std::pair<int, Period>> last[2];
  for (Cadence cadence : {Cadence::kWeekly, Cadence::kMonthly}) {
    int c = cadence == Cadence::kWeekly ? 0 : 1;
    latest[c] = figures.LatestComplete(cadence);
    if (latest[c]) last[c] = figures.LastReports(cadence, *latest[c]);
  }
  std::vector<Want> want(s.layout.size());
  for (size_t i = 0; i < s.layout.size(); ++i) {
    const SlotLayout& slot = s.layout[i];
    Want& w = want[i];
    w.values.assign(figures.Members(slot.scope).size(), kNaN);
    if (slot.kind == SlotKind::kInfo) {
      w.values.assign(w.values.size(), 1);
      continue;
    }
    int c = slot.cadence == Cadence::kWeekly ? 0 : 1;
    if (!latest[c]) continue;
    switch (slot.kind) {
      case SlotKind::kFigure:
        w.period = latest[c]->ToString();
        w.values = figures.Values(FigureMetricDefs()[slot.def], *latest[c]);
        break;
      case SlotKind::kLastReportTimestamp:
        for (const auto& [e, p] : last[c])
          w.values[static_cast<size_t>(e)] = static_cast<double>(PeriodEndUnixSeconds(p));
        break;
      case SlotKind::kLastReportAge:
        for (const auto& [e, p] : last[c])
          w.values[static_cast<size_t>(e)] = ParkFigures::PeriodsBetween(p, *latest[c]);
        break;
      case SlotKind::kInfo:
        break;
    }
  }
  std::vector<std::string> keys[3];
  for (int scope = 0; scope < 3; ++scope)
    for (const auto& labels : figures.Members(static_cast<FigureScope>(scope)))
      keys[scope].push_back(MemberKey(labels));
  std::vector<std::string> tags;
  tags.reserve(figures.InfoLabels().size());
  for (const auto& labels : figures.InfoLabels()) tags.push_back(Tag(labels));

  std::lock_guard lock(mu_);
  // Removed last: a scrape in between sees the new period beside the old one rather than
  // neither.
  std::vector<std::pair<Family*, Gauge*>> stale;

  // Members that came or went (an enterprise registered, an industry added): move each gauge to
  // its member's new index; the gauges of members that are gone are stale.
  for (int scope = 0; scope < 3; ++scope) {
    if (keys[scope] == s.keys[scope]) continue;
    std::unordered_map<std::string, size_t> index;
    for (size_t m = 0; m < keys[scope].size(); ++m) index.emplace(keys[scope][m], m);
    for (size_t i = 0; i < s.layout.size(); ++i) {
      if (static_cast<int>(s.layout[i].scope) != scope) continue;
      SlotState& slot = s.slots[i];
      std::vector<Gauge*> gauges(keys[scope].size(), nullptr);
      std::vector<std::string> moved(s.layout[i].kind == SlotKind::kInfo ? gauges.size() : 0);
      for (size_t m = 0; m < slot.gauges.size(); ++m) {
        if (!slot.gauges[m]) continue;
        auto it = index.find(s.keys[scope][m]);
        if (it == index.end()) {
          stale.emplace_back(s.layout[i].family, slot.gauges[m]);
          continue;
        }
        gauges[it->second] = slot.gauges[m];
        if (!moved.empty()) moved[it->second] = std::move(slot.tags[m]);
      }
      slot.gauges = std::move(gauges);
      slot.tags = std::move(moved);
    }
    s.keys[scope] = std::move(keys[scope]);
  }

  for (size_t i = 0; i < s.layout.size(); ++i) {
    const SlotLayout& layout = s.layout[i];
    SlotState& slot = s.slots[i];
    const Want& w = want[i];
    bool info = layout.kind == SlotKind::kInfo;
    if (slot.period != w.period) {
      // A new period: every series of the family and cadence gets new labels.
      for (Gauge*& gauge : slot.gauges)
        if (gauge) stale.emplace_back(layout.family, std::exchange(gauge, nullptr));
      slot.period = w.period;
    }
    slot.gauges.resize(w.values.size(), nullptr);
    if (info) slot.tags.resize(w.values.size());
    for (size_t m = 0; m < w.values.size(); ++m) {
      Gauge*& gauge = slot.gauges[m];
      if (std::isnan(w.values[m])) {
        if (gauge) stale.emplace_back(layout.family, std::exchange(gauge, nullptr));
        continue;
      }
      if (gauge && info && slot.tags[m] != tags[m])
        stale.emplace_back(layout.family, std::exchange(gauge, nullptr));
      if (!gauge) {
        SeriesLabels labels = info ? figures.InfoLabels()[m] : figures.Members(layout.scope)[m];
        if (layout.cadence) labels["cadence"] = std::string(CadenceName(*layout.cadence));
        if (!slot.period.empty()) labels["period"] = slot.period;
        gauge = &layout.family->Add(labels);
        if (info) slot.tags[m] = tags[m];
      }
      gauge->Set(w.values[m]);
    }
  }
  for (const auto& [family, gauge] : stale) family->Remove(gauge);
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
    Family& family = *state_->by_name.at(name);
    auto found = desired.find(name);
    const auto& want = found == desired.end() ? kNone : found->second;
    auto& have = state_->current[name];
    // New and changed series first, removals last: a scrape in between sees the new period
    // beside the old one rather than neither.
    for (const auto& [labels, value] : want) {
      Gauge*& gauge = have[labels];
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
