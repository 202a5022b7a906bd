// Ingestion: one input (a file or a request body) becomes one batch in the store, atomically.
//
// Every path that brings data in (the inbox watcher, POST /api/v1/ingest, `parkwatch ingest`)
// goes through these two functions, so duplicate detection, atomicity and batch records are the
// same everywhere.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "config/config.h"
#include "store/store.h"

namespace parkwatch {

// progress, if given, is called with (bytes read, total bytes) about every MiB.
using IngestProgress = std::function<void(int64_t done, int64_t total)>;

// Ingests a file: a workbook (.xlsx or .xls, told by its content, whatever its name; the sheet
// is collector.sheet) or else a CSV table. The batch is committed whole, or
// (collector.atomic=false) with the good rows only; a file whose content was already committed is
// recorded as a duplicate and changes nothing. Diagnostics name the file by its base name. Throws
// StoreError when the store itself fails (disk full, read-only) or the file cannot be opened: then
// nothing of the batch is stored. The inbox passes follow_symlinks=false: a file swapped for a link
// to somewhere else after it was seen is then refused, not read.
BatchSummary IngestFile(const std::string& path, const CollectorConfig& collector,
                        const Config& config, Store& store, const IngestProgress& progress = {},
                        bool follow_symlinks = true);

// Ingests a request body: a workbook when its bytes are one, JSON when content_type says so or
// the body starts with '{' or '[', CSV otherwise. source is the batch's, as the batch list and
// the revisions' audit keep it ("console upload bad.csv by zhang"); name, when given, names the
// input in its errors instead, as its sender knows it (bad.csv 第2行第3列), else source does
// (e.g. "request").
BatchSummary IngestBody(const std::string& body, const std::string& content_type,
                        const std::string& source, const CollectorConfig& collector,
                        const Config& config, Store& store, const std::string& name = {});

// Records an input that never arrived — a scheduled pull that failed after its retries — as a
// rejected batch whose one error says why (source: the URL or "sql_pull:NAME"), so the batch
// list shows it beside the bad files. In Chinese it reads 拉取数据失败： and the cause as the
// HTTP client or database gave it.
BatchSummary RecordFailedInput(const std::string& source, const std::string& error,
                               const CollectorConfig& collector, Store& store);

// One line for the log: "monthly.csv: committed batch 12: 300 rows, 600 new, 3 revised, ..."
std::string SummaryLine(const BatchSummary& summary);

}  // namespace parkwatch
