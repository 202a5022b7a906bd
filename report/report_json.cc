// The report as JSON: the figures the API serves and the tests compare with the XLSX and
// /metrics.
#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "report/render.h"

namespace parkwatch {

namespace {

using nlohmann::json;

json Opt(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json Growth(const ScopeGrowth& g) {
  return {{"level", Opt(g.level)},
          {"ytd_level", Opt(g.ytd_level)},
          {"yoy", Opt(g.yoy)},
          {"ytd", Opt(g.ytd)},
          {"ytd_previous", Opt(g.ytd_previous)},
          {"ytd_last_year", Opt(g.ytd_last_year)},
          {"target", Opt(g.target)},
          {"enterprises", g.enterprises},
          {"no_data", g.no_data.en},
          {"no_data_zh", g.no_data.zh}};
}

json Enterprise(const EnterpriseFigures& f) {
  return {{"credit_code", f.credit_code},
          {"name", f.name},
          {"industry", f.industry},
          {"key", f.key},
          {"level", Opt(f.level)},
          {"yoy", Opt(f.yoy)},
          {"ytd", Opt(f.ytd)},
          {"pull", Opt(f.pull)},
          {"contribution", Opt(f.contribution)},
          {"declines", f.declines},
          {"colour", std::string(SeverityName(f.colour))}};
}

json Enterprises(const std::vector<EnterpriseFigures>& list) {
  json out = json::array();
  for (const auto& f : list) out.push_back(Enterprise(f));
  return out;
}

}  // namespace

std::string MonthlyReportJson(const MonthlyReport& r, const std::string& lang) {
  json out = {{"period", r.period.ToString()},
              {"period_text", MonthWords(r.period, lang)},
              {"park", r.park_name},
              {"generated_at", r.generated_at},
              {"edition", r.edition},
              {"revisions", r.revisions},
              {"ok", r.ok},
              {"message", r.message},
              {"expected", r.expected},
              {"reported", r.reported},
              {"headline", Headline(r, lang)}};
  json sections = json::array();
  for (const auto& s : r.sections) {
    json industries = json::array();
    for (const auto& f : s.industries)
      industries.push_back(
          {{"name", f.name},
           {"growth", Growth(f.growth)},
           {"share", Opt(f.share)},
           {"pull", Opt(f.pull)},
           {"ytd_pull", Opt(f.ytd_pull)},
           {"contribution", Opt(f.contribution)},
           {"ytd_contribution", Opt(f.ytd_contribution)},
           {"movement", lang == "en" ? MovementNameEn(f.movement) : MovementNameZh(f.movement)}});
    sections.push_back({{"indicator", s.indicator},
                        {"title", s.title},
                        {"comparable_prices", s.comparable},
                        {"park", Growth(s.park)},
                        {"industries", industries}});
  }
  out["sections"] = sections;
  const Breadth& b = r.breadth;
  json movements = json::object();
  for (int m = 1; m < 8; ++m)
    if (b.movement[m]) movements[MovementNameZh(static_cast<Movement>(m))] = b.movement[m];
  out["breadth"] = {{"industries", b.industries},
                    {"industries_growing", b.industries_growing},
                    {"enterprises", b.enterprises},
                    {"enterprises_growing", b.enterprises_growing},
                    {"movements", movements}};
  out["top"] = Enterprises(r.top);
  out["bottom"] = Enterprises(r.bottom);
  out["key"] = Enterprises(r.key);
  out["declining"] = Enterprises(r.declining);
  json alerts = json::array();
  for (const auto& a : r.alerts)
    alerts.push_back({{"kind", a.kind},
                      {"severity", std::string(SeverityName(a.severity))},
                      {"rule", a.rule},
                      {"subject", a.subject},
                      {"period", a.period},
                      {"summary", a.summary}});
  out["alerts"] = alerts;
  json counts = json::object();
  const char* kinds[] = {"firing", "escalated", "resolved"};
  for (int k = 0; k < 3; ++k)
    for (int s = 1; s < 5; ++s)
      counts[kinds[k]][std::string(SeverityName(static_cast<Severity>(s)))] = r.alert_counts[k][s];
  out["alert_counts"] = counts;
  json missing = json::array();
  for (const auto& m : r.missing)
    missing.push_back({{"credit_code", m.credit_code},
                       {"name", m.name},
                       {"industry", m.industry},
                       {"key", m.key},
                       {"last_reported", m.last_reported}});
  out["missing"] = missing;
  json history = json::array();
  for (const auto& h : r.history) {
    json yoy = json::array(), ytd = json::array();
    for (const auto& v : h.yoy) yoy.push_back(Opt(v));
    for (const auto& v : h.ytd) ytd.push_back(Opt(v));
    history.push_back({{"period", h.period.ToString()}, {"yoy", yoy}, {"ytd", ytd}});
  }
  out["history"] = history;
  out["notes"] = r.notes;
  return DumpJson(out);
}

std::string ReportFileName(const MonthlyReport& r, const std::string& format) {
  std::string name = "report-" + r.period.ToString();
  for (char& c : name)
    if (c == '/') c = '-';
  if (r.edition > 1) name += "-r" + std::to_string(r.edition);
  return name + "." + format;
}

}  // namespace parkwatch
