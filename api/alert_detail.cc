// GET /api/v1/alerts/{fingerprint}: the answer to "why is it alerting?" in one document — the
// alert with its enterprise's name and industry, its value and the thresholds of every level
// (overrides applied) with the one crossed, the measure, the period with its days, its events,
// acknowledgements, the silences that match it and the series behind it. Every message links
// here.
#include <nlohmann/json.hpp>

#include "alerts/alert_store.h"
#include "api/handlers.h"
#include "api/services.h"
#include "config/alerting.h"
#include "core/time_text.h"
#include "notifiers/delivery_store.h"
#include "notifiers/router.h"
#include "notifiers/template.h"
#include "rules/evaluator.h"
#include "rules/rule_config.h"

namespace parkwatch {

using nlohmann::json;

namespace {

json Number(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

struct RuleRef {
  const RuleGroup* group = nullptr;
  const RuleConfig* rule = nullptr;
};

RuleRef FindRule(const RuleSet& rules, const std::string& name) {
  for (const auto& g : rules.groups)
    for (const auto& r : g.rules)
      if (r.name == name) return {&g, &r};
  return {};
}

// Times as epoch seconds beside RFC 3339 in the park's zone.
class Clock {
 public:
  explicit Clock(const Config& config)
      : offset_(UtcOffsetMinutes(config.timezone).value_or(8 * 60)) {}
  json At(int64_t unix_seconds) const {
    if (!unix_seconds) return nullptr;
    return {{"unix", unix_seconds}, {"local", LocalRfc3339(unix_seconds, offset_)}};
  }

 private:
  int offset_;
};

json PeriodJson(const Period& p) {
  if (!p.valid()) return nullptr;
  return {{"period", p.ToString()},
          {"name", PeriodName(p)},
          {"name_en", PeriodName(p, Language::kEn)},
          {"days", PeriodDays(p)},
          {"first_day", IsoDate(p.FirstDay())},
          {"last_day", IsoDate(p.LastDay())}};
}

json ThresholdsJson(const Thresholds& t, Severity crossed) {
  json levels = json::object();
  for (Severity s : {Severity::kBlue, Severity::kYellow, Severity::kOrange, Severity::kRed})
    if (auto v = t.levels[static_cast<size_t>(s)]) levels[std::string(SeverityName(s))] = *v;
  return {{"direction", t.direction == Direction::kBelow ? "below" : "above"},
          {"levels", levels},
          {"clear", Number(t.clear)},
          {"crossed",
           crossed == Severity::kNone ? json(nullptr) : json(std::string(SeverityName(crossed)))}};
}

}  // namespace

HttpResponse ApiAlert(ApiCall& call) {
  const std::string& fingerprint = call.path.at("fingerprint");
  LoopServices& loop = *call.loop;
  auto row = loop.alerts().Get(fingerprint);
  if (!row) throw ApiError::NotFound("no alert with fingerprint " + fingerprint);
  auto config = loop.config();
  auto rules = loop.rules();
  Clock clock(*config);
  const AlertStatus& s = row->status;
  Labels labels = WithRegisterContext(loop.store(), row->labels);
  json out = {{"fingerprint", row->fingerprint},
              {"rule", row->rule},
              {"labels", labels},
              {"state", AlertStateName(s.state)},
              {"severity", SeverityName(s.severity)},
              {"severity_zh", SeverityChineseName(s.severity)},
              {"value", Number(s.value)},
              {"value_text", s.value ? json(FormatValue(*s.value)) : json(nullptr)},
              {"value_at_firing", Number(s.value_at_firing)},
              {"period", PeriodJson(s.last_period)},
              {"active_since", PeriodJson(s.active_since_period)},
              {"first_breach", PeriodJson(s.first_breach_period)},
              {"breach_count", s.breach_count},
              {"fired_at", clock.At(s.fired_at)},
              {"updated_at", clock.At(s.updated_at)},
              {"annotations", s.annotations}};

  // The rule as it stands now, with this member's thresholds.
  RuleRef ref = FindRule(*rules, row->rule);
  if (ref.rule) {
    auto label = [&](const char* name) {
      auto it = labels.find(name);
      return it == labels.end() ? std::string() : it->second;
    };
    out["measure"] = ref.rule->MeasureName();
    out["cadence"] = CadenceName(ref.group->cadence);
    out["group"] = ref.group->name;
    out["for"] = ref.rule->for_periods;
    out["keep_firing_for"] = ref.rule->keep_firing_for;
    out["target"] = ref.rule->target;
    out["thresholds"] =
        ThresholdsJson(ref.rule->ThresholdsFor(label("industry"), label("enterprise")), s.severity);
  } else {
    out["measure"] = nullptr;
    out["thresholds"] = nullptr;  // the rule was removed since
  }

  json history = json::array();
  for (const AlertEventRow& r : loop.alerts().History(100, "", fingerprint)) {
    const AlertEvent& e = r.event;
    history.push_back({{"kind", EventKindName(e.kind)},
                       {"severity", SeverityName(e.severity)},
                       {"previous", SeverityName(e.previous)},
                       {"period", PeriodJson(e.period)},
                       {"value", Number(e.value)},
                       {"at", clock.At(e.at)}});
  }
  out["history"] = std::move(history);

  json acks = json::array();
  for (const Acknowledgement& a : loop.deliveries().Acknowledgements(fingerprint, 100))
    acks.push_back({{"author", a.author},
                    {"note", a.note},
                    {"severity", SeverityName(a.severity)},
                    {"at", clock.At(a.at)}});
  out["acknowledgements"] = std::move(acks);

  // The silences that would hold its notifications now: matched against the labels routes see.
  Labels routing = RoutingLabels(row->rule, labels, s.severity);
  json silences = json::array();
  for (const Silence& silence : loop.deliveries().Silences(true, UnixNow())) {
    std::vector<LabelMatcher> matchers = ParseStoredMatchers(silence.matchers);
    if (!matchers.empty() && MatchesAll(matchers, routing))
      silences.push_back({{"id", silence.id},
                          {"matchers", silence.matchers},
                          {"author", silence.author},
                          {"comment", silence.comment},
                          {"ends_at", clock.At(silence.ends_at)}});
  }
  out["silences"] = std::move(silences);

  // The series behind an enterprise's alert: its figures of the measure's indicator.
  json series = nullptr;
  auto code = labels.find("enterprise");
  if (ref.rule && code != labels.end() && !ref.rule->measure.indicator.empty()) {
    if (auto e = loop.store().FindEnterprise(code->second)) {
      series = json::array();
      for (const auto& p :
           loop.store().Series(e->id, ref.rule->measure.indicator, ref.group->cadence))
        series.push_back({{"period", p.period.ToString()}, {"value", p.value}});
    }
  }
  out["series"] = std::move(series);

  // What the rule measured at every period it saw with data (the lifecycle's log): the line a
  // page draws against the thresholds.
  json observations = json::array();
  for (const LoggedObservation& o : s.log)
    observations.push_back({{"period", o.period.ToString()},
                            {"name", PeriodName(o.period)},
                            {"name_en", PeriodName(o.period, Language::kEn)},
                            {"value", o.value},
                            {"breach", SeverityName(o.breach)}});
  out["observations"] = std::move(observations);
  return JsonSuccess(out.dump(-1, ' ', false, json::error_handler_t::replace));
}

HttpResponse ApiAcknowledgements(ApiCall& call) {
  Clock clock(*call.loop->config());
  json out = json::array();
  for (const Acknowledgement& a : call.loop->deliveries().Acknowledgements(
           call.query.String("fingerprint"), static_cast<int>(call.query.Limit(100))))
    out.push_back({{"fingerprint", a.fingerprint},
                   {"author", a.author},
                   {"note", a.note},
                   {"severity", SeverityName(a.severity)},
                   {"fired_at", clock.At(a.fired_at)},
                   {"at", clock.At(a.at)}});
  return JsonSuccess(out.dump(-1, ' ', false, json::error_handler_t::replace));
}

}  // namespace parkwatch
