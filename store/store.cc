#include "store/store.h"

#include <chrono>
#include <filesystem>
#include <set>
#include <thread>
#include <tuple>

#include "core/clock.h"
#include "core/private_files.h"
#include "core/time_text.h"
#include "store/quarantine.h"
#include "store/schema.h"

namespace parkwatch {
namespace {

// A writer that finds another one committing (the dispatcher recording a delivery, the CLI
// ingesting beside the daemon) waits up to 10 s for it instead of failing. SQLite's own
// busy_timeout sleeps 1, 2, 5, 10, 15, 20 ms, … between tries, so a lock held for one commit's
// fsync (2–4 ms) cost the waiter 8 to 18 ms: a file dropped while the dispatcher recorded the
// previous alert's delivery waited that long before its batch began. Asking again every
// quarter of a millisecond for the first 10 ms, then every millisecond, waits as long in all
// and returns within a fraction of a millisecond of the lock being free.
int WaitForWriter(void*, int tries) {
  constexpr int kShortTries = 40;                   // 40 × 0.25 ms = the first 10 ms
  constexpr int kLongTries = 10000 - 10;            // then 1 ms each, up to 10 s in all
  if (tries >= kShortTries + kLongTries) return 0;  // SQLITE_BUSY to the caller
  std::this_thread::sleep_for(tries < kShortTries ? std::chrono::microseconds(250)
                                                  : std::chrono::microseconds(1000));
  return 1;
}

}  // namespace

int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::unique_ptr<Store> Store::Open(const std::string& path) {
  std::filesystem::path p(path);
  try {
    if (p.has_parent_path()) CreatePrivateDirectories(p.parent_path());
    // Created here with 0640 so SQLite, which gives -wal and -shm the database's own mode,
    // never makes any of the three readable by everyone (its default is 0644 & ~umask).
    CreatePrivateFile(p);
  } catch (const std::filesystem::filesystem_error& e) {
    throw StoreError("cannot open store " + path + ": " + e.code().message());
  }
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    throw StoreError("cannot open store " + path + ": " + message);
  }
  std::unique_ptr<Store> store(new Store(db, path));
  // Wait for another writer instead of failing at once (WaitForWriter says how).
  sqlite3_busy_handler(db, WaitForWriter, nullptr);
  // WAL: readers (HTTP queries) never block the writer. synchronous=FULL makes every commit
  // durable before it is reported, so an accepted batch survives a crash or power cut.
  Exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
  store->Migrate();
  return store;
}

Store::~Store() {
  find_enterprise_.reset();  // a connection with unfinalized statements does not close
  find_enterprise_by_id_.reset();
  sqlite3_close(db_);
}

void Store::Migrate() {
  Exec(db_,
       "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
       "description TEXT NOT NULL, applied_at INTEGER NOT NULL)");
  for (const Migration& m : Migrations()) {
    Transaction txn(db_);  // BEGIN IMMEDIATE: two processes opening at once migrate once
    Statement applied(db_, "SELECT 1 FROM schema_migrations WHERE version = ?");
    if (applied.Bind(1, m.version).Step()) continue;
    Exec(db_, m.sql);
    Statement record(db_, "INSERT INTO schema_migrations VALUES (?, ?, ?)");
    record.Bind(1, m.version).Bind(2, m.description).Bind(3, UnixNow()).Run();
    txn.Commit();
  }
}

