// Scheduled pulls (collectors/puller.h) against real peers: an HTTP server on loopback
// (tests/support/http_sink.h) and a PostgreSQL cluster this test starts in a temp dir with
// Debian's initdb and pg_ctl. Each pull goes through the real ingest path into a real store.
#include "collectors/puller.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>
#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>

#include "collectors/ingest.h"
#include "collectors/sql_fetch.h"
#include "store/pull_state.h"
#include "tests/support/child_process.h"
#include "tests/support/daemon_process.h"
#include "tests/support/http_client.h"
#include "tests/support/http_sink.h"
#include "tests/support/ports.h"
#include "tests/support/temp_dir.h"

namespace parkwatch {
namespace {

using testing::DaemonProcess;
using testing::Http;
using testing::HttpSink;
using testing::ReadFile;
using testing::Shell;
using testing::SinkRequest;
using testing::SinkResponse;
using testing::TempDir;
using testing::TestCreditCode;
using testing::WaitFor;
using testing::WriteFile;

// A Puller over a real store, its config parsed from YAML as the daemon's is; each pulled body
// is ingested through IngestBody on the pull thread (the daemon hands it to its worker).
class PullRig {
 public:
  void Load(const std::string& collectors_yaml) {
    std::vector<Diagnostic> d;
    std::string yaml = "storage: {path: pw.db}\ncollectors:\n" + collectors_yaml;
    ASSERT_TRUE(ParseConfig(yaml, dir / "parkwatch.yml", &config, &d)) << JoinDiagnostics(d);
    if (!store) store = Store::Open(config.storage_path);
  }

  void Start() {
    PullerOptions options;
    options.db_path = config.storage_path;
    options.registry = &registry;
    options.deliver = [this](const PulledBody& b) {
      return b.error.empty()
                 ? IngestBody(b.body, b.content_type, b.source, *b.collector, config, *store)
                 : RecordFailedInput(b.source, b.error, *b.collector, *store);
    };
    options.on_result = [this](const PullReport& r) {
      std::lock_guard lock(mutex);
      reports.push_back(r);
      changed.notify_all();
    };
    puller = std::make_unique<Puller>(options);
    puller->Start(std::make_shared<const Config>(config), 8 * 60);
  }

  void Stop() { puller.reset(); }

  // The n-th report (1-based), waiting up to 20 s for it.
  PullReport Report(size_t n) {
    std::unique_lock lock(mutex);
    bool got =
        changed.wait_for(lock, std::chrono::seconds(20), [&] { return reports.size() >= n; });
    EXPECT_TRUE(got) << "pull " << n << " never reported";
    return got ? reports[n - 1] : PullReport{};
  }
  size_t count() {
    std::lock_guard lock(mutex);
    return reports.size();
  }

  std::string Exposition() { return prometheus::TextSerializer().Serialize(registry.Collect()); }

  TempDir dir;
  Config config;
  std::unique_ptr<Store> store;  // the pull thread's while the puller runs
  prometheus::Registry registry;
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<PullReport> reports;
  std::unique_ptr<Puller> puller;
};

std::string MonthlyCsv(double first, double second) {
  return "统一社会信用代码,企业名称,报告期,工业总产值(万元)\n" + TestCreditCode(1) +
         ",甲公司,2025-06," + std::to_string(first) + "\n" + TestCreditCode(2) +
         ",乙公司,2025-06," + std::to_string(second) + "\n";
}

// An HTTP source as an office's platform serves it: a CSV with an ETag, 304 when it has not
// changed, 401 without the token.
struct CsvSource {
  std::mutex m;
  std::string body = MonthlyCsv(100, 200);
  std::string etag = "\"v1\"";
  int failures_left = 0;  // answer 500 this many times first

