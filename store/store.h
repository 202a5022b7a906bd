// The store: every figure parkwatch has accepted, with every revision, and the record of every
// batch that brought them, in one SQLite file (WAL mode).
//
// A Store is one connection and is not thread-safe: each thread that needs the store opens its
// own (SQLite's WAL lets readers run beside the one writer). Open() applies pending schema
// migrations, so every connection sees the current schema.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/diagnostic.h"
#include "core/period.h"
#include "core/records.h"
#include "store/sqlite.h"

namespace parkwatch {

struct BatchInfo {
  std::string source;        // file path or "http:<remote>"
  std::string collector;     // configured collector name
  std::string content_hash;  // SHA-256 of the raw bytes, hex
};

// What a batch did, as recorded in the batches table and returned to whoever sent it.
struct BatchSummary {
  int64_t batch_id = 0;
  std::string status;  // committed | partial | duplicate | rejected
  BatchInfo info;
  int64_t received_at = 0;  // unix seconds
  double duration_seconds = 0;
  int64_t rows_read = 0;
  int64_t rows_accepted = 0;
  int64_t figures_new = 0;
  int64_t figures_revised = 0;
  int64_t figures_unchanged = 0;
  int64_t enterprises_new = 0;
  int64_t figures_held = 0;  // held in quarantine as suspected unit slips (store/quarantine.h)
  int64_t duplicate_of = 0;  // for status duplicate: the batch that brought the same content
  std::vector<Diagnostic> errors;
  int64_t error_count = 0;  // may exceed errors.size() when the list was capped

  // What changed (new or revised figures), so rules re-evaluate only what is touched.
  std::set<int64_t> touched_enterprises;
  std::set<std::pair<std::string, Period>> touched_periods;  // (indicator, period)
};

struct EnterpriseRow {
  int64_t id = 0;
  std::string credit_code;
  std::string name;
  std::string industry;
  bool key = false;
  std::optional<int> above_size_since;
  std::optional<int> above_size_until;
  std::optional<std::string> expected_reports;  // as EnterpriseRecord; unset: never stated
};

struct SeriesPoint {
  Period period;
  double value = 0;
  int revisions = 1;     // how many values this figure has had
  int64_t batch_id = 0;  // the batch that set the current value
  bool held = false;     // in quarantine (held or rejected): no aggregate and no rule counts it
};

// A figure the unit-slip check holds out of the aggregates (store/quarantine.h).
struct FigureHold {
  int64_t enterprise_id = 0;
  int64_t indicator_id = 0;
  Period period;
  double value = 0;
  double level = 0;       // the enterprise's recent level
  int exponent = 0;       // 4: about 10 000 times the level, -3: about 1/1 000
  int64_t batch_id = 0;   // the batch that set the figure's value
  std::string collector;  // that batch's collector
};

// What the unit-slip check (rules/unit_slip_hold.h) decides over stored figures: holds to write
// (new ones, and held ones whose recent level changed) and held figures to let back in.
struct QuarantineChanges {
  std::vector<FigureHold> hold;
  std::vector<FigureHold> release;  // by key
  int64_t newly_held = 0;           // of hold, those not held before
};

struct RevisionRow {
  int revision = 0;
  double value = 0;
  int64_t batch_id = 0;
  std::string source;
  int64_t recorded_at = 0;  // unix seconds of the batch
  bool current = false;
};

// One current figure, as ForEachCurrentFigure streams them.
struct CurrentFigure {
  int64_t enterprise_id = 0;
  int64_t indicator_id = 0;
  Period period;
  double value = 0;
  bool held = false;     // in quarantine (held or rejected): counts in no aggregate
  int64_t batch_id = 0;  // the batch that set the value
};

// The figures some batches set, folded into what each changed (BatchSummary's touched sets) as
// rows stream past in key order. ChangesOfBatch folds one batch's rows of the figures table this
// way; a scan of every current figure can fold those of several batches on its way
// (ForEachCurrentFigure), so that the first start after a bulk load reads the figures once, not
// once for the rules and again for the batch.
class BatchChanges {
 public:
  explicit BatchChanges(const std::vector<int64_t>& batch_ids);
  // A row of a batch; rows of batches not listed are ignored.
  void Add(int64_t batch_id, int64_t enterprise_id, int64_t indicator_id, char cadence,
           int64_t period_key);
  bool Has(int64_t batch_id) const { return folds_.count(batch_id) > 0; }

