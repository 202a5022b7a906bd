// The JSON API's read endpoints, as functions of a store and a request. Responses follow the
// Prometheus API envelope: {"status":"success","data":...} or {"status":"error",
// "errorType":...,"error":...}, so the same client code reads both.
#pragma once

#include <string>
#include <string_view>

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

class Metrics;
// GET /metrics/park, /metrics/enterprises (part_name is what follows "/metrics/"); 404 for
// another name.
HttpResponse ApiMetricsPart(Metrics& metrics, Store& store, std::string_view part_name);

// The JSON form of a batch summary, as POST /api/v1/ingest returns it.
std::string BatchSummaryJson(const BatchSummary& summary);
// HTTP status for an ingest result: 200 committed/partial/duplicate, 422 rejected.
int IngestStatusCode(const BatchSummary& summary);

class AlertStore;
class DeliveryStore;
struct RuleStatus;
struct Silence;

// GET /api/v1/alerts?state=pending|firing&severity=MIN&rule=NAME
HttpResponse ApiAlerts(AlertStore& alerts, const HttpRequest& request);
// GET /api/v1/alerts/history?limit=N&rule=NAME&fingerprint=F
HttpResponse ApiAlertHistory(AlertStore& alerts, const HttpRequest& request);
// GET /api/v1/rules (statuses come from the engine on the worker thread)
HttpResponse ApiRules(const std::vector<RuleStatus>& rules);
// GET /api/v1/audit?limit=N
HttpResponse ApiAudit(Store& store, const HttpRequest& request);

// GET /api/v1/silences[?all=true]
HttpResponse ApiSilences(DeliveryStore& deliveries, const HttpRequest& request);
// POST /api/v1/silences {"matchers":["alertname=\"X\""],"author":"","comment":"","duration":"24h"}
HttpResponse ApiCreateSilence(DeliveryStore& deliveries, const HttpRequest& request);
// Validates and stores a silence from a JSON body (shared with the CLI); "" or the error.
std::string CreateSilence(DeliveryStore& deliveries, const std::string& body, Silence* out);
// DELETE /api/v1/silences/ID
HttpResponse ApiExpireSilence(DeliveryStore& deliveries, int64_t id);
// POST /api/v1/alerts/FINGERPRINT/acknowledge {"author":"","note":""}
HttpResponse ApiAcknowledge(DeliveryStore& deliveries, const std::string& fingerprint,
                            const HttpRequest& request);
// GET /api/v1/notifications/dead[?limit=N]
HttpResponse ApiDeadLetters(DeliveryStore& deliveries, const HttpRequest& request);

}  // namespace parkwatch
