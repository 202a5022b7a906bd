#include "collectors/ingest.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <ext/stdio_filebuf.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <sstream>

#include "collectors/table_reader.h"
#include "collectors/workbook.h"
#include "core/clock.h"
#include "core/sha256.h"

namespace parkwatch {
namespace {

using ReadTable = std::function<void(RecordSink*, TableResult*)>;

// Reads a workbook's sheet; a workbook that cannot be opened (encrypted, corrupt, a zip bomb,
// no such sheet) is one error naming the file, and nothing of it is stored.
template <typename Open>
void ReadWorkbook(Open open, const std::string& name, const CollectorConfig& collector,
                  const Config& config, RecordSink* sink, TableResult* result,
                  const IngestProgress& progress) {
  SheetChoice choice = ParseSheetChoice(collector.sheet);
  int count = 1;
  for (int i = 1; i <= count; ++i) {
    if (choice.all) choice.index = i;
    std::unique_ptr<SheetSource> sheet;
    try {
      sheet = open(choice);
    } catch (const WorkbookError& e) {
      result->errors.push_back({name, 0, 0, "", e.what()});
      return;
    }
    if (choice.all) count = sheet->sheet_count();
    std::function<void(int64_t)> report;
    if (progress) report = [&](int64_t done) { progress(done, sheet->total()); };
    ReadSheetTable(*sheet, name, collector, config.indicators, sink, result, report);
  }
}

// The one place that decides what a batch becomes: duplicate, committed, partial or rejected.
BatchSummary IngestBatch(const BatchInfo& info, const CollectorConfig& collector, Store& store,
                         const ReadTable& read) {
  const int64_t started_ns = SteadyNanos();
  BatchSummary summary;
  summary.info = info;
  if (auto earlier =
          collector.reapply ? std::nullopt : store.FindCommittedBatch(info.content_hash)) {
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
    // Reading (and refusing) a large file takes time too; the batch record says how long.
    summary.duration_seconds = (SteadyNanos() - started_ns) / 1e9;
    store.RecordEmptyBatch(&summary);
    return summary;
  }
  summary.status = summary.errors.empty() ? "committed" : "partial";
  txn->Commit(&summary);
  return summary;
}

// The file opened once, for hashing and then reading, so both see the same file even if the
// name is replaced meanwhile. Without follow_symlinks a symbolic link is refused at the open
// itself (O_NOFOLLOW), not by an earlier lstat that a swap could outrun.
struct InputFile {
  InputFile(const std::string& path, bool follow_symlinks) {
    // O_NONBLOCK: a FIFO put in place of the file must not hang the worker in open(); it is
    // then refused as not a regular file. Reads of a regular file do not block either way.
    int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | (follow_symlinks ? 0 : O_NOFOLLOW);
    fd = ::open(path.c_str(), flags);
    struct stat st;
    if (fd < 0 || ::fstat(fd, &st) != 0) {
      int error = errno;
      if (fd >= 0) ::close(fd);
      throw StoreError("cannot read " + path + ": " +
                       (error == ELOOP ? "a symbolic link" : std::strerror(error)));
    }
    if (!S_ISREG(st.st_mode)) {
      ::close(fd);
      throw StoreError("cannot read " + path + ": not a regular file");
    }
    size = static_cast<int64_t>(st.st_size);
    buffer = std::make_unique<__gnu_cxx::stdio_filebuf<char>>(fd, std::ios::in);  // owns fd
  }

  std::string Hash(const std::string& path) {
    Sha256 hash;
    std::string chunk(1 << 20, '\0');
    ssize_t n;
    while ((n = ::read(fd, chunk.data(), chunk.size())) > 0)
      hash.Update(std::string_view(chunk.data(), static_cast<size_t>(n)));
    if (n < 0 || ::lseek(fd, 0, SEEK_SET) != 0)
      throw StoreError("cannot read " + path + ": " + std::strerror(errno));
    return hash.HexDigest();
  }

  int fd = -1;
  int64_t size = 0;
  std::unique_ptr<__gnu_cxx::stdio_filebuf<char>> buffer;
};

}  // namespace

BatchSummary IngestFile(const std::string& path, const CollectorConfig& collector,
                        const Config& config, Store& store, const IngestProgress& progress,
                        bool follow_symlinks) {
  InputFile file(path, follow_symlinks);
  BatchInfo info{path, collector.name, file.Hash(path)};
  std::string name = std::filesystem::path(path).filename().string();
  int64_t total = file.size;
  char head[8] = {};
  ssize_t got = ::pread(file.fd, head, sizeof head, 0);
  FileFormat format = SniffFormat(std::string_view(head, got > 0 ? static_cast<size_t>(got) : 0));
  return IngestBatch(info, collector, store, [&](RecordSink* sink, TableResult* result) {
    if (format != FileFormat::kText) {
      ReadWorkbook([&](const SheetChoice& c) { return OpenWorkbookSheet(file.fd, format, c); },
                   name, collector, config, sink, result, progress);
      return;
    }
    std::istream in(file.buffer.get());
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
  FileFormat format = SniffFormat(std::string_view(body).substr(0, 8));
  return IngestBatch(info, collector, store, [&](RecordSink* sink, TableResult* result) {
    if (format != FileFormat::kText) {
      ReadWorkbook([&](const SheetChoice& c) { return OpenWorkbookSheet(body, format, c); }, source,
                   collector, config, sink, result, {});
    } else if (json) {
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
