#include "daemon/daemon.h"

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <filesystem>
#include <set>

#include "alerts/alert_store.h"
#include "alerts/engine.h"
#include "collectors/inbox.h"
#include "collectors/ingest.h"
#include "daemon/api.h"
#include "daemon/auth.h"
#include "metrics/figure_metrics.h"
#include "metrics/loop_lag.h"
#include "metrics/metrics.h"
#include "metrics/park_figures.h"
#include "notifiers/delivery_store.h"
#include "notifiers/dispatcher.h"
#include "rules/rule_config.h"
#include "store/audit.h"
#include "store/store.h"
#include "web/http_server.h"
#include "web/tls_context.h"

namespace parkwatch {
namespace {

// The collector that takes HTTP pushes when the config names none.
CollectorConfig DefaultHttpCollector() {
  CollectorConfig c;
  c.name = "http";
  c.type = "http";
  return c;
}

// The route a path belongs to, for the handler label of the HTTP metrics: a fixed set, never
// the raw path, so a scanner probing URLs cannot grow the series without bound.
std::string RouteLabel(const std::string& path) {
  static const std::set<std::string> kRoutes = {"/",
                                                "/metrics",
                                                "/metrics/park",
                                                "/metrics/enterprises",
                                                "/-/healthy",
                                                "/-/ready",
                                                "/-/reload",
                                                "/api/v1/ingest",
                                                "/api/v1/enterprises",
                                                "/api/v1/series",
                                                "/api/v1/revisions",
                                                "/api/v1/batches",
                                                "/api/v1/alerts",
                                                "/api/v1/alerts/history",
                                                "/api/v1/rules",
                                                "/api/v1/audit",
                                                "/api/v1/silences",
                                                "/api/v1/notifications/dead"};
  if (kRoutes.count(path)) return path;
  if (path.rfind("/api/v1/silences/", 0) == 0) return "/api/v1/silences/{id}";
  if (path.rfind("/api/v1/alerts/", 0) == 0) return "/api/v1/alerts/{fingerprint}/acknowledge";
  return "other";
}

// Everything `serve` reads at start and on reload: parkwatch.yml, the web config file (the
// --web.config.file flag overrides web.config_file) and the rule files, checked together.
bool LoadServeConfig(const DaemonOptions& options, Config* config, RuleSet* rules,
                     std::vector<Diagnostic>* diagnostics) {
  if (!LoadConfig(options.config_file, config, diagnostics)) return false;
  if (!options.web_config_file.empty() &&
      !LoadWebConfigFile(options.web_config_file, &config->web.security, diagnostics))
    return false;
  return LoadRuleFiles(config->rule_files, rules, diagnostics) &&
         CheckRulesAgainstConfig(*rules, *config, diagnostics);
}

// The listener's TLS context for config, null when TLS is off; false with *error if the
// certificate, key or CA files are unusable.
bool MakeTls(const Config& config, TlsContext* tls, std::string* error) {
  tls->reset();
  if (!config.web.security.tls) return true;
  *tls = MakeServerTlsContext(*config.web.security.tls, error);
  if (!*tls) *error = config.web.security.file + ": " + *error;
  return *tls != nullptr;
}

std::optional<double> NotAfter(const TlsContext& tls) {
  if (auto at = CertificateNotAfter(tls)) return static_cast<double>(*at);
  return std::nullopt;
}

class Daemon {
 public:
  Daemon(DaemonOptions options, Config config, RuleSet rules)
      : options_(std::move(options)),
        config_(std::make_shared<const Config>(std::move(config))),
        rules_(std::make_shared<const RuleSet>(std::move(rules))),
        signals_(io_, SIGINT, SIGTERM, SIGHUP),
        deadline_timer_(io_) {}

