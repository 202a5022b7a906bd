// insert_loop: the practical ceiling for bulk ingest, a plain prepared-INSERT loop in C++.
// Reads the wide CSV `parkwatch bench-data` writes (credit code, period, two indicators) and
// inserts one row per figure into a table of the store's figures shape (enterprise, indicator,
// period, value; primary key on the first three, WITHOUT ROWID) in one transaction, with the
// store's durability settings (WAL, synchronous=FULL). No validation, no unit conversion, no
// revisions: what is left is SQLite's own cost.
//
//   insert_loop CSV DB
#include <sqlite3.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>

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
  if (!Exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                "CREATE TABLE figures (credit_code TEXT, indicator TEXT, period TEXT, value REAL,"
                " PRIMARY KEY (credit_code, indicator, period)) WITHOUT ROWID;"
                "BEGIN"))
    return 1;
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO figures VALUES (?, ?, ?, ?)", -1, &insert, nullptr);
  static constexpr std::string_view kIndicators[] = {"output_value", "electricity"};
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
    for (int k = 0; k < 2; ++k) {
      sqlite3_bind_text(insert, 1, fields[0].data(), static_cast<int>(fields[0].size()),
                        SQLITE_STATIC);
      sqlite3_bind_text(insert, 2, kIndicators[k].data(), static_cast<int>(kIndicators[k].size()),
                        SQLITE_STATIC);
      sqlite3_bind_text(insert, 3, fields[1].data(), static_cast<int>(fields[1].size()),
                        SQLITE_STATIC);
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
  if (!Exec(db, "COMMIT")) return 1;
  sqlite3_close(db);
  std::printf("%ld rows\n", rows);
  return 0;
}
