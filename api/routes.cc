#include "api/routes.h"

#include "alerts/alert.h"
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
  t.Add({"GET", "/-/routes", A::kPublic, R::kLoop, {}, 0, "this list",
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

  // The web console: pages (one shell; its script draws the page the path names), its embedded
  // files, and the session. An alert's page is the link of every message (alerts/alert.h).
  t.Add({"GET", "/", A::kPublic, R::kLoop, {}, 0, "the console: 总览 overview", ApiConsolePage});
  t.Add({"GET", "/login", A::kPublic, R::kLoop, {"next"}, 0, "the console: sign in", ApiConsolePage});
  t.Add({"GET", "/alerts", A::kPublic, R::kLoop, {"industry", "severity", "rule", "q"}, 0,
         "the console: 预警 alerts", ApiConsolePage});
  t.Add({"GET", kAlertPagePattern, A::kPublic, R::kLoop, {}, 0,
         "the console: one alert, where every message links", ApiConsolePage});
  t.Add({"GET", "/rules", A::kPublic, R::kLoop, {"tune"}, 0, "the console: 规则与阈值 rules",
         ApiConsolePage});
  t.Add({"GET", "/history", A::kPublic, R::kLoop, {}, 0, "the console: 历史 audit", ApiConsolePage});
  t.Add({"GET", "/data", A::kPublic, R::kLoop, {}, 0, "the console: 数据 batches", ApiConsolePage});
  t.Add({"GET", "/enterprises", A::kPublic, R::kLoop, {"q"}, 0, "the console: 企业 search",
         ApiConsolePage});
  t.Add({"GET", "/enterprises/{code}", A::kPublic, R::kLoop, {}, 0,
         "the console: one enterprise's figures, revisions and alerts", ApiConsolePage});
  t.Add({"GET", "/industries", A::kPublic, R::kLoop, {}, 0, "the console: 行业 industries",
         ApiConsolePage});
  t.Add({"GET", "/industries/{name}", A::kPublic, R::kLoop, {"indicator"}, 0,
         "the console: one industry with its enterprises", ApiConsolePage});
  t.Add({"GET", "/users", A::kPublic, R::kLoop, {}, 0, "the console: 用户 users (admins)",
         ApiConsolePage});
  t.Add({"GET", "/console/{file}", A::kPublic, R::kLoop, {}, 0,
         "the console's files (script, styles, charting library)", ApiConsoleAsset});
  t.Add({"POST", "/-/login", A::kPublic, R::kPool, {}, 4096,
         "sign in to the console {user, password}: a session cookie", ApiLogin});
  t.Add({"POST", "/-/logout", A::kPublic, R::kLoop, {}, 0, "sign out", ApiLogout});
  t.Add({"GET", "/api/v1/session", A::kPublic, R::kLoop, {}, 0,
         "who is signed in: user, role, CSRF token", ApiSession});

  // Figures.
  t.Add({"POST", "/api/v1/ingest", A::kIngest, R::kWorker, {"collector", "source"},
         max_ingest_body_bytes, "a CSV or JSON body as one batch", ApiIngest});
  t.Add({"POST", "/api/v1/upload", A::kOperate, R::kWorker, {"name"}, max_ingest_body_bytes,
         "a file uploaded in the console, read as the inbox reads it", ApiUpload});
  t.Add({"GET", "/api/v1/enterprises", A::kRead, R::kLoop, {"industry", "q", "limit"}, 0,
         "the enterprise register (q: part of a name or credit code)", ApiEnterprises});
  t.Add({"GET", "/api/v1/enterprises/{code}", A::kRead, R::kLoop, {}, 0,
         "one enterprise of the register", ApiEnterprise});
  t.Add({"PUT", "/api/v1/enterprises/{code}", A::kAdmin, R::kWorker, {}, kMaxAdminBodyBytes,
         "set an enterprise's register attributes {name, industry, key, above_size_since, "
         "above_size_until, expected_reports}",
         ApiPutEnterprise});
  t.Add({"GET", "/api/v1/series", A::kRead, R::kWorker,
         {"enterprise", "industry", "scope", "indicator", "cadence", "from", "to", "prices"}, 0,
         "an enterprise's, an industry's or the park's figures and their measures (level, YoY, "
         "YTD, pull, contribution) over a period range",
         ApiSeries});
  t.Add({"GET", "/api/v1/industries", A::kRead, R::kWorker,
         {"indicator", "cadence", "period", "prices"}, 0,
         "the park and each industry at a period (default: the latest complete): level, YoY, YTD, "
         "target, pull on the park", ApiIndustries});
  t.Add({"GET", "/api/v1/industries/{name}", A::kRead, R::kWorker,
         {"indicator", "cadence", "period", "prices"}, 0,
         "one industry at a period with its enterprises' level, YoY and pull on the industry",
         ApiIndustry});
  t.Add({"GET", "/api/v1/revisions", A::kRead, R::kLoop, {"enterprise", "indicator", "period"},
         0, "every revision of one figure", ApiRevisions});
  t.Add({"GET", "/api/v1/batches", A::kRead, R::kLoop, {"limit"}, 0,
         "recent batches with their errors", ApiBatches});
  t.Add({"GET", "/api/v1/batches/{id}", A::kRead, R::kLoop, {}, 0,
         "one batch with its errors (file, line, column, field, message)", ApiBatch});
  t.Add({"GET", "/api/v1/quarantine", A::kRead, R::kLoop, {"all"}, 0,
         "figures held out of every total as suspected unit slips (all=true: confirmed too)",
         ApiQuarantine});
  t.Add({"POST", "/api/v1/quarantine/confirm", A::kOperate, R::kWorker, {}, kMaxAdminBodyBytes,
         "let held figures in {credit_code, period, indicator}: the rules re-decide",
         ApiQuarantineConfirm});
  t.Add({"POST", "/api/v1/quarantine/reject", A::kOperate, R::kWorker, {}, kMaxAdminBodyBytes,
         "keep held figures out as wrong until revised {credit_code, period, indicator}",
         ApiQuarantineReject});

  // Alerts and rules.
  t.Add({"GET", "/api/v1/alerts", A::kRead, R::kLoop,
         {"state", "severity", "rule", "industry", "enterprise", "scope", "silenced", "acknowledged"},
         0, "pending and firing alerts (industry: its enterprises' too)", ApiAlerts});
  t.Add({"GET", "/api/v1/alerts/history", A::kRead, R::kLoop, {"limit", "rule", "fingerprint", "enterprise"},
         0, "alert events, newest first (enterprise: a credit code)", ApiAlertHistory});
  t.Add({"GET", "/api/v1/alerts/{fingerprint}", A::kRead, R::kLoop, {}, 0,
         "one alert: why it fires (thresholds, measure, period), history, acknowledgements, "
         "silences, its series", ApiAlert});
  t.Add({"POST", "/api/v1/alerts/{fingerprint}/acknowledge", A::kOperate, R::kWorker, {},
         kMaxAdminBodyBytes, "acknowledge a firing alert {author, note}", ApiAcknowledge});
  t.Add({"GET", "/api/v1/acknowledgements", A::kRead, R::kLoop, {"fingerprint", "limit"}, 0,
         "acknowledgements, newest first", ApiAcknowledgements});
  t.Add({"GET", "/api/v1/rules", A::kRead, R::kWorker, {}, 0,
         "every rule with its last evaluation", ApiRules});
  t.Add({"GET", "/api/v1/tuning", A::kRead, R::kLoop, {}, 0,
         "every threshold rule's levels and overrides; the console's tuning file, its hash and "
         "entries", ApiTuning});
  t.Add({"POST", "/api/v1/tuning/preview", A::kOperate, R::kWorker, {}, kMaxAdminBodyBytes,
         "what a level change {rule, industry|enterprise, levels, from, to} would have done: "
         "alerts added, removed, changed by member and period (as backtest --compare)",
         ApiTuningPreview});
  t.Add({"POST", "/api/v1/tuning/apply", A::kOperate, R::kLoop, {}, kMaxAdminBodyBytes,
         "apply a level change {…, comment, hash} to the tuning file and reload", ApiTuningApply});
  t.Add({"POST", "/api/v1/tuning/revert", A::kOperate, R::kLoop, {}, kMaxAdminBodyBytes,
         "revert an applied change {index, comment, hash}", ApiTuningRevert});
  t.Add({"GET", "/api/v1/users", A::kAdmin, R::kLoop, {}, 0,
         "the console's users and roles; its users file and hash", ApiUsers});
  t.Add({"POST", "/api/v1/users", A::kAdmin, R::kPool, {}, kMaxAdminBodyBytes,
         "add a console user {user, role, password, hash} to console-users.yml and reload",
         ApiAddUser});
  t.Add({"PUT", "/api/v1/users/{user}", A::kAdmin, R::kPool, {}, kMaxAdminBodyBytes,
         "change a console user's role or password {role, password, hash}", ApiChangeUser});
  t.Add({"DELETE", "/api/v1/users/{user}", A::kAdmin, R::kPool, {"hash"}, 0,
         "remove a console user", ApiRemoveUser});
  t.Add({"GET", "/api/v1/audit", A::kRead, R::kLoop, {"limit"}, 0,
         "configuration changes, newest first", ApiAudit});

  // The monthly analysis.
  t.Add({"GET", "/api/v1/reports/monthly/{period}", A::kRead, R::kWorker, {"format", "lang"}, 0,
         "the monthly analysis of a month (2025-06 or latest): json, html, xlsx or pdf",
         ApiMonthlyReport});

  // Delivery.
  t.Add({"GET", "/api/v1/silences", A::kRead, R::kLoop, {"all"}, 0,
         "active silences (all=true: expired too)", ApiSilences});
  t.Add({"POST", "/api/v1/silences", A::kOperate, R::kWorker, {}, kMaxAdminBodyBytes,
         "add a silence {matchers, author, comment, duration}", ApiCreateSilence});
  t.Add({"DELETE", "/api/v1/silences/{id}", A::kOperate, R::kWorker, {}, 0, "expire a silence",
         ApiExpireSilence});
  t.Add({"GET", "/api/v1/notifications/dead", A::kRead, R::kLoop, {"limit"}, 0,
         "deliveries that gave up", ApiDeadLetters});
  // clang-format on
}

}  // namespace parkwatch