int Store::schema_version() const {
  Statement s(db_, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  s.Step();
  return static_cast<int>(s.Int(0));
}

std::optional<int64_t> Store::FindCommittedBatch(const std::string& content_hash) {
  Statement s(db_,
              "SELECT id FROM batches WHERE content_hash = ? AND status IN ('committed', "
              "'partial') ORDER BY id LIMIT 1");
  if (s.Bind(1, content_hash).Step()) return s.Int(0);
  return std::nullopt;
}

std::unique_ptr<IngestTransaction> Store::BeginIngest(const BatchInfo& info) {
  return std::unique_ptr<IngestTransaction>(new IngestTransaction(this, info));
}

namespace {

void WriteBatchRow(sqlite3* db, const BatchSummary& s) {
  Statement u(db,
              "UPDATE batches SET status=?, duration_seconds=?, rows_read=?, rows_accepted=?, "
              "figures_new=?, figures_revised=?, figures_unchanged=?, enterprises_new=?, "
              "duplicate_of=?, error_count=?, errors=?, figures_held=? WHERE id=?");
  u.Bind(1, s.status)
      .Bind(2, s.duration_seconds)
      .Bind(3, s.rows_read)
      .Bind(4, s.rows_accepted)
      .Bind(5, s.figures_new)
      .Bind(6, s.figures_revised)
      .Bind(7, s.figures_unchanged)
      .Bind(8, s.enterprises_new);
  if (s.duplicate_of) u.Bind(9, s.duplicate_of);
  u.Bind(10, std::max<int64_t>(s.error_count, static_cast<int64_t>(s.errors.size())))
      .Bind(11, EncodeDiagnostics(s.errors))
      .Bind(12, s.figures_held)
      .Bind(13, s.batch_id)
      .Run();
}

int64_t InsertBatchRow(sqlite3* db, const BatchInfo& info, int64_t received_at) {
  Statement s(db,
              "INSERT INTO batches (source, collector, content_hash, status, received_at, "
              "evaluated) VALUES (?, ?, ?, 'open', ?, 0)");
  s.Bind(1, info.source).Bind(2, info.collector).Bind(3, info.content_hash).Bind(4, received_at);
  s.Run();
  return sqlite3_last_insert_rowid(db);
}

}  // namespace

void Store::RecordEmptyBatch(BatchSummary* summary) {
  Transaction txn(db_);
  if (!summary->received_at) summary->received_at = UnixNow();
  summary->batch_id = InsertBatchRow(db_, summary->info, summary->received_at);
  WriteBatchRow(db_, *summary);
  txn.Commit();
}

namespace {

EnterpriseRow ReadEnterprise(const Statement& s) {
  EnterpriseRow e;
  e.id = s.Int(0);
  e.credit_code = s.Text(1);
  e.name = s.Text(2);
  e.industry = s.Text(3);
  e.key = s.Int(4) != 0;
  if (!s.IsNull(5)) e.above_size_since = static_cast<int>(s.Int(5));
  if (!s.IsNull(6)) e.above_size_until = static_cast<int>(s.Int(6));
  if (!s.IsNull(7)) e.expected_reports = s.Text(7);
  return e;
}

constexpr const char* kEnterpriseColumns =
    "SELECT id, credit_code, name, industry, is_key, above_size_since, above_size_until, "
    "expected_reports FROM enterprises ";

}  // namespace

std::vector<EnterpriseRow> Store::Enterprises() {
  Statement s(db_, std::string(kEnterpriseColumns) + "ORDER BY credit_code");
  std::vector<EnterpriseRow> out;
  while (s.Step()) out.push_back(ReadEnterprise(s));
  return out;
}

namespace {

// Steps a cached one-row lookup and leaves it reset for the next caller, also on a throw.
template <typename Key>
std::optional<EnterpriseRow> LookUp(Statement& s, const Key& key) {
  struct ResetAfter {
    Statement& s;
    ~ResetAfter() { s.Reset(); }
  } reset{s};
  if (s.Bind(1, key).Step()) return ReadEnterprise(s);
  return std::nullopt;
}

}  // namespace

std::optional<EnterpriseRow> Store::FindEnterprise(const std::string& credit_code) {
  if (!find_enterprise_)
    find_enterprise_ =
        std::make_unique<Statement>(db_, std::string(kEnterpriseColumns) + "WHERE credit_code = ?");
  return LookUp(*find_enterprise_, credit_code);
}

std::optional<EnterpriseRow> Store::FindEnterpriseById(int64_t id) {
  if (!find_enterprise_by_id_)
    find_enterprise_by_id_ =
        std::make_unique<Statement>(db_, std::string(kEnterpriseColumns) + "WHERE id = ?");
  return LookUp(*find_enterprise_by_id_, id);
}

std::vector<EnterpriseRow> Store::EnterprisesAfter(int64_t id) {
  Statement s(db_, std::string(kEnterpriseColumns) + "WHERE id > ? ORDER BY id");
  s.Bind(1, id);
  std::vector<EnterpriseRow> out;
  while (s.Step()) out.push_back(ReadEnterprise(s));
  return out;
}

std::optional<Period> Store::LastReportedOf(int64_t enterprise_id, Cadence cadence) {
  // The primary key starts with enterprise_id, so this reads only the enterprise's own rows.
  Statement s(db_, "SELECT MAX(period) FROM figures WHERE enterprise_id = ? AND cadence = ?");
  s.Bind(1, enterprise_id).Bind(2, CadenceCode(cadence));
  if (s.Step() && !s.IsNull(0)) return Period::FromKey(cadence, s.Int(0));
  return std::nullopt;
}

std::vector<SeriesPoint> Store::Series(int64_t enterprise_id, const std::string& indicator,
                                       Cadence cadence) {
  Statement s(db_,
              "SELECT f.period, f.value, f.revision, f.batch_id, "
              "q.state IS NOT NULL AND q.state <> 'confirmed' FROM figures f "
              "JOIN indicators i ON i.id = f.indicator_id "
              "LEFT JOIN quarantine q ON q.enterprise_id = f.enterprise_id AND "
              "q.indicator_id = f.indicator_id AND q.cadence = f.cadence AND q.period = f.period "
              "WHERE f.enterprise_id = ? AND i.name = ? AND f.cadence = ? ORDER BY f.period");
  s.Bind(1, enterprise_id).Bind(2, indicator).Bind(3, CadenceCode(cadence));
  std::vector<SeriesPoint> out;
  while (s.Step()) {
    auto period = Period::FromKey(cadence, s.Int(0));
    if (!period) continue;
    out.push_back({*period, s.Double(1), static_cast<int>(s.Int(2)), s.Int(3), s.Int(4) != 0});
  }
  return out;
}

std::vector<RevisionRow> Store::Revisions(int64_t enterprise_id, const std::string& indicator,
                                          Period period) {
  Statement s(db_,
              "SELECT revision, value, batch_id, 0 FROM figure_history h "
              "JOIN indicators i ON i.id = h.indicator_id "
              "WHERE h.enterprise_id = ?1 AND i.name = ?2 AND h.cadence = ?3 AND h.period = ?4 "
              "UNION ALL "
              "SELECT revision, value, batch_id, 1 FROM figures f "
              "JOIN indicators i ON i.id = f.indicator_id "
              "WHERE f.enterprise_id = ?1 AND i.name = ?2 AND f.cadence = ?3 AND f.period = ?4 "
              "ORDER BY 1");
  s.Bind(1, enterprise_id).Bind(2, indicator).Bind(3, CadenceCode(period.cadence()));
  s.Bind(4, period.key());
  std::vector<RevisionRow> out;
  Statement batch(db_, "SELECT source, received_at FROM batches WHERE id = ?");
  while (s.Step()) {
    RevisionRow r;
    r.revision = static_cast<int>(s.Int(0));
    r.value = s.Double(1);
    r.batch_id = s.Int(2);
    r.current = s.Int(3) != 0;
    if (batch.Bind(1, r.batch_id).Step()) {
      r.source = batch.Text(0);
      r.recorded_at = batch.Int(1);
    }
    batch.Reset();
    out.push_back(r);
  }
  return out;
}

std::vector<BatchSummary> Store::RecentBatches(int limit, int64_t id) {
  Statement s(
      db_,
      "SELECT id, source, collector, content_hash, status, received_at, "
      "duration_seconds, rows_read, rows_accepted, figures_new, figures_revised, "
      "figures_unchanged, enterprises_new, COALESCE(duplicate_of, 0), error_count, "
      "errors, figures_held FROM batches WHERE ?1 = 0 OR id = ?1 ORDER BY id DESC LIMIT ?2");
  s.Bind(1, id).Bind(2, limit);
  std::vector<BatchSummary> out;
  while (s.Step()) {
    BatchSummary b;
    b.batch_id = s.Int(0);
    b.info = {s.Text(1), s.Text(2), s.Text(3)};
    b.status = s.Text(4);
    b.received_at = s.Int(5);
    b.duration_seconds = s.Double(6);
    b.rows_read = s.Int(7);
    b.rows_accepted = s.Int(8);
    b.figures_new = s.Int(9);
    b.figures_revised = s.Int(10);
    b.figures_unchanged = s.Int(11);
    b.enterprises_new = s.Int(12);
    b.duplicate_of = s.Int(13);
    b.error_count = s.Int(14);
    b.errors = DecodeDiagnostics(s.Text(15));
    b.figures_held = s.Int(16);
    out.push_back(std::move(b));
  }
  return out;
}

void Store::ForEachFigure(const std::string& indicator, Cadence cadence,
                          const std::function<void(int64_t, Period, double)>& fn) {
  Statement s(db_,
              "SELECT f.enterprise_id, f.period, f.value FROM figures f "
              "JOIN indicators i ON i.id = f.indicator_id WHERE i.name = ? AND f.cadence = ? "
              "AND NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.enterprise_id = f.enterprise_id "
              "AND q.indicator_id = f.indicator_id AND q.cadence = f.cadence AND "
              "q.period = f.period AND q.state <> 'confirmed')");
  s.Bind(1, indicator).Bind(2, CadenceCode(cadence));
  while (s.Step()) {
    if (auto p = Period::FromKey(cadence, s.Int(1))) fn(s.Int(0), *p, s.Double(2));
  }
}

std::unordered_map<int64_t, Period> Store::LastReported(Cadence cadence) {
  Statement s(db_,
              "SELECT enterprise_id, MAX(period) FROM figures WHERE cadence = ? "
              "GROUP BY enterprise_id");
  s.Bind(1, CadenceCode(cadence));
  std::unordered_map<int64_t, Period> out;
  while (s.Step())
    if (auto p = Period::FromKey(cadence, s.Int(1))) out[s.Int(0)] = *p;
  return out;
}

CurrentFigureScan::CurrentFigureScan(sqlite3* db, BatchChanges* changes)
    : scan_(db,
            "SELECT enterprise_id, indicator_id, cadence, period, value, batch_id FROM figures"),
      changes_(changes) {
  // The quarantine is a handful of rows: read first and looked up in memory, so the scan of
  // millions of figures stays a plain scan.
  Statement q(db,
              "SELECT enterprise_id, indicator_id, cadence, period FROM quarantine "
              "WHERE state <> 'confirmed'");
  while (q.Step()) held_.emplace(q.Int(0), q.Int(1), q.Text(2), q.Int(3));
}

bool CurrentFigureScan::Next(CurrentFigure* f) {
  while (scan_.Step()) {
    std::string_view code = scan_.TextView(2);
    f->enterprise_id = scan_.Int(0);
    f->indicator_id = scan_.Int(1);
    const int64_t key = scan_.Int(3);
    f->batch_id = scan_.Int(5);
    if (changes_)
      changes_->Add(f->batch_id, f->enterprise_id, f->indicator_id, code.empty() ? 'M' : code[0],
                    key);
    auto p = Period::FromKey(CadenceFromCode(code), key);
    if (!p) continue;
    f->period = *p;
    f->value = scan_.Double(4);
    f->held = !held_.empty() &&
              held_.count({f->enterprise_id, f->indicator_id, std::string(code), key}) > 0;
    return true;
  }
  return false;
}

std::unordered_map<int64_t, std::string> Store::IndicatorNames() {
  Statement s(db_, "SELECT id, name FROM indicators");
  std::unordered_map<int64_t, std::string> out;
  while (s.Step()) out[s.Int(0)] = s.Text(1);
  return out;
}

bool Store::HasFigures(const std::string& indicator, Cadence cadence) {
  Statement s(db_,
              "SELECT 1 FROM figures f JOIN indicators i ON i.id = f.indicator_id "
              "WHERE i.name = ? AND f.cadence = ? LIMIT 1");
  s.Bind(1, indicator).Bind(2, CadenceCode(cadence));
  return s.Step();
}

std::vector<Period> Store::ReportedPeriodsOf(int64_t enterprise_id, Cadence cadence) {
  // The primary key starts with enterprise_id, so this reads only the enterprise's own rows.
  Statement s(db_,
              "SELECT DISTINCT period FROM figures WHERE enterprise_id = ? AND cadence = ? "
              "ORDER BY period");
  s.Bind(1, enterprise_id).Bind(2, CadenceCode(cadence));
  std::vector<Period> out;
  while (s.Step())
    if (auto p = Period::FromKey(cadence, s.Int(0))) out.push_back(*p);
  return out;
}

std::vector<int64_t> Store::UnevaluatedBatches() {
  Statement s(db_,
              "SELECT id FROM batches WHERE evaluated = 0 AND status IN ('committed', 'partial') "
              "ORDER BY id");
  std::vector<int64_t> out;
  while (s.Step()) out.push_back(s.Int(0));
  return out;
}

BatchChanges::BatchChanges(const std::vector<int64_t>& batch_ids) {
  for (int64_t id : batch_ids) folds_[id];
}

void BatchChanges::Add(int64_t batch_id, int64_t enterprise_id, int64_t indicator_id, char cadence,
                       int64_t period_key) {
  auto it = folds_.find(batch_id);
  if (it != folds_.end()) it->second.Add(enterprise_id, {indicator_id, cadence, period_key});
}

void BatchChanges::Fold::Add(int64_t enterprise_id, const Key& key) {
  if (enterprise_id != enterprise) {
    enterprises.insert(enterprise_id);
    enterprise = enterprise_id;
    previous.swap(current);
    current.clear();
  }
  const size_t at = current.size();
  current.push_back(key);
  if (at < previous.size() && previous[at] == key) return;
  keys.insert(key);
}

BatchSummary Store::ChangesOfBatch(int64_t batch_id, const BatchChanges* scanned) {
  // The figures the batch set, whether still current or since revised by a later batch. A bulk
  // load sets millions of figures for a few thousand enterprises and a hundred periods, so the
  // rows are folded as they stream (they come in key order: enterprise first) rather than
  // de-duplicated by SQLite, which built a temporary b-tree of every row.
  BatchChanges changes({batch_id});
  if (scanned && scanned->Has(batch_id))
    changes.folds_ = {{batch_id, scanned->folds_.at(batch_id)}};
  // A confirm or reject of a quarantined figure is a batch of its own that changes no value but
  // what the aggregates count (store/quarantine.h): its figures are found by decided_batch.
  std::vector<const char*> tables = {"figure_history WHERE batch_id = ?",
                                     "quarantine WHERE decided_batch = ?"};
  if (!scanned || !scanned->Has(batch_id))
    tables.insert(tables.begin(), "figures WHERE batch_id = ?");
  for (const char* where : tables) {
    Statement s(db_,
                std::string("SELECT enterprise_id, indicator_id, cadence, period FROM ") + where);
    s.Bind(1, batch_id);
    while (s.Step()) {
      std::string_view cadence = s.TextView(2);
      changes.Add(batch_id, s.Int(0), s.Int(1), cadence.empty() ? 'M' : cadence[0], s.Int(3));
    }
  }
  BatchSummary summary;
  summary.batch_id = batch_id;
  summary.status = "committed";
  const BatchChanges::Fold& fold = changes.folds_.at(batch_id);
  summary.touched_enterprises = fold.enterprises;
  std::unordered_map<int64_t, std::string> names = IndicatorNames();
  for (const auto& [indicator, cadence, key] : fold.keys) {
    auto period = Period::FromKey(static_cast<Cadence>(cadence), key);
    if (period) summary.touched_periods.emplace(names[indicator], *period);
  }
  return summary;
}

void Store::MarkEvaluated(int64_t batch_id) {
  Statement s(db_, "UPDATE batches SET evaluated = 1 WHERE id = ?");
  s.Bind(1, batch_id).Run();
}

int64_t Store::SizeBytes() {
  std::error_code ec;
  int64_t total = 0;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    auto size = std::filesystem::file_size(path_ + suffix, ec);
    if (!ec) total += static_cast<int64_t>(size);
  }
  return total;
}

