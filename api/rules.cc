// GET /api/v1/rules: every rule as the people who tune it and the people who read its alerts
// need it — its titles, kind, scope, the measure in words, the thresholds of each level (the
// rule's own and each industry's and enterprise's override, shown as the alert detail shows a
// member's), and its last evaluation with the members that had no data and why (reason in
// English, reason_zh in Chinese, as the measure worded it), named by credit code and register
// name.
// Runs on the store worker, which owns the engine's statuses.
#include <nlohmann/json.hpp>

#include "alerts/engine.h"
#include "api/handlers.h"
#include "api/json_parts.h"
#include "api/services.h"
#include "core/json_text.h"
#include "core/time_text.h"
#include "rules/measure_words.h"
#include "rules/rule_data.h"

namespace parkwatch {

using nlohmann::json;

namespace {

json EvaluationJson(const RuleStatus* s, const TimeJson& clock) {
  if (!s || !s->last_evaluation) return nullptr;
  json no_data = json::array();
  for (const RuleStatus::NoData& n : s->no_data) {
    json member = {{"scope", n.scope},
                   {"period", n.period},
                   {"reason", n.reason.en},
                   {"reason_zh", n.reason.zh}};
    if (!n.enterprise.empty()) member["enterprise"] = n.enterprise;
    if (!n.name.empty()) member["name"] = n.name;
    if (!n.industry.empty()) member["industry"] = n.industry;
    no_data.push_back(std::move(member));
  }
  auto period = Period::Parse(s->last_period);
  return {{"at", clock.At(s->last_evaluation)},
          {"duration_seconds", s->last_duration_seconds},
          {"period", period ? PeriodJson(*period) : json(nullptr)},
          {"outcomes", s->last_outcomes},
          {"no_data_count", s->last_no_data},
          {"no_data_at_period", s->no_data_at_last_period},
          {"no_data", std::move(no_data)},
          {"no_data_listed_at_most", kMaxNoDataListed},
          {"error", s->last_error.empty() ? json(nullptr) : json(s->last_error)}};
}

}  // namespace

HttpResponse ApiRules(ApiCall& call) {
  const Config& config = call.worker->config();
  const RuleData& data = call.worker->rule_data();
  TimeJson clock(config);
  std::vector<RuleStatus> statuses = call.worker->RuleStatuses();
  auto status_of = [&](const std::string& name) -> const RuleStatus* {
    for (const RuleStatus& s : statuses)
      if (s.name == name) return &s;
    return nullptr;
  };
  json out = json::array();
  for (const RuleGroup& group : call.worker->rules().groups)
    for (const RuleConfig& rule : group.rules) {
      json overrides = json::array();
      for (const ThresholdOverride& o : rule.overrides) {
        json one = ThresholdsJson(o.thresholds);
        if (!o.industry.empty()) one["industry"] = o.industry;
        if (!o.enterprise.empty()) {
          one["enterprise"] = o.enterprise;
          auto e = data.IndexOfCode(o.enterprise);
          one["name"] = e ? json(data.row(*e).name) : json(nullptr);
        }
        overrides.push_back(std::move(one));
      }
      const Wording condition = ThresholdCondition(rule);  // beside the levels: fall()'s swings
      json where = json::object();
      if (rule.where.key) where["key"] = *rule.where.key;
      if (!rule.where.industries.empty()) where["industries"] = rule.where.industries;
      if (!rule.where.enterprises.empty()) where["enterprises"] = rule.where.enterprises;
      out.push_back({{"group", group.name},
                     {"name", rule.name},
                     {"title", rule.title},
                     {"title_zh", rule.title_zh},
                     {"kind", RuleKindName(rule.kind)},
                     {"cadence", CadenceName(group.cadence)},
                     {"scope", ScopeText(rule)},
                     {"where", std::move(where)},
                     {"measure", rule.kind == RuleKind::kMissingReport ? json(nullptr)
                                                                       : json(rule.measure.text)},
                     {"measure_words", MeasureWords(rule, config)},
                     {"measure_words_en", MeasureWords(rule, config, Language::kEn)},
                     {"unit", MeasureUnit(rule, config)},
                     {"levels", ThresholdsJson(rule.thresholds)},
                     {"condition", condition.empty() ? json(nullptr) : json(condition.en)},
                     {"condition_zh", condition.empty() ? json(nullptr) : json(condition.zh)},
                     {"overrides", std::move(overrides)},
                     {"target", rule.target.empty() ? json(nullptr) : json(rule.target)},
                     {"for", rule.for_periods},
                     {"keep_firing_for", rule.keep_firing_for},
                     {"labels", rule.labels},
                     {"annotations", rule.annotations},
                     {"file", rule.file},
                     {"line", rule.line},
                     {"last_evaluation", EvaluationJson(status_of(rule.name), clock)}});
    }
  return JsonSuccess(DumpJson(out));
}

}  // namespace parkwatch
