// GET /api/v1/series: one series of figures and its measures over a period range — of an
// enterprise (?enterprise=CODE, with each figure's revisions), an industry (?industry=NAME) or
// the park (?scope=park) — computed by the measures library (rules/measures.h) over the
// engine's in-memory figures, exactly as the rules, /metrics and the monthly report compute
// them: level, YoY, YTD level and YTD YoY, and the pull on and contribution to the park's
// growth, for the period and year to date. Runs on the store worker, which owns those figures.
#include <nlohmann/json.hpp>

#include "api/handlers.h"
#include "api/json_parts.h"
#include "api/scope_figures.h"
#include "api/services.h"
#include "core/json_text.h"
#include "core/units.h"
#include "rules/measures.h"
#include "rules/rule_data.h"

namespace parkwatch {

using nlohmann::json;

namespace {

// The longest range one answer computes (ten years of weeks).
constexpr int kMaxPeriods = 530;

Period ParsePeriodParam(const QueryReader& query, const char* name, Cadence cadence) {
  std::string why;
  auto p = Period::Parse(query.String(name), &why);
  if (!p) throw ApiError::BadData(std::string("parameter ") + name + ": " + why);
  if (p->cadence() != cadence)
    throw ApiError::BadData(std::string("parameter ") + name + ": " + p->ToString() +
                            " is not a period of cadence " + std::string(CadenceName(cadence)));
  if (p->monthly() && p->first_month() <= 2) return Period::JanFeb(p->year());
  return *p;
}

}  // namespace

HttpResponse ApiSeries(ApiCall& call) {
  const QueryReader& q = call.query;
  const RuleData& data = call.worker->rule_data();
  const Config& config = call.worker->config();
  const std::string enterprise = q.String("enterprise"), industry = q.String("industry"),
                    scope = q.String("scope");
  if ((!enterprise.empty()) + (!industry.empty()) + (!scope.empty()) != 1)
    throw ApiError::BadData("give one of enterprise=CODE, industry=NAME or scope=park");
  if (!scope.empty() && scope != "park")
    throw ApiError::BadData("parameter scope: only park (use industry= or enterprise=)");
  std::string indicator = q.String("indicator", "output_value");
  const IndicatorConfig* ind = config.FindIndicator(indicator);
  if (!ind) throw ApiError::BadData("parameter indicator: unknown indicator \"" + indicator + "\"");
  auto cadence = ParseCadence(q.String("cadence", "monthly"));
  if (!cadence) throw ApiError::BadData("parameter cadence: must be weekly or monthly");
  const FigureTable* table = data.Figures(indicator, *cadence);
  if (!table && enterprise.empty())
    throw ApiError::BadData("parameter indicator: " + indicator + " (" +
                            std::string(CadenceName(*cadence)) +
                            ") is not held in memory: neither a rule nor /metrics reads it");
  std::string prices = q.String("prices", "current");
  MeasureOptions options = GrowthOptions(data, *cadence, prices);

  // Whose series: one enterprise, an industry's above-size members or the park's, by year.
  std::optional<EnterpriseIndex> one;
  int32_t industry_index = -1;
  json who;
  if (!enterprise.empty()) {
    one = data.IndexOfCode(enterprise);
    if (!one) throw ApiError::NotFound("no enterprise with credit code " + enterprise);
    const EnterpriseRow& row = data.row(*one);
    who = {{"scope", "enterprise"},
           {"enterprise", row.credit_code},
           {"name", row.name},
           {"industry", row.industry}};
  } else if (!industry.empty()) {
    industry_index = data.IndustryIndex(industry);
    if (industry_index < 0) throw ApiError::NotFound("no enterprise of industry " + industry);
    who = {{"scope", "industry"}, {"industry", industry}};
  } else {
    who = {{"scope", "park"}, {"name", config.park_name}};
  }
  auto members = [&](int year) {
    if (one) return std::vector<EnterpriseIndex>{*one};
    ScopeFilter f{.above_size_in = year};
    if (industry_index >= 0) f.industry = industry_index;
    return SelectScope(data.infos(), f);
  };

  // The periods: an enterprise's stored figures (in from..to when given); for an industry or the
  // park every period of from..to, by default the thirteen up to the latest with figures.
  std::vector<Period> periods;
  std::map<int64_t, SeriesPoint> stored;  // an enterprise's figures with their revisions
  auto latest = data.LatestPeriod(*cadence);
  std::optional<Period> from, to;
  if (q.Optional("from")) from = ParsePeriodParam(q, "from", *cadence);
  if (q.Optional("to")) to = ParsePeriodParam(q, "to", *cadence);
  if (from && to && *to < *from) throw ApiError::BadData("parameter from: after to");
  if (one) {
    if (auto e = call.worker->store().FindEnterprise(enterprise))
      for (const SeriesPoint& p : call.worker->store().Series(e->id, indicator, *cadence)) {
        if ((from && p.period < *from) || (to && *to < p.period)) continue;
        if (p.held) continue;  // in quarantine: listed by /api/v1/quarantine, counted nowhere
        stored[p.period.key()] = p;
        periods.push_back(p.period);
      }
  } else {
    if (!to) to = latest;
    if (!to) throw ApiError::NotFound("no " + std::string(CadenceName(*cadence)) + " figures yet");
    if (!from) {
      from = to;
      for (int i = 0; i < 12; ++i) from = PreviousPeriod(*from, true);
    }
    for (Period t = *from; t <= *to; t = NextPeriod(t, true)) {
      if (periods.size() >= kMaxPeriods)
        throw ApiError::BadData("from..to: at most " + std::to_string(kMaxPeriods) + " periods");
      periods.push_back(t);
    }
  }

  std::optional<ScopeFigures> figures;
  if (table) figures.emplace(data, *table, options);
  json points = json::array();
  for (Period t : periods) {
    json point = PeriodJson(t);
    if (one) {
      const SeriesPoint& p = stored[t.key()];
      point["value"] = p.value;
      point["revisions"] = p.revisions;
      point["batch_id"] = p.batch_id;
    }
    if (!table) {  // an indicator no rule reads: the figures, without measures
      points.push_back(std::move(point));
      continue;
    }
    std::vector<EnterpriseIndex> park = figures->Park(t.year());
    // The park's own pull on itself says nothing.
    point.update(figures->At(members(t.year()), t, industry_index >= 0 || one ? &park : nullptr));
    points.push_back(std::move(point));
  }
  json out = who;
  out["indicator"] = indicator;
  out["title"] = ind->title;
  out["cadence"] = CadenceName(*cadence);
  out["unit"] = BaseUnitName(ind->dimension);
  out["growth_unit"] = "ratio";
  out["level_prices"] = "current";
  out["growth_prices"] = prices;
  out["caliber"] =
      "same enterprises in both years (同口径), above designated size (规上) in the period's year";
  out["from"] = periods.empty() ? json(nullptr) : json(periods.front().ToString());
  out["to"] = periods.empty() ? json(nullptr) : json(periods.back().ToString());
  out["points"] = std::move(points);
  return JsonSuccess(DumpJson(out));
}

}  // namespace parkwatch