  int Run() {
    read_store_ = Store::Open(config_->storage_path);
    worker_store_ = Store::Open(config_->storage_path);
    read_alerts_ = std::make_unique<AlertStore>(read_store_.get());
    read_deliveries_ = std::make_unique<DeliveryStore>(read_store_.get());
    DispatcherOptions delivery;
    delivery.on_result = [](const DeliveryReport& r) {
      if (r.result == "delivered")
        spdlog::info("notified {} ({} alerts, group {})", r.receiver, r.alerts, r.group_key);
      else
        spdlog::warn("notification to {} {} after attempt {}: {}", r.receiver, r.result, r.attempt,
                     r.error);
    };
    dispatcher_ =
        std::make_unique<Dispatcher>(config_->storage_path, config_->alerting, &metrics_, delivery);
    dispatcher_->Start();
    // The engine's data also holds what the figure gauges read, so they never read the store.
    engine_ = std::make_unique<AlertEngine>(worker_store_.get(), FigureTables());
    spdlog::info("store {} (schema version {})", config_->storage_path,
                 read_store_->schema_version());
    metrics_.SetBuildInfo(PARKWATCH_VERSION, "");
    metrics_.SetStartTime();
    if (!StartHttp()) return 1;
    WaitForSignals();
    loop_lag_ = std::make_unique<LoopLagProbe>(io_, metrics_);
    loop_lag_->Start();
    InstallRules("start", {});
    StartInboxes();
    ScheduleDeadlines();
    boost::asio::post(worker_, [this, config = config_] {
      RefreshFigureMetrics(*config);
      // Ready once the worker has drained the files that were waiting at start.
      boost::asio::post(io_, [this] {
        ready_ = true;
        spdlog::info("ready");
      });
    });
    io_.run();
    worker_.join();
    dispatcher_->Stop();  // after the worker: its last notifications are in the outbox
    io_.restart();
    io_.poll();  // log what the worker finished after the loop stopped
    spdlog::info("stopped");
    return 0;
  }

 private:
  bool StartHttp() {
    HttpServerOptions web;
    std::string listen =
        options_.listen_address.empty() ? config_->web.listen_address : options_.listen_address;
    std::string error;
    if (!SplitHostPort(listen, &web.address, &web.port, &error)) {
      spdlog::error("web.listen_address: {}", error);
      return false;
    }
    web.max_body_bytes = config_->web.max_body_bytes;
    TlsContext tls;
    if (!MakeTls(*config_, &tls, &error)) {
      spdlog::error("cannot listen: {}", error);
      return false;
    }
    http_ =
        std::make_unique<HttpServer>(io_, web, [this](HttpRequest request, HttpRespond respond) {
          Handle(std::move(request), std::move(respond));
        });
    http_->SetTls(tls);
    if (!http_->Start(&error)) {
      spdlog::error("cannot listen: {}", error);
      return false;
    }
    std::string host =
        web.address.find(':') != std::string::npos ? "[" + web.address + "]" : web.address;
    host_port_ = host + ":" + std::to_string(http_->port());
    UseWebSecurity(*config_, tls);
    spdlog::info("parkwatch serving on {} (metrics at {}/metrics)", url_, url_);
    return true;
  }

  // The listener's security from a config whose TLS context was built: new connections get the
  // context (rotation on reload), requests the users, Prometheus the certificate's end, the
  // log the URL. At start and on every accepted reload.
  void UseWebSecurity(const Config& config, const TlsContext& tls) {
    http_->SetTls(tls);
    basic_auth_ = std::make_shared<BasicAuth>(config.web.security.basic_auth_users);
    metrics_.SetTlsCertificateExpiry(NotAfter(tls));
    std::string url = (tls ? "https://" : "http://") + host_port_;
    if (!url_.empty() && url != url_)
      spdlog::info("parkwatch now serving on {} (new connections)", url);
    url_ = url;
  }

  void WaitForSignals() {
    signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
      if (ec) return;
      if (signal == SIGHUP) {
        Reload("SIGHUP");
        WaitForSignals();
        return;
      }
      spdlog::info("received signal {}, shutting down", signal);
      Shutdown();
    });
  }

