// Dispatcher: delivers the notification outbox to the configured receivers.
//
// Threading. The dispatcher owns one worker thread with its own Store connection (opened from
// the database path) and does all routing, sending and bookkeeping there; a slow SMTP server or
// a robot timing out never blocks the daemon's event loop. The public methods are thread-safe
// and never block on the network:
//   Start()   opens the connection and starts the worker (throws StoreError if it cannot open);
//   Kick()    wakes the worker now: call it after AlertStore::Apply has committed new outbox rows;
//   Reload()  swaps the configuration; the next cycle routes and sends with it;
//   Stop()    finishes the message in flight (bounded by its timeout) and joins the worker.
// Between kicks the worker sleeps until the earliest due delivery (retry backoff, group wait,
// repeat) or delivery.poll_interval, whichever is first, so nothing depends on being kicked.
// Results are reported through the optional callback, called on the worker thread: post them to
// the event loop if they touch loop state.
//
// Guarantees. Routing inserts one delivery per (notification, receiver) under a UNIQUE key and
// marks the notification routed in the same transaction; each delivery is marked delivered in
// its own transaction once the receiver confirmed it. So a restart re-sends at most the one
// message that was in flight when the process died, and never a confirmed one; every pending
// delivery is sent after a restart. The routing commit is derived (store/sqlite.h): it does not
// wait for the disk before the send; a power cut that takes it back leaves the notification
// unrouted, and it is routed and sent again (the same Idempotency-Key), never lost.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "config/alerting.h"
#include "notifiers/receivers.h"

namespace prometheus {
class Registry;
}

namespace parkwatch {

class Store;

// What happened to one message, for logs and the callback.
struct DeliveryReport {
  std::string receiver;
  std::string group_key;
  int alerts = 0;
  std::string result;  // delivered | retry | dead
  std::string error;
  int attempt = 0;  // of the first delivery in the message, 1-based
};

struct DispatcherOptions {
  // Builds receivers; tests replace it to inject clocks. Default: MakeReceiver.
  std::function<std::unique_ptr<Receiver>(const ReceiverConfig&, const AlertingConfig&)>
      make_receiver;
  std::function<void(const DeliveryReport&)> on_result;  // on the worker thread
  uint64_t jitter_seed = 0;                              // 0: random
};

class Dispatcher {
 public:
  using Options = DispatcherOptions;

  // db_path: the store's SQLite file. registry receives the delivery metrics
  // (parkwatch_notification*); it may be null (tests) and must outlive this.
  Dispatcher(std::string db_path, const AlertingConfig& config, prometheus::Registry* registry,
             Options options = {});
  ~Dispatcher();  // Stop()s
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  void Start();
  void Kick();
  void Reload(const AlertingConfig& config);
  void Stop();

  // Messages sent (successfully or not) since Start(), for tests and the status API.
  int64_t messages_attempted() const { return attempted_.load(); }

 private:
  struct State;
  struct Worker;
  void Run();

  std::string db_path_;
  prometheus::Registry* registry_;
  Options options_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool kicked_ = false;
  bool stopping_ = false;
  std::shared_ptr<const State> state_;  // guarded by mu_; replaced whole on Reload

  std::unique_ptr<Worker> worker_;  // only touched by the worker thread after Start()
  std::thread thread_;
  std::atomic<int64_t> attempted_{0};
};

}  // namespace parkwatch
