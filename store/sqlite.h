// Thin RAII over the SQLite C API: a prepared statement that binds, steps and resets, and
// helpers for one-off statements. Only what the store needs, nothing clever.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace parkwatch {

// Thrown for SQLite failures the caller cannot handle locally (I/O error, disk full, corrupt
// database). The message carries SQLite's own text.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(int index, int64_t v);
  Statement& Bind(int index, int v) { return Bind(index, int64_t{v}); }
  Statement& Bind(int index, double v);
  Statement& Bind(int index, std::string_view v);  // copied (SQLITE_TRANSIENT)
  Statement& BindNull(int index);
  template <typename T>
  Statement& Bind(int index, const std::optional<T>& v) {
    return v ? Bind(index, *v) : BindNull(index);
  }

  // Steps once: true when a row is available, false when done. Throws StoreError on failure.
  bool Step();
  // Steps to completion, for statements that return no rows.
  void Run();
  void Reset();  // resets and clears bindings, ready to bind again

  bool IsNull(int col) const;
  int64_t Int(int col) const;
  double Double(int col) const;
  std::string Text(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// Runs one or more statements that return no rows.
void Exec(sqlite3* db, std::string_view sql);

// When a commit returns, relative to the disk (the store runs WAL with synchronous=FULL).
//   kDurable: once the WAL is fsynced: it survives a kill and a power cut. For what parkwatch
//     accepted or was told: a batch, a user's action, a receiver's confirmation.
//   kDerived: once SQLite has handed the WAL frames to the kernel (synchronous=NORMAL for this
//     commit): it survives a kill -9 like a durable one, but a power cut may take it back. The
//     WAL is one file written in commit order, so the next durable commit of any connection
//     syncs every frame before it: a power cut takes back only the derived commits after the
//     last durable one, whole, never a durable one after them. Only for records that are
//     re-derived at start from durable ones when missing: a batch's evaluation (the batch is
//     marked evaluated in it, and CatchUp evaluates unmarked batches), the dispatcher's routing
//     of a notification (marked routed in it, and unrouted ones are routed again). It spares
//     the notification path an fsync per stage: one, the batch's, stands before the send.
enum class Durability { kDurable, kDerived };

// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless Commit() was called.
class Transaction {
 public:
  explicit Transaction(sqlite3* db, Durability durability = Durability::kDurable);
  ~Transaction();
  void Commit();

 private:
  void RestoreDurability();

  sqlite3* db_;
  int restore_level_ = -1;  // the connection's synchronous level to put back, if changed
  bool open_ = true;
};

}  // namespace parkwatch
