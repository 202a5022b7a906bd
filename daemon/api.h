// The JSON API's read endpoints, as functions of a store and a request. Responses follow the
// Prometheus API envelope: {"status":"success","data":...} or {"status":"error",
// "errorType":...,"error":...}, so the same client code reads both.
#pragma once

#include <string>

#include "config/config.h"
#include "store/store.h"
#include "web/http_server.h"

namespace parkwatch {

HttpResponse JsonSuccess(const std::string& data_json, int status = 200);
HttpResponse JsonError(int status, const std::string& type, const std::string& message);

// GET /api/v1/enterprises
HttpResponse ApiEnterprises(Store& store, const HttpRequest& request);
// GET /api/v1/series?enterprise=CODE&indicator=NAME&cadence=monthly|weekly
HttpResponse ApiSeries(Store& store, const Config& config, const HttpRequest& request);
// GET /api/v1/revisions?enterprise=CODE&indicator=NAME&period=2024-03
HttpResponse ApiRevisions(Store& store, const HttpRequest& request);
// GET /api/v1/batches?limit=N
HttpResponse ApiBatches(Store& store, const HttpRequest& request);

// The JSON form of a batch summary, as POST /api/v1/ingest returns it.
std::string BatchSummaryJson(const BatchSummary& summary);
// HTTP status for an ingest result: 200 committed/partial/duplicate, 422 rejected.
int IngestStatusCode(const BatchSummary& summary);

}  // namespace parkwatch

namespace parkwatch {

class AlertStore;
struct RuleStatus;

// GET /api/v1/alerts?state=pending|firing&severity=MIN&rule=NAME
HttpResponse ApiAlerts(AlertStore& alerts, const HttpRequest& request);
// GET /api/v1/alerts/history?limit=N&rule=NAME&fingerprint=F
HttpResponse ApiAlertHistory(AlertStore& alerts, const HttpRequest& request);
// GET /api/v1/rules (statuses come from the engine on the worker thread)
HttpResponse ApiRules(const std::vector<RuleStatus>& rules);
// GET /api/v1/audit?limit=N
HttpResponse ApiAudit(Store& store, const HttpRequest& request);

}  // namespace parkwatch
