// The alert and rule endpoints of the JSON API.
#include <nlohmann/json.hpp>

#include "alerts/alert_store.h"
#include "alerts/engine.h"
#include "api/handlers.h"
#include "api/services.h"
#include "config/alerting.h"
#include "core/json_text.h"
#include "core/time_text.h"
#include "notifiers/delivery_store.h"
#include "notifiers/router.h"
#include "rules/evaluator.h"
#include "rules/rule_config.h"
#include "store/audit.h"

namespace parkwatch {

using nlohmann::json;

namespace {

json OptionalNumber(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }
json PeriodText(const Period& p) { return p.valid() ? json(p.ToString()) : json(nullptr); }

std::string Dump(const json& j) { return DumpJson(j); }

}  // namespace

HttpResponse ApiAlerts(ApiCall& call) {
  AlertFilter filter;
  if (std::string s = call.query.String("state"); !s.empty()) {
    auto state = ParseAlertState(s);
    if (!state || *state == AlertState::kInactive)
      throw ApiError::BadData("parameter state: must be pending or firing");
    filter.state = state;
  }
  if (std::string s = call.query.String("severity"); !s.empty()) {
    auto severity = ParseSeverity(s);
    if (!severity)
      throw ApiError::BadData("parameter severity: must be blue, yellow, orange or red");
    filter.min_severity = *severity;
  }
  filter.rule = call.query.String("rule");
  // Filters on what the register says (an enterprise's alert belongs to its industry) and on
  // what people did (silenced, acknowledged).
  const std::string industry = call.query.String("industry");
  const std::string enterprise = call.query.String("enterprise");
  const std::string scope = call.query.String("scope");
  std::optional<bool> silenced, acknowledged;
  if (call.query.Optional("silenced")) silenced = call.query.Bool("silenced", false);
  if (call.query.Optional("acknowledged")) acknowledged = call.query.Bool("acknowledged", false);
  DeliveryStore& deliveries = call.loop->deliveries();
  std::vector<std::vector<LabelMatcher>> silences;
  if (silenced)
    for (const Silence& silence : deliveries.Silences(true, UnixNow()))
      if (auto matchers = ParseStoredMatchers(silence.matchers); !matchers.empty())
        silences.push_back(std::move(matchers));
  auto label = [](const Labels& labels, const char* name) {
    auto it = labels.find(name);
    return it == labels.end() ? std::string() : it->second;
  };
  // The rules in force, for each alert's measure and the threshold of the level it crossed.
  auto rules = call.loop->rules();
  std::map<std::string, std::pair<const RuleGroup*, const RuleConfig*>> by_name;
  for (const auto& g : rules->groups)
    for (const auto& r : g.rules) by_name[r.name] = {&g, &r};
  json out = json::array();
  for (const AlertRow& a : call.loop->alerts().Active(filter)) {
    const AlertStatus& s = a.status;
    Labels labels = WithRegisterContext(call.loop->store(), a.labels);
    if (!industry.empty() && label(labels, "industry") != industry) continue;
    if (!enterprise.empty() && label(labels, "enterprise") != enterprise) continue;
    if (!scope.empty() && label(labels, "scope") != scope) continue;
    if (silenced) {
      Labels routing = RoutingLabels(a.rule, labels, s.severity);
      bool held = false;
      for (const auto& matchers : silences) held = held || MatchesAll(matchers, routing);
      if (held != *silenced) continue;
    }
    if (acknowledged &&
        deliveries.IsAcknowledged(a.fingerprint, s.severity, s.fired_at) != *acknowledged)
      continue;
    out.push_back(
        {{"fingerprint", a.fingerprint},
         {"rule", a.rule},
         {"labels", labels},
         {"state", AlertStateName(s.state)},
         {"severity", SeverityName(s.severity)},
         {"severity_zh", SeverityChineseName(s.severity)},
         {"value", OptionalNumber(s.value)},
         {"value_at_firing", OptionalNumber(s.value_at_firing)},
         {"period", PeriodText(s.last_period)},
         {"period_name", s.last_period.valid() ? json(PeriodName(s.last_period)) : json(nullptr)},
         {"active_since", PeriodText(s.active_since_period)},
         {"first_breach", PeriodText(s.first_breach_period)},
         {"breach_count", s.breach_count},
         {"fired_at", s.fired_at},
         {"annotations", s.annotations}});
    json& added = out.back();
    added["measure"] = nullptr;
    added["threshold"] = nullptr;
    if (auto rule = by_name.find(a.rule); rule != by_name.end()) {
      const RuleConfig& r = *rule->second.second;
      added["measure"] = r.MeasureName();
      added["cadence"] = CadenceName(rule->second.first->cadence);
      Thresholds t = r.ThresholdsFor(label(labels, "industry"), label(labels, "enterprise"));
      if (auto v = t.levels[static_cast<size_t>(s.severity)]) added["threshold"] = *v;
      added["direction"] = t.direction == Direction::kBelow ? "below" : "above";
    }
  }
  return JsonSuccess(Dump(out));
}

HttpResponse ApiAlertHistory(ApiCall& call) {
  json out = json::array();
  for (const AlertEventRow& r :
       call.loop->alerts().History(static_cast<int>(call.query.Limit(100)),
                                   call.query.String("rule"), call.query.String("fingerprint"))) {
    const AlertEvent& e = r.event;
    out.push_back({{"id", r.id},
                   {"fingerprint", r.fingerprint},
                   {"rule", r.rule},
                   {"labels", r.labels},
                   {"kind", EventKindName(e.kind)},
                   {"severity", SeverityName(e.severity)},
                   {"previous", SeverityName(e.previous)},
                   {"period", PeriodText(e.period)},
                   {"value", OptionalNumber(e.value)},
                   {"value_at_firing", OptionalNumber(e.value_at_firing)},
                   {"at", e.at},
                   {"annotations", e.annotations}});
  }
  return JsonSuccess(Dump(out));
}

HttpResponse ApiRules(ApiCall& call) {
  json out = json::array();
  for (const RuleStatus& r : call.worker->RuleStatuses())
    out.push_back({{"group", r.group},
                   {"name", r.name},
                   {"kind", r.kind},
                   {"cadence", r.cadence},
                   {"measure", r.measure},
                   {"last_evaluation", r.last_evaluation},
                   {"last_duration_seconds", r.last_duration_seconds},
                   {"last_period", r.last_period},
                   {"last_outcomes", r.last_outcomes},
                   {"last_no_data", r.last_no_data},
                   {"last_error", r.last_error}});
  return JsonSuccess(Dump(out));
}

HttpResponse ApiAudit(ApiCall& call) {
  json out = json::array();
  for (const AuditRecord& a :
       RecentAudit(call.loop->store(), static_cast<int>(call.query.Limit(50))))
    out.push_back({{"id", a.id}, {"at", a.at}, {"source", a.source}, {"changes", a.changes}});
  return JsonSuccess(Dump(out));
}

HttpResponse ApiReload(ApiCall& call) {
  std::string who = call.principal().empty() ? "POST /-/reload" : call.principal();
  std::string error = call.loop->Reload("POST /-/reload by " + who);
  if (!error.empty()) throw ApiError(400, "bad_config", error);
  return JsonSuccess("\"reloaded\"");
}

}  // namespace parkwatch
