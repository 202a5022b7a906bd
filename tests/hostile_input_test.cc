// Hostile and careless input against the real daemon: what an exposed HTTP port and a shared
// inbox directory will meet. The daemon must answer with the right status, write nothing it
// should not, leak no secret into its log, and stay up for the next client.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "tests/support/daemon_process.h"
#include "tests/support/http_client.h"
#include "tests/support/store_checks.h"
#include "tests/support/temp_dir.h"

namespace parkwatch {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::ConnectTcp;
using testing::DaemonProcess;
using testing::Http;
using testing::QueryInt;
using testing::SendAll;
using testing::TempDir;
using testing::TestCreditCode;
using testing::WaitFor;
using testing::WriteFile;

// Distinctive so that a grep of the log finds any trace of them.
const char kIngestToken[] = "ingest-5ecret-7f3a9c";
const char kAdminToken[] = "admin-5ecret-b81d44";

const std::string kHeader = "统一社会信用代码,企业名称,报告期,工业总产值(万元)\n";

class HostileInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteFile(dir_ / "parkwatch.yml", std::string("storage: {path: pw.db}\n") +
                                          "web:\n"
                                          "  ingest_token: " +
                                          kIngestToken +
                                          "\n"
                                          "  admin_token: " +
                                          kAdminToken +
                                          "\n"
                                          "  max_body_bytes: 4194304\n"
                                          "collectors:\n"
                                          "  - {name: inbox, type: inbox, directory: inbox}\n"
                                          "  - {name: push, type: http}\n");
    std::string error;
    ASSERT_TRUE(daemon_.Start(&error)) << error;
  }

  testing::HttpResult Ingest(const std::string& body, const std::string& content_type = "") {
    std::vector<std::string> headers{std::string("Authorization: Bearer ") + kIngestToken};
    if (!content_type.empty()) headers.push_back("Content-Type: " + content_type);
    return Http("POST", daemon_.url("/api/v1/ingest"), body, headers);
  }

  bool Healthy() { return Http("GET", daemon_.url("/-/healthy")).status == 200; }
  int64_t Batches() { return QueryInt(dir_ / "pw.db", "SELECT count(*) FROM batches"); }

  // Sends raw bytes on a new connection and returns what came back (until close or timeout).
  std::string Raw(const std::string& bytes) { return testing::RawExchange(daemon_.port(), bytes); }

  TempDir dir_;
  DaemonProcess daemon_{dir_ / "parkwatch.yml", dir_ / "daemon.log"};
};

