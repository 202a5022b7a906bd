// insert_loop: the practical ceiling for bulk ingest, a plain prepared-INSERT loop in C++.
// Reads the wide CSV `parkwatch bench-data` writes (credit code, period, two indicators) and
// inserts one row per figure into a table of exactly the store's figures shape (integer
// enterprise and indicator ids, cadence, integer period key, value, revision, batches; the same
// WITHOUT ROWID primary key), plus one enterprises row per new credit code (ids from an in-memory
// map), in one transaction, with the store's durability settings (WAL, synchronous=FULL). No
// validation, no unit conversion, no revision check: what is left is SQLite's own cost.
//
//   insert_loop CSV DB
#include <sqlite3.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>
#include <unordered_map>

namespace {

bool Exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) == SQLITE_OK) return true;
  std::fprintf(stderr, "insert_loop: %s\n", error ? error : "?");
  sqlite3_free(error);
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: insert_loop CSV DB\n");
    return 2;
  }
  std::ifstream in(argv[1]);
  sqlite3* db = nullptr;
  if (!in || sqlite3_open(argv[2], &db) != SQLITE_OK) {
    std::fprintf(stderr, "insert_loop: cannot open %s or %s\n", argv[1], argv[2]);
    return 1;
  }
  if (!Exec(db,
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
            "CREATE TABLE enterprises (id INTEGER PRIMARY KEY, credit_code TEXT NOT NULL UNIQUE);"
            "CREATE TABLE figures (enterprise_id INTEGER NOT NULL, indicator_id INTEGER NOT NULL,"
            " cadence TEXT NOT NULL, period INTEGER NOT NULL, value REAL NOT NULL,"
            " revision INTEGER NOT NULL, batch_id INTEGER NOT NULL, checked_batch INTEGER NOT NULL,"
            " PRIMARY KEY (enterprise_id, indicator_id, cadence, period)) WITHOUT ROWID;"
            "BEGIN"))
    return 1;
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO figures VALUES (?, ?, 'M', ?, ?, 1, 1, 1)", -1, &insert,
                     nullptr);
  sqlite3_stmt* enterprise = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO enterprises VALUES (?, ?)", -1, &enterprise, nullptr);
  std::unordered_map<std::string, int64_t> ids;
  std::string line;
  std::getline(in, line);  // header
  long rows = 0;
  while (std::getline(in, line)) {
    std::string_view fields[4];
    size_t start = 0;
    for (int i = 0; i < 4; ++i) {
      size_t comma = i < 3 ? line.find(',', start) : line.size();
      if (comma == std::string::npos) comma = line.size();
      fields[i] = std::string_view(line).substr(start, comma - start);
      start = comma + 1;
    }
    auto [it, fresh] = ids.try_emplace(std::string(fields[0]), ids.size() + 1);
    if (fresh) {
      sqlite3_bind_int64(enterprise, 1, it->second);
      sqlite3_bind_text(enterprise, 2, it->first.data(), static_cast<int>(it->first.size()),
                        SQLITE_STATIC);
      if (sqlite3_step(enterprise) != SQLITE_DONE) {
        std::fprintf(stderr, "insert_loop: %s\n", sqlite3_errmsg(db));
        return 1;
      }
      sqlite3_reset(enterprise);
    }
    // "2021-03" -> 20210303, the store's monthly period key.
    int year = std::stoi(std::string(fields[1].substr(0, 4)));
    int month = std::stoi(std::string(fields[1].substr(5, 2)));
    int64_t period = year * 10000 + month * 100 + month;
    for (int k = 0; k < 2; ++k) {
      sqlite3_bind_int64(insert, 1, it->second);
      sqlite3_bind_int64(insert, 2, k + 1);
      sqlite3_bind_int64(insert, 3, period);
      sqlite3_bind_double(insert, 4, std::stod(std::string(fields[2 + k])));
      if (sqlite3_step(insert) != SQLITE_DONE) {
        std::fprintf(stderr, "insert_loop: %s\n", sqlite3_errmsg(db));
        return 1;
      }
      sqlite3_reset(insert);
    }
    ++rows;
  }
  sqlite3_finalize(insert);
  sqlite3_finalize(enterprise);
  if (!Exec(db, "COMMIT")) return 1;
  sqlite3_close(db);
  std::printf("%ld rows\n", rows);
  return 0;
}
