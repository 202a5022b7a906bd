// Month close (月度关账): when a month's deadline (`reports.deadline`, e.g. day 10 12:00 of the
// month after) has passed and the configured share of enterprises has reported, the daemon
// writes the month's report and sends it to the receivers named under `reports:` — mail with
// the XLSX and PDF attached and the summary in the body, robots the summary and a link.
//
// A figure of a closed month revised later (a late report, a correction) makes a revised
// edition (修订版, edition 2, 3, ...) that says what changed: the report's displayed figures
// (levels to 0.01 万元, growth to 0.1%, pulls to 0.01 points, reporters) are compared with the
// previous edition's, so a revision that moves nothing the reader sees makes no new edition.
//
// State is files, so a restart or a crash loses nothing: DIR/PERIOD/edition-N.json (the figures
// compared for revisions), the edition's report-PERIOD[-rN].{html,xlsx,pdf}, and one
// edition-N.sent-RECEIVER marker per confirmed delivery. An edition not yet confirmed to a
// receiver is sent again at the next tick (at least once); a receiver that refuses permanently
// gets edition-N.failed-RECEIVER with the reason and is not tried again.
//
// Threads: Tick runs on the caller's thread (the daemon's worker, where RuleData is current);
// deliveries run on the object's own sender thread, so a slow mail server never holds up
// ingestion. The destructor waits for a delivery in flight.
#pragma once

#include <atomic>
#include <boost/asio/thread_pool.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/period.h"
#include "report/monthly_report.h"
#include "rules/rule_config.h"
#include "rules/rule_data.h"
#include "store/store.h"

namespace parkwatch {

class AlertStore;

// The deadline of month p under config: unix seconds of day D, HH:MM of the month after p, in
// park time (UTC+8).
int64_t ReportDeadline(const ReportsConfig& config, Period p);
// The latest month whose deadline is at or before now.
Period DueReportMonth(const ReportsConfig& config, int64_t now);

// The figures a reader sees, by label ("工业增加值/园区/累计增速" → "7.2%"), for revisions.
std::vector<std::pair<std::string, std::string>> ReportDigest(const MonthlyReport& report);

class MonthClose {
 public:
  MonthClose();
  ~MonthClose();
  MonthClose(const MonthClose&) = delete;
  MonthClose& operator=(const MonthClose&) = delete;

  // What a tick did, for the log.
  struct Result {
    std::vector<std::string> written;  // "2025-06 edition 1", ...
    std::string waiting;               // why the due month is not closed yet ("" if it is)
  };

  // Closes the due month if it can, and makes revised editions of closed months whose figures
  // changed since the last tick (checked only when the store has a batch it has not seen), then
  // starts delivering what is unsent. Needs config.reports.enabled. now: unix seconds.
  Result Tick(const RuleData& data, std::shared_ptr<const Config> config, const RuleSet& rules,
              Store& store, AlertStore* alerts, int64_t now);

  // Sends every unsent latest edition now, on the calling thread (Tick does it on the sender
  // thread). Returns one log line per attempt.
  static std::vector<std::string> Deliver(const Config& config);

  // Waits until deliveries started so far are done (tests, shutdown).
  void WaitForDeliveries();

 private:
  bool WriteEdition(const MonthlyReport& report, const Config& config, int edition,
                    const std::vector<std::string>& changes);

  boost::asio::thread_pool sender_{1};
  std::atomic<int> deliveries_queued_{0};
  int64_t last_batch_seen_ = -1;
  std::string last_waiting_;
};

}  // namespace parkwatch