TEST_F(HostileInputTest, OversizeBodyIs413AndWritesNothing) {
  std::string big = kHeader;
  while (big.size() <= 4194304) big += TestCreditCode(1) + ",x,2024-03,1\n";
  auto r = Ingest(big);
  EXPECT_EQ(r.status, 413) << r.body;
  // A Content-Length that announces more than the limit is refused before any byte is read.
  std::string reply = Raw("POST /api/v1/ingest HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                          std::string(kIngestToken) + "\r\nContent-Length: 99999999999\r\n\r\n");
  EXPECT_EQ(reply.rfind("HTTP/1.1 413", 0), 0u) << reply;
  EXPECT_EQ(Batches(), 0);
  EXPECT_TRUE(Healthy());
}

TEST_F(HostileInputTest, MalformedRequestsAre400) {
  for (const std::string& bad : std::vector<std::string>{
           "GARBAGE\r\n\r\n", "GET / HTTP/9.9\r\n\r\n",
           "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
           "POST /api/v1/ingest HTTP/1.1\r\nContent-Length: 1\r\n"
           "Content-Length: 2\r\n\r\nab",
           "GET / HTTP/1.1\r\nBad Header\r\n\r\n", std::string("\0\0\0\r\n\r\n", 7),
           // A malformed chunk of a body that was admitted (the right token).
           std::string("POST /api/v1/ingest HTTP/1.1\r\nAuthorization: Bearer ") + kIngestToken +
               "\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"}) {
    std::string reply = Raw(bad);
    EXPECT_EQ(reply.rfind("HTTP/1.1 400", 0), 0u) << json(bad).dump() << " -> " << reply;
  }
  EXPECT_TRUE(Healthy());
}

TEST_F(HostileInputTest, SlowClientDoesNotHoldUpOthers) {
  // A client that sends half a header and stalls (slowloris) occupies one connection, not the
  // event loop: others are served meanwhile.
  std::vector<int> slow;
  for (int i = 0; i < 20; ++i) {
    int fd = ConnectTcp("127.0.0.1", daemon_.port());
    ASSERT_GE(fd, 0);
    SendAll(fd, "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ");
    slow.push_back(fd);
  }
  auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(Healthy());
  EXPECT_EQ(Http("GET", daemon_.url("/metrics")).status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  // The server closes a stalled connection once its header timeout (10 s) passes; waiting for
  // that is left to `make soak` (PARKWATCH_SOAK=1) to keep `make test` fast.
  if (std::getenv("PARKWATCH_SOAK")) {
    char byte;
    started = std::chrono::steady_clock::now();
    EXPECT_LE(::recv(slow[0], &byte, 1, 0), 0);  // closed (0) or reset, not a reply
    auto waited = std::chrono::steady_clock::now() - started;
    EXPECT_LT(waited, std::chrono::seconds(10)) << "the 10 s receive timeout ran out first";
  }
  for (int fd : slow) ::close(fd);
  EXPECT_TRUE(Healthy());
}

TEST_F(HostileInputTest, DeeplyNestedJsonDoesNotCrash) {
  // nlohmann's parser keeps its own stack, but destroying and dumping a value recurse; the
  // deepest body the limit allows must be answered, not crash the daemon.
  // Two million levels (the whole 4 MiB limit) survive too, but take ~20 s under ASan: soak only.
  std::vector<size_t> depths{1000, 100000};
  if (std::getenv("PARKWATCH_SOAK")) depths.push_back(2000000);
  for (size_t depth : depths) {
    for (const char* open : {"[", "{\"rows\":"}) {
      std::string body;
      while (body.size() + 2 * std::strlen(open) < depth && body.size() < 4000000) body += open;
      auto r = Ingest(body, "application/json");  // unterminated: a parse error, 422 or 400
      EXPECT_TRUE(r.status == 400 || r.status == 422) << depth << ": " << r.status << r.error;
      std::string closed = std::string(depth / 2, '[') + std::string(depth / 2, ']');
      if (closed.size() > 4000000) closed = std::string(2000000, '[') + std::string(2000000, ']');
      r = Ingest(closed, "application/json");
      EXPECT_TRUE(r.status == 400 || r.status == 422) << depth << ": " << r.status << r.error;
      ASSERT_TRUE(Healthy()) << "died at depth " << depth << "\n" << daemon_.Log();
    }
  }
}

TEST_F(HostileInputTest, NonUtf8BodiesAreRejectedCleanly) {
  // Invalid UTF-8 in JSON (RFC 8259 requires UTF-8) and in a CSV declared UTF-8 by its BOM.
  auto r = Ingest("{\"rows\":[{\"企业名称\":\"\xff\xfe\xfd\"}]}", "application/json");
  EXPECT_TRUE(r.status == 400 || r.status == 422) << r.status << r.body;
  r = Ingest("\xEF\xBB\xBF" + kHeader + TestCreditCode(1) + ",\xC0\xAF,2024-03,1\n");
  EXPECT_EQ(r.status, 422) << r.body;
  // Pure binary noise.
  std::string noise;
  for (int i = 0; i < 5000; ++i) noise += static_cast<char>((i * 7919) & 0xff);
  r = Ingest(noise);
  EXPECT_TRUE(r.status == 400 || r.status == 422) << r.status << r.body;
  EXPECT_EQ(QueryInt(dir_ / "pw.db", "SELECT count(*) FROM figures"), 0);
  EXPECT_TRUE(Healthy());
}

TEST_F(HostileInputTest, PathTricksReachNoProtectedEndpoint) {
  // Neither dot segments nor their percent-encoded forms lead around the token check: the path
  // is matched exactly, so they name no endpoint.
  for (const char* path : {"/api/v1/../-/reload", "/api/v1/%2e%2e/-/reload",
                           "/api/v1/%2E%2E/%2D/reload", "/-/./reload", "//-/reload", "/-/reload%00",
                           "/-/reload/", "/api/v1/ingest/../../-/reload"}) {
    auto r = Http("POST", daemon_.url(path));
    EXPECT_NE(r.status, 200) << path;
    EXPECT_NE(r.status, 500) << path;
  }
  EXPECT_EQ(daemon_.Log().find("config reloaded"), std::string::npos);
  EXPECT_EQ(Http("GET", daemon_.url("/" + std::string(8000, 'a'))).status, 404);
  int status = Http("GET", daemon_.url("/" + std::string(40000, 'a'))).status;
  EXPECT_TRUE(status == 431 || status == 414 || status == 400) << status;
  EXPECT_TRUE(Healthy());
}

TEST_F(HostileInputTest, SqlLookingNamesAreStoredAndReturnedVerbatim) {
  const std::vector<std::string> names = {"'); DROP TABLE figures;--",
                                          "Robert\"); DELETE FROM batches; --", "x' OR '1'='1",
                                          "%s%n%x {} {{}} \\0"};
  std::string csv = kHeader;
  for (size_t i = 0; i < names.size(); ++i) {
    std::string quoted = names[i];
    for (size_t p = 0; (p = quoted.find('"', p)) != std::string::npos; p += 2)
      quoted.insert(p, "\"");
    csv += TestCreditCode(static_cast<int>(i) + 1) + ",\"" + quoted + "\",2024-03,1\n";
  }
  auto r = Ingest(csv, "text/csv");
  ASSERT_EQ(r.status, 200) << r.body;
  json list = json::parse(Http("GET", daemon_.url("/api/v1/enterprises")).body)["data"];
  ASSERT_EQ(list.size(), names.size());
  std::set<std::string> got;
  for (auto& e : list) got.insert(e["name"].get<std::string>());
  EXPECT_EQ(got, std::set<std::string>(names.begin(), names.end()));
  // The same through a query parameter.
  auto q = Http("GET", daemon_.url("/api/v1/enterprises?industry=%27%29%3B%20DROP%20TABLE%20"
                                   "figures%3B--"));
  EXPECT_EQ(q.status, 200);
  EXPECT_EQ(QueryInt(dir_ / "pw.db", "SELECT count(*) FROM figures"), 4);
}

TEST_F(HostileInputTest, TokensAreRequiredCheckedAndNeverLogged) {
  std::string csv = kHeader + TestCreditCode(1) + ",甲,2024-03,1\n";
  EXPECT_EQ(Http("POST", daemon_.url("/api/v1/ingest"), csv).status, 401);
  EXPECT_EQ(Http("POST", daemon_.url("/api/v1/ingest"), csv, {"Authorization: Basic eDp5"}).status,
            401);
  EXPECT_EQ(Http("POST", daemon_.url("/api/v1/ingest"), csv,
                 {"Authorization: Bearer " + std::string(kAdminToken)})
                .status,
            403);
  EXPECT_EQ(Http("POST", daemon_.url("/api/v1/ingest"), csv,
                 {"Authorization: Bearer " + std::string(kIngestToken) + "x"})
                .status,
            403);
  EXPECT_EQ(Http("POST", daemon_.url("/-/reload")).status, 401);
  EXPECT_EQ(Http("POST", daemon_.url("/-/reload"), "",
                 {"Authorization: Bearer " + std::string(kIngestToken)})
                .status,
            403);
  EXPECT_EQ(Batches(), 0);  // nothing written by a refused request
  EXPECT_EQ(daemon_.Log().find("config reloaded"), std::string::npos);

  // Accepted requests, and a rejected one, with the real tokens.
  EXPECT_EQ(Ingest(csv).status, 200);
  EXPECT_EQ(Ingest("nonsense\n1\n").status, 422);
  EXPECT_EQ(Http("POST", daemon_.url("/-/reload"), "",
                 {"Authorization: Bearer " + std::string(kAdminToken)})
                .status,
            200);
  std::string log = daemon_.Log();
  EXPECT_EQ(log.find("5ecret"), std::string::npos) << log;
}

TEST_F(HostileInputTest, InboxIgnoresSymlinksSubdirectoriesAndHalfWrittenFiles) {
  std::string good = kHeader + TestCreditCode(1) + ",甲,2024-03,1\n";
  // A link to a file outside the inbox, created in place and renamed in.
  WriteFile(dir_ / "outside/secret.csv", good);
  fs::create_symlink(dir_ / "outside/secret.csv", dir_ / "inbox/link.csv");
  fs::create_symlink(dir_ / "outside/secret.csv", dir_ / "outside/moved-link.csv");
  fs::rename(dir_ / "outside/moved-link.csv", dir_ / "inbox/moved-link.csv");
  // A file in a subdirectory, and a directory renamed in.
  WriteFile(dir_ / "inbox/sub/nested.csv", good);
  WriteFile(dir_ / "outside/dir/nested.csv", good);
  fs::rename(dir_ / "outside/dir", dir_ / "inbox/dir.csv");

  // A file being written: half of it, then a pause.
  std::string rows = kHeader;
  for (int i = 1; i <= 200; ++i)
    rows += TestCreditCode(i + 10) + ",乙,2024-03," + std::to_string(i) + "\n";
  std::ofstream partial(dir_ / "inbox/partial.csv", std::ios::binary);
  partial << rows.substr(0, rows.size() / 2) << std::flush;
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(Batches(), 0) << "something was taken: " << daemon_.Log();
  partial << rows.substr(rows.size() / 2);
  partial.close();  // now complete: taken whole
  ASSERT_TRUE(WaitFor([&] { return fs::exists(dir_ / "inbox/processed/partial.csv"); }))
      << daemon_.Log();
  EXPECT_EQ(Batches(), 1);
  EXPECT_EQ(QueryInt(dir_ / "pw.db", "SELECT rows_accepted FROM batches"), 200);

  // A restart lists the inbox again: still none of them.
  EXPECT_EQ(daemon_.Stop(), 0);
  std::string error;
  ASSERT_TRUE(daemon_.Start(&error)) << error;
  EXPECT_EQ(Batches(), 1) << daemon_.Log();
  EXPECT_TRUE(fs::is_symlink(dir_ / "inbox/link.csv"));
  EXPECT_TRUE(fs::exists(dir_ / "inbox/sub/nested.csv"));
  EXPECT_TRUE(fs::exists(dir_ / "inbox/dir.csv/nested.csv"));
  EXPECT_TRUE(fs::exists(dir_ / "outside/secret.csv"));
}

TEST_F(HostileInputTest, PushOfAMillionCommasIsRefusedAtOnce) {
  // Once a quadratic rescan that held the store worker for minutes: now one scan, a 422 naming
  // the cap, a bounded answer, and the next client served.
  auto r = Ingest(kHeader + std::string(1'000'000, ',') + "\n");
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_NE(r.body.find("record has more than 10000 fields"), std::string::npos) << r.body;
  EXPECT_LT(r.body.size(), 4096u);
  // A header that wide, and a 1 MB cell: refused with their text cut.
  r = Ingest(std::string(200000, ',') + "\n" + TestCreditCode(1) + "\n");
  EXPECT_EQ(r.status, 422) << r.body;
  r = Ingest(kHeader + TestCreditCode(1) + ",甲,2024-03," + std::string(1 << 20, '9') + "\n");
  EXPECT_EQ(r.status, 422);
  EXPECT_LT(r.body.size(), 4096u);
  EXPECT_LT(QueryInt(dir_ / "pw.db", "SELECT max(length(errors)) FROM batches"), 1000);
  EXPECT_TRUE(Healthy());
  EXPECT_EQ(Ingest(kHeader + TestCreditCode(1) + ",甲,2024-03,1\n").status, 200);
}

TEST_F(HostileInputTest, InvalidUtf8InAnUnknownPathIs404NotA500) {
  // The path is quoted in the JSON answer: invalid UTF-8 must not make the dump throw.
  std::string reply = Raw("GET /no\xff\xfe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(reply.rfind("HTTP/1.1 404", 0) == 0 || reply.rfind("HTTP/1.1 400", 0) == 0) << reply;
  EXPECT_TRUE(Healthy());
}

TEST_F(HostileInputTest, ReloadWithMalformedNumbersKeepsTheRunningConfig) {
  // Every number the config can hold, malformed or out of range, and a new admin token: SIGHUP
  // must report the file's problems and change nothing.
  const std::string bad = "99999999999999999999s";
  WriteFile(dir_ / "parkwatch.yml",
            "storage: {path: pw.db}\n"
            "web:\n"
            "  ingest_token: " +
                std::string(kIngestToken) +
                "\n"
                "  admin_token: new-admin-token\n"
                "  max_body_bytes: 99999999999999999999\n"
                "collectors:\n"
                "  - {name: push, type: http}\n"
                "alerting:\n"
                "  delivery: {initial_backoff: " +
                bad +
                ", max_backoff: 1e400, max_attempts: -1,\n"
                "             max_age: abc, timeout: " +
                bad +
                ", poll_interval: 9999999999999999w,\n"
                "             batch_limit: 99999999999999999999}\n"
                "  receivers:\n"
                "    - {name: hook, type: webhook, url: 'file:///etc/passwd', timeout: " +
                bad +
                ",\n"
                "       rate_limit_per_minute: 1e400, max_alerts: abc, resend_interval: -1}\n"
                "  route: {receiver: hook, group_wait: " +
                bad +
                ", group_interval: 1e400,\n"
                "          repeat_interval: abc}\n");
  ASSERT_EQ(::kill(daemon_.pid(), SIGHUP), 0);
  ASSERT_TRUE(WaitFor([&] {
    return daemon_.Log().find("reload (SIGHUP) failed") != std::string::npos;
  })) << daemon_.Log();
  std::string log = daemon_.Log();
  EXPECT_NE(log.find("alerting.delivery.timeout: expected a duration"), std::string::npos) << log;
  EXPECT_NE(log.find("alerting.receivers[0].url: must be an http:// or https:// URL"),
            std::string::npos)
      << log;
  EXPECT_TRUE(Healthy());
  // The old admin token still works; the new one does not.
  const std::string silence =
      R"({"matchers":["alertname=\"X\""],"author":"值班员","comment":"检修","duration":"1h"})";
  EXPECT_EQ(Http("POST", daemon_.url("/api/v1/silences"), silence,
                 {"Authorization: Bearer " + std::string(kAdminToken)})
                .status,
            201);
  EXPECT_EQ(Http("POST", daemon_.url("/api/v1/silences"), silence,
                 {"Authorization: Bearer new-admin-token"})
                .status,
            403);
  EXPECT_EQ(Ingest(kHeader + TestCreditCode(1) + ",甲,2024-03,1\n").status, 200);
}

