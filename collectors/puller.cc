#include "collectors/puller.h"

#include <curl/curl.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "collectors/http_fetch.h"
#include "collectors/ingest.h"
#include "collectors/sql_fetch.h"
#include "core/log_text.h"

namespace parkwatch {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool Stored(const BatchSummary& s) {
  return s.status == "committed" || s.status == "partial" || s.status == "duplicate";
}

}  // namespace

Puller::Puller(PullerOptions options) : options_(std::move(options)) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  if (options_.registry) {
    last_success_ = &prometheus::BuildGauge()
                         .Name("parkwatch_pull_last_success_timestamp_seconds")
                         .Help(
                             "When each scheduled pull last succeeded (a batch, 304 Not "
                             "Modified or no new rows), unix seconds")
                         .Register(*options_.registry);
    failures_ = &prometheus::BuildCounter()
                     .Name("parkwatch_pull_failures_total")
                     .Help(
                         "Scheduled pulls that failed after their retries, or whose body "
                         "was rejected")
                     .Register(*options_.registry);
  }
}

Puller::~Puller() { Stop(); }

void Puller::Start(std::shared_ptr<const Config> config, int utc_offset_minutes) {
  Reload(std::move(config), utc_offset_minutes);
  std::shared_ptr<Store> store = Store::Open(options_.db_path);  // throws on the caller's thread
  thread_ = std::thread([this, store] { Run(*store); });
}

void Puller::Reload(std::shared_ptr<const Config> config, int utc_offset_minutes) {
  std::lock_guard lock(mutex_);
  config_ = std::move(config);
  utc_offset_minutes_ = utc_offset_minutes;
  reloaded_ = true;
  wake_.notify_all();
}

void Puller::RequestStop() {
  std::lock_guard lock(mutex_);
  stopping_ = true;
  wake_.notify_all();
}

void Puller::Stop() {
  RequestStop();
  if (thread_.joinable()) thread_.join();
}

bool Puller::SleepFor(int64_t ms) {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_.load(); });
  return !stopping_;
}

void Puller::Schedule(Store& store, int64_t now_ms) {
  std::map<std::string, Scheduled> fresh;
  for (const CollectorConfig& c : config_->collectors) {
    if (!c.is_pull()) continue;
    Scheduled s{c, 0};
    auto old = scheduled_.find(c.name);
    if (old != scheduled_.end() && old->second.config.pull.schedule_text == c.pull.schedule_text &&
        old->second.config.type == c.type) {
      s.due_ms = old->second.due_ms;
    } else {
      // A pull missed while the daemon was down (or never made) runs at once; otherwise at
      // its next scheduled time.
      const int64_t last_ms = LoadPullState(store, c.name).updated_at * 1000;
      const PullSchedule& when = c.pull.schedule;
      if (last_ms == 0)
        s.due_ms = now_ms;
      else if (when.every_ms > 0)
        s.due_ms = std::max(now_ms, last_ms + when.every_ms);
      else
        s.due_ms = last_ms < PreviousPullAt(when, now_ms, utc_offset_minutes_)
                       ? now_ms
                       : NextPullAt(when, now_ms, utc_offset_minutes_);
    }
    if (old == scheduled_.end())
      spdlog::info("collector {} pulls {} {}", c.name,
                   c.type == "http_pull" ? EscapeForLog(c.pull.url) : "its query",
                   c.pull.schedule_text);
    fresh.emplace(c.name, std::move(s));
  }
  scheduled_ = std::move(fresh);
}

void Puller::Run(Store& store) {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const int64_t now = NowMs();
    if (reloaded_) {
      reloaded_ = false;
      try {
        Schedule(store, now);
      } catch (const std::exception& e) {
        spdlog::error("scheduled pulls: {}", e.what());
      }
    }
    auto next = std::min_element(scheduled_.begin(), scheduled_.end(), [](auto& a, auto& b) {
      return a.second.due_ms < b.second.due_ms;
    });
    auto woken = [this] { return stopping_ || reloaded_; };
    if (next == scheduled_.end()) {
      wake_.wait(lock, woken);
      continue;
    }
    if (next->second.due_ms > now) {
      wake_.wait_for(lock, std::chrono::milliseconds(next->second.due_ms - now), woken);
      continue;
    }
    const CollectorConfig collector = next->second.config;
    const int offset = utc_offset_minutes_;
    lock.unlock();
    PullOne(store, collector);
    lock.lock();
    // Counted from the pull's start, so an interval does not drift by the pull's duration.
    auto it = scheduled_.find(collector.name);
    if (it != scheduled_.end() &&
        it->second.config.pull.schedule_text == collector.pull.schedule_text)
      it->second.due_ms = std::max(NextPullAt(collector.pull.schedule, now, offset), now + 1);
  }
}