 private:
  friend class Store;
  using Key = std::tuple<int64_t, char, int64_t>;  // indicator, cadence code, period key
  struct Fold {
    std::set<int64_t> enterprises;
    std::set<Key> keys;
    // The keys of the enterprise before and of this one, in row order: a bulk load gives every
    // enterprise the same indicators and periods, so a key at the same place as the enterprise
    // before it is known without a look-up in keys.
    int64_t enterprise = -1;
    std::vector<Key> previous, current;
    void Add(int64_t enterprise_id, const Key& key);
  };
  std::unordered_map<int64_t, Fold> folds_;
};

class IngestTransaction;

// Every current figure, one at a time, in key order (enterprise, indicator, cadence, period):
// the scan behind Store::ForEachCurrentFigure, for a caller that loops itself. Figures in the
// quarantine (not confirmed) come with held set. Valid while the store is open; store worker.
class CurrentFigureScan {
 public:
  // changes, when given, folds the figures of its batches on the way.
  CurrentFigureScan(sqlite3* db, BatchChanges* changes);
  // Reads the next figure into *f; false at the end.
  bool Next(CurrentFigure* f);

 private:
  std::set<std::tuple<int64_t, int64_t, std::string, int64_t>> held_;
  Statement scan_;
  BatchChanges* changes_;
};

class Store {
 public:
  // Opens (creating if needed) the database at path and migrates it. Throws StoreError.
  static std::unique_ptr<Store> Open(const std::string& path);
  ~Store();

  sqlite3* db() const { return db_; }
  const std::string& path() const { return path_; }
  int schema_version() const;

  // The committed batch that brought exactly this content, if any (for duplicate detection).
  std::optional<int64_t> FindCommittedBatch(const std::string& content_hash);

  // Starts an atomic batch: records go in through the returned sink; nothing is visible to
  // other connections until Commit(). Destroying it without Commit() rolls everything back.
  std::unique_ptr<IngestTransaction> BeginIngest(const BatchInfo& info);

  // Records a batch that stored nothing (rejected, or duplicate content).
  void RecordEmptyBatch(BatchSummary* summary);

  std::vector<EnterpriseRow> Enterprises();
  // One enterprise by code or store id. The statements are prepared once per connection: alert
  // notifications and the alerts gauge look up every enterprise alert's register context.
  std::optional<EnterpriseRow> FindEnterprise(const std::string& credit_code);
  std::optional<EnterpriseRow> FindEnterpriseById(int64_t id);
  // Enterprises created after the one with this id, in id order (rules follow new ones).
  std::vector<EnterpriseRow> EnterprisesAfter(int64_t id);
  // The latest period an enterprise reported anything for in a cadence.
  std::optional<Period> LastReportedOf(int64_t enterprise_id, Cadence cadence);
  // Current values of one enterprise's indicator in a cadence, oldest first, quarantined ones
  // marked held (readers of aggregates skip them).
  std::vector<SeriesPoint> Series(int64_t enterprise_id, const std::string& indicator,
                                  Cadence cadence);
  // Every value a figure has had, oldest first; the last one is current.
  std::vector<RevisionRow> Revisions(int64_t enterprise_id, const std::string& indicator,
                                     Period period);
  // The latest batches, newest first, with their stored errors; with id, that batch only.
  std::vector<BatchSummary> RecentBatches(int limit, int64_t id = 0);
  // Calls fn for every current figure of an indicator in a cadence that is not held in
  // quarantine.
  void ForEachFigure(const std::string& indicator, Cadence cadence,
                     const std::function<void(int64_t enterprise_id, Period, double)>& fn);
  // Latest period any figure was reported for, per enterprise and cadence.
  std::unordered_map<int64_t, Period> LastReported(Cadence cadence);
  // Every current figure of every indicator in one pass, in key order (enterprise, indicator,
  // cadence, period): what loading several tables costs as one scan instead of one per table.
  // changes, when given, folds the figures of its batches on the way (ChangesOfBatch then need
  // not scan the figures table for them).
  // A template over CurrentFigureScan: fn is called inline for each of the millions of rows
  // (a std::function call per row was a tenth of loading the rule data).
  template <typename Fn>
  void ForEachCurrentFigure(Fn&& fn, BatchChanges* changes = nullptr);
  // Indicator names by store id.
  std::unordered_map<int64_t, std::string> IndicatorNames();
  // Whether any figure of an indicator in a cadence was ever stored (a price index, say).
  bool HasFigures(const std::string& indicator, Cadence cadence);
  // The periods of a cadence an enterprise reported anything for, ascending.
  std::vector<Period> ReportedPeriodsOf(int64_t enterprise_id, Cadence cadence);
  int64_t SizeBytes();

