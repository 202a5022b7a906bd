#include "collectors/ingest.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "collectors/table_reader.h"
#include "core/sha256.h"

namespace parkwatch {
namespace {

using ReadTable = std::function<void(RecordSink*, TableResult*)>;

// The one place that decides what a batch becomes: duplicate, committed, partial or rejected.
BatchSummary IngestBatch(const BatchInfo& info, const CollectorConfig& collector, Store& store,
                         const ReadTable& read) {
  BatchSummary summary;
  summary.info = info;
  if (auto earlier = store.FindCommittedBatch(info.content_hash)) {
    summary.status = "duplicate";
    summary.duplicate_of = *earlier;
    store.RecordEmptyBatch(&summary);
    return summary;
  }
  auto txn = store.BeginIngest(info);
  TableResult result;
  read(txn.get(), &result);
  summary.rows_read = result.rows_read;
  summary.rows_accepted = result.rows_accepted;
  summary.error_count = static_cast<int64_t>(result.errors.size());
  summary.errors = std::move(result.errors);
  if (!summary.errors.empty() && (collector.atomic || summary.rows_accepted == 0)) {
    txn.reset();  // rolls back: nothing of a rejected batch is stored
    summary.status = "rejected";
    summary.rows_accepted = 0;
    store.RecordEmptyBatch(&summary);
    return summary;
  }
  summary.status = summary.errors.empty() ? "committed" : "partial";
  txn->Commit(&summary);
  return summary;
}

std::string HashFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw StoreError("cannot read " + path);
  Sha256 hash;
  std::string buffer(1 << 20, '\0');
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    hash.Update(std::string_view(buffer.data(), static_cast<size_t>(in.gcount())));
  }
  return hash.HexDigest();
}

}  // namespace

BatchSummary IngestFile(const std::string& path, const CollectorConfig& collector,
                        const Config& config, Store& store, const IngestProgress& progress) {
  BatchInfo info{path, collector.name, HashFile(path)};
  std::string name = std::filesystem::path(path).filename().string();
  int64_t total = static_cast<int64_t>(std::filesystem::file_size(path));
  return IngestBatch(info, collector, store, [&](RecordSink* sink, TableResult* result) {
    std::ifstream in(path, std::ios::binary);
    std::function<void(int64_t)> report;
    if (progress) report = [&](int64_t done) { progress(done, total); };
    ReadCsvTable(in, name, collector, config.indicators, sink, result, report);
  });
}

BatchSummary IngestBody(const std::string& body, const std::string& content_type,
                        const std::string& source, const CollectorConfig& collector,
                        const Config& config, Store& store) {
  BatchInfo info{source, collector.name, Sha256Hex(body)};
  size_t first = body.find_first_not_of(" \t\r\n");
  bool json = content_type.find("json") != std::string::npos ||
              (first != std::string::npos && (body[first] == '{' || body[first] == '['));
  return IngestBatch(info, collector, store, [&](RecordSink* sink, TableResult* result) {
    if (json) {
      ReadJsonTable(body, source, collector, config.indicators, sink, result);
    } else {
      std::istringstream in(body);
      ReadCsvTable(in, source, collector, config.indicators, sink, result);
    }
  });
}

std::string SummaryLine(const BatchSummary& s) {
  std::ostringstream out;
  out << std::filesystem::path(s.info.source).filename().string() << ": " << s.status << " batch "
      << s.batch_id;
  if (s.status == "duplicate") {
    out << " (same content as batch " << s.duplicate_of << ", nothing changed)";
    return out.str();
  }
  out << ": " << s.rows_read << " rows, " << s.rows_accepted << " accepted, " << s.figures_new
      << " new figures, " << s.figures_revised << " revisions, " << s.figures_unchanged
      << " unchanged, " << s.enterprises_new << " new enterprises";
  if (s.error_count) out << ", " << s.error_count << " errors";
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.3f", s.duration_seconds);
  out << " in " << seconds << " s";
  return out.str();
}

}  // namespace parkwatch