  void Shutdown() {
    for (auto& w : inboxes_) w->Stop();
    if (http_) http_->Stop();
    if (loop_lag_) loop_lag_->Stop();
    deadline_timer_.cancel();
    stopping_ = true;
    signals_.cancel();
    // Work already queued on the worker finishes (a batch is never cut in half); the loop
    // ends when nothing is left.
  }

  void StartInboxes() {
    inboxes_.clear();
    for (const auto& collector : config_->collectors) {
      if (collector.type != "inbox") continue;
      auto watcher = std::make_unique<InboxWatcher>(
          io_, collector.directory,
          [this, name = collector.name](const std::string& path) { OnInboxFile(name, path); });
      spdlog::info("collector {} watching {}", collector.name, collector.directory);
      watcher->Start();
      inboxes_.push_back(std::move(watcher));
    }
  }

  // Queues a file on the worker. The config in force now is the one it is read with.
  void OnInboxFile(const std::string& collector_name, const std::string& path) {
    auto config = config_;
    boost::asio::post(worker_, [this, config, collector_name, path] {
      const CollectorConfig* collector = config->FindCollector(collector_name);
      if (!collector || !std::filesystem::exists(path)) return;  // reported twice, or gone
      try {
        BatchSummary summary =
            IngestFile(path, *collector, *config, *worker_store_, {}, /*follow_symlinks=*/false);
        std::string filed = FileInboxResult(path, summary);
        boost::asio::post(io_, [this, summary, filed] { OnBatch(summary, filed); });
        Evaluate(summary, config);
      } catch (const std::exception& e) {
        // The store failed (disk full, read-only): the file stays in the inbox and is taken
        // again at the next start or when it is dropped again.
        spdlog::error("{}: not ingested, left in the inbox: {}", path, e.what());
        boost::asio::post(io_, [this, collector_name] {
          metrics_.IngestBatch(collector_name, "failed", 0, 0, 0);
        });
      }
    });
  }

  // On the loop: a batch finished.
  void OnBatch(const BatchSummary& summary, const std::string& filed_as) {
    if (summary.status == "rejected")
      spdlog::warn("{} -> {}", SummaryLine(summary), filed_as);
    else
      spdlog::info("{}", SummaryLine(summary));
    metrics_.IngestBatch(summary.info.collector, summary.status, summary.rows_accepted,
                         summary.rows_read - summary.rows_accepted, summary.duration_seconds);
  }

  // On the worker, right after a batch committed: the rules it touches, at once.
  void Evaluate(const BatchSummary& summary, std::shared_ptr<const Config> config) {
    if (summary.status != "committed" && summary.status != "partial") return;
    try {
      LogEngine("batch " + std::to_string(summary.batch_id), engine_->OnBatch(summary, UnixNow()));
    } catch (const std::exception& e) {
      spdlog::error("rule evaluation after batch {} failed: {}", summary.batch_id, e.what());
    }
    ScheduleFigureRefresh(std::move(config));
  }

  // On the worker. Computing the park's figures costs a pass over every enterprise, so refreshes
  // are coalesced: one job at the back of the worker's queue serves every batch queued before it.
  void ScheduleFigureRefresh(std::shared_ptr<const Config> config) {
    if (figure_refresh_queued_) return;
    figure_refresh_queued_ = true;
    boost::asio::post(worker_, [this, config] {
      figure_refresh_queued_ = false;
      RefreshFigureMetrics(*config);
    });
  }

  // On the worker: the figure and alert gauges follow the store.
  void RefreshFigureMetrics(const Config& config) {
    try {
      figure_metrics_.Refresh(ParkFigures(engine_->data(), config));
      figure_metrics_.RefreshAlerts(*worker_store_);
    } catch (const std::exception& e) {
      spdlog::error("figure metrics not refreshed: {}", e.what());
    }
  }

  // Every engine run ends here: log it, and wake the dispatcher when it queued notifications.
  void LogEngine(const std::string& what, const EngineResult& r) {
    if (r.notifications) dispatcher_->Kick();
    if (r.observations || r.events)
      spdlog::info("rules after {}: {} observations, {} alert events, {} notifications in {:.3f} s",
                   what, r.observations, r.events, r.notifications, r.seconds);
    for (const auto& e : r.errors) spdlog::error("rule {}", e);
  }

