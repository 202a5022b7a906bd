// The register's endpoints of the JSON API (collectors/register.h): one enterprise's master data,
// read on the loop and set on the worker through the one ingest path.
#include <nlohmann/json.hpp>

#include "api/handlers.h"
#include "api/services.h"
#include "collectors/register.h"

namespace parkwatch {

using nlohmann::json;

namespace {

std::string CodeOf(ApiCall& call) {
  std::string code = call.path.at("code");
  for (char& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return code;
}

}  // namespace

std::string EnterpriseJson(const EnterpriseRow& e) {
  json item = {{"credit_code", e.credit_code}, {"name", e.name},
               {"industry", e.industry},       {"key", e.key},
               {"above_size_since", nullptr},  {"above_size_until", nullptr},
               {"expected_reports", nullptr}};
  if (e.above_size_since) item["above_size_since"] = *e.above_size_since;
  if (e.above_size_until) item["above_size_until"] = *e.above_size_until;
  if (e.expected_reports) item["expected_reports"] = *e.expected_reports;
  return item.dump(-1, ' ', false, json::error_handler_t::replace);
}

HttpResponse ApiEnterprise(ApiCall& call) {
  std::string code = CodeOf(call);
  auto e = call.loop->store().FindEnterprise(code);
  if (!e) throw ApiError::NotFound("no enterprise with credit code " + code);
  return JsonSuccess(EnterpriseJson(*e));
}

HttpResponse ApiPutEnterprise(ApiCall& call) {
  std::string code = CodeOf(call);
  std::string who = call.principal().empty() ? call.request.remote_address : call.principal();
  std::string source = "PUT /api/v1/enterprises/" + code + " by " + who;
  WorkerServices& worker = *call.worker;
  BatchSummary s =
      UpdateRegisterEntry(code, call.request.body, worker.store(), source,
                          [&](const std::string& body, const CollectorConfig& collector) {
                            return worker.Ingest(body, "application/json", source, collector);
                          });
  if (s.batch_id == 0) throw ApiError::BadData(s.errors.at(0).message);
  if (s.status == "rejected")
    return JsonError(422, "bad_data", "rejected: " + s.errors.at(0).ToString(),
                     BatchSummaryJson(s));
  auto e = worker.store().FindEnterprise(code);
  return JsonSuccess("{\"enterprise\":" + (e ? EnterpriseJson(*e) : "null") +
                     ",\"batch\":" + BatchSummaryJson(s) + "}");
}

}  // namespace parkwatch
