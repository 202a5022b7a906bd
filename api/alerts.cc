// The alert and rule endpoints of the JSON API.
#include <nlohmann/json.hpp>

#include "alerts/alert_store.h"
#include "alerts/engine.h"
#include "api/answers.h"
#include "api/handlers.h"
#include "api/json_parts.h"
#include "api/services.h"
#include "config/alerting.h"
#include "core/json_text.h"
#include "core/time_text.h"
#include "notifiers/delivery_store.h"
#include "notifiers/router.h"
#include "notifiers/template.h"
#include "rules/evaluator.h"
#include "rules/measure_words.h"
#include "rules/rule_config.h"
#include "store/audit.h"

namespace parkwatch {

using nlohmann::json;

namespace {

json OptionalNumber(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }
json PeriodText(const Period& p) { return p.valid() ? json(p.ToString()) : json(nullptr); }

std::string Dump(const json& j) { return DumpJson(j); }

}  // namespace

json AlertList(const AnswerSources& in, const AlertQuery& q, std::string* error) {
  error->clear();
  AlertFilter filter;
  if (!q.state.empty()) {
    auto state = ParseAlertState(q.state);
    if (!state || *state == AlertState::kInactive) {
      *error = "state: must be pending or firing";
      return nullptr;
    }
    filter.state = state;
  }
  if (!q.severity.empty()) {
    auto severity = ParseSeverity(q.severity);
    if (!severity) {
      *error = "severity: must be blue, yellow, orange or red";
      return nullptr;
    }
    filter.min_severity = *severity;
  }
  filter.rule = q.rule;
  // Filters on what the register says (an enterprise's alert belongs to its industry) and on
  // what people did (silenced, acknowledged).
  std::vector<std::vector<LabelMatcher>> silences;
  if (q.silenced)
    for (const Silence& silence : in.deliveries.Silences(true, UnixNow()))
      if (auto matchers = ParseStoredMatchers(silence.matchers); !matchers.empty())
        silences.push_back(std::move(matchers));
  auto label = [](const Labels& labels, const char* name) {
    auto it = labels.find(name);
    return it == labels.end() ? std::string() : it->second;
  };
  TimeJson clock(in.config);
  // The rules in force, for each alert's measure and the threshold of the level it crossed.
  std::map<std::string, std::pair<const RuleGroup*, const RuleConfig*>> by_name;
  for (const auto& g : in.rules.groups)
    for (const auto& r : g.rules) by_name[r.name] = {&g, &r};
  json out = json::array();
  for (const AlertRow& a : in.alerts.Active(filter)) {
    const AlertStatus& s = a.status;
    Labels labels = WithRegisterContext(in.store, a.labels);
    if (!q.industry.empty() && label(labels, "industry") != q.industry) continue;
    if (!q.enterprise.empty() && label(labels, "enterprise") != q.enterprise) continue;
    if (!q.scope.empty() && label(labels, "scope") != q.scope) continue;
    if (q.silenced) {
      Labels routing = RoutingLabels(a.rule, labels, s.severity);
      bool held = false;
      for (const auto& matchers : silences) held = held || MatchesAll(matchers, routing);
      if (held != *q.silenced) continue;
    }
    if (q.acknowledged &&
        in.deliveries.IsAcknowledged(a.fingerprint, s.severity, s.fired_at) != *q.acknowledged)
      continue;
    const RuleConfig* rule = in.rules.FindRule(a.rule);
    out.push_back(
        {{"fingerprint", a.fingerprint},
         {"rule", a.rule},
         {"labels", labels},
         {"state", AlertStateName(s.state)},
         {"severity", SeverityName(s.severity)},
         {"severity_zh", SeverityChineseName(s.severity)},
         {"value", OptionalNumber(s.value)},
         {"value_text", ValueTextJson(rule, in.config, s.value)},
         {"value_at_firing", OptionalNumber(s.value_at_firing)},
         {"title", rule ? json(rule->title) : json(nullptr)},
         {"title_zh", rule ? json(rule->title_zh) : json(nullptr)},
         {"measure", rule ? json(rule->measure.text) : json(nullptr)},
         {"period", PeriodText(s.last_period)},
         {"period_name", s.last_period.valid() ? json(PeriodName(s.last_period)) : json(nullptr)},
         {"active_since", PeriodText(s.active_since_period)},
         {"first_breach", PeriodText(s.first_breach_period)},
         {"breach_count", s.breach_count},
         {"fired_at", s.fired_at},
         {"fired_at_local", clock.At(s.fired_at)},
         {"acknowledged", in.deliveries.IsAcknowledged(a.fingerprint, s.severity, s.fired_at)},
         {"annotations", s.annotations}});
    json& added = out.back();
    added["measure"] = nullptr;
    added["threshold"] = nullptr;
    if (auto rule = by_name.find(a.rule); rule != by_name.end()) {
      const RuleConfig& r = *rule->second.second;
      added["measure"] = r.MeasureName();
      added["unit"] = MeasureUnit(r, in.config);
      added["cadence"] = CadenceName(rule->second.first->cadence);
      Thresholds t = r.ThresholdsFor(label(labels, "industry"), label(labels, "enterprise"));
      if (auto v = t.levels[static_cast<size_t>(s.severity)]) added["threshold"] = *v;
      added["direction"] = t.direction == Direction::kBelow ? "below" : "above";
    }
  }
  return out;
}

HttpResponse ApiAlerts(ApiCall& call) {
  AlertQuery q;
  q.state = call.query.String("state");
  q.severity = call.query.String("severity");
  q.rule = call.query.String("rule");
  q.industry = call.query.String("industry");
  q.enterprise = call.query.String("enterprise");
  q.scope = call.query.String("scope");
  if (call.query.Optional("silenced")) q.silenced = call.query.Bool("silenced", false);
  if (call.query.Optional("acknowledged")) q.acknowledged = call.query.Bool("acknowledged", false);
  auto config = call.loop->config();
  auto rules = call.loop->rules();
  std::string error;
  json out =
      AlertList({call.loop->store(), call.loop->alerts(), call.loop->deliveries(), *config, *rules},
                q, &error);
  if (!error.empty()) throw ApiError::BadData("parameter " + error);
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

HttpResponse ApiAudit(ApiCall& call) {
  TimeJson clock(*call.loop->config());
  json out = json::array();
  for (const AuditRecord& a :
       RecentAudit(call.loop->store(), static_cast<int>(call.query.Limit(50))))
    out.push_back({{"id", a.id},
                   {"at", a.at},
                   {"at_local", clock.At(a.at)},
                   {"source", a.source},
                   {"who", a.who},
                   {"outcome", a.outcome},
                   {"changes", a.changes},
                   {"error", a.error.empty() ? json(nullptr) : json(a.error)}});
  return JsonSuccess(Dump(out));
}

HttpResponse ApiReload(ApiCall& call) {
  std::string who = call.principal().empty() ? call.request.remote_address : call.principal();
  std::string error = call.loop->Reload("POST /-/reload", who);
  if (!error.empty()) throw ApiError(400, "bad_config", error);
  return JsonSuccess("\"reloaded\"");
}

}  // namespace parkwatch
