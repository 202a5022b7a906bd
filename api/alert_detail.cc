// GET /api/v1/alerts/{fingerprint}: the answer to "why is it alerting?" in one document — the
// alert with its enterprise's name and industry, its value and the thresholds of every level
// (overrides applied) with the one crossed and what else a breach needs (condition, condition_zh),
// the measure, the period with its days, its events,
// acknowledgements, the silences that match it and the series behind it. Every message links
// here.
#include <nlohmann/json.hpp>

#include "alerts/alert_store.h"
#include "api/answers.h"
#include "api/handlers.h"
#include "api/json_parts.h"
#include "api/services.h"
#include "config/alerting.h"
#include "core/json_text.h"
#include "core/time_text.h"
#include "core/units.h"
#include "notifiers/delivery_store.h"
#include "notifiers/router.h"
#include "notifiers/template.h"
#include "rules/evaluator.h"
#include "rules/measure_words.h"
#include "rules/rule_config.h"

namespace parkwatch {

using nlohmann::json;

namespace {

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

}  // namespace

std::optional<json> AlertAnswer(const AnswerSources& in, const std::string& fingerprint) {
  auto row = in.alerts.Get(fingerprint);
  if (!row) return std::nullopt;
  TimeJson clock(in.config);
  const AlertStatus& s = row->status;
  Labels labels = WithRegisterContext(in.store, row->labels);
  RuleRef ref = FindRule(in.rules, row->rule);
  json out = {{"fingerprint", row->fingerprint},
              {"rule", row->rule},
              {"labels", labels},
              {"state", AlertStateName(s.state)},
              {"severity", SeverityName(s.severity)},
              {"severity_zh", SeverityChineseName(s.severity)},
              {"value", NumberJson(s.value)},
              {"value_text", ValueTextJson(ref.rule, in.config, s.value)},
              {"value_at_firing", NumberJson(s.value_at_firing)},
              {"period", PeriodJson(s.last_period)},
              {"active_since", PeriodJson(s.active_since_period)},
              {"first_breach", PeriodJson(s.first_breach_period)},
              {"breach_count", s.breach_count},
              {"fired_at", clock.At(s.fired_at)},
              {"updated_at", clock.At(s.updated_at)},
              {"annotations", s.annotations}};

  // The rule as it stands now, with this member's thresholds.
  if (ref.rule) {
    auto label = [&](const char* name) {
      auto it = labels.find(name);
      return it == labels.end() ? std::string() : it->second;
    };
    out["title"] = ref.rule->title;
    out["title_zh"] = ref.rule->title_zh;
    out["measure"] = ref.rule->MeasureName();
    out["measure_words"] = MeasureWords(*ref.rule, in.config);
    out["measure_words_en"] = MeasureWords(*ref.rule, in.config, Language::kEn);
    out["unit"] = MeasureUnit(*ref.rule, in.config);
    out["cadence"] = CadenceName(ref.group->cadence);
    out["group"] = ref.group->name;
    out["for"] = ref.rule->for_periods;
    out["keep_firing_for"] = ref.rule->keep_firing_for;
    out["target"] = ref.rule->target;
    out["thresholds"] =
        ThresholdsJson(ref.rule->ThresholdsFor(label("industry"), label("enterprise")), s.severity);
    // fall(): the lines hold only N of this enterprise's usual swings below its own course.
    std::optional<double> swing;
    if (auto it = s.annotations.find("swing"); it != s.annotations.end())
      swing = std::atof(it->second.c_str());
    if (Wording condition = ThresholdCondition(*ref.rule, swing); !condition.empty()) {
      out["thresholds"]["condition"] = condition.en;
      out["thresholds"]["condition_zh"] = condition.zh;
    }
  } else {
    out["measure"] = nullptr;
    out["thresholds"] = nullptr;  // the rule was removed since
  }

  json history = json::array();
  for (const AlertEventRow& r : in.alerts.History(100, "", fingerprint)) {
    const AlertEvent& e = r.event;
    history.push_back({{"kind", EventKindName(e.kind)},
                       {"severity", SeverityName(e.severity)},
                       {"previous", SeverityName(e.previous)},
                       {"period", PeriodJson(e.period)},
                       {"value", NumberJson(e.value)},
                       {"at", clock.At(e.at)}});
  }
  out["history"] = std::move(history);

  json acks = json::array();
  for (const Acknowledgement& a : in.deliveries.Acknowledgements(fingerprint, 100))
    acks.push_back({{"author", a.author},
                    {"note", a.note},
                    {"severity", SeverityName(a.severity)},
                    {"at", clock.At(a.at)}});
  out["acknowledgements"] = std::move(acks);

  // The silences that would hold its notifications now: matched against the labels routes see.
  Labels routing = RoutingLabels(row->rule, labels, s.severity);
  json silences = json::array();
  for (const Silence& silence : in.deliveries.Silences(true, UnixNow())) {
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
    if (auto e = in.store.FindEnterprise(code->second)) {
      series = json::array();
      if (const IndicatorConfig* ind = in.config.FindIndicator(ref.rule->measure.indicator))
        out["series_unit"] = BaseUnitName(ind->dimension);
      // A figure in quarantine is marked: the unit-slip alert's chart shows what is held.
      for (const auto& p : in.store.Series(e->id, ref.rule->measure.indicator, ref.group->cadence))
        series.push_back({{"period", p.period.ToString()}, {"value", p.value}, {"held", p.held}});
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
  return out;
}

HttpResponse ApiAlert(ApiCall& call) {
  const std::string& fingerprint = call.path.at("fingerprint");
  LoopServices& loop = *call.loop;
  auto config = loop.config();
  auto rules = loop.rules();
  auto answer =
      AlertAnswer({loop.store(), loop.alerts(), loop.deliveries(), *config, *rules}, fingerprint);
  if (!answer) throw ApiError::NotFound("no alert with fingerprint " + fingerprint);
  return JsonSuccess(DumpJson(*answer));
}

HttpResponse ApiAcknowledgements(ApiCall& call) {
  TimeJson clock(*call.loop->config());
  json out = json::array();
  for (const Acknowledgement& a : call.loop->deliveries().Acknowledgements(
           call.query.String("fingerprint"), static_cast<int>(call.query.Limit(100))))
    out.push_back({{"fingerprint", a.fingerprint},
                   {"author", a.author},
                   {"note", a.note},
                   {"severity", SeverityName(a.severity)},
                   {"fired_at", clock.At(a.fired_at)},
                   {"at", clock.At(a.at)}});
  return JsonSuccess(DumpJson(out));
}

}  // namespace parkwatch
