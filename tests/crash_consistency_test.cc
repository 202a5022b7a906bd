// kill -9 of the real daemon at random moments while it ingests large files and evaluates
// rules over them. After every restart the store must be whole: integrity_check passes, every
// batch the daemon reported committed is there, nothing of an unfinished batch is, each file is
// either filed in processed/ or still waiting in the inbox (never lost, never half-taken), and
// the alert state and outbox end up exactly as in a run that was never interrupted.
//
// PARKWATCH_CRASH_LOOPS sets the number of kills (default 5 for `make test`; `make soak` runs
// 100). PARKWATCH_CRASH_SEED fixes the random kill points to replay a failure.
//
// Known defect, so checked only with PARKWATCH_CRASH_CHECK_ALERTS=1 (`make soak` sets it): the
// rule evaluation after a batch is not durable. A kill after the batch commits and before its
// evaluation ends loses that evaluation for good: the file is filed (or re-ingested as a
// duplicate, which is not evaluated) and the restart re-evaluates only the latest period, so
// `for` counts and states can differ from a run that was never interrupted. Figures, batches,
// files and outbox integrity are checked always.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <regex>
#include <set>
#include <thread>

#include "core/sha256.h"
#include "tests/support/daemon_process.h"
#include "tests/support/store_checks.h"
#include "tests/support/temp_dir.h"

namespace parkwatch {
namespace {

namespace fs = std::filesystem;
using testing::CheckStoreConsistency;
using testing::DaemonProcess;
using testing::QueryInt;
using testing::QueryRows;
using testing::ReadFile;
using testing::RunParkwatch;
using testing::TempDir;
using testing::WaitFor;
using testing::WriteFile;

int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

// A rule that fires for a good share of the bench data's enterprises, so that every batch
// brings alert state changes and outbox rows to be written after it commits.
const char kRules[] =
    "groups:\n"
    "  - name: monthly\n"
    "    cadence: monthly\n"
    "    rules:\n"
    "      - alert: OutputDrop\n"
    "        measure: yoy(output_value)\n"
    "        levels: {blue: 0.05, yellow: 0.0, red: -0.10}\n";

void WriteSite(const TempDir& dir) {
  WriteFile(dir / "rules/r.yml", kRules);
  WriteFile(dir / "parkwatch.yml",
            "storage: {path: pw.db}\n"
            "collectors: [{name: inbox, directory: inbox}]\n"
            "rule_files: [rules/*.yml]\n");
}

// Where a dropped file is now: "inbox", "processed", "rejected", "missing" or "both".
std::string WhereIs(const TempDir& dir, const std::string& name) {
  bool waiting = fs::exists(dir / ("inbox/" + name));
  bool processed = fs::exists(dir / ("inbox/processed/" + name));
  bool rejected = fs::exists(dir / ("inbox/rejected/" + name));
  if (waiting + processed + rejected > 1) return "both";
  return waiting ? "inbox" : processed ? "processed" : rejected ? "rejected" : "missing";
}

// The alert state and outbox as comparable rows (ids and clock times left out).
std::vector<std::string> AlertState(const std::string& db) {
  auto rows = QueryRows(db,
                        "SELECT fingerprint, state, severity, breach_count, clear_count, "
                        "last_period, value FROM alerts ORDER BY fingerprint");
  for (auto& key : QueryRows(db, "SELECT idempotency_key, kind, state FROM notifications"))
    rows.push_back("outbox " + key);
  std::sort(rows.begin(), rows.end());  // for set_difference
  return rows;
}

std::vector<std::string> Figures(const std::string& db) {
  return QueryRows(db,
                   "SELECT e.credit_code, i.name, f.cadence, f.period, f.value, f.revision "
                   "FROM figures f JOIN enterprises e ON e.id = f.enterprise_id "
                   "JOIN indicators i ON i.id = f.indicator_id ORDER BY 1, 2, 3, 4");
}

TEST(CrashConsistencyTest, KillDuringIngestLosesNothingCommittedAndKeepsNothingHalfDone) {
  const int loops = EnvInt("PARKWATCH_CRASH_LOOPS", 5);
  const unsigned seed = static_cast<unsigned>(
      EnvInt("PARKWATCH_CRASH_SEED", static_cast<int>(std::random_device{}() & 0x7fffffff)));
  SCOPED_TRACE("PARKWATCH_CRASH_SEED=" + std::to_string(seed));
  std::mt19937 random(seed);

  TempDir data;  // the files, generated once and copied into the inbox
  TempDir dir;
  WriteSite(dir);
  const std::string db = dir / "pw.db";
  DaemonProcess daemon(dir / "parkwatch.yml", dir / "daemon.log");

  // Files of different sizes (so different content: none is a duplicate of another) over 25
  // months, so that year-on-year rules have something to say. Each overlaps the previous ones,
  // so later files revise earlier figures.
  std::vector<std::string> names;
  std::string output;
  for (int i = 0; i < loops; ++i) {
    std::string name = "bulk" + std::to_string(1000 + i) + ".csv";
    int enterprises = 100 + 13 * (i % 8);
    ASSERT_EQ(RunParkwatch({"bench-data", "--out=" + (data / name),
                            "--enterprises=" + std::to_string(enterprises),
                            "--months=" + std::to_string(25 + i % 2)},
                           &output),
              0)
        << output;
    names.push_back(name);
  }

  // How long one file takes, to spread the kill points over the whole of an ingest and the
  // rule evaluation after it; measured on the first file, uninterrupted.
  std::string error;
  ASSERT_TRUE(daemon.Start(&error)) << error;
  auto started = std::chrono::steady_clock::now();
  fs::copy_file(data / names[0], dir / "staging.tmp");
  fs::create_directories(dir / "inbox");
  fs::rename(dir / "staging.tmp", dir / ("inbox/" + names[0]));
  ASSERT_TRUE(WaitFor([&] { return WhereIs(dir, names[0]) == "processed"; }, 60000))
      << daemon.Log();
  // The evaluation after the batch is logged once it is done.
  ASSERT_TRUE(
      WaitFor([&] { return daemon.Log().find("rules after batch") != std::string::npos; }, 60000))
      << daemon.Log();
  int window_ms = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                       std::chrono::steady_clock::now() - started)
                                       .count() *
                                   13 / 10);
  std::cerr << "one file: ingest + evaluation window " << window_ms << " ms\n";
  daemon.Kill();