  // Hands the rules to the worker's engine (after a start or an accepted reload) and records
  // what changed in the audit trail.
  void InstallRules(const std::string& source, std::vector<std::string> changes) {
    auto rules = rules_;
    auto config = config_;
    boost::asio::post(worker_, [this, rules, config, source, changes] {
      try {
        if (source != "start" || !changes.empty()) RecordAudit(*worker_store_, source, changes);
        LogEngine("loading rules (" + source + ")", engine_->SetRules(rules, config, UnixNow()));
        figure_metrics_.SetTargets(*rules);
        ScheduleFigureRefresh(config);
        size_t count = 0;
        for (const auto& g : rules->groups) count += g.rules.size();
        spdlog::info("{} rules in {} groups active", count, rules->groups.size());
      } catch (const std::exception& e) {
        spdlog::error("loading rules failed: {}", e.what());
      }
    });
  }

  // Missing-report rules are due by the clock: check them once a minute on the worker.
  void ScheduleDeadlines() {
    boost::asio::post(worker_, [this, config = config_] {
      try {
        EngineResult caught_up = engine_->CatchUp(UnixNow());
        LogEngine("batches written by other processes", caught_up);
        EngineResult r = engine_->CheckDeadlines(UnixNow());
        LogEngine("deadline check", r);
        if (r.events || caught_up.observations) ScheduleFigureRefresh(config);
      } catch (const std::exception& e) {
        spdlog::error("deadline check failed: {}", e.what());
      }
    });
    if (stopping_) return;
    deadline_timer_.expires_after(std::chrono::seconds(60));
    deadline_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec && !stopping_) ScheduleDeadlines();
    });
  }

  bool Reload(const std::string& source, std::string* error = nullptr) {
    Config fresh;
    RuleSet fresh_rules;
    std::vector<Diagnostic> diagnostics;
    TlsContext tls;
    std::string tls_error;
    // All-or-nothing: the config, the web config with its certificates and every rule file
    // must be valid, or nothing changes.
    if (!LoadServeConfig(options_, &fresh, &fresh_rules, &diagnostics) ||
        !MakeTls(fresh, &tls, &tls_error)) {
      std::string text = tls_error.empty() ? JoinDiagnostics(diagnostics) : tls_error;
      spdlog::error("reload ({}) failed, keeping the running config:\n{}", source, text);
      metrics_.ConfigReload(false);
      if (error) *error = text;
      return false;
    }
    UseWebSecurity(fresh, tls);  // open connections keep what they had
    std::vector<std::string> changes = DiffThresholds(*rules_, fresh_rules);
    config_ = std::make_shared<const Config>(std::move(fresh));
    rules_ = std::make_shared<const RuleSet>(std::move(fresh_rules));
    StartInboxes();
    dispatcher_->Reload(config_->alerting);
    InstallRules(source, changes);
    metrics_.ConfigReload(true);
    spdlog::info("config reloaded ({})", source);
    return true;
  }

  // Every request passes here: with basic_auth_users configured it must carry a user's
  // password, except that a bearer token may stand in on the endpoints that take one (ingest,
  // admin: they check it themselves), since one Authorization header cannot carry both.
  void Handle(HttpRequest request, HttpRespond respond) {
    auto started = std::chrono::steady_clock::now();
    // The config in force when the request came: its headers go on the response.
    auto done = [this, respond, path = request.path, started,
                 config = config_](HttpResponse response) {
      metrics_.HttpRequest(
          RouteLabel(path), response.status,
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
      for (const auto& header : config->web.security.headers) response.headers.push_back(header);
      respond(std::move(response));
    };
    std::shared_ptr<BasicAuth> auth = basic_auth_;
    std::string user, password;
    if (!auth->enabled() ||
        (TakesBearer(request) && request.authorization.rfind("Bearer ", 0) == 0))
      return Route(std::move(request), done);
    if (!ParseBasicAuthorization(request.authorization, &user, &password))
      return done(BasicAuthRequired("basic authentication required"));
    if (auth->Remembered(user, password)) return Route(std::move(request), done);
    // bcrypt is slow by design: check on the auth thread, route back on the loop. The queue is
    // bounded, so a flood of wrong passwords (each holding its request body) cannot grow memory
    // or delay the right ones for long.
    if (auth_checks_pending_ >= kMaxPendingAuthChecks)
      return done(JsonError(429, "too_many_requests", "too many password checks at once"));
    ++auth_checks_pending_;
    boost::asio::post(
        auth_pool_, [this, auth, user, password, request = std::move(request), done]() mutable {
          bool ok = auth->Verify(user, password);
          boost::asio::post(io_, [this, ok, request = std::move(request), done]() mutable {
            --auth_checks_pending_;
            if (stopping_) return;  // the listener is closed; the connection gets nothing
            if (!ok) return done(BasicAuthRequired("wrong user name or password"));
            Route(std::move(request), done);
          });
        });
  }

  static HttpResponse BasicAuthRequired(const std::string& why) {
    HttpResponse r = JsonError(401, "unauthorized", why);
    r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"parkwatch\", charset=\"UTF-8\"");
    return r;
  }

  // The endpoints that check a bearer token of their own (Authorize below).
  static bool TakesBearer(const HttpRequest& request) {
    const std::string& path = request.path;
    return path == "/-/reload" || path == "/api/v1/ingest" ||
           (request.method != "GET" &&
            (path.rfind("/api/v1/silences", 0) == 0 || path.rfind("/api/v1/alerts/", 0) == 0));
  }

  void Route(HttpRequest request, const std::function<void(HttpResponse)>& done) {
    const std::string& path = request.path;
    bool get = request.method == "GET" || request.method == "HEAD";
    try {
      if (path == "/-/healthy" && get) return done(Text(200, "parkwatch is Healthy.\n"));
      if (path == "/-/ready" && get)
        return done(ready_ ? Text(200, "parkwatch is Ready.\n")
                           : Text(503, "parkwatch is not ready.\n"));
      if (path == "/metrics" && get) {
        metrics_.SetStoreSize(static_cast<double>(read_store_->SizeBytes()));
        HttpResponse r = Text(200, metrics_.Serialize());
        r.content_type = "text/plain; version=0.0.4; charset=utf-8";
        return done(r);
      }
      if (path.starts_with("/metrics/") && get)
        return done(ApiMetricsPart(metrics_, *read_store_, std::string_view(path).substr(9)));
      if (path == "/-/reload") {
        if (request.method != "POST" && request.method != "PUT")
          return done(JsonError(405, "method_not_allowed", "use POST"));
        if (auto denied = Authorize(request, config_->web.admin_token)) return done(*denied);
        std::string error;
        if (Reload("POST /-/reload", &error)) return done(JsonSuccess("\"reloaded\""));
        return done(JsonError(400, "bad_config", error));
      }
      if (path == "/api/v1/ingest") {
        if (request.method != "POST") return done(JsonError(405, "method_not_allowed", "use POST"));
        if (auto denied = Authorize(request, config_->web.ingest_token)) return done(*denied);
        return IngestRequest(std::move(request), done);
      }
      if (AdminWrite(request, done)) return;
      if (!get && path.rfind("/api/v1/", 0) == 0)
        return done(JsonError(405, "method_not_allowed", "use GET"));
      if (path == "/api/v1/enterprises") return done(ApiEnterprises(*read_store_, request));
      if (path == "/api/v1/series") return done(ApiSeries(*read_store_, *config_, request));
      if (path == "/api/v1/revisions") return done(ApiRevisions(*read_store_, request));
      if (path == "/api/v1/batches") return done(ApiBatches(*read_store_, request));
      if (path == "/api/v1/alerts") return done(ApiAlerts(*read_alerts_, request));
      if (path == "/api/v1/alerts/history") return done(ApiAlertHistory(*read_alerts_, request));
      if (path == "/api/v1/audit") return done(ApiAudit(*read_store_, request));
      if (path == "/api/v1/notifications/dead")
        return done(ApiDeadLetters(*read_deliveries_, request));
      if (path == "/api/v1/silences" && request.method == "GET")
        return done(ApiSilences(*read_deliveries_, request));
      if (path == "/api/v1/rules") {
        // The engine lives on the worker; ask it there and answer when it replies.
        return boost::asio::post(worker_, [this, done] {
          auto statuses = engine_->RuleStatuses();
          boost::asio::post(io_, [statuses, done] { done(ApiRules(statuses)); });
        });
      }
      if (path == "/") return done(Text(200, Index()));
      return done(JsonError(404, "not_found", "no such endpoint: " + path));
    } catch (const std::exception& e) {
      spdlog::error("{} {}: {}", request.method, path, e.what());
      return done(JsonError(500, "internal", e.what()));
    }
  }

  // Admin writes of the API: silences and acknowledgements. Returns false when the request is
  // not one of them; otherwise it has been (or will be) answered.
  bool AdminWrite(const HttpRequest& request, const std::function<void(HttpResponse)>& done) {
    const std::string& path = request.path;
    static const std::string kSilences = "/api/v1/silences", kAlerts = "/api/v1/alerts/";
    static const std::string kAck = "/acknowledge";
    bool create = path == kSilences && request.method == "POST";
    bool expire = path.rfind(kSilences + "/", 0) == 0 && request.method == "DELETE";
    bool ack = path.rfind(kAlerts, 0) == 0 && request.method == "POST" &&
               path.size() > kAlerts.size() + kAck.size() &&
               path.compare(path.size() - kAck.size(), kAck.size(), kAck) == 0;
    if (!create && !expire && !ack) return false;
    if (auto denied = Authorize(request, config_->web.admin_token)) {
      done(*denied);
      return true;
    }
    // Writes go through the worker's connection like every other write.
    boost::asio::post(worker_, [this, request, done, create, expire] {
      DeliveryStore deliveries(worker_store_.get());
      HttpResponse r;
      try {
        if (create) {
          r = ApiCreateSilence(deliveries, request);
        } else if (expire) {
          int64_t id = 0;
          try {
            id = std::stoll(request.path.substr(kSilences.size() + 1));
          } catch (const std::exception&) {
            r = JsonError(400, "bad_data", "silence id must be a number");
          }
          if (id) r = ApiExpireSilence(deliveries, id);
        } else {
          std::string fp = request.path.substr(kAlerts.size(),
                                               request.path.size() - kAlerts.size() - kAck.size());
          r = ApiAcknowledge(deliveries, fp, request);
        }
      } catch (const std::exception& e) {
        r = JsonError(503, "store_unavailable", e.what());
      }
      dispatcher_->Kick();  // a silence or an acknowledgement may change what is due
      boost::asio::post(io_, [done, r] { done(r); });
    });
    return true;
  }

  std::optional<HttpResponse> Authorize(const HttpRequest& request, const std::string& token) {
    switch (CheckBearer(request.authorization, token)) {
      case AuthResult::kOk:
        return std::nullopt;
      case AuthResult::kDisabled:
        return JsonError(403, "forbidden", "endpoint disabled: no token configured for it");
      case AuthResult::kMissing: {
        HttpResponse r = JsonError(401, "unauthorized", "bearer token required");
        r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"parkwatch\"");
        return r;
      }
      case AuthResult::kWrong:
        return JsonError(403, "forbidden", "wrong bearer token");
    }
    return JsonError(500, "internal", "unreachable");
  }

  void IngestRequest(HttpRequest request, std::function<void(HttpResponse)> done) {
    auto config = config_;
    std::string name = request.Query("collector");
    const CollectorConfig* named = name.empty() ? nullptr : config->FindCollector(name);
    if (!name.empty() && !named)
      return done(JsonError(400, "bad_data", "unknown collector " + name));
    if (!named)
      for (const auto& c : config->collectors)
        if (c.type == "http" && !named) named = &c;
    CollectorConfig collector = named ? *named : DefaultHttpCollector();
    std::string source = request.Query("source", "request");
    boost::asio::post(worker_, [this, config, collector, source, request = std::move(request),
                                done = std::move(done)] {
      HttpResponse response;
      std::optional<BatchSummary> summary;
      try {
        summary = IngestBody(request.body, request.content_type, source, collector, *config,
                             *worker_store_);
        response = JsonSuccess(BatchSummaryJson(*summary), IngestStatusCode(*summary));
        Evaluate(*summary, config);
      } catch (const std::exception& e) {
        spdlog::error("ingest from {}: {}", request.remote_address, e.what());
        response = JsonError(503, "store_unavailable", e.what());
      }
      boost::asio::post(io_, [this, summary, response, done] {
        if (summary) OnBatch(*summary, "");
        done(response);
      });
    });
  }

  static HttpResponse Text(int status, std::string body) {
    HttpResponse r;
    r.status = status;
    r.content_type = "text/plain; charset=utf-8";
    r.body = std::move(body);
    return r;
  }

  std::string Index() const {
    return "parkwatch " PARKWATCH_VERSION
           "\n\n/metrics\n/-/healthy\n/-/ready\nPOST /-/reload\nPOST /api/v1/ingest\n"
           "/api/v1/enterprises\n/api/v1/series?enterprise=&indicator=&cadence=\n"
           "/api/v1/revisions?enterprise=&indicator=&period=\n/api/v1/batches\n"
           "/api/v1/alerts?state=&severity=\n/api/v1/alerts/history\n/api/v1/rules\n"
           "/api/v1/audit\n/api/v1/silences\n/api/v1/notifications/dead\n";
  }

  DaemonOptions options_;
  std::shared_ptr<const Config> config_;
  std::shared_ptr<const RuleSet> rules_;
  boost::asio::io_context io_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer deadline_timer_;
  boost::asio::thread_pool worker_{1};              // one writer: batches apply in arrival order
  boost::asio::thread_pool auth_pool_{1};           // bcrypt checks, off the loop
  std::shared_ptr<BasicAuth> basic_auth_;           // replaced on reload; loop thread
  static constexpr int kMaxPendingAuthChecks = 32;  // ~2.5 s of bcrypt at cost 10
  int auth_checks_pending_ = 0;                     // loop thread
  std::unique_ptr<Store> read_store_;               // used on the loop thread only
  std::unique_ptr<Store> worker_store_;             // used on the worker thread only
  std::unique_ptr<AlertStore> read_alerts_;         // loop thread, over read_store_
  std::unique_ptr<DeliveryStore> read_deliveries_;  // loop thread, over read_store_
  std::unique_ptr<Dispatcher> dispatcher_;          // its own thread and connection
  std::unique_ptr<AlertEngine> engine_;             // worker thread, over worker_store_
  std::unique_ptr<LoopLagProbe> loop_lag_;
  bool stopping_ = false;
  std::unique_ptr<HttpServer> http_;
  std::vector<std::unique_ptr<InboxWatcher>> inboxes_;
  Metrics metrics_;
  FigureMetrics figure_metrics_{metrics_};  // refreshed on the worker
  bool figure_refresh_queued_ = false;      // worker thread only
  std::string host_port_;                   // where the listener is bound, e.g. 127.0.0.1:9780
  std::string url_;
  bool ready_ = false;
};

}  // namespace

int RunDaemon(const DaemonOptions& options) {
  Config config;
  RuleSet rules;
  std::vector<Diagnostic> diagnostics;
  if (!LoadServeConfig(options, &config, &rules, &diagnostics)) {
    spdlog::error("invalid configuration:\n{}", JoinDiagnostics(diagnostics));
    return 1;
  }
  try {
    Daemon daemon(options, std::move(config), std::move(rules));
    return daemon.Run();
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return 1;
  }
}

}  // namespace parkwatch