// ---------------------------------------------------------------------------------------------

IngestTransaction::IngestTransaction(Store* store, const BatchInfo& info)
    : store_(store),
      txn_(store->db_),
      find_enterprise_(store->db_, "SELECT id FROM enterprises WHERE credit_code = ?"),
      insert_enterprise_(store->db_,
                         "INSERT INTO enterprises (credit_code, created_batch, updated_at) "
                         "VALUES (?, ?, ?)"),
      update_enterprise_(store->db_,
                         "UPDATE enterprises SET name = COALESCE(?2, name), "
                         "industry = COALESCE(?3, industry), is_key = COALESCE(?4, is_key), "
                         "above_size_since = COALESCE(?5, above_size_since), "
                         "above_size_until = COALESCE(?6, above_size_until), updated_at = ?7, "
                         "expected_reports = COALESCE(?8, expected_reports) "
                         "WHERE id = ?1"),
      find_figure_(store->db_,
                   "SELECT value, revision, batch_id, checked_batch FROM figures "
                   "WHERE enterprise_id = ? AND indicator_id = ? AND cadence = ? AND period = ?"),
      insert_figure_(store->db_,
                     "INSERT INTO figures VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?6) "
                     "ON CONFLICT DO NOTHING"),
      update_figure_(store->db_,
                     "UPDATE figures SET value = ?5, revision = revision + 1, batch_id = ?6, "
                     "checked_batch = ?6 WHERE enterprise_id = ?1 AND indicator_id = ?2 AND "
                     "cadence = ?3 AND period = ?4"),
      mark_seen_(store->db_,
                 "UPDATE figures SET checked_batch = ?5 WHERE enterprise_id = ?1 AND "
                 "indicator_id = ?2 AND cadence = ?3 AND period = ?4"),
      keep_history_(store->db_,
                    "INSERT INTO figure_history SELECT enterprise_id, indicator_id, cadence, "
                    "period, revision, value, batch_id FROM figures WHERE enterprise_id = ?1 "
                    "AND indicator_id = ?2 AND cadence = ?3 AND period = ?4"),
      release_(store->db_,
               "DELETE FROM quarantine WHERE enterprise_id = ?1 AND indicator_id = ?2 AND "
               "cadence = ?3 AND period = ?4") {
  started_ns_ = SteadyNanos();
  counts_.info = info;
  counts_.received_at = UnixNow();
  batch_id_ = InsertBatchRow(store->db_, info, counts_.received_at);
}

