#include "daemon/api_register.h"

#include <nlohmann/json.hpp>

#include "collectors/register.h"
#include "daemon/api.h"

namespace parkwatch {

using nlohmann::json;

namespace {

std::string CodeOf(const HttpRequest& request) {
  std::string code = request.path.substr(std::string_view(kEnterprisePath).size());
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
  return item.dump();
}

HttpResponse ApiEnterprise(Store& store, const HttpRequest& request) {
  std::string code = CodeOf(request);
  auto e = store.FindEnterprise(code);
  if (!e) return JsonError(404, "not_found", "no enterprise with credit code " + code);
  return JsonSuccess(EnterpriseJson(*e));
}

HttpResponse ApiPutEnterprise(Store& store, const Config& config, const HttpRequest& request) {
  std::string code = CodeOf(request);
  BatchSummary s = UpdateRegisterEntry(
      code, request.body, config, store,
      "PUT " + std::string(kEnterprisePath) + code + " from " + request.remote_address);
  if (s.batch_id == 0) return JsonError(400, "bad_data", s.errors.at(0).message);
  if (s.status == "rejected")
    return JsonSuccess("{\"batch\":" + BatchSummaryJson(s) + "}", IngestStatusCode(s));
  auto e = store.FindEnterprise(code);
  return JsonSuccess("{\"enterprise\":" + (e ? EnterpriseJson(*e) : "null") +
                     ",\"batch\":" + BatchSummaryJson(s) + "}");
}

}  // namespace parkwatch
