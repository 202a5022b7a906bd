// The store worker: the one thread that writes the store. It owns the writing connection, the
// alert engine (rule data in memory, evaluation, the alert lifecycle) and the figure metrics it
// refreshes, and it runs batches in arrival order — one writer, so a batch is never interleaved
// with another. The event loop only posts into it (Post* methods); what the worker finds out is
// posted back to the loop through the callbacks of WorkerEvents.
//
// A batch is evaluated as soon as it is committed unless more work waits in the queue: then its
// evaluation waits for the next job, and batches committed one after another (a pile of inbox
// files, pushes) are evaluated together once (alerts/engine.h BatchUnion) — one replay from the
// earliest period they touched rather than one per file. Every job but an ingest first
// evaluates what is waiting, so what any other job sees (API calls, the deadline check, the
// readiness barrier, the figure gauges) is evaluated; a batch dropped alone is evaluated at
// once. Until evaluated a batch is not marked so in the store, and a restart evaluates it.
//
// Threading: construct, Start and destroy on the loop thread while no other thread calls in.
// Post* methods are called on the loop thread; they return at once. Everything else named
// "worker thread" below runs on the worker and touches the members it guards, which no other
// thread reads. The destructor joins the worker (work already queued finishes first) before
// anything it uses is destroyed.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "alerts/engine.h"
#include "api/services.h"
#include "config/config.h"
#include "report/month_close.h"
#include "rules/evaluator.h"
#include "rules/rule_config.h"
#include "store/audit.h"
#include "store/store.h"

namespace parkwatch {

class Dispatcher;
class FigureMetrics;
class Metrics;

// What the worker tells the loop; each is posted to the loop's io_context and may run after the
// worker is destroyed, so a callback must not reach into it.
struct WorkerEvents {
  // A batch finished (committed, partial, duplicate or rejected); filed_as is where its inbox
  // file went ("" for a request).
  std::function<void(const BatchSummary&, const std::string& filed_as)> batch;
  // An inbox file could not be ingested (the store failed); it stays in the inbox.
  std::function<void(const std::string& collector)> batch_failed;
};

class StoreWorker : public WorkerServices {
 public:
  // The store at path is opened by Start. dispatcher is kicked when notifications are queued;
  // metrics receives the figure series. All must outlive the worker.
  StoreWorker(boost::asio::io_context& loop, std::string store_path, Dispatcher& dispatcher,
              Metrics& metrics, WorkerEvents events);
  ~StoreWorker() override;

  // Opens the worker's connection and engine. Loop thread, before any Post. Throws StoreError.
  void Start();

  // Loop thread: queue work.
  // An inbox file, read with the config the worker has installed when it gets to it.
  void PostFile(const std::string& collector_name, const std::string& path);
  // New rules and config (start, or an accepted reload), recorded in the audit trail with what
  // changed unless it is the start; then the config's register file, when it changed
  // (collectors/register.h), as a batch ahead of the files queued after.
  // audit: the source, who and the changes (unused at start).
  void PostRules(std::shared_ptr<const Config> config, std::shared_ptr<const RuleSet> rules,
                 AuditRecord audit);
  // Batches other processes wrote, and missing-report deadlines (the minute tick).
  void PostDeadlineCheck();
  // Runs then on the loop once everything queued before it is done and the figure metrics show
  // it (readiness after the files waiting at start). The rules' warnings of a price index never
  // ingested are said here the first time, not before the waiting files are read.
  void PostReady(std::function<void()> then);
  // Runs fn on the worker thread with its services (API routes that run on the worker). Any
  // thread may call it (the puller hands its bodies over so).
  void Post(std::function<void(WorkerServices&)> fn);

  // Any thread: a long batch in progress stops at its next progress check and rolls back; work
  // still queued is skipped. For SIGTERM.
  void RequestStop() { stopping_ = true; }

  // WorkerServices, worker thread.
  Store& store() override { return *store_; }
  const Config& config() const override { return *config_; }
  std::vector<RuleStatus> RuleStatuses() const override;
  const RuleSet& rules() const override;
  const RuleData& rule_data() const override;
  BatchSummary Ingest(const std::string& body, const std::string& content_type,
                      const std::string& source, const CollectorConfig& collector) override;
  void FollowBatch(const BatchSummary& batch) override;
  void NotificationsChanged() override;

 private:
  // Queues job on the worker (any thread). A job that is not an ingest first
  // evaluates the batches waiting (EvaluateWaiting).
  enum class Job { kIngest, kOther };
  void Queue(Job kind, std::function<void()> job);

  // Worker thread.
  void IngestInboxFile(const std::string& collector_name, const std::string& path);
  // Evaluates a batch now, or with the next job when one waits in the queue.
  void Evaluate(const BatchSummary& summary);
  // Evaluates the batches committed and not yet evaluated, together.
  void EvaluateWaiting();
  void LoadRegisterFile(const std::string& source);
  void ScheduleFigureRefresh();
  void RefreshFigureMetrics();
  void LogEngine(const std::string& what, const EngineResult& r);
  void CheckPriceIndexes(bool rules_loaded);

  boost::asio::io_context& loop_;
  const std::string store_path_;
  Dispatcher& dispatcher_;
  Metrics& metrics_;
  // Shared with the handlers posted to the loop, which may run after the worker is gone.
  const std::shared_ptr<const WorkerEvents> events_;
  std::atomic<bool> stopping_{false};
  // Jobs queued and not yet begun (Queue): while one waits, a batch's evaluation waits for it.
  std::atomic<int64_t> queued_{0};

  // Guarded by being touched on the worker thread only (after Start).
  std::unique_ptr<Store> store_;
  std::unique_ptr<AlertEngine> engine_;
  std::unique_ptr<FigureMetrics> figure_metrics_;
  std::shared_ptr<const Config> config_ = std::make_shared<const Config>();
  std::shared_ptr<const RuleSet> rules_;
  BatchUnion waiting_;  // committed, not yet evaluated (Evaluate)
  bool figure_refresh_queued_ = false;
  // Whether the figure metrics show every change since the last refresh: the barrier refreshes
  // before ready, and the refresh queued behind it then has nothing left to do.
  bool figures_current_ = false;
  // The rules' warnings of a price index never ingested, until a batch brings it; said (and
  // their "ingested now" after them) from the first PostReady on.
  std::vector<PriceIndexWarning> price_index_warnings_;
  bool price_warnings_said_ = false;
  MonthClose month_close_;  // ticks beside the deadline check; sends on its own thread

  // Last: destroyed first, so the thread is joined before the members above go.
  boost::asio::thread_pool pool_{1};
};

}  // namespace parkwatch