IngestTransaction::~IngestTransaction() = default;

int64_t IngestTransaction::EnterpriseId(const std::string& credit_code, bool* created) {
  *created = false;
  auto it = enterprise_ids_.find(credit_code);
  if (it != enterprise_ids_.end()) return it->second;
  int64_t id;
  if (find_enterprise_.Bind(1, credit_code).Step()) {
    id = find_enterprise_.Int(0);
  } else {
    insert_enterprise_.Bind(1, credit_code).Bind(2, batch_id_).Bind(3, counts_.received_at).Run();
    id = sqlite3_last_insert_rowid(store_->db_);
    *created = true;
    // An industry's price index is kept under a pseudo credit code: no enterprise joined.
    if (!credit_code.starts_with(kIndustrySeriesPrefix)) ++counts_.enterprises_new;
  }
  find_enterprise_.Reset();
  enterprise_ids_.emplace(credit_code, id);
  return id;
}

int64_t IngestTransaction::IndicatorId(const std::string& name) {
  auto it = indicator_ids_.find(name);
  if (it != indicator_ids_.end()) return it->second;
  Statement find(store_->db_, "SELECT id FROM indicators WHERE name = ?");
  int64_t id;
  if (find.Bind(1, name).Step()) {
    id = find.Int(0);
  } else {
    Statement insert(store_->db_, "INSERT INTO indicators (name) VALUES (?)");
    insert.Bind(1, name).Run();
    id = sqlite3_last_insert_rowid(store_->db_);
  }
  indicator_ids_.emplace(name, id);
  return id;
}

