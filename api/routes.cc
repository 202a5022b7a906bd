#include "api/routes.h"

#include "api/handlers.h"
#include "api/services.h"

namespace parkwatch {

namespace {

HttpResponse Text(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(body);
  return r;
}

}  // namespace

void RegisterRoutes(RouteTable& t, size_t max_ingest_body_bytes) {
  using A = Access;
  using R = RunsOn;
  // One line per route: method, pattern, access, thread, query parameters, body limit, summary,
  // handler. The table is kept as a table.
  // clang-format off
  // Health and metrics, in Prometheus's places.
  t.Add({"GET", "/", A::kPublic, R::kLoop, {}, 0, "this list",
         [&t](ApiCall&) { return Text(200, t.Index("parkwatch " PARKWATCH_VERSION)); }});
  t.Add({"GET", "/-/healthy", A::kPublic, R::kLoop, {}, 0, "200 while the process runs",
         [](ApiCall&) { return Text(200, "parkwatch is Healthy.\n"); }});
  t.Add({"GET", "/-/ready", A::kPublic, R::kLoop, {}, 0,
         "200 once the files waiting at start are ingested", [](ApiCall& c) {
           return c.loop->ready() ? Text(200, "parkwatch is Ready.\n")
                                  : Text(503, "parkwatch is not ready.\n");
         }});
  t.Add({"POST", "/-/reload", A::kAdmin, R::kLoop, {}, 0,
         "reload parkwatch.yml, the web config and the rules (all or nothing)", ApiReload});
  t.Add({"PUT", "/-/reload", A::kAdmin, R::kLoop, {}, 0, "the same as POST", ApiReload});
  // /metrics whole, and in two parts to scrape at two intervals (metrics/metrics.h MetricsPart).
  auto exposition = [](MetricsPart part) {
    return [part](ApiCall& c) {
      HttpResponse r = Text(200, c.pool->Exposition(c.received, part));
      r.content_type = "text/plain; version=0.0.4; charset=utf-8";
      return r;
    };
  };
  t.Add({"GET",
         "/metrics",
         A::kPublic,
         R::kPool,
         {},
         0,
         "Prometheus metrics",
         exposition(MetricsPart::kAll)});
  t.Add({"GET",
         "/metrics/park",
         A::kPublic,
         R::kPool,
         {},
         0,
         "the park, industry, alert and health families (scrape often)",
         exposition(MetricsPart::kPark)});
  t.Add({"GET",
         "/metrics/enterprises",
         A::kPublic,
         R::kPool,
         {},
         0,
         "the per-enterprise families (scrape every few minutes)",
         exposition(MetricsPart::kEnterprises)});

  // Figures.
  t.Add({"POST", "/api/v1/ingest", A::kIngest, R::kWorker, {"collector", "source"},
         max_ingest_body_bytes, "a CSV or JSON body as one batch", ApiIngest});
  t.Add({"GET", "/api/v1/enterprises", A::kPublic, R::kLoop, {"industry"}, 0,
         "the enterprise register", ApiEnterprises});
  t.Add({"GET", "/api/v1/enterprises/{code}", A::kPublic, R::kLoop, {}, 0,
         "one enterprise of the register", ApiEnterprise});
  t.Add({"PUT", "/api/v1/enterprises/{code}", A::kAdmin, R::kWorker, {}, kMaxAdminBodyBytes,
         "set an enterprise's register attributes {name, industry, key, above_size_since, "
         "above_size_until, expected_reports}",
         ApiPutEnterprise});
  t.Add({"GET", "/api/v1/series", A::kPublic, R::kWorker,
         {"enterprise", "industry", "scope", "indicator", "cadence", "from", "to", "prices"}, 0,
         "an enterprise's, an industry's or the park's figures and their measures (level, YoY, "
         "YTD, pull, contribution) over a period range",
         ApiSeries});
  t.Add({"GET", "/api/v1/revisions", A::kPublic, R::kLoop, {"enterprise", "indicator", "period"},
         0, "every revision of one figure", ApiRevisions});
  t.Add({"GET", "/api/v1/batches", A::kPublic, R::kLoop, {"limit"}, 0,
         "recent batches with their errors", ApiBatches});
  t.Add({"GET", "/api/v1/batches/{id}", A::kPublic, R::kLoop, {}, 0,
         "one batch with its errors (file, line, column, field, message)", ApiBatch});

  // Alerts and rules.
  t.Add({"GET", "/api/v1/alerts", A::kPublic, R::kLoop,
         {"state", "severity", "rule", "industry", "enterprise", "scope", "silenced", "acknowledged"},
         0, "pending and firing alerts (industry: its enterprises' too)", ApiAlerts});
  t.Add({"GET", "/api/v1/alerts/history", A::kPublic, R::kLoop, {"limit", "rule", "fingerprint"},
         0, "alert events, newest first", ApiAlertHistory});
  t.Add({"GET", "/api/v1/alerts/{fingerprint}", A::kPublic, R::kLoop, {}, 0,
         "one alert: why it fires (thresholds, measure, period), history, acknowledgements, "
         "silences, its series", ApiAlert});
  t.Add({"POST", "/api/v1/alerts/{fingerprint}/acknowledge", A::kAdmin, R::kWorker, {},
         kMaxAdminBodyBytes, "acknowledge a firing alert {author, note}", ApiAcknowledge});
  t.Add({"GET", "/api/v1/acknowledgements", A::kPublic, R::kLoop, {"fingerprint", "limit"}, 0,
         "acknowledgements, newest first", ApiAcknowledgements});
  t.Add({"GET", "/api/v1/rules", A::kPublic, R::kWorker, {}, 0,
         "every rule with its last evaluation", ApiRules});
  t.Add({"GET", "/api/v1/audit", A::kPublic, R::kLoop, {"limit"}, 0,
         "configuration changes, newest first", ApiAudit});

  // The monthly analysis.
  t.Add({"GET", "/api/v1/reports/monthly/{period}", A::kPublic, R::kWorker, {"format", "lang"}, 0,
         "the monthly analysis of a month (2025-06 or latest): json, html, xlsx or pdf",
         ApiMonthlyReport});

  // Delivery.
  t.Add({"GET", "/api/v1/silences", A::kPublic, R::kLoop, {"all"}, 0,
         "active silences (all=true: expired too)", ApiSilences});
  t.Add({"POST", "/api/v1/silences", A::kAdmin, R::kWorker, {}, kMaxAdminBodyBytes,
         "add a silence {matchers, author, comment, duration}", ApiCreateSilence});
  t.Add({"DELETE", "/api/v1/silences/{id}", A::kAdmin, R::kWorker, {}, 0, "expire a silence",
         ApiExpireSilence});
  t.Add({"GET", "/api/v1/notifications/dead", A::kPublic, R::kLoop, {"limit"}, 0,
         "deliveries that gave up", ApiDeadLetters});
  // clang-format on
}

}  // namespace parkwatch
