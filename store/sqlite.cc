#include "store/sqlite.h"

namespace parkwatch {
namespace {

[[noreturn]] void Fail(sqlite3* db, std::string_view what) {
  throw StoreError(std::string(what) + ": " + sqlite3_errmsg(db));
}

}  // namespace

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &stmt_, nullptr) != SQLITE_OK)
    Fail(db, "prepare \"" + std::string(sql.substr(0, 60)) + "\"");
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::Bind(int index, int64_t v) {
  if (sqlite3_bind_int64(stmt_, index, v) != SQLITE_OK) Fail(db_, "bind");
  return *this;
}

Statement& Statement::Bind(int index, double v) {
  if (sqlite3_bind_double(stmt_, index, v) != SQLITE_OK) Fail(db_, "bind");
  return *this;
}

Statement& Statement::Bind(int index, std::string_view v) {
  if (sqlite3_bind_text(stmt_, index, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT) !=
      SQLITE_OK)
    Fail(db_, "bind");
  return *this;
}

Statement& Statement::BindNull(int index) {
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) Fail(db_, "bind");
  return *this;
}

bool Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  std::string sql = sqlite3_sql(stmt_);
  sqlite3_reset(stmt_);
  Fail(db_, "step \"" + sql.substr(0, 60) + "\"");
}

void Statement::Run() {
  while (Step()) {
  }
  Reset();
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Statement::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
int64_t Statement::Int(int col) const { return sqlite3_column_int64(stmt_, col); }
double Statement::Double(int col) const { return sqlite3_column_double(stmt_, col); }
std::string Statement::Text(int col) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  return p ? std::string(p, sqlite3_column_bytes(stmt_, col)) : std::string();
}

void Exec(sqlite3* db, std::string_view sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, std::string(sql).c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : sqlite3_errmsg(db);
    sqlite3_free(message);
    throw StoreError("exec \"" + std::string(sql.substr(0, 60)) + "\": " + text);
  }
}

// SQLite refuses to change the safety level inside a transaction: a derived one lowers it to
// NORMAL before BEGIN and puts the connection's own level back after COMMIT or ROLLBACK (a
// connection already at NORMAL or OFF, as some tests run, is left alone).
Transaction::Transaction(sqlite3* db, Durability durability) : db_(db) {
  if (durability == Durability::kDerived) {
    Statement level(db, "PRAGMA synchronous");
    if (level.Step() && level.Int(0) > 1) {
      restore_level_ = static_cast<int>(level.Int(0));
      level.Reset();
      Exec(db, "PRAGMA synchronous=NORMAL");
    }
  }
  try {
    Exec(db, "BEGIN IMMEDIATE");
  } catch (...) {
    RestoreDurability();
    throw;
  }
}

Transaction::~Transaction() {
  if (!open_) return;
  sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  RestoreDurability();
}

void Transaction::Commit() {
  Exec(db_, "COMMIT");
  open_ = false;
  RestoreDurability();
}

void Transaction::RestoreDurability() {
  if (restore_level_ < 0) return;
  const std::string sql = "PRAGMA synchronous=" + std::to_string(restore_level_);
  sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  restore_level_ = -1;
}

}  // namespace parkwatch