TEST_F(HostileInputTest, AdminBodiesOfTheWrongTypeAre400NamingTheField) {
  const std::vector<std::string> admin{"Authorization: Bearer " + std::string(kAdminToken)};
  const std::string m = R"("matchers":["alertname=\"X\""])";
  for (auto [body, field] : std::vector<std::pair<std::string, std::string>>{
           {"{" + m + R"(,"author":5,"comment":"c","duration":"1h"})", "author"},
           {"{" + m + R"(,"author":"a","comment":["c"],"duration":"1h"})", "comment"},
           {"{" + m + R"(,"author":"a","comment":"c","duration":7})", "duration"},
           {"{" + m + R"(,"author":"a","comment":"c","starts_at":"now","duration":"1h"})",
            "starts_at"},
           {"{" + m + R"(,"author":"a","comment":"c","ends_at":1e300})", "ends_at"},
           {"{" + m + R"(,"author":"a","comment":"c","ends_at":18446744073709551615})", "ends_at"},
           {"{" + m + R"(,"author":"a","comment":"c","duration":"99999999999999999999s"})",
            "duration"},
           {R"({"matchers":[7],"author":"a","comment":"c","duration":"1h"})", "matchers"},
           {R"({"matchers":["alertname=~\"(\""],"author":"a","comment":"c","duration":"1h"})",
            "matchers"},
           {R"({"matchers":"alertname=\"X\"","author":"a","comment":"c"})", "matchers"}}) {
    auto r = Http("POST", daemon_.url("/api/v1/silences"), body, admin);
    EXPECT_EQ(r.status, 400) << body << " -> " << r.body;
    EXPECT_NE(r.body.find(field), std::string::npos) << body << " -> " << r.body;
  }
  auto r =
      Http("POST", daemon_.url("/api/v1/alerts/abc/acknowledge"), R"({"author":["x"]})", admin);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("author"), std::string::npos) << r.body;
  EXPECT_TRUE(Healthy());
}

