// The quarantine's endpoints (store/quarantine.h): the figures held as suspected unit slips,
// listed with what a person needs to decide (name, period in words, the figure and the recent
// level in 万元, the factor), and the confirm and reject that decide them.
#include <nlohmann/json.hpp>

#include "api/handlers.h"
#include "api/services.h"
#include "core/json_text.h"
#include "core/number_text.h"
#include "core/time_text.h"
#include "rules/unit_slip_hold.h"
#include "store/quarantine.h"

namespace parkwatch {

using nlohmann::json;

namespace {

json QuarantinedJson(const QuarantinedFigure& f, const Config& config) {
  const IndicatorConfig* indicator = config.FindIndicator(f.indicator);
  const Dimension dimension = indicator ? indicator->dimension : Dimension::kMoney;
  json out = {
      {"credit_code", f.credit_code},
      {"name", f.name},
      {"industry", f.industry},
      {"indicator", f.indicator},
      {"indicator_title", indicator && !indicator->title.empty() ? indicator->title : f.indicator},
      {"period", f.period.ToString()},
      {"period_zh", PeriodName(f.period, Language::kZh)},
      {"period_en", PeriodName(f.period, Language::kEn)},
      {"value", f.value},
      {"value_zh", AmountWords(f.value, dimension, "zh")},
      {"value_en", AmountWords(f.value, dimension, "en")},
      {"level", f.level},
      {"level_zh", AmountWords(f.level, dimension, "zh")},
      {"level_en", AmountWords(f.level, dimension, "en")},
      {"exponent", f.exponent},
      {"ratio", f.level > 0 ? json(f.value / f.level) : json(nullptr)},
      {"factor_zh", SlipFactorWords(f.exponent, true)},
      {"factor_en", SlipFactorWords(f.exponent, false)},
      {"state", f.state},
      {"collector", f.collector},
      {"batch_id", f.batch_id},
      {"decided_by", f.decided_by},
      {"decided_at", f.decided_at ? json(f.decided_at) : json(nullptr)}};
  return out;
}

HttpResponse Decide(ApiCall& call, bool confirm) {
  json body = json::parse(call.request.body, nullptr, false);
  if (!body.is_object()) throw ApiError::BadData("body: expected {credit_code, period, indicator}");
  auto text = [&](const char* name) {
    auto it = body.find(name);
    return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  QuarantineDecision d;
  d.credit_code = text("credit_code");
  if (d.credit_code.empty()) throw ApiError::BadData("credit_code: required");
  std::string why;
  auto period = Period::Parse(text("period"), &why);
  if (!period) throw ApiError::BadData("period: " + why);
  d.period = *period;
  d.indicator = text("indicator");
  d.confirm = confirm;
  d.who = call.principal().empty() ? call.request.remote_address : call.principal();
  d.source = std::string("POST /api/v1/quarantine/") + (confirm ? "confirm" : "reject");
  WorkerServices& worker = *call.worker;
  BatchSummary decided =
      DecideQuarantine(worker.store(), d, UnitSlipRecheck(worker.store(), worker.config()));
  if (decided.batch_id == 0) throw ApiError::NotFound(decided.errors.at(0).message);
  worker.FollowBatch(decided);  // the rules re-decide as for a revision
  json out = {{"batch_id", decided.batch_id},
              {"decided", decided.rows_accepted},
              {"state", confirm ? "confirmed" : "rejected"}};
  return JsonSuccess(DumpJson(out));
}

}  // namespace

HttpResponse ApiQuarantine(ApiCall& call) {
  json out = json::array();
  const bool all = call.query.Bool("all", false);
  auto config = call.loop->config();
  for (const QuarantinedFigure& f : QuarantinedFigures(call.loop->store(), all))
    out.push_back(QuarantinedJson(f, *config));
  return JsonSuccess(DumpJson(out));
}

HttpResponse ApiQuarantineConfirm(ApiCall& call) { return Decide(call, true); }
HttpResponse ApiQuarantineReject(ApiCall& call) { return Decide(call, false); }

}  // namespace parkwatch
