// GET /api/v1/industries: the park and each industry at one period (by default the latest
// complete one, as /metrics and the monthly report pick it), and GET /api/v1/industries/{name}:
// one industry at a period with each of its enterprises' level, YoY and pull on the industry's
// growth. Both through ScopeFigures (api/scope_figures.h), the measures the rules, /metrics and
// the report use. Store worker thread, which owns the figures.
#include <nlohmann/json.hpp>

#include "api/handlers.h"
#include "api/json_parts.h"
#include "api/scope_figures.h"
#include "api/services.h"
#include "core/json_text.h"
#include "core/units.h"
#include "metrics/park_figures.h"

namespace parkwatch {

using nlohmann::json;

namespace {

// What both answers read from the query: the indicator's table, the cadence, the prices of
// growth and the period (?period=, else the latest complete one).
struct FigureQuery {
  std::string indicator;
  const IndicatorConfig* config = nullptr;
  Cadence cadence = Cadence::kMonthly;
  std::string prices;
  const FigureTable* table = nullptr;
  Period period;
  bool latest_complete = false;
};

FigureQuery ReadFigureQuery(ApiCall& call) {
  const QueryReader& q = call.query;
  const RuleData& data = call.worker->rule_data();
  const Config& config = call.worker->config();
  FigureQuery f;
  f.indicator = q.String("indicator", "output_value");
  f.config = config.FindIndicator(f.indicator);
  if (!f.config)
    throw ApiError::BadData("parameter indicator: unknown indicator \"" + f.indicator + "\"");
  auto cadence = ParseCadence(q.String("cadence", "monthly"));
  if (!cadence) throw ApiError::BadData("parameter cadence: must be weekly or monthly");
  f.cadence = *cadence;
  f.table = data.Figures(f.indicator, f.cadence);
  if (!f.table)
    throw ApiError::BadData("parameter indicator: " + f.indicator + " (" +
                            std::string(CadenceName(f.cadence)) +
                            ") is not held in memory: neither a rule nor /metrics reads it");
  f.prices = q.String("prices", "current");
  if (q.Optional("period")) {
    std::string why;
    auto p = Period::Parse(q.String("period"), &why);
    if (!p) throw ApiError::BadData("parameter period: " + why);
    if (p->cadence() != f.cadence)
      throw ApiError::BadData("parameter period: " + p->ToString() +
                              " is not a period of cadence " + std::string(CadenceName(f.cadence)));
    f.period = p->monthly() && p->first_month() <= 2 ? Period::JanFeb(p->year()) : *p;
  } else {
    auto latest = ParkFigures(data, config).LatestComplete(f.cadence);
    if (!latest) latest = data.LatestPeriod(f.cadence);
    if (!latest)
      throw ApiError::NotFound("no " + std::string(CadenceName(f.cadence)) + " figures yet");
    f.period = *latest;
    f.latest_complete = true;
  }
  return f;
}

json Head(const FigureQuery& f) {
  return {{"indicator", f.indicator},
          {"title", f.config->title},
          {"cadence", CadenceName(f.cadence)},
          {"unit", BaseUnitName(f.config->dimension)},
          {"growth_prices", f.prices},
          {"period", PeriodJson(f.period)},
          {"latest_complete", f.latest_complete}};
}

json Target(const RuleSet& rules, const FigureQuery& f, const std::string& scope) {
  auto t = rules.Target(f.indicator + "_growth", scope);
  return f.period.monthly() && t ? json(*t) : json(nullptr);
}

}  // namespace

HttpResponse ApiIndustries(ApiCall& call) {
  FigureQuery f = ReadFigureQuery(call);
  const RuleData& data = call.worker->rule_data();
  const Config& config = call.worker->config();
  ScopeFigures figures(data, *f.table, GrowthOptions(data, f.cadence, f.prices));
  std::vector<EnterpriseIndex> park = figures.Park(f.period.year());
  json out = Head(f);
  json p = figures.At(park, f.period);
  p["name"] = config.park_name;
  p["target"] = Target(call.worker->rules(), f, "park");
  out["park"] = std::move(p);
  json industries = json::array();
  // As /metrics and the report list them: the configured ones first.
  ParkFigures park_figures(data, config);
  for (const auto& labels : park_figures.Members(FigureScope::kIndustry)) {
    const std::string& name = labels.at("industry");
    int32_t index = data.IndustryIndex(name);
    if (index < 0) continue;
    json i = figures.At(figures.Industry(index, f.period.year()), f.period, &park);
    i["industry"] = name;
    i["target"] = Target(call.worker->rules(), f, "industry:" + name);
    industries.push_back(std::move(i));
  }
  out["industries"] = std::move(industries);
  return JsonSuccess(DumpJson(out));
}

HttpResponse ApiIndustry(ApiCall& call) {
  const std::string name = call.path.at("name");
  const RuleData& data = call.worker->rule_data();
  int32_t index = data.IndustryIndex(name);
  if (index < 0) throw ApiError::NotFound("no enterprise of industry " + name);
  FigureQuery f = ReadFigureQuery(call);
  ScopeFigures figures(data, *f.table, GrowthOptions(data, f.cadence, f.prices));
  std::vector<EnterpriseIndex> park = figures.Park(f.period.year());
  std::vector<EnterpriseIndex> members = figures.Industry(index, f.period.year());
  json out = Head(f);
  out["industry"] = name;
  out.update(figures.At(members, f.period, &park));
  out["target"] = Target(call.worker->rules(), f, "industry:" + name);
  out["pull_on"] = "industry";
  out["members"] = figures.Members(members, f.period, members);
  return JsonSuccess(DumpJson(out));
}

}  // namespace parkwatch