TEST_F(HostileInputTest, InboxFileWaitsOutDescriptorExhaustion) {
  // The daemon's real descriptor limit lowered to what it holds: opening the dropped file fails
  // with EMFILE. It must be retried, not dropped, and taken once descriptors are back.
  // UBSan checks a vptr it has not seen yet by probing the memory through a pipe; with no
  // descriptor left the probe fails and it reports a false "invalid vptr" (seen in
  // stdio_filebuf's constructor, when a descriptor came free while the limit was low), which no
  // suppression can match (naming the type needs the same probe). So this test's daemon is
  // started again with UBSan reporting without halting; ASan and the other checks stay on.
  const char* ubsan = std::getenv("UBSAN_OPTIONS");
  ::setenv("UBSAN_OPTIONS", ((ubsan ? std::string(ubsan) + ":" : "") + "halt_on_error=0").c_str(),
           1);  // this test's own process: ctest runs each test in one
  ASSERT_EQ(daemon_.Stop(), 0);
  std::string error;
  ASSERT_TRUE(daemon_.Start(&error)) << error;
  // Waited for first: no connection left from the readiness probe (the sanitizers' own checks
  // need descriptors too, and would misfire on a request handled meanwhile).
  const std::string fd_dir = "/proc/" + std::to_string(daemon_.pid()) + "/fd";
  std::set<int> fds;
  ASSERT_TRUE(WaitFor([&] {
    fds.clear();
    int sockets = 0;
    for (const auto& e : fs::directory_iterator(fd_dir)) {
      fds.insert(std::stoi(e.path().filename().string()));
      std::error_code ec;
      if (fs::read_symlink(e.path(), ec).string().rfind("socket:", 0) == 0) ++sockets;
    }
    return sockets == 1;  // the listener only
  }));
  int lowest_free = 0;
  while (fds.count(lowest_free)) ++lowest_free;
  struct rlimit old_limit, low;
  ASSERT_EQ(::prlimit(daemon_.pid(), RLIMIT_NOFILE, nullptr, &old_limit), 0);
  low = old_limit;
  low.rlim_cur = static_cast<rlim_t>(lowest_free);  // the next open() fails with EMFILE
  ASSERT_EQ(::prlimit(daemon_.pid(), RLIMIT_NOFILE, &low, nullptr), 0);
  WriteFile(dir_ / "inbox/.drop.csv", kHeader + TestCreditCode(1) + ",甲,2024-03,1\n");
  fs::rename(dir_ / "inbox/.drop.csv", dir_ / "inbox/drop.csv");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_TRUE(fs::exists(dir_ / "inbox/drop.csv")) << daemon_.Log();
  EXPECT_EQ(daemon_.Log().find("not ingested"), std::string::npos) << daemon_.Log();
  ASSERT_EQ(::prlimit(daemon_.pid(), RLIMIT_NOFILE, &old_limit, nullptr), 0);
  // Generous: the retry backs off to 1 s steps, and a loaded 2-core machine under ASan has been
  // seen to need more than 15 s from here to the file's commit.
  ASSERT_TRUE(WaitFor([&] { return fs::exists(dir_ / "inbox/processed/drop.csv"); }, 60000))
      << daemon_.Log();
  EXPECT_EQ(QueryInt(dir_ / "pw.db", "SELECT count(*) FROM figures"), 1);
  EXPECT_TRUE(Healthy());
}

