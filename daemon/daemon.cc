// The daemon's event loop: signals, the listener and its admission, the inbox watchers, the
// minute tick and reloads. Everything that writes the store goes to the store worker
// (daemon/store_worker.h); deliveries run on the dispatcher's thread (notifiers/dispatcher.h);
// bcrypt checks on the auth pool; /metrics on the serving pool. The loop itself only reads.
#include "daemon/daemon.h"

#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <filesystem>
#include <future>
#include <mutex>

#include "alerts/alert_store.h"
#include "alerts/engine.h"
#include "api/routes.h"
#include "api/services.h"
#include "collectors/inbox.h"
#include "collectors/ingest.h"
#include "collectors/puller.h"
#include "core/log_format.h"
#include "core/log_text.h"
#include "daemon/auth.h"
#include "daemon/sessions.h"
#include "daemon/store_worker.h"
#include "metrics/loop_lag.h"
#include "metrics/metrics.h"
#include "notifiers/delivery_store.h"
#include "notifiers/dispatcher.h"
#include "rules/evaluator.h"
#include "rules/rule_config.h"
#include "rules/tuning.h"
#include "store/store.h"
#include "web/http_server.h"
#include "web/tls_context.h"

namespace parkwatch {
namespace {

// Everything `serve` reads at start and on reload: parkwatch.yml, the web config file (the
// --web.config.file flag overrides web.config_file) and the rule files, checked together.
bool LoadServeConfig(const DaemonOptions& options, Config* config, RuleSet* rules,
                     std::vector<Diagnostic>* diagnostics) {
  if (!LoadConfig(options.config_file, config, diagnostics)) return false;
  if (!options.web_config_file.empty() &&
      !LoadWebConfigFile(options.web_config_file, &config->web.security, diagnostics))
    return false;
  return LoadRuleFiles(RuleFilesWithTuning(*config), rules, diagnostics) &&
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

HttpResponse BasicAuthRequired(const std::string& why) {
  HttpResponse r = JsonError(401, "unauthorized", why);
  r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"parkwatch\", charset=\"UTF-8\"");
  return r;
}

// The bearer token check of an ingest or admin route: nullopt when it passes.
std::optional<HttpResponse> CheckToken(const std::string& authorization, const std::string& token) {
  switch (CheckBearer(authorization, token)) {
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

HttpResponse Refusal(const ApiError& e) {
  HttpResponse r = JsonError(e.status(), e.type(), e.what());
  return r;
}

class Daemon : public LoopServices, public PoolServices {
 public:
  Daemon(DaemonOptions options, Config config, RuleSet rules)
      : options_(std::move(options)),
        config_(std::make_shared<const Config>(std::move(config))),
        rules_(std::make_shared<const RuleSet>(std::move(rules))),
        signals_(io_, SIGINT, SIGTERM, SIGHUP),
        deadline_timer_(io_) {
    RegisterRoutes(routes_, config_->web.max_body_bytes);
  }

  ~Daemon() override {
    // Threads first, while everything they use is alive: the worker (it posts to the loop and
    // kicks the dispatcher), then the dispatcher, then the pools.
    if (puller_) puller_->Stop();  // before the worker: a pull hands its batch to it
    if (worker_) worker_->RequestStop();
    worker_.reset();
    if (dispatcher_) dispatcher_->Stop();
    serve_pool_.join();
    auth_pool_.join();
  }

  int Run() {
    read_store_ = Store::Open(config_->storage_path);
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
    dispatcher_ = std::make_unique<Dispatcher>(config_->storage_path, config_->alerting,
                                               &metrics_.registry(), delivery);
    dispatcher_->Start();
    WorkerEvents events;
    events.batch = [this](const BatchSummary& s, const std::string& filed) { OnBatch(s, filed); };
    events.batch_failed = [this](const std::string& collector) {
      metrics_.IngestBatch(collector, "failed", 0, 0, 0);
    };
    worker_ = std::make_unique<StoreWorker>(io_, config_->storage_path, *dispatcher_, metrics_,
                                            std::move(events));
    worker_->Start();
    spdlog::info("store {} (schema version {})", config_->storage_path,
                 read_store_->schema_version());
    metrics_.SetBuildInfo(PARKWATCH_VERSION, "");
    metrics_.SetStartTime();
    if (!StartHttp()) return 1;
    WaitForSignals();
    loop_lag_ = std::make_unique<LoopLagProbe>(io_, metrics_);
    loop_lag_->Start();
    worker_->PostRules(config_, rules_, AuditRecord{.source = "start"});
    std::vector<std::unique_ptr<InboxWatcher>> inboxes;
    std::string error;
    if (!MakeInboxes(*config_, &inboxes, &error)) {
      spdlog::error("{}", error);
      return 1;
    }
    SwapInboxes(std::move(inboxes));
    StartPulls();
    ScheduleDeadlines();
    // Ready once the worker has drained the files that were waiting at start.
    worker_->PostReady([this] {
      ready_ = true;
      spdlog::info("ready");
    });
    RunLoop();
    puller_->Stop();      // a pull in flight was cut short; its batch (if any) is queued
    worker_.reset();      // joins: work queued before the stop is finished or skipped
    dispatcher_->Stop();  // after the worker: its last notifications are in the outbox
    io_.restart();
    io_.poll();  // log what the worker finished after the loop stopped
    spdlog::info("stopped");
    return 0;
  }

  // LoopServices.
  Store& store() override { return *read_store_; }
  AlertStore& alerts() override { return *read_alerts_; }
  DeliveryStore& deliveries() override { return *read_deliveries_; }
  std::shared_ptr<const Config> config() const override { return config_; }
  std::shared_ptr<const RuleSet> rules() const override { return rules_; }
  bool ready() const override { return ready_; }
  std::string Reload(const std::string& source, const std::string& who) override {
    std::string error;
    DoReload(source, who, &error);
    return error;
  }

  std::optional<SessionInfo> SessionOf(const HttpRequest& request) override {
    auto s = sessions_.Find(request.cookie, UnixNow());
    if (!s) return std::nullopt;
    return SessionInfo{s->user, RoleName(s->role), s->csrf, s->expires_at, ""};
  }
  void EndSession(const HttpRequest& request) override { sessions_.End(request.cookie); }
  std::string ClearedCookie() const override { return ClearedSessionCookie(secure_cookies_); }
  bool AnonymousRead() const override { return sessions_.anonymous_read(); }

  // PoolServices (the serving pool's thread): bcrypt off the loop.
  std::optional<SessionInfo> Login(const std::string& user, const std::string& password) override {
    std::string id;
    auto s = sessions_.Login(user, password, UnixNow(), &id);
    if (!s) {
      spdlog::warn("console sign-in refused for {}", EscapeForLog(user));
      return std::nullopt;
    }
    spdlog::info("console sign-in: {} ({})", s->user, RoleName(s->role));
    return SessionInfo{s->user, RoleName(s->role), s->csrf, s->expires_at,
                       SessionCookie(id, sessions_.ttl_seconds(), secure_cookies_)};
  }

  std::string HashPassword(const std::string& password) override {
    return parkwatch::HashPassword(password);
  }
  HttpResponse OnLoop(const std::function<HttpResponse(LoopServices&)>& fn) override {
    auto done = std::make_shared<std::promise<HttpResponse>>();
    auto answer = done->get_future();
    boost::asio::post(io_, [this, fn, done] {
      try {
        done->set_value(fn(*this));
      } catch (...) {
        done->set_exception(std::current_exception());
      }
    });
    // A loop that stopped (shutdown) never runs it: the pool thread must not wait for ever. Until
    // then fn may hold references into the caller's frame, so the wait has no other end.
    while (answer.wait_for(std::chrono::milliseconds(200)) != std::future_status::ready)
      if (io_.stopped()) return JsonError(503, "unavailable", "the daemon is shutting down");
    return answer.get();
  }

  // PoolServices: a scrape gets the last serialisation if it began after the scrape arrived,
  // so scrapes that queue behind one share it (8 parallel scrapes of 20 000 enterprises cost
  // about two), and no scrape gets figures older than itself.
  std::string Exposition(std::chrono::steady_clock::time_point not_before,
                         MetricsPart part) override {
    std::lock_guard lock(metrics_cache_mutex_);
    Serialised& cache = metrics_cache_[static_cast<size_t>(part)];
    if (cache.text.empty() || cache.at < not_before) {
      cache.at = std::chrono::steady_clock::now();
      metrics_.SetStoreSize(static_cast<double>(StoreSizeBytes(config_path_store_)));
      cache.text = metrics_.Serialize(part);
    }
    return cache.text;
  }

 private:
  // An exception escaping a handler must not end the daemon: log it and go on.
  void RunLoop() {
    for (;;) {
      try {
        io_.run();
        return;
      } catch (const std::exception& e) {
        spdlog::error("event loop: {} (continuing)", e.what());
      }
    }
  }

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
    config_path_store_ = config_->storage_path;
    http_ =
        std::make_unique<HttpServer>(io_, web, [this](HttpRequest request, HttpRespond respond) {
          Handle(std::move(request), std::move(respond));
        });
    http_->SetAdmission([this](const HttpRequest& head, std::function<void(HttpAdmission)> decide) {
      Admit(head, std::move(decide));
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
    spdlog::info("parkwatch serving on {} (metrics at {}/metrics, at most {} connections)", url_,
                 url_, http_->max_connections());
    return true;
  }

  // The listener's security from a config whose TLS context was built: new connections get the
  // context (rotation on reload), requests the users, Prometheus the certificate's end, the
  // log the URL. At start and on every accepted reload.
  void UseWebSecurity(const Config& config, const TlsContext& tls) {
    http_->SetTls(tls);
    basic_auth_ = std::make_shared<BasicAuth>(config.web.security.basic_auth_users);
    sessions_.Configure(config.web.security.console);
    secure_cookies_ = tls != nullptr;
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
        DoReload("SIGHUP", "signal", nullptr);
        WaitForSignals();
        return;
      }
      spdlog::info("received signal {}, shutting down", signal);
      Shutdown();
    });
  }

  void Shutdown() {
    stopping_ = true;
    for (auto& w : inboxes_) w->Stop();
    if (puller_) puller_->RequestStop();
    if (http_) http_->Stop();
    if (loop_lag_) loop_lag_->Stop();
    deadline_timer_.cancel();
    signals_.cancel();
    // A batch in progress stops at its next progress check and rolls back (its file stays in
    // the inbox); queued work is skipped. The loop ends when nothing is left.
    worker_->RequestStop();
  }

  // New watchers for every inbox collector of config, not started. False with *error (nothing
  // made) if one cannot watch its directory.
  bool MakeInboxes(const Config& config, std::vector<std::unique_ptr<InboxWatcher>>* out,
                   std::string* error) {
    for (const auto& collector : config.collectors) {
      if (collector.type != "inbox") continue;
      try {
        out->push_back(std::make_unique<InboxWatcher>(
            io_, collector.directory, [this, name = collector.name](const std::string& path) {
              worker_->PostFile(name, path);
            }));
      } catch (const std::exception& e) {
        out->clear();
        *error = "collector " + collector.name + ": " + e.what();
        return false;
      }
    }
    return true;
  }

  void SwapInboxes(std::vector<std::unique_ptr<InboxWatcher>> fresh) {
    for (auto& w : inboxes_) w->Stop();
    inboxes_ = std::move(fresh);
    for (auto& w : inboxes_) {
      spdlog::info("collector watching {}", w->directory());
      w->Start();
    }
  }

  // The http_pull and sql_pull collectors, on the puller's thread; what they fetch is ingested
  // on the worker like a request body, or recorded there as a failed input.
  void StartPulls() {
    PullerOptions options;
    options.db_path = config_->storage_path;
    options.registry = &metrics_.registry();
    options.deliver = [this](const PulledBody& pulled) {
      std::promise<BatchSummary> done;
      std::future<BatchSummary> summary = done.get_future();
      worker_->Post([&pulled, &done](WorkerServices& w) {
        try {
          done.set_value(
              pulled.error.empty()
                  ? w.Ingest(pulled.body, pulled.content_type, pulled.source, *pulled.collector)
                  : RecordFailedInput(pulled.source, pulled.error, *pulled.collector, w.store()));
        } catch (...) {
          done.set_exception(std::current_exception());
        }
      });
      return summary.get();
    };
    puller_ = std::make_unique<Puller>(std::move(options));
    puller_->Start(config_, ParkUtcOffset(*config_));
  }

  static int ParkUtcOffset(const Config& config) {
    return UtcOffsetMinutes(config.timezone).value_or(8 * 60);
  }

  // On the loop: a batch finished.
  void OnBatch(const BatchSummary& summary, const std::string& filed_as) {
    if (summary.status == "rejected")
      spdlog::warn("{} -> {}", SummaryLine(summary), EscapeForLog(filed_as));
    else
      spdlog::info("{}", SummaryLine(summary));
    metrics_.IngestBatch(summary.info.collector, summary.status, summary.rows_accepted,
                         summary.rows_read - summary.rows_accepted, summary.duration_seconds);
  }

  // Missing-report rules are due by the clock: check them once a minute on the worker.
  void ScheduleDeadlines() {
    worker_->PostDeadlineCheck();
    if (stopping_) return;
    deadline_timer_.expires_after(std::chrono::seconds(60));
    deadline_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec && !stopping_) ScheduleDeadlines();
    });
  }

  // All or nothing: the config, the web config with its certificates, every rule file, the
  // inbox watchers and the receivers are built first; only when every part was built is
  // anything swapped, so a reload that fails at any step leaves the old config wholly in force.
  // Accepted or refused, a reload is audited with who asked (the request's principal, or
  // "signal") and what changed or why it was refused.
  bool DoReload(const std::string& source, const std::string& who, std::string* error) {
    AuditRecord audit{.source = source, .who = who};
    std::string text;
    try {
      if (TryReload(audit, &text)) return true;
    } catch (const std::exception& e) {
      text = e.what();
    }
    spdlog::error("reload ({}) failed, keeping the running config (asked by {}):\n{}", source,
                  who.empty() ? "unknown" : who, text);
    metrics_.ConfigReload(false);
    audit.outcome = "refused";
    audit.error = text;
    worker_->Post([audit](WorkerServices& w) {
      try {
        RecordAudit(w.store(), audit);
      } catch (const std::exception& e) {
        spdlog::error("recording the refused reload in the audit trail: {}", e.what());
      }
    });
    if (error) *error = text;
    return false;
  }

  bool TryReload(AuditRecord audit, std::string* error) {
    const std::string& source = audit.source;
    Config fresh;
    RuleSet fresh_rules;
    std::vector<Diagnostic> diagnostics;
    TlsContext tls;
    std::string tls_error;
    if (!LoadServeConfig(options_, &fresh, &fresh_rules, &diagnostics)) {
      *error = JoinDiagnostics(diagnostics);
      return false;
    }
    if (!MakeTls(fresh, &tls, error)) return false;
    std::vector<std::unique_ptr<InboxWatcher>> inboxes;
    if (!MakeInboxes(fresh, &inboxes, error)) return false;
    dispatcher_->Reload(fresh.alerting);  // builds every receiver, then swaps; throws before
    // Built: swap. Open connections keep what they had.
    UseWebSecurity(fresh, tls);
    audit.changes = DiffThresholds(*rules_, fresh_rules);
    for (std::string& line : DiffAlerting(config_->alerting, fresh.alerting))
      audit.changes.push_back(std::move(line));
    for (std::string& line :
         DiffConsoleUsers(config_->web.security.console, fresh.web.security.console))
      audit.changes.push_back(std::move(line));
    UseParkTimeInLogs(fresh.timezone);
    config_ = std::make_shared<const Config>(std::move(fresh));
    rules_ = std::make_shared<const RuleSet>(std::move(fresh_rules));
    SwapInboxes(std::move(inboxes));
    puller_->Reload(config_, ParkUtcOffset(*config_));
    for (const std::string& line : audit.changes) spdlog::info("reload changes {}", line);
    spdlog::info("config reloaded ({} by {})", source, audit.who.empty() ? "unknown" : audit.who);
    worker_->PostRules(config_, rules_, std::move(audit));
    metrics_.ConfigReload(true);
    return true;
  }

  // Admission, when a request's header has arrived: the route, then who is calling and in which
  // role, decided before a byte of the body is read. Credentials, in order: a console session
  // (cookie), a bearer token (ingest, or admin for admin and operate routes), a basic-auth user
  // (every request needs one when basic_auth_users is set; such a user has every role but
  // ingest). Writes from a page must come from the listener's own origin, and a session's writes
  // carry its CSRF token.
  void Admit(const HttpRequest& head, std::function<void(HttpAdmission)> decide) {
    auto finish = Finisher(head.path);
    // A refusal is answered like any response: the config's headers, the HTTP metrics.
    decide = [decide = std::move(decide), finish](HttpAdmission a) {
      if (a.refusal) a.refusal = finish(std::move(*a.refusal));
      decide(std::move(a));
    };
    auto refuse = [&decide](HttpResponse r) {
      HttpAdmission a;
      a.refusal = std::move(r);
      decide(std::move(a));
    };
    RouteTable::Match match = routes_.Find(head.method, head.path);
    if (!match.route) return refuse(NoRoute(head, match));
    const Route& route = *match.route;
    HttpAdmission admitted;
    admitted.max_body_bytes = route.max_body_bytes;
    const bool write = head.method != "GET";
    if (write && !SameOrigin(head.host, head.origin, head.referer))
      return refuse(JsonError(403, "forbidden", "cross-origin write refused"));
    // Public, or a read anyone may make: nothing more to ask (beyond basic auth, below).
    const bool open = route.access == Access::kPublic ||
                      (route.access == Access::kRead && sessions_.anonymous_read());
    if (auto session = sessions_.Find(head.cookie, UnixNow())) {
      Role need = route.access == Access::kAdmin     ? Role::kAdmin
                  : route.access == Access::kOperate ? Role::kOperator
                  : route.access == Access::kIngest  ? Role::kNone
                                                     : Role::kViewer;
      if (route.access == Access::kIngest)
        return refuse(JsonError(403, "forbidden", "ingest takes its bearer token, not a login"));
      if (!open && session->role < need)
        return refuse(JsonError(403, "forbidden",
                                "signed in as " + session->user + " (" + RoleName(session->role) +
                                    "); this needs the role " + RoleName(need)));
      if (write && route.access != Access::kPublic &&
          !ConstantTimeEquals(head.csrf_token, session->csrf))
        return refuse(JsonError(403, "forbidden",
                                "missing or wrong X-CSRF-Token: reload the page and try again"));
      admitted.principal = "user:" + session->user;
      return decide(std::move(admitted));
    }
    std::shared_ptr<BasicAuth> auth = basic_auth_;
    bool bearer = head.authorization.rfind("Bearer ", 0) == 0;
    if (!open && (!auth->enabled() || bearer)) {
      if (route.access == Access::kRead && !bearer) {
        HttpResponse r = JsonError(401, "unauthorized", "sign in at /login to read this");
        return refuse(r);
      }
      const std::string& token =
          route.access == Access::kIngest ? config_->web.ingest_token : config_->web.admin_token;
      if (auto denied = CheckToken(head.authorization, token)) return refuse(*denied);
      // The principal names the token that was shown, not the route's class: operate and
      // read routes take the admin token too.
      admitted.principal = route.access == Access::kIngest ? "token:ingest" : "token:admin";
      return decide(std::move(admitted));
    }
    if (!auth->enabled()) return decide(std::move(admitted));
    std::string user, password;
    if (!ParseBasicAuthorization(head.authorization, &user, &password))
      return refuse(BasicAuthRequired("basic authentication required"));
    admitted.principal = "user:" + user;
    if (auth->Remembered(user, password)) return decide(std::move(admitted));
    // bcrypt is slow by design: check on the auth pool. The queue is bounded, so a flood of
    // wrong passwords cannot grow memory or delay the right ones for long; no body has been
    // read yet.
    if (auth_checks_pending_ >= kMaxPendingAuthChecks)
      return refuse(JsonError(429, "too_many_requests", "too many password checks at once"));
    ++auth_checks_pending_;
    boost::asio::post(auth_pool_, [this, auth, user, password, admitted = std::move(admitted),
                                   decide = std::move(decide)]() mutable {
      bool ok = auth->Verify(user, password);
      boost::asio::post(
          io_, [this, ok, admitted = std::move(admitted), decide = std::move(decide)]() mutable {
            --auth_checks_pending_;
            if (ok) return decide(std::move(admitted));
            HttpAdmission no;
            no.refusal = BasicAuthRequired("wrong user name or password");
            decide(std::move(no));
          });
    });
  }

  // What every response gets on its way out, from any thread: the headers of the config in
  // force when the request came, and its count and duration in the HTTP metrics.
  std::function<HttpResponse(HttpResponse)> Finisher(const std::string& path) {
    return [this, label = routes_.Label(path), started = std::chrono::steady_clock::now(),
            config = config_](HttpResponse response) {
      metrics_.HttpRequest(
          label, response.status,
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
      for (const auto& header : config->web.security.headers) response.headers.push_back(header);
      return response;
    };
  }

  HttpResponse NoRoute(const HttpRequest& head, const RouteTable::Match& match) {
    if (match.allowed.empty()) return JsonError(404, "not_found", "no such endpoint: " + head.path);
    std::string allow;
    for (const auto& m : match.allowed) allow += (allow.empty() ? "" : ", ") + m;
    HttpResponse r = JsonError(405, "method_not_allowed", "use " + allow);
    r.headers.emplace_back("Allow", allow);
    return r;
  }

  // An admitted request: its query checked, its handler run on the route's thread.
  void Handle(HttpRequest request, HttpRespond respond) {
    auto started = std::chrono::steady_clock::now();
    auto done = [finish = Finisher(request.path), respond](HttpResponse response) {
      respond(finish(std::move(response)));
    };
    RouteTable::Match match = routes_.Find(request.method, request.path);
    if (!match.route) return done(NoRoute(request, match));
    const Route* route = match.route;
    auto call = [route, path = std::move(match.path), request = std::move(request),
                 received = started](LoopServices* loop, WorkerServices* worker,
                                     PoolServices* pool) {
      try {
        QueryReader query(request.query, route->params);
        if (std::string bad = query.Check(); !bad.empty()) throw ApiError::BadData(bad);
        ApiCall c{request, path, query, loop, worker, pool, received};
        return route->handler(c);
      } catch (const ApiError& e) {
        return Refusal(e);
      } catch (const std::exception& e) {
        spdlog::error("{} {}: {}", request.method, route->pattern, e.what());
        return JsonError(500, "internal", e.what());
      }
    };
    switch (route->runs_on) {
      case RunsOn::kLoop:
        return done(call(this, nullptr, nullptr));
      case RunsOn::kWorker:
        return worker_->Post([call = std::move(call), done](WorkerServices& w) mutable {
          done(call(nullptr, &w, nullptr));
        });
      case RunsOn::kPool:
        return boost::asio::post(serve_pool_, [this, call = std::move(call), done]() mutable {
          done(call(nullptr, nullptr, this));
        });
    }
  }

  static int64_t StoreSizeBytes(const std::string& path) {
    std::error_code ec;
    int64_t total = 0;
    for (const char* suffix : {"", "-wal", "-shm"}) {
      auto size = std::filesystem::file_size(path + suffix, ec);
      if (!ec) total += static_cast<int64_t>(size);
    }
    return total;
  }

  static constexpr int kMaxPendingAuthChecks = 32;  // ~2.5 s of bcrypt at cost 10

  // Declared first, destroyed last: everything below posts to it.
  boost::asio::io_context io_;
  DaemonOptions options_;
  std::shared_ptr<const Config> config_;  // loop thread; replaced on reload
  std::shared_ptr<const RuleSet> rules_;  // loop thread; replaced on reload
  RouteTable routes_;                     // built in the constructor, then read-only
  boost::asio::signal_set signals_;
  boost::asio::steady_timer deadline_timer_;
  std::shared_ptr<BasicAuth> basic_auth_;    // replaced on reload; loop thread
  Sessions sessions_;                        // thread-safe; users replaced on reload
  std::atomic<bool> secure_cookies_{false};  // under TLS: cookies marked Secure
  int auth_checks_pending_ = 0;              // loop thread
  std::unique_ptr<Store> read_store_;        // loop thread only
  std::unique_ptr<AlertStore> read_alerts_;
  std::unique_ptr<DeliveryStore> read_deliveries_;
  Metrics metrics_;  // thread-safe
  std::string config_path_store_;
  std::mutex metrics_cache_mutex_;  // guards the one below
  struct Serialised {
    std::string text;
    std::chrono::steady_clock::time_point at;
  };
  std::array<Serialised, 3> metrics_cache_;  // by MetricsPart
  std::unique_ptr<Dispatcher> dispatcher_;   // its own thread and connection
  std::unique_ptr<StoreWorker> worker_;      // its own thread and connection
  std::unique_ptr<Puller> puller_;           // its own thread and connection; hands to worker_
  std::unique_ptr<LoopLagProbe> loop_lag_;
  std::unique_ptr<HttpServer> http_;
  std::vector<std::unique_ptr<InboxWatcher>> inboxes_;
  std::string host_port_;  // where the listener is bound, e.g. 127.0.0.1:9780
  std::string url_;
  bool ready_ = false;
  bool stopping_ = false;
  boost::asio::thread_pool auth_pool_{1};   // bcrypt checks, off the loop
  boost::asio::thread_pool serve_pool_{1};  // /metrics serialisation, off the loop
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
  UseParkTimeInLogs(config.timezone);
  try {
    Daemon daemon(options, std::move(config), std::move(rules));
    return daemon.Run();
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return 1;
  }
}

}  // namespace parkwatch
