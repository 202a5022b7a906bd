// What the API's handlers may use, by the thread they run on. The daemon's loop side implements
// LoopServices and its store worker WorkerServices (daemon/); a handler is given the services of
// its route's thread (api/route_table.h RunsOn) and only those, so a handler cannot reach a
// connection or an engine that belongs to another thread.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "metrics/metrics.h"
#include "store/store.h"
#include "web/http_server.h"

namespace parkwatch {

class AlertStore;
class DeliveryStore;
class RuleData;
struct RuleSet;
struct RuleSet;
struct RuleStatus;

// A console session as handlers see it (daemon/sessions.h keeps them).
struct SessionInfo {
  std::string user;
  std::string role;  // viewer | operator | admin
  std::string csrf;
  int64_t expires_at = 0;
  std::string cookie;  // Set-Cookie value, on login only
};

// The event loop's: its read-only store connection and the daemon's controls. Loop thread only.
class LoopServices {
 public:
  virtual ~LoopServices() = default;
  virtual Store& store() = 0;
  virtual AlertStore& alerts() = 0;
  virtual DeliveryStore& deliveries() = 0;
  virtual std::shared_ptr<const Config> config() const = 0;  // the config in force
  virtual std::shared_ptr<const RuleSet> rules() const = 0;  // the rules in force
  virtual bool ready() const = 0;
  // Reloads the configuration, asked for from source (an endpoint, "console: COMMENT") on
  // behalf of who (the request's principal); "" when applied, else every error.
  virtual std::string Reload(const std::string& source, const std::string& who) = 0;
  // The console session of the request's cookie; EndSession signs it out.
  virtual std::optional<SessionInfo> SessionOf(const HttpRequest& request) = 0;
  virtual void EndSession(const HttpRequest& request) = 0;
  virtual std::string ClearedCookie() const = 0;  // Set-Cookie value that signs out
  virtual bool AnonymousRead() const = 0;
};

// The store worker's: the writing connection, the rule engine and the config it has installed.
// Worker thread only.
class WorkerServices {
 public:
  virtual ~WorkerServices() = default;
  virtual Store& store() = 0;
  virtual const Config& config() const = 0;
  virtual std::vector<RuleStatus> RuleStatuses() const = 0;
  // The rules installed and the engine's in-memory data they read (the monthly report reads
  // the same figures the rules and /metrics do).
  virtual const RuleSet& rules() const = 0;
  virtual const RuleData& rule_data() const = 0;
  // Ingests a request body as one batch through the one ingest path, evaluates the rules it
  // touches and reports it to the loop. source is the batch's (the audit's); name, when given,
  // names the input in its errors instead (collectors/ingest.h IngestBody).
  virtual BatchSummary Ingest(const std::string& body, const std::string& content_type,
                              const std::string& source, const CollectorConfig& collector,
                              const std::string& name = {}) = 0;
  // A batch written on the worker outside Ingest (a quarantine decision, store/quarantine.h):
  // the rules follow it as they follow an ingested batch.
  virtual void FollowBatch(const BatchSummary& batch) = 0;
  // A silence or acknowledgement was written: what is due to be sent may have changed.
  virtual void NotificationsChanged() = 0;
};

// What the serving pool's handlers use (CPU-bound answers kept off the loop). Thread-safe.
class PoolServices {
 public:
  virtual ~PoolServices() = default;
  // The Prometheus exposition of part (metrics/metrics.h: /metrics, /metrics/park,
  // /metrics/enterprises), serialised at or after not_before: scrapes that queue up while one is
  // serialised share the next serialisation instead of each making its own.
  virtual std::string Exposition(std::chrono::steady_clock::time_point not_before,
                                 MetricsPart part = MetricsPart::kAll) = 0;
  // Checks a console user's password (bcrypt, slow on purpose) and opens a session.
  virtual std::optional<SessionInfo> Login(const std::string& user,
                                           const std::string& password) = 0;
  // A bcrypt hash of password for a console user ("" if the crypt library cannot make one).
  virtual std::string HashPassword(const std::string& password) = 0;
  // Runs fn on the loop thread with its services and returns its answer (or throws what it
  // threw): the part of a request the loop owns (a config file and a reload) after the slow part
  // ran here. Blocks this pool thread until the loop has run it.
  virtual HttpResponse OnLoop(const std::function<HttpResponse(LoopServices&)>& fn) = 0;
};

}  // namespace parkwatch
