#include "daemon/api.h"

#include <nlohmann/json.hpp>

#include "daemon/api_register.h"

namespace parkwatch {

using nlohmann::json;

namespace {

json DiagnosticJson(const Diagnostic& d) {
  return {{"file", d.file},   {"line", d.line},       {"column", d.column},
          {"field", d.field}, {"message", d.message}, {"text", d.ToString()}};
}

// Finds the enterprise named by ?enterprise= (credit code); fills *error if absent.
std::optional<EnterpriseRow> RequireEnterprise(Store& store, const HttpRequest& request,
                                               HttpResponse* error) {
  std::string code = request.Query("enterprise");
  if (code.empty()) {
    *error = JsonError(400, "bad_data", "parameter enterprise (credit code) is required");
    return std::nullopt;
  }
  auto e = store.FindEnterprise(code);
  if (!e) *error = JsonError(404, "not_found", "no enterprise with credit code " + code);
  return e;
}

}  // namespace

HttpResponse JsonSuccess(const std::string& data_json, int status) {
  HttpResponse r;
  r.status = status;
  r.body = "{\"status\":\"success\",\"data\":" + data_json + "}";
  return r;
}

HttpResponse JsonError(int status, const std::string& type, const std::string& message) {
  HttpResponse r;
  r.status = status;
  r.body = json{{"status", "error"}, {"errorType", type}, {"error", message}}.dump();
  return r;
}

HttpResponse ApiEnterprises(Store& store, const HttpRequest& request) {
  std::string industry = request.Query("industry");
  json out = json::array();
  for (const auto& e : store.Enterprises()) {
    if (!industry.empty() && e.industry != industry) continue;
    if (e.credit_code.rfind(kIndustrySeriesPrefix, 0) == 0) continue;  // an industry series
    out.push_back(json::parse(EnterpriseJson(e)));
  }
  return JsonSuccess(out.dump());
}

HttpResponse ApiSeries(Store& store, const Config& config, const HttpRequest& request) {
  HttpResponse error;
  auto e = RequireEnterprise(store, request, &error);
  if (!e) return error;
  std::string indicator = request.Query("indicator");
  const IndicatorConfig* ind = config.FindIndicator(indicator);
  if (!ind) return JsonError(400, "bad_data", "unknown indicator \"" + indicator + "\"");
  auto cadence = ParseCadence(request.Query("cadence", "monthly"));
  if (!cadence) return JsonError(400, "bad_data", "cadence must be weekly or monthly");
  json points = json::array();
  for (const auto& p : store.Series(e->id, indicator, *cadence))
    points.push_back({{"period", p.period.ToString()},
                      {"value", p.value},
                      {"revisions", p.revisions},
                      {"batch_id", p.batch_id}});
  json data = {{"enterprise", e->credit_code},     {"name", e->name},
               {"indicator", indicator},           {"unit", BaseUnitName(ind->dimension)},
               {"cadence", CadenceName(*cadence)}, {"points", std::move(points)}};
  return JsonSuccess(data.dump());
}

HttpResponse ApiRevisions(Store& store, const HttpRequest& request) {
  HttpResponse error;
  auto e = RequireEnterprise(store, request, &error);
  if (!e) return error;
  std::string why;
  auto period = Period::Parse(request.Query("period"), &why);
  if (!period) return JsonError(400, "bad_data", why);
  json out = json::array();
  for (const auto& r : store.Revisions(e->id, request.Query("indicator"), *period))
    out.push_back({{"revision", r.revision},
                   {"value", r.value},
                   {"batch_id", r.batch_id},
                   {"source", r.source},
                   {"recorded_at", r.recorded_at},
                   {"current", r.current}});
  return JsonSuccess(out.dump());
}

HttpResponse ApiBatches(Store& store, const HttpRequest& request) {
  int limit = 50;
  try {
    limit = std::clamp(std::stoi(request.Query("limit", "50")), 1, 1000);
  } catch (const std::exception&) {
    return JsonError(400, "bad_data", "limit must be an integer");
  }
  json out = json::array();
  for (const auto& b : store.RecentBatches(limit)) out.push_back(json::parse(BatchSummaryJson(b)));
  return JsonSuccess(out.dump());
}

std::string BatchSummaryJson(const BatchSummary& s) {
  json errors = json::array();
  for (const auto& d : s.errors) errors.push_back(DiagnosticJson(d));
  json out = {{"batch_id", s.batch_id},
              {"status", s.status},
              {"source", s.info.source},
              {"collector", s.info.collector},
              {"content_hash", s.info.content_hash},
              {"received_at", s.received_at},
              {"duration_seconds", s.duration_seconds},
              {"rows_read", s.rows_read},
              {"rows_accepted", s.rows_accepted},
              {"figures_new", s.figures_new},
              {"figures_revised", s.figures_revised},
              {"figures_unchanged", s.figures_unchanged},
              {"enterprises_new", s.enterprises_new},
              {"error_count", std::max<int64_t>(s.error_count, s.errors.size())},
              {"errors", std::move(errors)}};
  if (s.duplicate_of) out["duplicate_of"] = s.duplicate_of;
  // Invalid UTF-8 from a hostile body must not make dump() throw.
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

int IngestStatusCode(const BatchSummary& summary) {
  return summary.status == "rejected" ? 422 : 200;
}

}  // namespace parkwatch
