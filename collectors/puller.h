// Scheduled pulls: the http_pull and sql_pull collectors, each fetched on its schedule in the
// park's time zone and handed to the one ingest path as a batch.
//
// Threading. The Puller owns one thread of its own (the pull thread) with its own Store
// connection, on which every pull runs in turn: fetching blocks on the network or the
// database, never the event loop or the store worker. The body it fetched goes to the store
// worker through Options::deliver (which blocks until that batch is done), so batches keep
// their one writer and the rules see a pulled batch as any other. The public methods are
// thread-safe and never block on the network:
//   Start()       opens the connection and starts the thread (throws StoreError);
//   Reload()      swaps the configuration whole: the pull in flight finishes with the old one,
//                 the next pull runs with the new one (a collector whose settings changed is
//                 scheduled anew, one removed is never pulled again);
//   RequestStop() makes a fetch in flight stop at once (SIGTERM);
//   Stop()        RequestStop()s and joins the thread. Call it before whatever deliver uses is
//                 destroyed.
//
// Guarantees. What a pull left off at — the ETag and Last-Modified of the last body taken, the
// SQL watermark — is written (store/pull_state.h) after its batch was committed, partial or a
// duplicate: a crash in between pulls the same content again, which is then a duplicate batch,
// and nothing is ever skipped. A rejected body leaves the state as it was, so the same body is
// fetched and judged again at the next scheduled time (after the mapping was fixed, say).
// Failed attempts are retried with backoff (retry_backoff, doubling, `retries` times) when the
// failure is worth it (network, timeout, 408, 429, 5xx, a broken connection), and a pull that
// fails in the end is logged, counted (parkwatch_pull_failures_total) and recorded as a
// rejected batch whose error says why, so the batch list shows it as it shows a bad file.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "config/config.h"
#include "store/pull_state.h"
#include "store/store.h"

namespace prometheus {
class Registry;
template <typename T>
class Family;
class Gauge;
class Counter;
}  // namespace prometheus

namespace parkwatch {

// What a pull hands to the ingest path.
struct PulledBody {
  const CollectorConfig* collector = nullptr;  // the pull's own config, valid during the call
  std::string body;          // "" with error set: the pull failed, record it as such
  std::string content_type;  // as the server said (http_pull); application/json (sql_pull)
  std::string source;        // the URL, or "sql_pull:NAME"
  std::string error;         // why the pull failed (no body)
};

// How one pull ended, for logs and tests.
struct PullReport {
  std::string collector;
  std::string result;  // batch | not_modified | no_new_rows | failed
  int attempts = 0;
  std::string error;
  BatchSummary batch;  // result batch: what it became
};

struct PullerOptions {
  std::string db_path;                                     // the store's SQLite file
  prometheus::Registry* registry = nullptr;                // pull metrics; may be null (tests)
  std::function<BatchSummary(const PulledBody&)> deliver;  // required; blocks; pull thread
  std::function<void(const PullReport&)> on_result;        // optional; pull thread
};

class Puller {
 public:
  explicit Puller(PullerOptions options);
  ~Puller();  // Stop()s
  Puller(const Puller&) = delete;
  Puller& operator=(const Puller&) = delete;

  // utc_offset_minutes: the park's time zone, for schedules at a time of day.
  void Start(std::shared_ptr<const Config> config, int utc_offset_minutes);
  void Reload(std::shared_ptr<const Config> config, int utc_offset_minutes);
  void RequestStop();
  void Stop();

 private:
  struct Scheduled {
    CollectorConfig config;  // a copy: what the next pull of it runs with
    int64_t due_ms = 0;
  };

  void Run(Store& store);                       // the pull thread
  void Schedule(Store& store, int64_t now_ms);  // pull thread, under mutex_
  void PullOne(Store& store, const CollectorConfig& collector);
  PullReport Fetch(Store& store, const CollectorConfig& collector, PulledBody* out,
                   PullState* next);
  bool SleepFor(int64_t ms);  // false when stopping

  PullerOptions options_;
  std::mutex mutex_;  // guards the four below
  std::condition_variable wake_;
  std::shared_ptr<const Config> config_;
  int utc_offset_minutes_ = 8 * 60;
  bool reloaded_ = false;
  std::map<std::string, Scheduled> scheduled_;  // by collector name; pull thread
  std::atomic<bool> stopping_{false};
  prometheus::Family<prometheus::Gauge>* last_success_ = nullptr;
  prometheus::Family<prometheus::Counter>* failures_ = nullptr;
  std::thread thread_;
};

}  // namespace parkwatch
