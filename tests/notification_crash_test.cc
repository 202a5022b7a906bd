// A crash on the notification path, at its worst moment: as the receiver takes the webhook, before
// the dispatcher records it delivered. Only the batch's commit is flushed to disk before the
// send; the evaluation (alerts, outbox) and the dispatcher's routing are derived commits
// (store/sqlite.h Durability), which a kill -9 cannot take back and a power cut can. Either way
// the batch must be there after the restart and the notification must go out again, once, with
// the same Idempotency-Key so the receiver can fold the duplicate: nothing lost, at most one
// duplicate. The power cut keeps what the disk held at each sync (tests/support/power_cut_vfs.h).
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>

#include "alerts/engine.h"
#include "collectors/ingest.h"
#include "core/period.h"
#include "notifiers/dispatcher.h"
#include "store/store.h"
#include "tests/support/alert_fixtures.h"
#include "tests/support/daemon_process.h"
#include "tests/support/http_sink.h"
#include "tests/support/power_cut_vfs.h"
#include "tests/support/temp_dir.h"

namespace parkwatch {
namespace {

using testing::DaemonProcess;
using testing::HttpSink;
using testing::PowerCutVfs;
using testing::SinkRequest;
using testing::SinkResponse;
using testing::TempDir;
using testing::TestCreditCode;
using testing::WaitFor;
using testing::WriteFile;

const char* kRules = R"(
groups:
  - name: weekly
    cadence: weekly
    rules:
      - alert: OutputDrop
        scope: enterprise
        measure: yoy(output_value)
        levels: {red: -0.10}
        for: 1
        annotations: {summary: "{{ .enterprise }} {{ .value | pct }} in {{ .period }}"}
)";

const char* kHeader = "统一社会信用代码,报告期,工业总产值(万元)\n";

// Unix seconds of the Monday after week, 13:00 in Shanghai.
int64_t MondayAfter(Period week) {
  auto monday = std::chrono::sys_days(week.LastDay()) + std::chrono::days(1);
  return std::chrono::duration_cast<std::chrono::seconds>(monday.time_since_epoch()).count() +
         5 * 3600;
}

int64_t Count(Store& store, const std::string& sql) {
  Statement s(store.db(), sql);
  s.Step();
  return s.Int(0);
}

TEST(NotificationCrashTest, APowerCutAsTheWebhookArrivesLosesNeitherTheBatchNorItsNotification) {
  TempDir dir;
  PowerCutVfs vfs;
  std::vector<Diagnostic> d;
  auto config = std::make_shared<Config>();
  ASSERT_TRUE(ParseConfig("", dir / "pw.yml", config.get(), &d));
  auto rules = std::make_shared<RuleSet>();
  ASSERT_TRUE(ParseRuleFile(kRules, "rules.yml", rules.get(), &d)) << JoinDiagnostics(d);
  CollectorConfig collector;
  collector.name = "office";
  const int64_t now = MondayAfter(Period::Week(2024, 5));

  HttpSink sink;
  std::mutex mu;
  std::map<std::string, std::string> disk_at_send;  // the files as a cut then leaves them
  sink.SetHandler([&](const SinkRequest&) {
    std::lock_guard<std::mutex> lock(mu);
    if (disk_at_send.empty()) disk_at_send = vfs.Durable();
    return SinkResponse{};
  });
  const AlertingConfig alerting = testing::AlertingFromYaml(
      "delivery: {initial_backoff: 20ms, max_backoff: 100ms, timeout: 2s, poll_interval: 50ms}\n"
      "receivers:\n  - {name: hook, type: webhook, url: \"" +
      sink.url("/hook") +
      "\"}\n"
      "route: {receiver: hook, group_by: ['...'], group_wait: 0s}\n");

  int64_t drop_batch = 0;
  {
    auto store = Store::Open(dir / "pw.db");
    ASSERT_EQ(IngestBody(std::string(kHeader) + TestCreditCode(1) + ",2023-W05,1000\n", "text/csv",
                         "last year", collector, *config, *store)
                  .status,
              "committed");
    AlertEngine engine(store.get());
    engine.SetRules(rules, config, now);
    Dispatcher dispatcher(dir / "pw.db", alerting, nullptr);
    dispatcher.Start();
    // As the daemon's worker does: the batch commits, is evaluated, the dispatcher is woken.
    BatchSummary drop = IngestBody(std::string(kHeader) + TestCreditCode(1) + ",2024-W05,500\n",
                                   "text/csv", "this week", collector, *config, *store);
    ASSERT_EQ(drop.status, "committed");
    drop_batch = drop.batch_id;
    ASSERT_EQ(engine.OnBatch(drop, now).notifications, 1);
    dispatcher.Kick();
    ASSERT_TRUE(WaitFor([&] { return sink.count() == 1; }, 10000));
    dispatcher.Stop();
  }

  // The machine comes back with what its disk held when the webhook arrived.
  std::map<std::string, std::string> disk;
  {
    std::lock_guard<std::mutex> lock(mu);
    disk = disk_at_send;
  }
  PowerCutVfs::Restore(disk, dir / "after-cut");
  const std::string db = dir / "after-cut/pw.db";
  auto store = Store::Open(db);
  // Accepted data is never lost: the batch was on disk before its notification went out.
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM batches WHERE status = 'committed' AND id = " +
                              std::to_string(drop_batch)),
            1);
  EXPECT_EQ(Count(*store,
                  "SELECT COUNT(*) FROM figures f JOIN enterprises e ON e.id = "
                  "f.enterprise_id WHERE e.credit_code = '" +
                      TestCreditCode(1) + "'"),
            2);
  // What this test is about: the cut took back the evaluation (and with it the outbox row) that
  // had not reached the disk. If it did not, the cut fell elsewhere and nothing below is tested.
  ASSERT_EQ(Count(*store, "SELECT COUNT(*) FROM notifications"), 0)
      << "the evaluation reached the disk before the send: no derived commit was cut";

  // The restart evaluates the batch the cut left unevaluated, and sends its notification again.
  AlertEngine engine(store.get());
  EXPECT_EQ(engine.SetRules(rules, config, now).notifications, 1);
  Dispatcher dispatcher(db, alerting, nullptr);
  dispatcher.Start();
  dispatcher.Kick();
  ASSERT_TRUE(WaitFor([&] { return sink.count() == 2; }, 10000));
  ASSERT_TRUE(WaitFor([&] {
    return Count(*store, "SELECT COUNT(*) FROM notifications WHERE state = 'delivered'") == 1;
  }));
  dispatcher.Stop();
  const std::vector<SinkRequest> sent = sink.Requests();
  ASSERT_EQ(sent.size(), 2u);
  // The duplicate carries the same key: the receiver can tell it is the same news.
  EXPECT_FALSE(sent[0].headers.at("idempotency-key").empty());
  EXPECT_EQ(sent[1].headers.at("idempotency-key"), sent[0].headers.at("idempotency-key"));
  EXPECT_NE(sent[1].body.find(TestCreditCode(1)), std::string::npos);
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM alerts WHERE state = 'firing'"), 1);
}