PullReport Puller::Fetch(Store& store, const CollectorConfig& c, PulledBody* out, PullState* next) {
  PullReport report;
  report.collector = c.name;
  const PullConfig& p = c.pull;
  const PullState state = LoadPullState(store, c.name);
  *next = state;
  out->collector = &c;
  int64_t backoff = p.retry_backoff_ms;
  for (int attempt = 1;; ++attempt) {
    report.attempts = attempt;
    bool retryable = false;
    if (c.type == "http_pull") {
      out->source = p.url;
      HttpFetchRequest request{p.url,        p.bearer_token,   state.etag, state.last_modified,
                               p.timeout_ms, p.max_body_bytes, &stopping_};
      HttpFetchResult r = HttpFetch(request);
      if (r.error.empty()) {
        if (r.status == 304) {
          report.result = "not_modified";
          return report;
        }
        report.result = "batch";
        out->body = std::move(r.body);
        out->content_type = std::move(r.content_type);
        next->etag = r.etag;
        next->last_modified = r.last_modified;
        return report;
      }
      report.error = "GET " + p.url + ": " + r.error;
      retryable = r.retryable;
    } else {
      out->source = "sql_pull:" + c.name;
      SqlFetchRequest request;
      request.connection = p.connection;
      request.password = p.password;
      request.query = p.query;
      if (!p.watermark_column.empty()) request.since = state.watermark.value_or(p.since_start);
      request.watermark_column = p.watermark_column;
      request.connect_timeout_ms = p.timeout_ms;
      request.statement_timeout_ms = p.statement_timeout_ms;
      request.max_body_bytes = p.max_body_bytes;
      request.cancel = &stopping_;
      SqlFetchResult r = SqlFetch(request);
      if (r.error.empty()) {
        if (r.rows == 0) {
          report.result = "no_new_rows";
          return report;
        }
        report.result = "batch";
        out->body = std::move(r.body);
        out->content_type = "application/json";
        if (r.watermark) next->watermark = r.watermark;
        return report;
      }
      report.error = r.error;
      retryable = r.retryable;
    }
    if (!retryable || attempt > p.retries || stopping_) break;
    spdlog::warn("pull {}: attempt {} failed, again in {} ms: {}", c.name, attempt, backoff,
                 EscapeForLog(report.error));
    if (!SleepFor(backoff)) break;
    backoff = std::min<int64_t>(backoff * 2, 3'600'000);
  }
  report.result = "failed";
  report.error +=
      report.attempts > 1 ? " (after " + std::to_string(report.attempts) + " attempts)" : "";
  out->error = report.error;
  return report;
}

void Puller::PullOne(Store& store, const CollectorConfig& c) {
  PulledBody body;
  PullState next;
  PullReport report;
  try {
    report = Fetch(store, c, &body, &next);
    if (report.result == "failed" && stopping_) return;  // cut short by SIGTERM: not a failure
    if (report.result == "batch" || report.result == "failed") {
      report.batch = options_.deliver(body);
      if (report.result == "batch" && !Stored(report.batch)) {
        report.result = "failed";
        report.error = "the body was rejected (batch " + std::to_string(report.batch.batch_id) +
                       ", " + std::to_string(report.batch.error_count) + " errors)";
      }
    }
    if (report.result != "failed") {
      SavePullState(store, c.name, next);
      if (last_success_)
        last_success_->Add({{"collector", c.name}}).Set(static_cast<double>(UnixNow()));
    }
  } catch (const std::exception& e) {
    report.result = "failed";
    report.error = e.what();
  }
  if (report.result == "failed") {
    if (failures_) failures_->Add({{"collector", c.name}}).Increment();
    spdlog::warn("pull {} failed: {}", c.name, EscapeForLog(report.error));
  } else if (report.result != "batch") {
    spdlog::info("pull {}: {}", c.name,
                 report.result == "not_modified" ? "not modified (304)" : "no new rows");
  }
  if (options_.on_result) options_.on_result(report);
}

}  // namespace parkwatch
