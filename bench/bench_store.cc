// bench_store: writes the benchmark park (bench_park.h) into a parkwatch store, so that the rule
// figures are measured on a real 20k-enterprise, 5-year store and the sqlite3 shell has the same
// figures table to run its baseline query on.
//
//   bench_store --out=FILE [--enterprises=20000]
//
// The schema comes from Store::Open (the daemon's migrations). The rows go in with plain prepared
// INSERTs in one transaction, enterprise-major (the figures' primary-key order), as one committed
// batch: this is a fixture writer, not the ingest path (that is measured by bench/ingest.sh).
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>

#include "bench/bench_park.h"
#include "store/store.h"

namespace parkwatch::bench {
namespace {

class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK)
      throw std::runtime_error(sqlite3_errmsg(db));
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement& Bind(int i, int64_t v) { return Check(sqlite3_bind_int64(stmt_, i, v)); }
  Statement& Bind(int i, double v) { return Check(sqlite3_bind_double(stmt_, i, v)); }
  Statement& Bind(int i, const std::string& v) {
    return Check(
        sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
  }
  void Run() {
    if (sqlite3_step(stmt_) != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db_));
    sqlite3_reset(stmt_);
  }

 private:
  Statement& Check(int rc) {
    if (rc != SQLITE_OK) throw std::runtime_error(sqlite3_errmsg(db_));
    return *this;
  }
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

void Exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "?";
    sqlite3_free(error);
    throw std::runtime_error(message);
  }
}

int64_t WriteStore(const std::string& path, int enterprises) {
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  auto store = Store::Open(path);
  sqlite3* db = store->db();
  int64_t now = UnixNow();
  Exec(db, "BEGIN");
  Statement batch(db,
                  "INSERT INTO batches (id, source, collector, content_hash, status, received_at)"
                  " VALUES (1, 'bench_store', 'bench', 'bench', 'committed', ?)");
  batch.Bind(1, now).Run();
  std::map<std::string, int64_t> indicators;
  Statement indicator(db, "INSERT INTO indicators (id, name) VALUES (?, ?)");
  for (const char* name : {"output_value", "electricity", "value_added", "ppi"}) {
    int64_t id = static_cast<int64_t>(indicators.size()) + 1;
    indicator.Bind(1, id).Bind(2, std::string(name)).Run();
    indicators[name] = id;
  }
  Statement enterprise(db,
                       "INSERT INTO enterprises (id, credit_code, name, industry, is_key,"
                       " created_batch, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?)");
  Statement figure(db,
                   "INSERT INTO figures (enterprise_id, indicator_id, cadence, period, value,"
                   " revision, batch_id, checked_batch) VALUES (?, ?, ?, ?, ?, 1, 1, 1)");
  int64_t figures = 0;
  auto put = [&](int64_t id, const char* name, Period p, double value) {
    figure.Bind(1, id).Bind(2, indicators[name]).Bind(3, std::string(p.weekly() ? "W" : "M"));
    figure.Bind(4, p.key()).Bind(5, value).Run();
    ++figures;
  };
  for (int e = 0; e < enterprises; ++e) {
    int64_t id = e + 1;
    enterprise.Bind(1, id)
        .Bind(2, CreditCode(e))
        .Bind(3, Name(e))
        .Bind(4, std::string(Industry(e)));
    enterprise.Bind(5, int64_t{IsKey(e)}).Bind(6, now).Run();
    EnterpriseFigures(e, [&](const char* name, Period p, double v) { put(id, name, p, v); });
  }
  // The price indices live under pseudo-enterprises "industry:NAME" (see rules/rule_data.h).
  std::map<std::string, int64_t> pseudo;
  for (const char* industry : kIndustries) {
    int64_t id = enterprises + 1 + static_cast<int64_t>(pseudo.size());
    pseudo[industry] = id;
    enterprise.Bind(1, id).Bind(2, std::string("industry:") + industry).Bind(3, std::string());
    enterprise.Bind(4, std::string(industry)).Bind(5, int64_t{0}).Bind(6, now).Run();
  }
  PriceIndices(
      [&](const char* industry, Period p, double v) { put(pseudo[industry], "ppi", p, v); });
  Exec(db, "COMMIT");
  Exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
  Exec(db, "ANALYZE");
  return figures;
}

}  // namespace
}  // namespace parkwatch::bench

int main(int argc, char** argv) {
  std::string out;
  int enterprises = 20000;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--out=", 0) == 0) {
      out = arg.substr(6);
    } else if (arg.rfind("--enterprises=", 0) == 0) {
      enterprises = std::stoi(arg.substr(14));
    } else {
      std::fprintf(stderr, "usage: bench_store --out=FILE [--enterprises=20000]\n");
      return 2;
    }
  }
  if (out.empty() || enterprises < 1) {
    std::fprintf(stderr, "usage: bench_store --out=FILE [--enterprises=20000]\n");
    return 2;
  }
  try {
    auto started = std::chrono::steady_clock::now();
    int64_t figures = parkwatch::bench::WriteStore(out, enterprises);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::printf("%s: %d enterprises, %lld figures in %.1f s\n", out.c_str(), enterprises,
                static_cast<long long>(figures), seconds);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_store: %s\n", e.what());
    return 1;
  }
  return 0;
}
