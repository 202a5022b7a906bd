// The alert and rule endpoints of the JSON API.
#include <nlohmann/json.hpp>

#include "alerts/alert_store.h"
#include "alerts/engine.h"
#include "core/json_text.h"
#include "daemon/api.h"
#include "store/audit.h"

namespace parkwatch {

using nlohmann::json;

namespace {

json OptionalNumber(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }
json PeriodText(const Period& p) { return p.valid() ? json(p.ToString()) : json(nullptr); }

int Limit(const HttpRequest& request, int fallback) {
  try {
    return std::clamp(std::stoi(request.Query("limit", std::to_string(fallback))), 1, 10000);
  } catch (const std::exception&) {
    return fallback;
  }
}

}  // namespace

HttpResponse ApiAlerts(AlertStore& alerts, const HttpRequest& request) {
  AlertFilter filter;
  if (std::string s = request.Query("state"); !s.empty()) {
    auto state = ParseAlertState(s);
    if (!state || *state == AlertState::kInactive)
      return JsonError(400, "bad_data", "state must be pending or firing");
    filter.state = state;
  }
  if (std::string s = request.Query("severity"); !s.empty()) {
    auto severity = ParseSeverity(s);
    if (!severity)
      return JsonError(400, "bad_data", "severity must be blue, yellow, orange or red");
    filter.min_severity = *severity;
  }
  filter.rule = request.Query("rule");
  json out = json::array();
  for (const AlertRow& a : alerts.Active(filter)) {
    const AlertStatus& s = a.status;
    out.push_back({{"fingerprint", a.fingerprint},
                   {"rule", a.rule},
                   {"labels", a.labels},
                   {"state", AlertStateName(s.state)},
                   {"severity", SeverityName(s.severity)},
                   {"severity_zh", SeverityChineseName(s.severity)},
                   {"value", OptionalNumber(s.value)},
                   {"value_at_firing", OptionalNumber(s.value_at_firing)},
                   {"period", PeriodText(s.last_period)},
                   {"active_since", PeriodText(s.active_since_period)},
                   {"first_breach", PeriodText(s.first_breach_period)},
                   {"breach_count", s.breach_count},
                   {"fired_at", s.fired_at},
                   {"annotations", s.annotations}});
  }
  return JsonSuccess(DumpJson(out));
}

HttpResponse ApiAlertHistory(AlertStore& alerts, const HttpRequest& request) {
  json out = json::array();
  for (const AlertEventRow& r :
       alerts.History(Limit(request, 100), request.Query("rule"), request.Query("fingerprint"))) {
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
  return JsonSuccess(DumpJson(out));
}

HttpResponse ApiRules(const std::vector<RuleStatus>& rules) {
  json out = json::array();
  for (const RuleStatus& r : rules)
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
  return JsonSuccess(DumpJson(out));
}

HttpResponse ApiAudit(Store& store, const HttpRequest& request) {
  json out = json::array();
  for (const AuditRecord& a : RecentAudit(store, Limit(request, 50)))
    out.push_back({{"id", a.id}, {"at", a.at}, {"source", a.source}, {"changes", a.changes}});
  return JsonSuccess(DumpJson(out));
}

}  // namespace parkwatch
