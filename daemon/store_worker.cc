#include "daemon/store_worker.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <filesystem>

#include "alerts/engine.h"
#include "collectors/inbox.h"
#include "collectors/ingest.h"
#include "collectors/register.h"
#include "core/clock.h"
#include "core/log_text.h"
#include "metrics/figure_metrics.h"
#include "metrics/metrics.h"
#include "metrics/park_figures.h"
#include "notifiers/dispatcher.h"
#include "store/audit.h"

namespace parkwatch {

namespace {

// Thrown from a file's progress callback when the daemon is stopping: the batch's transaction
// rolls back and the file stays in the inbox for the next start.
struct Stopping : std::runtime_error {
  Stopping() : std::runtime_error("the daemon is stopping") {}
};

}  // namespace

StoreWorker::StoreWorker(boost::asio::io_context& loop, std::string store_path,
                         Dispatcher& dispatcher, Metrics& metrics, WorkerEvents events)
    : loop_(loop),
      store_path_(std::move(store_path)),
      dispatcher_(dispatcher),
      metrics_(metrics),
      events_(std::make_shared<const WorkerEvents>(std::move(events))) {}

StoreWorker::~StoreWorker() { pool_.join(); }

void StoreWorker::Start() {
  store_ = Store::Open(store_path_);
  // The engine's data also holds what the figure gauges read, so they never read the store.
  engine_ = std::make_unique<AlertEngine>(store_.get(), FigureTables(), FigurePriceIndices());
  figure_metrics_ = std::make_unique<FigureMetrics>(metrics_);
}

void StoreWorker::Queue(Job kind, std::function<void()> job) {
  ++queued_;
  boost::asio::post(pool_, [this, kind, job = std::move(job)] {
    --queued_;
    if (kind != Job::kIngest) EvaluateWaiting();
    job();
  });
}

void StoreWorker::PostFile(const std::string& collector_name, const std::string& path) {
  Queue(Job::kIngest, [this, collector_name, path] {
    if (!stopping_) IngestInboxFile(collector_name, path);
    // A file that was gone or failed still ends the pile it belonged to.
    if (queued_ == 0) EvaluateWaiting();
  });
}

void StoreWorker::IngestInboxFile(const std::string& collector_name, const std::string& path) {
  const CollectorConfig* collector = config_->FindCollector(collector_name);
  if (!collector || !std::filesystem::exists(path)) return;  // reported twice, or gone
  BatchSummary summary;
  try {
    auto stop_check = [this](int64_t, int64_t) {
      if (stopping_) throw Stopping();
    };
    summary = IngestFile(path, *collector, *config_, *store_, stop_check,
                         /*follow_symlinks=*/false);
  } catch (const std::exception& e) {
    // The store failed (disk full, read-only) or the daemon is stopping: the file stays in the
    // inbox and is taken again at the next start or when it is dropped again.
    spdlog::error("{}: not ingested, left in the inbox: {}", EscapeForLog(path), e.what());
    boost::asio::post(loop_,
                      [events = events_, collector_name] { events->batch_failed(collector_name); });
    return;
  }
  // Filing apart from ingesting: a batch that committed stays committed even if its file
  // cannot be moved (it was taken away meanwhile); a second drop is then a duplicate.
  std::string filed;
  try {
    filed = FileInboxResult(path, summary);
  } catch (const std::exception& e) {
    spdlog::warn("{}: ingested as batch {} but not filed: {}", EscapeForLog(path), summary.batch_id,
                 e.what());
  }
  boost::asio::post(loop_, [events = events_, summary, filed] { events->batch(summary, filed); });
  Evaluate(summary);
}

BatchSummary StoreWorker::Ingest(const std::string& body, const std::string& content_type,
                                 const std::string& source, const CollectorConfig& collector) {
  BatchSummary summary = IngestBody(body, content_type, source, collector, *config_, *store_);
  boost::asio::post(loop_, [events = events_, summary] { events->batch(summary, ""); });
  Evaluate(summary);
  return summary;
}

void StoreWorker::Evaluate(const BatchSummary& summary) {
  if (summary.status == "committed" || summary.status == "partial") waiting_.Add(summary);
  // More work waits: the next job evaluates this batch, with the batches of the jobs before it
  // when they are ingests too.
  if (queued_ > 0) return;
  EvaluateWaiting();
}

void StoreWorker::EvaluateWaiting() {
  // Stopping: the batches stay unmarked in the store, and the next start evaluates them.
  if (waiting_.empty() || stopping_) return;
  BatchUnion batches = std::move(waiting_);
  waiting_ = BatchUnion();
  try {
    LogEngine(batches.Name(), engine_->OnBatches(batches, UnixNow()));
  } catch (const std::exception& e) {
    spdlog::error("rule evaluation after {} failed: {}", batches.Name(), e.what());
  }
  if (!price_index_warnings_.empty()) CheckPriceIndexes(/*rules_loaded=*/false);
  ScheduleFigureRefresh();
}

// A rule wanting a price index never ingested compares at current prices or not at all: warned
// when the rules load, and said again when a batch brings the index (a first start warns before
// its inbox, which holds the index, is read).
// Until ready the warnings are only kept: an index among the files waiting at start is no news,
// and one still missing then is warned of at the barrier (PostReady).
void StoreWorker::CheckPriceIndexes(bool rules_loaded) {
  if (rules_loaded) price_index_warnings_.clear();
  std::vector<PriceIndexWarning> now =
      PriceIndexWarnings(*rules_, [&](const std::string& d, Cadence c) {
        const FigureTable* t = engine_->data().PriceIndex(d, c);
        return t && !t->Periods().empty();
      });
  if (price_warnings_said_) {
    if (rules_loaded)
      for (const PriceIndexWarning& w : now) spdlog::warn("{}", w.text);
    for (const PriceIndexWarning& w : price_index_warnings_)
      if (std::find(now.begin(), now.end(), w) == now.end())
        spdlog::info("{}: its price index is ingested now; it compares at comparable prices",
                     w.rule);
  }
  price_index_warnings_ = std::move(now);
}

// Computing the park's figures costs a pass over every enterprise, so refreshes are coalesced:
// one job at the back of the worker's queue serves every batch queued before it.
void StoreWorker::ScheduleFigureRefresh() {
  figures_current_ = false;
  if (figure_refresh_queued_) return;
  figure_refresh_queued_ = true;
  Queue(Job::kOther, [this] {
    figure_refresh_queued_ = false;
    if (!stopping_ && !figures_current_) RefreshFigureMetrics();
  });
}

void StoreWorker::RefreshFigureMetrics() {
  figures_current_ = true;
  try {
    figure_metrics_->Refresh(ParkFigures(engine_->data(), *config_));
    std::vector<std::string> quarantining;
    for (const CollectorConfig& c : config_->collectors)
      if (c.holds_unit_errors()) quarantining.push_back(c.name);
    figure_metrics_->RefreshAlerts(*store_, quarantining);
  } catch (const std::exception& e) {
    spdlog::error("figure metrics not refreshed: {}", e.what());
  }
}

// Every engine run ends here: log it, and wake the dispatcher when it queued notifications.
void StoreWorker::LogEngine(const std::string& what, const EngineResult& r) {
  if (r.notifications) dispatcher_.Kick();
  if (r.observations || r.events)
    spdlog::info("rules after {}: {} observations, {} alert events, {} notifications in {:.3f} s",
                 what, r.observations, r.events, r.notifications, r.seconds);
  for (const auto& e : r.errors) spdlog::error("rule {}", e);
}

void StoreWorker::PostRules(std::shared_ptr<const Config> config,
                            std::shared_ptr<const RuleSet> rules, AuditRecord audit) {
  Queue(Job::kOther, [this, config, rules, audit] {
    if (stopping_) return;
    const std::string& source = audit.source;
    config_ = config;
    rules_ = rules;
    try {
      if (source != "start" || !audit.changes.empty()) RecordAudit(*store_, audit);
      LogEngine("loading rules (" + source + ")", engine_->SetRules(rules, config, UnixNow()));
      CheckPriceIndexes(/*rules_loaded=*/true);
      figure_metrics_->SetTargets(*rules);
      ScheduleFigureRefresh();
      size_t count = 0;
      for (const auto& g : rules->groups) count += g.rules.size();
      spdlog::info("{} rules in {} groups active", count, rules->groups.size());
    } catch (const std::exception& e) {
      spdlog::error("loading rules failed: {}", e.what());
    }
    LoadRegisterFile(source);
  });
}

void StoreWorker::LoadRegisterFile(const std::string& source) {
  if (config_->register_file.empty()) return;
  BatchSummary summary;
  try {
    summary = LoadRegister(*config_, *store_, "register file at " + source);
  } catch (const std::exception& e) {
    spdlog::error("register {}: not loaded: {}", config_->register_file, e.what());
    return;
  }
  boost::asio::post(loop_, [events = events_, summary] { events->batch(summary, ""); });
  Evaluate(summary);
}

void StoreWorker::PostDeadlineCheck() {
  Queue(Job::kOther, [this] {
    if (stopping_) return;
    try {
      EngineResult caught_up = engine_->CatchUp(UnixNow());
      LogEngine("batches written by other processes", caught_up);
      EngineResult r = engine_->CheckDeadlines(UnixNow());
      LogEngine("deadline check", r);
      if (r.events || caught_up.observations) ScheduleFigureRefresh();
      // Month close: the due month's report once enough have reported, revised editions.
      if (rules_) {
        AlertStore alerts(store_.get());
        auto closed =
            month_close_.Tick(engine_->data(), config_, *rules_, *store_, &alerts, UnixNow());
        for (const auto& written : closed.written) spdlog::info("monthly report {}", written);
      }
    } catch (const std::exception& e) {
      spdlog::error("deadline check failed: {}", e.what());
    }
  });
}

const RuleData& StoreWorker::rule_data() const { return engine_->data(); }

const RuleSet& StoreWorker::rules() const {
  static const RuleSet kNone;  // before the first rules are installed
  return rules_ ? *rules_ : kNone;
}

void StoreWorker::PostReady(std::function<void()> then) {
  Queue(Job::kOther, [this, then = std::move(then)] {
    if (!price_warnings_said_) {
      price_warnings_said_ = true;
      for (const PriceIndexWarning& w : price_index_warnings_) spdlog::warn("{}", w.text);
    }
    if (!stopping_ && !figures_current_) RefreshFigureMetrics();
    boost::asio::post(loop_, then);
  });
}

void StoreWorker::Post(std::function<void(WorkerServices&)> fn) {
  Queue(Job::kOther, [this, fn = std::move(fn)] { fn(*this); });
}

std::vector<RuleStatus> StoreWorker::RuleStatuses() const { return engine_->RuleStatuses(); }

void StoreWorker::FollowBatch(const BatchSummary& batch) {
  // Not an ingest: the ingest counters and the batch log line are not for it.
  spdlog::info("{} (batch {})", EscapeForLog(batch.info.source), batch.batch_id);
  Evaluate(batch);
}

void StoreWorker::NotificationsChanged() { dispatcher_.Kick(); }

}  // namespace parkwatch
