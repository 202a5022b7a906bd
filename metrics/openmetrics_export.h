// `parkwatch export openmetrics`: the stored history of the park's figures in the OpenMetrics
// text format, for `promtool tsdb create-blocks-from openmetrics FILE DATA_DIR`, so a Prometheus
// installed after years of reports still graphs those years.
//
// The families and values are those of FigureMetrics (metrics/park_figures.h computes both):
// per enterprise, per industry and for the park, every period that has ended, each sample
// stamped with the end of its period (midnight after its last day, Asia/Shanghai). Neither the
// history nor the live gauges carry a period label: a sample's timestamp already says which
// period it is, and one series per period would multiply the series by the number of periods.
// Which period is on parkwatch_figures_period_info{cadence,period} and
// parkwatch_figures_period_end_timestamp_seconds{cadence}, written here with a sample at each
// period's end as the daemon has them live. For a graph to show one series from the backfilled
// years into the live scrapes, the history needs the labels the scrape attaches too (job,
// instance, a static_configs' labels): OpenMetricsExportOptions::labels. The info series
// (parkwatch_enterprise_info, the enterprises' names and industries) is written with a sample at
// every period end, so dashboards' joins on enterprise work over the history too; it carries the
// register as it is now. The last-report gauges are a live state, not history, and are not
// exported.
//
// Prometheus deletes blocks older than its retention (15 days by default): start it with
// --storage.tsdb.retention.time=10y (deploy/ does) before moving the blocks in.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "config/config.h"
#include "core/period.h"
#include "metrics/park_figures.h"
#include "store/store.h"

namespace parkwatch {

struct OpenMetricsExportOptions {
  // Only periods that start on or after this one's first day (a month or a week); all if unset.
  std::optional<Period> from;
  // Periods ending after this Unix time are not exported (not complete yet); 0 = now.
  int64_t now = 0;
  // Added to every series: the target labels Prometheus attaches to the live series when it
  // scrapes the daemon (job, instance, ...), so a backfilled series and its live continuation
  // are one series rather than two that a dashboard would have to aggregate together.
  SeriesLabels labels;
};

struct OpenMetricsExportStats {
  int64_t series = 0;
  int64_t samples = 0;
};

// Writes every figure family (HELP, TYPE gauge, samples with timestamps) and the closing
// "# EOF". Families are contiguous and each series' samples ascend in time, as OpenMetrics and
// promtool require. Throws StoreError if the store fails.
OpenMetricsExportStats WriteOpenMetrics(Store& store, const Config& config,
                                        const OpenMetricsExportOptions& options, std::ostream& out);

// Parses "job=parkwatch,instance=parkwatch:9780" into labels; false and *error on a malformed
// pair, an invalid or reserved (__*) name, or a label the figure series have themselves.
bool ParseExportLabels(const std::string& text, SeriesLabels* labels, std::string* error);

// The subcommand: loads config_file, opens its store, writes to out_file ("" or "-" = stdout;
// a file is written aside and renamed into place, so a half-written export is never left
// under the name). from is a period as offices write it ("2023-01", "2023-W05") or ""; labels
// as ParseExportLabels takes them, or "". Prints errors and a summary line to stderr; returns
// the process exit code (0 ok, 1 failure, 2 usage).
int ExportOpenMetricsCommand(const std::string& config_file, const std::string& from,
                             const std::string& labels, const std::string& out_file);

}  // namespace parkwatch
