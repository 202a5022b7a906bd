#include "collectors/ingest.h"

#include <fcntl.h>
#include <malloc.h>
#include <sys/stat.h>
#include <unistd.h>
#include <ext/stdio_filebuf.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>
#include <sstream>
#include <thread>

#include "collectors/table_reader.h"
#include "collectors/workbook.h"
#include "core/clock.h"
#include "core/log_text.h"
#include "core/sha256.h"
#include "rules/unit_slip_hold.h"

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
      DiagnosticList errors(name, &result->errors);
      errors.Add(0, 0, "", e.wording());
      result->error_count += errors.Finish();
      return;
    }
    if (choice.all) count = sheet->sheet_count();
    std::function<void(int64_t)> report;
    if (progress) report = [&](int64_t done) { progress(done, sheet->total()); };
    ReadSheetTable(*sheet, name, collector, config.indicators, sink, result, report);
  }
}

// After an input this large, memory freed by its reading goes back to the system at once (a
// 60 MiB body would otherwise leave its peak resident in the allocator's free lists).
constexpr int64_t kTrimAfterBytes = 8 << 20;

// Reads a body in place: std::istringstream would copy it first.
class ViewStreambuf : public std::streambuf {
 public:
  explicit ViewStreambuf(std::string_view s) {
    char* p = const_cast<char*>(s.data());  // never written: a get area only
    setg(p, p, p + s.size());
  }
};

// The one place that decides what a batch becomes: duplicate, committed, partial or rejected,
// and what the quarantine holds after it (store/quarantine.h), in the same commit.
BatchSummary IngestBatch(const BatchInfo& info, int64_t input_bytes,
                         const CollectorConfig& collector, const Config& config, Store& store,
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
  if (input_bytes >= kTrimAfterBytes) ::malloc_trim(0);
  summary.rows_read = result.rows_read;
  summary.rows_accepted = result.rows_accepted;
  summary.error_count = std::max(result.error_count, static_cast<int64_t>(result.errors.size()));
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
  // Every batch, whatever its collector: its figures may be the history that a later figure
  // (of a collector that quarantines) is checked against.
  txn->ApplyQuarantine(CheckUnitSlips(store, txn->touched_enterprises(), txn->touched_periods(),
                                      config.indicators, CollectorQuarantine(config, &collector)));
  txn->Commit(&summary);
  return summary;
}

// Descriptors running out (EMFILE, ENFILE: a burst of connections) or a momentary EAGAIN is not
// the file's fault: the open is retried with backoff (50 ms doubling to 1 s, about 10 s in all)
// before the file is given up on, so an inbox file is not dropped for a passing shortage. It
// waits on the calling thread: the worker, which can do nothing without descriptors anyway.
constexpr int kTransientRetryMs = 10'000;

int OpenRetryingTransient(const std::string& path, int flags) {
  int delay_ms = 50;
  for (int waited_ms = 0;; waited_ms += delay_ms, delay_ms = std::min(delay_ms * 2, 1000)) {
    int fd = ::open(path.c_str(), flags);
    if (fd >= 0 || (errno != EMFILE && errno != ENFILE && errno != EAGAIN) ||
        waited_ms >= kTransientRetryMs)
      return fd;
    const int error = errno;
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    errno = error;
  }
}

// The file opened once, for hashing and then reading, so both see the same file even if the
// name is replaced meanwhile. Without follow_symlinks a symbolic link is refused at the open
// itself (O_NOFOLLOW), not by an earlier lstat that a swap could outrun.
struct InputFile {
  InputFile(const std::string& path, bool follow_symlinks) {
    // O_NONBLOCK: a FIFO put in place of the file must not hang the worker in open(); it is
    // then refused as not a regular file. Reads of a regular file do not block either way.
    int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | (follow_symlinks ? 0 : O_NOFOLLOW);
    fd = OpenRetryingTransient(path, flags);
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
  return IngestBatch(
      info, total, collector, config, store, [&](RecordSink* sink, TableResult* result) {
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
                        const Config& config, Store& store, const std::string& name) {
  BatchInfo info{source, collector.name, Sha256Hex(body)};
  const std::string& input = name.empty() ? source : name;  // as its errors name it
  size_t first = body.find_first_not_of(" \t\r\n");
  bool json = content_type.find("json") != std::string::npos ||
              (first != std::string::npos && (body[first] == '{' || body[first] == '['));
  FileFormat format = SniffFormat(std::string_view(body).substr(0, 8));
  const auto size = static_cast<int64_t>(body.size());
  return IngestBatch(
      info, size, collector, config, store, [&](RecordSink* sink, TableResult* result) {
        if (format != FileFormat::kText) {
          ReadWorkbook([&](const SheetChoice& c) { return OpenWorkbookSheet(body, format, c); },
                       input, collector, config, sink, result, {});
        } else if (json) {
          ReadJsonTable(body, input, collector, config.indicators, sink, result);
        } else {
          ViewStreambuf view(body);
          std::istream in(&view);
          ReadCsvTable(in, input, collector, config.indicators, sink, result);
        }
      });
}

BatchSummary RecordFailedInput(const std::string& source, const std::string& error,
                               const CollectorConfig& collector, Store& store) {
  BatchSummary summary;
  summary.info = BatchInfo{source, collector.name, ""};
  summary.status = "rejected";
  DiagnosticList errors(source, &summary.errors);
  errors.Add(0, 0, "", {error, "拉取数据失败：" + error});  // the cause is the server's own words
  summary.error_count = errors.Finish();
  store.RecordEmptyBatch(&summary);
  return summary;
}

std::string SummaryLine(const BatchSummary& s) {
  std::ostringstream out;
  // The source comes from outside (a file name, a request's ?source=): escaped for the log.
  out << EscapeForLog(std::filesystem::path(s.info.source).filename().string()) << ": " << s.status
      << " batch " << s.batch_id;
  if (s.status == "duplicate") {
    out << " (same content as batch " << s.duplicate_of << ", nothing changed)";
    return out.str();
  }
  out << ": " << s.rows_read << " rows, " << s.rows_accepted << " accepted, " << s.figures_new
      << " new figures, " << s.figures_revised << " revisions, " << s.figures_unchanged
      << " unchanged, " << s.enterprises_new << " new enterprises";
  if (s.figures_held) out << ", " << s.figures_held << " held in quarantine (suspected unit slips)";
  if (s.error_count) out << ", " << s.error_count << " errors";
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.3f", s.duration_seconds);
  out << " in " << seconds << " s";
  return out.str();
}

}  // namespace parkwatch