  SinkResponse Answer(const SinkRequest& r) {
    std::lock_guard lock(m);
    SinkResponse out;
    out.headers = {"Content-Type: text/csv; charset=utf-8", "ETag: " + etag};
    if (failures_left > 0) {
      --failures_left;
      return {500, "", 0, {}};
    }
    auto auth = r.headers.find("authorization");
    if (auth == r.headers.end() || auth->second != "Bearer s3cret") return {401, "", 0, {}};
    auto match = r.headers.find("if-none-match");
    if (match != r.headers.end() && match->second == etag) {
      out.status = 304;
      out.body = "";
      return out;
    }
    out.body = body;
    return out;
  }
};

std::string HttpCollector(const HttpSink& sink, const std::string& extra = "") {
  return "  - name: city\n    type: http_pull\n    url: " + sink.url("/export.csv") +
         "\n    schedule: every 1s\n    token_file: token\n    retry_backoff: 100ms\n" + extra;
}

TEST(PullSchedule, TimesOfDayAreInTheParksZone) {
  PullSchedule s;
  std::string error;
  auto ms = [](const std::string& t) { return ParseDurationMs(t).value_or(-1); };
  ASSERT_TRUE(ParsePullSchedule("daily 06:30", ms, &s, &error)) << error;
  // 2026-11-30 00:00 UTC is 08:00 in Shanghai: the next 06:30 there is 2026-11-30 22:30 UTC.
  const int64_t midnight_utc = 1795996800'000;
  EXPECT_EQ(NextPullAt(s, midnight_utc, 480), midnight_utc + (22 * 60 + 30) * 60'000LL);
  EXPECT_EQ(PreviousPullAt(s, midnight_utc, 480), midnight_utc - (90 * 60'000LL));
  ASSERT_TRUE(ParsePullSchedule("mon 09:00", ms, &s, &error)) << error;
  // 2026-11-30 is a Monday: 09:00 Shanghai is 01:00 UTC that day, then a week later.
  EXPECT_EQ(NextPullAt(s, midnight_utc, 480), midnight_utc + 3'600'000);
  EXPECT_EQ(NextPullAt(s, midnight_utc + 3'600'000, 480),
            midnight_utc + 3'600'000 + 7 * 86'400'000LL);
  ASSERT_TRUE(ParsePullSchedule("every 15m", ms, &s, &error)) << error;
  EXPECT_EQ(NextPullAt(s, 1000, 480), 1000 + 15 * 60'000);
  EXPECT_FALSE(ParsePullSchedule("every 0s", ms, &s, &error));
  EXPECT_FALSE(ParsePullSchedule("daily 24:00", ms, &s, &error));
  EXPECT_FALSE(ParsePullSchedule("hourly", ms, &s, &error));
  EXPECT_NE(error.find("every 15m"), std::string::npos) << error;
}

TEST(PullConfig, MistakesAreReportedAtTheirLineAndColumn) {
  Config c;
  std::vector<Diagnostic> d;
  EXPECT_FALSE(ParseConfig(R"(collectors:
  - name: city
    type: http_pull
    schedule: every 0s
    query: SELECT 1
  - name: db
    type: sql_pull
    schedule: daily 6:30
    connection: host=127.0.0.1
    query: SELECT * FROM t WHERE updated_at > :since
)",
                           "pw.yml", &c, &d));
  std::string all = JoinDiagnostics(d);
  EXPECT_NE(all.find("pw.yml:4:15: collectors[0].schedule:"), std::string::npos) << all;
  EXPECT_NE(all.find("pw.yml:5:12: collectors[0].query: only for type: sql_pull"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("collectors[0].url: required"), std::string::npos) << all;
  EXPECT_NE(all.find("collectors[1].watermark_column"), std::string::npos) << all;
  EXPECT_NE(all.find("collectors[1].since_start: required"), std::string::npos) << all;
}

TEST(HttpPull, TakesTheBodyOnceThenNotModifiedWithTheTokenFromItsFile) {
  CsvSource source;
  HttpSink sink;
  sink.SetHandler([&](const SinkRequest& r) { return source.Answer(r); });
  PullRig rig;
  WriteFile(rig.dir / "token", "s3cret\n");
  rig.Load(HttpCollector(sink));
  rig.Start();
  PullReport first = rig.Report(1);
  EXPECT_EQ(first.result, "batch");
  EXPECT_EQ(first.batch.status, "committed");
  EXPECT_EQ(first.batch.rows_accepted, 2);
  EXPECT_EQ(first.batch.figures_new, 2);
  // The schedule fires again a second later: the server says 304 and no batch is made.
  PullReport second = rig.Report(2);
  EXPECT_EQ(second.result, "not_modified");
  rig.Stop();
  auto requests = sink.Requests();
  ASSERT_GE(requests.size(), 2u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].headers.at("authorization"), "Bearer s3cret");
  EXPECT_EQ(requests[0].headers.count("if-none-match"), 0u);
  EXPECT_EQ(requests[1].headers.at("if-none-match"), "\"v1\"");
  EXPECT_EQ(rig.store->RecentBatches(10).size(), 1u);  // a 304 is no batch
  EXPECT_EQ(LoadPullState(*rig.store, "city").etag, "\"v1\"");
  EXPECT_NE(
      rig.Exposition().find("parkwatch_pull_last_success_timestamp_seconds{collector=\"city\"}"),
      std::string::npos);
}

TEST(HttpPull, SameContentUnderANewETagIsADuplicateBatchAndAChangedOneARevision) {
  CsvSource source;
  HttpSink sink;
  sink.SetHandler([&](const SinkRequest& r) { return source.Answer(r); });
  PullRig rig;
  WriteFile(rig.dir / "token", "s3cret");
  rig.Load(HttpCollector(sink));
  rig.Start();
  EXPECT_EQ(rig.Report(1).batch.status, "committed");
  {
    std::lock_guard lock(source.m);
    source.etag = "\"v2\"";  // the server regenerated the file: same bytes
  }
  PullReport again = rig.Report(2);
  EXPECT_EQ(again.result, "batch");
  EXPECT_EQ(again.batch.status, "duplicate");
  {
    std::lock_guard lock(source.m);
    source.etag = "\"v3\"";
    source.body = MonthlyCsv(100, 250);
  }
  PullReport changed = rig.Report(3);
  EXPECT_EQ(changed.batch.status, "committed");
  EXPECT_EQ(changed.batch.figures_revised, 1);
  EXPECT_EQ(changed.batch.figures_unchanged, 1);
}

TEST(HttpPull, RetriesAfterServerErrorsWithBackoffAndFailsOnAWrongToken) {
  CsvSource source;
  source.failures_left = 2;
  HttpSink sink;
  sink.SetHandler([&](const SinkRequest& r) { return source.Answer(r); });
  PullRig rig;
  WriteFile(rig.dir / "token", "s3cret");
  rig.Load(HttpCollector(sink, "    retries: 3\n") +
           "  - name: wrong\n    type: http_pull\n    url: " + sink.url("/export.csv") +
           "\n    schedule: daily 06:30\n    token: guessed\n    retry_backoff: 100ms\n");
  rig.Start();
  PullReport a = rig.Report(1), b = rig.Report(2);
  const PullReport& city = a.collector == "city" ? a : b;
  const PullReport& wrong = a.collector == "city" ? b : a;
  // Two 500s, then the body: three attempts, one batch.
  EXPECT_EQ(city.result, "batch");
  EXPECT_EQ(city.attempts, 3);
  EXPECT_EQ(city.batch.status, "committed");
  // A 401 is not worth retrying; the failure is a rejected batch that says why, and counted.
  EXPECT_EQ(wrong.result, "failed");
  EXPECT_EQ(wrong.attempts, 1);
  EXPECT_NE(wrong.error.find("HTTP 401 (check the token)"), std::string::npos) << wrong.error;
  EXPECT_EQ(wrong.batch.status, "rejected");
  ASSERT_EQ(wrong.batch.errors.size(), 1u);
  EXPECT_NE(wrong.batch.errors[0].message.find("HTTP 401"), std::string::npos);
  rig.Stop();
  EXPECT_NE(rig.Exposition().find("parkwatch_pull_failures_total{collector=\"wrong\"} 1"),
            std::string::npos)
      << rig.Exposition();
}

TEST(HttpPull, ABadFileIsRejectedWithItsRowAndFieldAndFetchedAgainNextTime) {
  CsvSource source;
  source.body = "统一社会信用代码,报告期,工业总产值(万元)\n" + TestCreditCode(1) +
                ",2025-06,100\n" + TestCreditCode(2) + ",2025-06,n/a\n";
  HttpSink sink;
  sink.SetHandler([&](const SinkRequest& r) { return source.Answer(r); });
  PullRig rig;
  WriteFile(rig.dir / "token", "s3cret");
  rig.Load(HttpCollector(sink));
  rig.Start();
  PullReport bad = rig.Report(1);
  EXPECT_EQ(bad.result, "failed");
  EXPECT_EQ(bad.batch.status, "rejected");
  ASSERT_FALSE(bad.batch.errors.empty());
  EXPECT_EQ(bad.batch.errors[0].line, 3);
  EXPECT_EQ(bad.batch.errors[0].field, "工业总产值(万元)");
  EXPECT_NE(bad.batch.errors[0].ToString().find("not a number"), std::string::npos);
  // Nothing was kept of it, so the next pull asks for the whole body again (no If-None-Match).
  rig.Report(2);
  rig.Stop();
  auto requests = sink.Requests();
  ASSERT_GE(requests.size(), 2u);
  EXPECT_EQ(requests[1].headers.count("if-none-match"), 0u);
  EXPECT_EQ(LoadPullState(*rig.store, "city").etag, "");
}

TEST(HttpPull, ABodyOverItsBoundIsRefused) {
  CsvSource source;
  source.body = MonthlyCsv(1, 2) + std::string(4096, '#');
  HttpSink sink;
  sink.SetHandler([&](const SinkRequest& r) { return source.Answer(r); });
  PullRig rig;
  WriteFile(rig.dir / "token", "s3cret");
  rig.Load(HttpCollector(sink, "    max_body_bytes: 2048\n"));
  rig.Start();
  PullReport r = rig.Report(1);
  EXPECT_EQ(r.result, "failed");
  EXPECT_NE(r.error.find("larger than max_body_bytes"), std::string::npos) << r.error;
  EXPECT_EQ(r.attempts, 1);
}

TEST(HttpPull, StoppingCutsATransferInFlightShort) {
  HttpSink sink;
  sink.SetHandler([](const SinkRequest&) { return SinkResponse{200, "x", 3'000, {}}; });
  PullRig rig;
  rig.Load("  - name: slow\n    type: http_pull\n    url: " + sink.url("/") +
           "\n    schedule: every 1h\n    timeout: 60s\n");
  rig.Start();
  ASSERT_TRUE(WaitFor([&] { return sink.count() >= 1; }));
  auto started = std::chrono::steady_clock::now();
  rig.Stop();  // SIGTERM's path: the request waiting for its answer is abandoned
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(), 2.0);
  EXPECT_EQ(rig.count(), 0u);                         // cut short: no failure reported
  EXPECT_TRUE(rig.store->RecentBatches(10).empty());  // nor recorded
}

// The daemon pulls on schedule on its own thread, a reload switches the source whole (an
// invalid one keeps the running pull), and SIGTERM stops it cleanly.
TEST(HttpPullInTheDaemon, PullsOnScheduleSwitchesOnReloadAndStopsOnSigterm) {
  HttpSink sink;
  std::mutex m;
  std::map<std::string, int> served;
  sink.SetHandler([&](const SinkRequest& r) {
    std::lock_guard lock(m);
    ++served[r.target];
    double value = r.target == "/a.csv" ? 100 : 300;
    return SinkResponse{200, MonthlyCsv(value, 200), 0, {"Content-Type: text/csv"}};
  });
  auto count = [&](const std::string& target) {
    std::lock_guard lock(m);
    return served[target];
  };
  TempDir dir;
  auto write_config = [&](const std::string& path, const std::string& schedule) {
    WriteFile(dir / "parkwatch.yml",
              "storage: {path: pw.db}\nweb: {admin_token: admin-token}\ncollectors:\n"
              "  - name: city\n    type: http_pull\n    url: " +
                  sink.url(path) + "\n    schedule: " + schedule + "\n");
  };
  write_config("/a.csv", "every 1s");
  DaemonProcess daemon(dir / "parkwatch.yml", dir / "daemon.log");
  std::string error;
  ASSERT_TRUE(daemon.Start(&error)) << error;
  ASSERT_TRUE(WaitFor([&] { return count("/a.csv") >= 2; })) << daemon.Log();
  // The sink counts the second request before the daemon has recorded what it got back.
  testing::HttpResult batches;
  EXPECT_TRUE(WaitFor([&] {
    batches = Http("GET", daemon.url("/api/v1/batches"));
    return batches.body.find("\"duplicate\"") != std::string::npos;
  })) << batches.body;
  EXPECT_NE(batches.body.find("\"committed\""), std::string::npos) << batches.body;
  EXPECT_NE(Http("GET", daemon.url("/metrics"))
                .body.find("parkwatch_pull_last_success_timestamp_seconds{collector=\"city\"}"),
            std::string::npos);

  write_config("/b.csv", "every 1s");
  auto reload = Http("POST", daemon.url("/-/reload"), "", {"Authorization: Bearer admin-token"});
  ASSERT_EQ(reload.status, 200) << reload.body;
  ASSERT_TRUE(WaitFor([&] { return count("/b.csv") >= 1; })) << daemon.Log();
  const int a_after_reload = count("/a.csv");
  // An invalid pull setting is refused at its line; the running pull goes on unchanged.
  write_config("/a.csv", "hourly");
  reload = Http("POST", daemon.url("/-/reload"), "", {"Authorization: Bearer admin-token"});
  EXPECT_EQ(reload.status, 400);
  EXPECT_NE(reload.body.find("parkwatch.yml:7:15"), std::string::npos) << reload.body;
  ASSERT_TRUE(WaitFor([&] { return count("/b.csv") >= 3; })) << daemon.Log();
  EXPECT_EQ(count("/a.csv"), a_after_reload);
  EXPECT_EQ(daemon.Stop(), 0);
  EXPECT_NE(daemon.Log().find("stopped"), std::string::npos);
}

// ---- PostgreSQL ---------------------------------------------------------------------------------

// A throwaway PostgreSQL cluster: initdb in a temp dir, pg_ctl start on a free loopback port,
// stopped and removed at the end. initdb refuses to run as root, so as root it runs as the
// postgres user the Debian package creates.
class PostgresCluster {
 public:
  void Start() {
    std::string bin;
    for (const auto& dir : std::filesystem::directory_iterator("/usr/lib/postgresql"))
      if (std::filesystem::exists(dir.path() / "bin/pg_ctl")) bin = (dir.path() / "bin").string();
    if (bin.empty()) {
      ADD_FAILURE() << "no /usr/lib/postgresql/*/bin/pg_ctl: run scripts/install-deps.sh test";
      return;
    }
    port_ = testing::FreePort();
    dir_ = dir.path();
    std::string as = "";
    if (::geteuid() == 0) {
      passwd* pw = ::getpwnam("postgres");
      if (!pw) {
        ADD_FAILURE() << "running as root and there is no postgres user";
        return;
      }
      std::filesystem::permissions(dir_, std::filesystem::perms::owner_all);
      EXPECT_EQ(::chown(dir_.c_str(), pw->pw_uid, pw->pw_gid), 0);
      as = "runuser -u postgres -- ";
    }
    WriteFile(dir / "pwfile", "pw-secret\n");
    std::string out;
    if (::geteuid() == 0) Shell("chown postgres " + dir / "pwfile", &out);
    int rc = Shell(as + bin + "/initdb -D " + dir / "data" +
                       " -U puller --auth-local=trust --auth-host=scram-sha-256 --pwfile=" +
                       dir / "pwfile" + " --no-locale -E UTF8 --no-sync",
                   &out);
    ASSERT_EQ(rc, 0) << out;
    rc = Shell(as + bin + "/pg_ctl -D " + dir / "data" + " -l " + dir / "log" + " -w -o \"-p " +
                   std::to_string(port_) + " -c listen_addresses=127.0.0.1 -k " + dir_ +
                   " -c fsync=off\" start",
               &out);
    ASSERT_EQ(rc, 0) << out << ReadFile(dir / "log");
    stop_ = as + bin + "/pg_ctl -D " + dir / "data" + " -m immediate -w stop";
    admin_.reset(PQconnectdb(
        ("host=" + dir_ + " port=" + std::to_string(port_) + " user=puller dbname=postgres")
            .c_str()));
    ASSERT_EQ(PQstatus(admin_.get()), CONNECTION_OK) << PQerrorMessage(admin_.get());
  }
  ~PostgresCluster() {
    admin_.reset();
    std::string out;
    if (!stop_.empty()) Shell(stop_, &out);
  }

  // Runs statements as the superuser over the Unix socket.
  void Exec(const std::string& sql) {
    PGresult* r = PQexec(admin_.get(), sql.c_str());
    EXPECT_TRUE(PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK)
        << sql << ": " << PQresultErrorMessage(r);
    PQclear(r);
  }
  std::string Value(const std::string& sql) {
    PGresult* r = PQexec(admin_.get(), sql.c_str());
    std::string v = PQntuples(r) ? PQgetvalue(r, 0, 0) : "";
    PQclear(r);
    return v;
  }

  // The connection a collector uses: TCP on loopback with a password (from a file).
  std::string connection() const {
    return "host=127.0.0.1 port=" + std::to_string(port_) + " user=puller dbname=postgres";
  }

  TempDir dir;

 private:
  std::string dir_;
  uint16_t port_ = 0;
  std::string stop_;
  std::unique_ptr<PGconn, void (*)(PGconn*)> admin_{nullptr, PQfinish};
};

std::string SqlCollector(const PostgresCluster& pg, const std::string& query,
                         const std::string& extra = "") {
  return "  - name: citydb\n    type: sql_pull\n    schedule: every 1s\n    connection: \"" +
         pg.connection() + "\"\n    password_file: pgpass\n    query: \"" + query + "\"\n" + extra;
}

const char* kIncremental =
    "SELECT credit_code AS 统一社会信用代码, period AS 报告期, output AS \\\"工业总产值(万元)\\\", "
    "updated_at FROM reports WHERE updated_at > :since ORDER BY updated_at";

void CreateReports(PostgresCluster& pg) {
  pg.Exec(
      "CREATE TABLE reports (credit_code text, period text, output text, updated_at timestamptz)");
  pg.Exec("INSERT INTO reports VALUES ('" + TestCreditCode(1) +
          "', '2025-06', '100', '2025-07-01 10:00+08'), ('" + TestCreditCode(2) +
          "', '2025-06', '200', '2025-07-01 11:00+08')");
}

TEST(SqlPull, PullsOnlyNewRowsAndARestartKeepsTheWatermark) {
  PostgresCluster pg;
  ASSERT_NO_FATAL_FAILURE(pg.Start());
  CreateReports(pg);
  PullRig rig;
  WriteFile(rig.dir / "pgpass", "pw-secret\n");
  rig.Load(SqlCollector(pg, kIncremental,
                        "    watermark_column: updated_at\n    since_start: '1970-01-01'\n"));
  rig.Start();
  PullReport first = rig.Report(1);
  ASSERT_EQ(first.result, "batch") << first.error;
  EXPECT_EQ(first.batch.status, "committed");
  EXPECT_EQ(first.batch.rows_accepted, 2);
  EXPECT_EQ(rig.Report(2).result, "no_new_rows");
  rig.Stop();
  EXPECT_EQ(LoadPullState(*rig.store, "citydb").watermark, "2025-07-01 03:00:00+00");

  // Restarted (a new puller on the same store): only the row written since is pulled.
  pg.Exec("INSERT INTO reports VALUES ('" + TestCreditCode(3) +
          "', '2025-06', '300', '2025-07-02 09:00+08')");
  rig.reports.clear();
  rig.Start();
  PullReport after = rig.Report(1);
  ASSERT_EQ(after.result, "batch") << after.error;
  EXPECT_EQ(after.batch.rows_read, 1);
  EXPECT_EQ(after.batch.figures_new, 1);
  rig.Stop();
  EXPECT_EQ(LoadPullState(*rig.store, "citydb").watermark, "2025-07-02 01:00:00+00");
  EXPECT_EQ(rig.store->Enterprises().size(), 3u);
}

TEST(SqlPull, BadRowsNameTheCollectorRowAndFieldAndGoodRowsAreKept) {
  PostgresCluster pg;
  ASSERT_NO_FATAL_FAILURE(pg.Start());
  CreateReports(pg);
  pg.Exec("INSERT INTO reports VALUES ('" + TestCreditCode(3) +
          "', '2025-06', 'n/a', '2025-07-01 12:00+08')");
  PullRig rig;
  WriteFile(rig.dir / "pgpass", "pw-secret");
  rig.Load(SqlCollector(pg, kIncremental,
                        "    watermark_column: updated_at\n    since_start: '1970-01-01'\n"
                        "    atomic: false\n"));
  rig.Start();
  PullReport r = rig.Report(1);
  rig.Stop();
  EXPECT_EQ(r.batch.status, "partial");
  EXPECT_EQ(r.batch.rows_accepted, 2);
  ASSERT_EQ(r.batch.errors.size(), 1u);
  EXPECT_EQ(r.batch.errors[0].ToString(),
            "sql_pull:citydb:3: 工业总产值(万元): not a number: \"n/a\"");
  EXPECT_EQ(rig.store->Enterprises().size(), 2u);
}

TEST(SqlPull, RunsReadOnlyAndWithinItsStatementTimeout) {
  PostgresCluster pg;
  ASSERT_NO_FATAL_FAILURE(pg.Start());
  CreateReports(pg);
  PullRig rig;
  WriteFile(rig.dir / "pgpass", "pw-secret");
  rig.Load(SqlCollector(pg,
                        "WITH gone AS (DELETE FROM reports RETURNING *) SELECT credit_code AS "
                        "统一社会信用代码 FROM gone") +
           "  - name: slow\n    type: sql_pull\n    schedule: daily 06:30\n    connection: \"" +
           pg.connection() +
           "\"\n    password_file: pgpass\n    statement_timeout: 300ms\n    query: \"SELECT "
           "credit_code AS 统一社会信用代码, pg_sleep(5)::text AS ignored FROM reports\"\n"
           "    columns: {ignored: ignore}\n");
  auto started = std::chrono::steady_clock::now();
  rig.Start();
  PullReport a = rig.Report(1), b = rig.Report(2);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  rig.Stop();
  const PullReport& writer = a.collector == "citydb" ? a : b;
  const PullReport& slow = a.collector == "citydb" ? b : a;
  EXPECT_EQ(writer.result, "failed");
  EXPECT_NE(writer.error.find("read-only transaction"), std::string::npos) << writer.error;
  EXPECT_EQ(pg.Value("SELECT count(*) FROM reports"), "2");
  EXPECT_EQ(slow.result, "failed");
  EXPECT_NE(slow.error.find("statement timeout"), std::string::npos) << slow.error;
  EXPECT_EQ(slow.attempts, 1);  // a query's own error is not retried
  EXPECT_LT(seconds, 4.0);      // pg_sleep(5) per row was cut off
  EXPECT_EQ(slow.batch.status, "rejected");
}

TEST(SqlPull, StoppingCancelsAQueryInFlight) {
  PostgresCluster pg;
  ASSERT_NO_FATAL_FAILURE(pg.Start());
  PullRig rig;
  WriteFile(rig.dir / "pgpass", "pw-secret");
  rig.Load(SqlCollector(pg, "SELECT pg_sleep(30)::text AS 备注", "    statement_timeout: 60s\n"));
  rig.Start();
  ASSERT_TRUE(WaitFor([&] {
    return pg.Value("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'") ==
           "1";
  }));
  auto started = std::chrono::steady_clock::now();
  rig.Stop();
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(), 2.0);
  EXPECT_EQ(rig.count(), 0u);
  // The server was told to cancel: the query is gone, not left running for 30 s.
  EXPECT_TRUE(WaitFor(
      [&] {
        return pg.Value(
                   "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'") ==
               "0";
      },
      3000));
}

TEST(SqlPull, BindsSinceOnlyOutsideQuotesCommentsAndCasts) {
  bool uses = false;
  EXPECT_EQ(BindSince("SELECT ':since', x::text -- :since\nWHERE t > :since", &uses),
            "SELECT ':since', x::text -- :since\nWHERE t > $1");
  EXPECT_TRUE(uses);
  EXPECT_EQ(BindSince("SELECT :sinceX FROM \"a:since\"", &uses), "SELECT :sinceX FROM \"a:since\"");
  EXPECT_FALSE(uses);
}

}  // namespace
}  // namespace parkwatch