// The real daemon, killed with SIGKILL by the receiver as the webhook arrives (before answering
// it), then started again on the same store.
TEST(NotificationCrashTest, AKillAsTheWebhookArrivesSendsItOnceMoreAfterTheRestart) {
  using namespace std::chrono;
  TempDir dir;
  Period week = Period::WeekOf(year_month_day(floor<days>(system_clock::now())));
  if (!week.SameLastYear()) week = week.Prev();  // a week 53 has none
  const std::string code = TestCreditCode(3);
  WriteFile(dir / "rules.yml", kRules);
  HttpSink sink;
  WriteFile(dir / "parkwatch.yml",
            "storage: {path: pw.db}\n"
            "collectors: [{name: office, type: inbox, directory: inbox}]\n"
            "rule_files: [rules.yml]\n"
            "alerting:\n"
            "  delivery: {initial_backoff: 100ms, poll_interval: 1s}\n"
            "  receivers: [{name: hook, type: webhook, url: \"" +
                sink.url("/hook") +
                "\"}]\n"
                "  route: {receiver: hook, group_by: ['...'], group_wait: 0s}\n");
  WriteFile(dir / "history.csv",
            std::string(kHeader) + code + "," + week.SameLastYear()->ToString() + ",1000\n");
  std::string output;
  ASSERT_EQ(
      testing::RunParkwatch(
          {"ingest", "--config.file=" + (dir / "parkwatch.yml"), dir / "history.csv"}, &output),
      0)
      << output;

  DaemonProcess first(dir / "parkwatch.yml", dir / "first.log");
  std::atomic<pid_t> victim{0};
  sink.SetHandler([&](const SinkRequest&) {
    if (pid_t pid = victim.exchange(0)) ::kill(pid, SIGKILL);  // the first request only
    return SinkResponse{};
  });
  std::string error;
  ASSERT_TRUE(first.Start(&error)) << error;
  victim = first.pid();
  WriteFile(dir / "inbox/.drop.tmp",
            std::string(kHeader) + code + "," + week.ToString() + ",500\n");
  std::filesystem::rename(dir / "inbox/.drop.tmp", dir / "inbox/drop.csv");
  ASSERT_TRUE(WaitFor([&] { return sink.count() == 1; }, 30000)) << first.Log();
  first.Kill();  // reaps it: the receiver killed it already

  DaemonProcess second(dir / "parkwatch.yml", dir / "second.log");
  ASSERT_TRUE(second.Start(&error)) << error;
  ASSERT_TRUE(WaitFor([&] { return sink.count() == 2; }, 30000)) << second.Log();
  EXPECT_EQ(second.Stop(), 0);
  const std::vector<SinkRequest> sent = sink.Requests();
  ASSERT_EQ(sent.size(), 2u) << "sent once before the kill and once after it, not more";
  EXPECT_FALSE(sent[0].headers.at("idempotency-key").empty());
  EXPECT_EQ(sent[1].headers.at("idempotency-key"), sent[0].headers.at("idempotency-key"));
  EXPECT_NE(sent[1].body.find(code), std::string::npos);
  // The batch was kept and the notification ends delivered, once.
  auto store = Store::Open(dir / "pw.db");
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM batches WHERE status = 'committed'"), 2);
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM notifications"), 1);
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM notifications WHERE state = 'delivered'"), 1);
  EXPECT_EQ(Count(*store, "SELECT COUNT(*) FROM deliveries WHERE state = 'delivered'"), 1);
}

}  // namespace
}  // namespace parkwatch