  // Rule evaluation follows a commit; these let it survive a crash in between. Committed
  // batches the rules have not seen yet, oldest first; what such a batch changed; and the mark
  // that it has been seen. ChangesOfBatch takes the batch's current figures from scanned when
  // they were folded there (ForEachCurrentFigure) and reads only its revised and decided ones.
  std::vector<int64_t> UnevaluatedBatches();
  BatchSummary ChangesOfBatch(int64_t batch_id, const BatchChanges* scanned = nullptr);
  void MarkEvaluated(int64_t batch_id);

 private:
  friend class IngestTransaction;
  Store(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  void Migrate();

  sqlite3* db_;
  std::string path_;
  // Prepared on first use; finalized before the connection closes (~Store).
  std::unique_ptr<Statement> find_enterprise_, find_enterprise_by_id_;
};

// One batch being written. Implements RecordSink so a reader streams records straight in.
class IngestTransaction : public RecordSink {
 public:
  ~IngestTransaction() override;

  Wording PutEnterprise(const EnterpriseRecord& record) override;
  Wording PutFigure(const FigureRecord& record) override;

  // Writes what the unit-slip check decided (rules/unit_slip_hold.h; collectors/ingest.cc asks
  // it before committing) into this batch: figures_held counts the newly held.
  void ApplyQuarantine(const QuarantineChanges& changes);
  // What the batch has changed so far: touched enterprises and (indicator, period) pairs.
  const std::set<int64_t>& touched_enterprises() const { return counts_.touched_enterprises; }
  const std::set<std::pair<std::string, Period>>& touched_periods() const {
    return counts_.touched_periods;
  }

  // Makes the batch durable and fills the counters and status of *summary (which the caller
  // has filled with rows_read, rows_accepted, errors and status committed|partial).
  void Commit(BatchSummary* summary);

  int64_t batch_id() const { return batch_id_; }

 private:
  friend class Store;
  IngestTransaction(Store* store, const BatchInfo& info);
  int64_t EnterpriseId(const std::string& credit_code, bool* created);
  int64_t IndicatorId(const std::string& name);

  Store* store_;
  Transaction txn_;
  int64_t batch_id_ = 0;
  int64_t started_ns_ = 0;
  BatchSummary counts_;
  std::unordered_map<std::string, int64_t> enterprise_ids_;
  std::unordered_map<std::string, int64_t> indicator_ids_;
  Statement find_enterprise_, insert_enterprise_, update_enterprise_;
  Statement find_figure_, insert_figure_, update_figure_, mark_seen_, keep_history_;
  Statement release_;
};

int64_t UnixNow();

template <typename Fn>
void Store::ForEachCurrentFigure(Fn&& fn, BatchChanges* changes) {
  CurrentFigureScan scan(db_, changes);
  CurrentFigure f;
  while (scan.Next(&f)) fn(f);
}

}  // namespace parkwatch