TEST_F(HostileInputTest, StoreAndFilesArePrivateWhateverTheUmask) {
  // umask 000 (a careless service manager): every file the daemon creates is still 0640 and
  // every directory 0750.
  EXPECT_EQ(daemon_.Stop(), 0);
  for (const char* f : {"pw.db", "pw.db-wal", "pw.db-shm"}) fs::remove(dir_ / f);
  fs::remove_all(dir_ / "inbox");
  fs::remove_all(dir_ / "var");
  WriteFile(dir_ / "parkwatch.yml", std::string("storage: {path: var/store/pw.db}\n") +
                                        "web: {ingest_token: " + kIngestToken +
                                        "}\n"
                                        "collectors:\n"
                                        "  - {name: inbox, type: inbox, directory: inbox}\n");
  mode_t old_umask = ::umask(0);
  std::string error;
  bool started = daemon_.Start(&error);
  ::umask(old_umask);
  ASSERT_TRUE(started) << error;
  WriteFile(dir_ / "outside/good.csv", kHeader + TestCreditCode(1) + ",甲,2024-03,1\n");
  WriteFile(dir_ / "outside/bad.csv", kHeader + TestCreditCode(2) + ",乙,2024-03,x\n");
  fs::rename(dir_ / "outside/good.csv", dir_ / "inbox/good.csv");
  fs::rename(dir_ / "outside/bad.csv", dir_ / "inbox/bad.csv");
  ASSERT_TRUE(WaitFor([&] {
    // The errors file is written before the file is moved beside it: wait for both.
    return fs::exists(dir_ / "inbox/processed/good.csv") &&
           fs::exists(dir_ / "inbox/rejected/bad.csv") &&
           fs::exists(dir_ / "inbox/rejected/bad.csv.errors.txt");
  })) << daemon_.Log();
  auto mode = [](const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? static_cast<int>(st.st_mode & 07777) : -1;
  };
  for (const char* f :
       {"var/store/pw.db", "var/store/pw.db-wal", "var/store/pw.db-shm", "inbox/processed/good.csv",
        "inbox/rejected/bad.csv", "inbox/rejected/bad.csv.errors.txt"})
    EXPECT_EQ(mode(dir_ / f), 0640) << f;
  for (const char* d : {"var", "var/store", "inbox", "inbox/processed", "inbox/rejected"})
    EXPECT_EQ(mode(dir_ / d), 0750) << d;
}

}  // namespace
}  // namespace parkwatch