Wording IngestTransaction::PutEnterprise(const EnterpriseRecord& r) {
  bool created;
  int64_t id = EnterpriseId(r.credit_code, &created);
  std::optional<int64_t> key;
  if (r.key) key = *r.key ? 1 : 0;
  update_enterprise_.Bind(1, id).Bind(2, r.name).Bind(3, r.industry).Bind(4, key);
  update_enterprise_.Bind(5, r.above_size_since).Bind(6, r.above_size_until);
  update_enterprise_.Bind(7, counts_.received_at).Bind(8, r.expected_reports).Run();
  if (!created) counts_.touched_enterprises.insert(id);
  return {};
}

Wording IngestTransaction::PutFigure(const FigureRecord& r) {
  bool created;  // unused here: a new enterprise simply has no rows to conflict with
  int64_t enterprise = EnterpriseId(r.credit_code, &created);
  int64_t indicator = IndicatorId(r.indicator);
  std::string cadence = CadenceCode(r.period.cadence());
  auto bind_key = [&](Statement& s) -> Statement& {
    return s.Bind(1, enterprise).Bind(2, indicator).Bind(3, cadence).Bind(4, r.period.key());
  };
  // Most figures of a batch are new (a bulk load, a new period): try the insert first, and read
  // the existing row only when there is one. Saves a lookup per new figure.
  bind_key(insert_figure_).Bind(5, r.value).Bind(6, batch_id_).Run();
  if (sqlite3_changes(store_->db_) == 1) {
    ++counts_.figures_new;
  } else {
    bind_key(find_figure_).Step();
    double old_value = find_figure_.Double(0);
    int64_t checked_batch = find_figure_.Int(3);
    find_figure_.Reset();
    if (checked_batch == batch_id_)
      return {"duplicate: " + r.indicator + " for " + r.period.ToString() +
                  " was already given earlier in this batch",
              "重复：" + PeriodName(r.period) + "的 " + r.indicator + " 在本批次中已经给出过"};
    if (old_value == r.value) {
      bind_key(mark_seen_).Bind(5, batch_id_).Run();
      ++counts_.figures_unchanged;
      return {};
    }
    bind_key(keep_history_).Run();
    bind_key(update_figure_).Bind(5, r.value).Bind(6, batch_id_).Run();
    // A revision is a new figure: whatever held or confirmed the old value no longer applies,
    // and the batch's check looks at the new one.
    bind_key(release_).Run();
    ++counts_.figures_revised;
  }
  counts_.touched_enterprises.insert(enterprise);
  counts_.touched_periods.emplace(r.indicator, r.period);
  return {};
}

void IngestTransaction::ApplyQuarantine(const QuarantineChanges& changes) {
  WriteQuarantineChanges(*store_, changes);
  TouchQuarantineChanges(*store_, changes, &counts_.touched_enterprises, &counts_.touched_periods);
  counts_.figures_held += changes.newly_held;
}

void IngestTransaction::Commit(BatchSummary* summary) {
  summary->batch_id = batch_id_;
  summary->info = counts_.info;
  summary->received_at = counts_.received_at;
  summary->figures_new = counts_.figures_new;
  summary->figures_revised = counts_.figures_revised;
  summary->figures_unchanged = counts_.figures_unchanged;
  summary->enterprises_new = counts_.enterprises_new;
  summary->figures_held = counts_.figures_held;
  summary->touched_enterprises = std::move(counts_.touched_enterprises);
  summary->touched_periods = std::move(counts_.touched_periods);
  summary->duration_seconds = (SteadyNanos() - started_ns_) / 1e9;
  WriteBatchRow(store_->db_, *summary);
  txn_.Commit();
}

}  // namespace parkwatch