  std::set<int64_t> reported;  // batches the daemon reported as committed, from its log
  std::regex committed_line(": committed batch ([0-9]+)");
  int killed_while_waiting = 0;
  for (int i = 1; i < loops; ++i) {
    SCOPED_TRACE("loop " + std::to_string(i));
    // The restart takes the file left waiting by the previous kill first (Start waits for
    // /-/ready, which comes after those files).
    ASSERT_TRUE(daemon.Start(&error)) << error;
    fs::copy_file(data / names[i], dir / "staging.tmp");
    fs::rename(dir / "staging.tmp", dir / ("inbox/" + names[i]));
    int delay = std::uniform_int_distribution<int>(0, window_ms)(random);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    daemon.Kill();
    if (WhereIs(dir, names[i]) == "inbox") ++killed_while_waiting;

    std::string log = ReadFile(dir / "daemon.log");
    for (std::sregex_iterator m(log.begin(), log.end(), committed_line), end; m != end; ++m)
      reported.insert(std::stoll((*m)[1]));
    for (auto& problem : CheckStoreConsistency(db)) ADD_FAILURE() << problem;
    for (int64_t id : reported)
      EXPECT_EQ(QueryRows(db, "SELECT status FROM batches WHERE id=" + std::to_string(id)),
                std::vector<std::string>{"committed"})
          << "batch " << id << " was reported committed";
    for (int j = 0; j <= i; ++j) {
      std::string where = WhereIs(dir, names[j]);
      ASSERT_TRUE(where == "inbox" || where == "processed") << names[j] << ": " << where;
      if (where != "processed") continue;
      // Filed only once its content is committed (or was, by an earlier batch).
      std::string hash = Sha256Hex(ReadFile(dir / ("inbox/processed/" + names[j])));
      EXPECT_EQ(QueryInt(db,
                         "SELECT count(*) FROM batches WHERE status='committed' AND "
                         "content_hash='" +
                             hash + "'"),
                1)
          << names[j];
    }
  }
  std::cerr << loops - 1 << " kills, " << killed_while_waiting
            << " left the file waiting in the inbox\n";

  // A last start takes whatever is still waiting; then everything is in and evaluated.
  ASSERT_TRUE(daemon.Start(&error)) << error;
  for (const auto& name : names) EXPECT_EQ(WhereIs(dir, name), "processed") << name;
  EXPECT_EQ(daemon.Stop(), 0);
  for (auto& problem : CheckStoreConsistency(db)) ADD_FAILURE() << problem;

  // The same files, in the same order, into a daemon that is never interrupted: the figures,
  // the alert state and the outbox must be the same.
  TempDir clean;
  WriteSite(clean);
  DaemonProcess reference(clean / "parkwatch.yml", clean / "daemon.log");
  ASSERT_TRUE(reference.Start(&error)) << error;
  for (const auto& name : names) {
    fs::copy_file(data / name, clean / "staging.tmp");
    fs::rename(clean / "staging.tmp", clean / ("inbox/" + name));
    ASSERT_TRUE(WaitFor([&] { return WhereIs(clean, name) == "processed"; }, 60000))
        << reference.Log();
  }
  EXPECT_EQ(reference.Stop(), 0);  // the worker finishes its evaluation before exiting
  EXPECT_EQ(Figures(db), Figures(clean / "pw.db"));
  if (!std::getenv("PARKWATCH_CRASH_CHECK_ALERTS")) return;
  auto state = AlertState(db);
  auto expected = AlertState(clean / "pw.db");
  EXPECT_GT(expected.size(), 0u) << "the rule should fire for some enterprises";
  EXPECT_EQ(state.size(), expected.size());
  // Name the first few differences rather than dumping thousands of rows.
  std::vector<std::string> missing, extra;
  std::set_difference(expected.begin(), expected.end(), state.begin(), state.end(),
                      std::back_inserter(missing));
  std::set_difference(state.begin(), state.end(), expected.begin(), expected.end(),
                      std::back_inserter(extra));
  for (size_t k = 0; k < missing.size() && k < 5; ++k)
    ADD_FAILURE() << "after the kills, missing: " << missing[k];
  for (size_t k = 0; k < extra.size() && k < 5; ++k)
    ADD_FAILURE() << "after the kills, unexpected: " << extra[k];
  EXPECT_EQ(missing.size() + extra.size(), 0u);
}

}  // namespace
}  // namespace parkwatch
