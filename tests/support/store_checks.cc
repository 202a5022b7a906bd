#include "tests/support/store_checks.h"

#include <sqlite3.h>

#include <memory>

#include "store/sqlite.h"

namespace parkwatch::testing {
namespace {

// A plain connection, no migrations: the file is inspected as the crash left it. Opening it runs
// SQLite's own WAL recovery, exactly as the daemon's next start would.
std::shared_ptr<sqlite3> OpenDb(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    throw StoreError("open " + path + ": " + message);
  }
  sqlite3_busy_timeout(db, 5000);
  return std::shared_ptr<sqlite3>(db, sqlite3_close);
}

const char* const kCommitted = "(SELECT id FROM batches WHERE status IN ('committed','partial'))";

}  // namespace

int64_t QueryInt(const std::string& db_path, const std::string& sql) {
  auto db = OpenDb(db_path);
  Statement s(db.get(), sql);
  return s.Step() && !s.IsNull(0) ? s.Int(0) : 0;
}

std::vector<std::string> QueryRows(const std::string& db_path, const std::string& sql) {
  auto db = OpenDb(db_path);
  // Raw API rather than Statement: the column count is needed, and Statement hides the handle.
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db.get(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK)
    throw StoreError(sql + ": " + sqlite3_errmsg(db.get()));
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
  std::vector<std::string> rows;
  int rc;
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
    std::string row;
    for (int c = 0; c < sqlite3_column_count(raw); ++c) {
      const unsigned char* text = sqlite3_column_text(raw, c);
      row += (c ? "|" : "") + std::string(text ? reinterpret_cast<const char*>(text) : "NULL");
    }
    rows.push_back(row);
  }
  if (rc != SQLITE_DONE) throw StoreError(sql + ": " + sqlite3_errmsg(db.get()));
  return rows;
}

std::vector<std::string> CheckStoreConsistency(const std::string& db_path) {
  std::vector<std::string> problems;
  auto expect = [&](const std::string& what, int64_t got, int64_t want) {
    if (got != want)
      problems.push_back(what + ": " + std::to_string(got) + ", expected " + std::to_string(want));
  };
  auto integrity = QueryRows(db_path, "PRAGMA integrity_check");
  if (integrity != std::vector<std::string>{"ok"})
    problems.push_back("integrity_check: " + (integrity.empty() ? "" : integrity[0]));
  std::string committed = kCommitted;
  expect("figures", QueryInt(db_path, "SELECT count(*) FROM figures"),
         QueryInt(db_path, "SELECT sum(figures_new) FROM batches WHERE id IN " + committed));
  expect("figure_history", QueryInt(db_path, "SELECT count(*) FROM figure_history"),
         QueryInt(db_path, "SELECT sum(figures_revised) FROM batches WHERE id IN " + committed));
  expect("figures of uncommitted batches",
         QueryInt(db_path, "SELECT count(*) FROM figures WHERE batch_id NOT IN " + committed +
                               " OR checked_batch NOT IN " + committed),
         0);
  expect(
      "history of uncommitted batches",
      QueryInt(db_path, "SELECT count(*) FROM figure_history WHERE batch_id NOT IN " + committed),
      0);
  expect("outbox rows without their event",
         QueryInt(db_path,
                  "SELECT count(*) FROM notifications WHERE event_id NOT IN "
                  "(SELECT id FROM alert_events)"),
         0);
  expect("duplicate idempotency keys",
         QueryInt(db_path, "SELECT count(*) - count(DISTINCT idempotency_key) FROM notifications"),
         0);
  return problems;
}

}  // namespace parkwatch::testing
