// The register's own endpoints (collectors/register.h): one enterprise's master data, read and
// set. Free functions of a store and a request, like daemon/api.h's.
#pragma once

#include <string>

#include "config/config.h"
#include "store/store.h"
#include "web/http_server.h"

namespace parkwatch {

inline constexpr char kEnterprisePath[] = "/api/v1/enterprises/";

// One enterprise as the API shows it (also each item of GET /api/v1/enterprises).
std::string EnterpriseJson(const EnterpriseRow& e);

// GET /api/v1/enterprises/CODE: 200 with the enterprise, 404 if the register has none.
HttpResponse ApiEnterprise(Store& store, const HttpRequest& request);

// PUT /api/v1/enterprises/CODE {"key":true,"expected_reports":"weekly,monthly",...}: sets the
// attributes given (an enterprise not yet known is added), through the one ingest path, and
// audits the change. 200 with the enterprise and the batch, 422 with the errors of a rejected
// value, 400 for a body that is not an object of known members. On the thread that owns
// store's writes; the caller checks the admin token.
HttpResponse ApiPutEnterprise(Store& store, const Config& config, const HttpRequest& request);

}  // namespace parkwatch
