#include "api/scope_figures.h"

#include "api/query.h"

#include <cmath>
#include <map>

namespace parkwatch {

using nlohmann::json;

json MeasureJson(const MeasureResult& r) {
  return r.ok() && std::isfinite(*r.value) ? json(*r.value) : json(nullptr);
}

namespace {

// A level over a scope where nobody reported is no figure, not zero (as /metrics and reports).
json LevelValue(const MeasureResult& r) {
  return r.ok() && r.enterprises > 0 ? json(*r.value) : json(nullptr);
}

}  // namespace

MeasureOptions GrowthOptions(const RuleData& data, Cadence cadence, const std::string& prices) {
  MeasureOptions options;
  if (prices == "comparable") {
    options.price_index = data.PriceIndex("ppi", cadence);
    if (!options.price_index)
      throw ApiError::BadData("parameter prices: no price index (ppi) was ingested for " +
                              std::string(CadenceName(cadence)) + " figures");
  } else if (prices != "current") {
    throw ApiError::BadData("parameter prices: must be current or comparable");
  }
  options.enterprise_name = [&data](EnterpriseIndex e) { return data.EnterpriseWording(e); };
  options.industry_name = [&data](int32_t i) { return data.IndustryName(i); };
  return options;
}

ScopeFigures::ScopeFigures(const RuleData& data, const FigureTable& table, MeasureOptions growth)
    : data_(data), current_(table, data.infos()), growth_(table, data.infos(), std::move(growth)) {}

std::vector<EnterpriseIndex> ScopeFigures::Park(int year) const {
  return SelectScope(data_.infos(), ScopeFilter{.above_size_in = year});
}

std::vector<EnterpriseIndex> ScopeFigures::Industry(int32_t industry, int year) const {
  return SelectScope(data_.infos(), ScopeFilter{.industry = industry, .above_size_in = year});
}

json ScopeFigures::At(const std::vector<EnterpriseIndex>& members, Period t,
                      const std::vector<EnterpriseIndex>* whole) const {
  json point = json::object();
  Scope s(members);
  MeasureResult level = current_.Level(s, t);
  point["level"] = LevelValue(level);
  point["enterprises"] = level.enterprises;
  MeasureResult yoy = growth_.YoY(s, t);
  point["yoy"] = MeasureJson(yoy);
  if (!yoy.ok()) {
    point["yoy_no_data"] = yoy.no_data_reason.en;
    point["yoy_no_data_zh"] = yoy.no_data_reason.zh;
  }
  if (t.monthly()) {
    double ytd_level = 0;
    bool any = false;
    for (Period m : MonthlyPeriodsOfYear(t.year(), true)) {
      if (t < m) break;
      MeasureResult l = current_.Level(s, m);
      if (l.ok() && l.enterprises > 0) ytd_level += *l.value, any = true;
    }
    point["ytd_level"] = any ? json(ytd_level) : json(nullptr);
    point["ytd_yoy"] = MeasureJson(growth_.YtdYoY(s, t));
  }
  if (whole) {
    Scope w(*whole);
    point["pull"] = MeasureJson(growth_.Pull(s, w, t));
    point["contribution"] = MeasureJson(growth_.Contribution(s, w, t));
    if (t.monthly()) {
      point["ytd_pull"] = MeasureJson(growth_.Pull(s, w, t, Span::kYearToDate));
      point["ytd_contribution"] = MeasureJson(growth_.Contribution(s, w, t, Span::kYearToDate));
    }
  }
  return point;
}

json ScopeFigures::Members(const std::vector<EnterpriseIndex>& members, Period t,
                           const std::vector<EnterpriseIndex>& whole) const {
  std::map<EnterpriseIndex, const Measures::EnterprisePull*> pulls;
  auto all = growth_.PullsByEnterprise(Scope(whole), t);
  for (const auto& p : all) pulls[p.enterprise] = &p;
  json out = json::array();
  for (EnterpriseIndex e : members) {
    const EnterpriseRow& row = data_.row(e);
    EnterpriseIndex one[] = {e};
    json item = {{"credit_code", row.credit_code},
                 {"name", row.name},
                 {"key", row.key},
                 {"level", LevelValue(current_.Level(Scope(one), t))},
                 {"yoy", MeasureJson(growth_.YoY(Scope(one), t))},
                 {"pull", nullptr},
                 {"contribution", nullptr}};
    if (auto p = pulls.find(e); p != pulls.end()) {
      item["pull"] = p->second->pull;
      if (p->second->contribution) item["contribution"] = *p->second->contribution;
    }
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace parkwatch
