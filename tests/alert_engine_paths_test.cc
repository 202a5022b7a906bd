// The engine's two ways of applying a pass (AlertEngine::ApplyPath): each identity advanced in
// memory and written once, or every observation as an update through AlertStore::ApplyMany. Both
// must leave the store in exactly the same state: the same alert statuses with the same
// observation logs, the same events in the same order for each identity, the same outbox rows
// (the in-memory pass writes events as they happen, ApplyMany identity by identity, so only
// the interleaving of identities' ids differs). Checked on the demo park and on a generated park,
// for a first start after a bulk load of years, for later batches and for the first deadline check.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "alerts/engine.h"
#include "collectors/ingest.h"
#include "tests/support/temp_dir.h"
#include "tools/bench_data.h"
#include "tools/default_rules.h"
#include "tools/demo_config.h"
#include "tools/demo_park.h"

namespace parkwatch {
namespace {

using namespace std::chrono;
using testing::TempDir;

int64_t UnixOf(year_month_day day, int hour_utc) {
  return duration_cast<seconds>(sys_days(day).time_since_epoch()).count() + hour_utc * 3600;
}

// Every row of a table as text, in a stable order: what two stores are compared by.
std::vector<std::string> Rows(Store& store, const std::string& sql) {
  std::vector<std::string> out;
  Statement s(store.db(), sql);
  while (s.Step()) out.push_back(s.Text(0));
  return out;
}

std::vector<std::string> Alerts(Store& store) {
  return Rows(store,
              "SELECT fingerprint || '|' || rule || '|' || labels || '|' || cadence || '|' || "
              "state || '|' || severity || '|' || breach_count || '|' || clear_count || '|' || "
              "ifnull(first_breach_period, '') || '|' || ifnull(active_since_period, '') || '|' "
              "|| ifnull(last_period, '') || '|' || ifnull(value, '') || '|' || "
              "ifnull(value_at_firing, '') || '|' || fired_at || '|' || resolved_at || '|' || "
              "updated_at || '|' || annotations || '|' || log "
              "FROM alerts ORDER BY fingerprint");
}

// Each identity's events in order, without the ids (see above).
std::vector<std::string> Events(Store& store) {
  return Rows(store,
              "SELECT fingerprint || '|' || rule || '|' || labels || '|' || kind || "
              "'|' || severity || '|' || previous || '|' || cadence || '|' || period || '|' || "
              "ifnull(active_since, '') || '|' || ifnull(value, '') || '|' || "
              "ifnull(value_at_firing, '') || '|' || fired_at || '|' || at || '|' || annotations "
              "|| '|' || ifnull(revised_period, '') FROM alert_events ORDER BY fingerprint, id");
}

std::vector<std::string> Outbox(Store& store) {
  return Rows(store,
              "SELECT n.fingerprint || '|' || n.idempotency_key || '|' || n.kind || '|' || "
              "json_remove(n.payload, '$.event_id') || '|' || e.period FROM notifications n "
              "JOIN alert_events e ON e.id = n.event_id ORDER BY n.fingerprint, n.id");
}

// Two stores fed the same files, one engine each, one per ApplyPath.
class EnginePathsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<Diagnostic> d;
    ASSERT_TRUE(ParseConfig(DemoConfigYaml(), dir_ / "parkwatch.yml", &config_, &d))
        << JoinDiagnostics(d);
    ASSERT_TRUE(ParseRuleFile(DefaultRulesYaml(), "default.yml", &rules_, &d))
        << JoinDiagnostics(d);
    ASSERT_FALSE(config_.collectors.empty());
    collector_ = config_.collectors.front();
    for (int i = 0; i < 2; ++i) stores_[i] = Store::Open(dir_ / ("pw" + std::to_string(i) + ".db"));
  }

  void UseRules(const std::string& yaml) {
    std::vector<Diagnostic> d;
    rules_ = RuleSet();
    ASSERT_TRUE(ParseRuleFile(yaml, "rules.yml", &rules_, &d)) << JoinDiagnostics(d);
  }

  static void WriteFile(const std::string& path, const std::string& text) {
    std::ofstream(path) << text;
  }

  // Commits a file to both stores without evaluating it (as `parkwatch ingest` does).
  void Load(const std::string& file) {
    for (auto& store : stores_) {
      BatchSummary s = IngestFile(file, collector_, config_, *store);
      ASSERT_TRUE(s.status == "committed" || s.status == "duplicate") << JoinDiagnostics(s.errors);
    }
  }

  // Starts both engines (the first start evaluates what was loaded) and checks the deadlines.
  void Start(int64_t now) {
    for (int i = 0; i < 2; ++i) {
      engines_[i] = std::make_unique<AlertEngine>(stores_[i].get());
      engines_[i]->set_apply_path(i == 0 ? AlertEngine::ApplyPath::kInMemory
                                         : AlertEngine::ApplyPath::kPerObservation);
      results_[i] = engines_[i]->SetRules(std::make_shared<RuleSet>(rules_),
                                          std::make_shared<Config>(config_), now);
      EngineResult deadlines = engines_[i]->CheckDeadlines(now);
      results_[i].events += deadlines.events;
      results_[i].notifications += deadlines.notifications;
    }
  }

  // Ingests a file into both stores and has each running engine evaluate it.
  void Ingest(const std::string& file, int64_t now) {
    for (int i = 0; i < 2; ++i) {
      BatchSummary s = IngestFile(file, collector_, config_, *stores_[i]);
      ASSERT_EQ(s.status, "committed") << JoinDiagnostics(s.errors);
      EngineResult r = engines_[i]->OnBatch(s, now);
      results_[i].events += r.events;
      results_[i].notifications += r.notifications;
    }
  }

  void ExpectSameStores() {
    EXPECT_EQ(results_[0].events, results_[1].events);
    EXPECT_EQ(results_[0].notifications, results_[1].notifications);
    ExpectSameRows("alerts", Alerts(*stores_[0]), Alerts(*stores_[1]));
    ExpectSameRows("alert_events", Events(*stores_[0]), Events(*stores_[1]));
    ExpectSameRows("notifications", Outbox(*stores_[0]), Outbox(*stores_[1]),
                   /*may_be_empty=*/true);
  }

  // Row by row, naming the first that differs (thousands of rows would drown the message).
  static void ExpectSameRows(const std::string& table, const std::vector<std::string>& in_memory,
                             const std::vector<std::string>& per_observation,
                             bool may_be_empty = false) {
    if (!may_be_empty) {
      EXPECT_FALSE(in_memory.empty()) << table;
    }
    EXPECT_EQ(in_memory.size(), per_observation.size()) << table;
    for (size_t i = 0; i < std::min(in_memory.size(), per_observation.size()); ++i)
      if (in_memory[i] != per_observation[i]) {
        ADD_FAILURE() << table << " row " << i << " differs\n  in memory:       " << in_memory[i]
                      << "\n  per observation: " << per_observation[i];
        return;
      }
  }

  TempDir dir_;
  Config config_;
  RuleSet rules_;
  CollectorConfig collector_;
  std::unique_ptr<Store> stores_[2];
  std::unique_ptr<AlertEngine> engines_[2];
  EngineResult results_[2];
};

TEST_F(EnginePathsTest, DemoParkFirstStartAfterBulkLoadAndLaterBatchesMatch) {
  DemoParkOptions o;
  o.dir = dir_ / "demo";
  o.enterprises = 120;  // the planted stories, at a size the sanitizer build runs in seconds
  o.key_enterprises = 20;
  o.today = year_month_day(year(2026) / March / 20);
  std::string error;
  std::vector<std::string> files = WriteDemoPark(o, &error);
  ASSERT_GE(files.size(), 4u) << error;
  // The register and the first years arrive while no daemon runs; the rest one by one after.
  const size_t later = files.size() - 2;
  for (size_t i = 0; i < later; ++i) Load(files[i]);
  Start(UnixOf(year_month_day(year(2026) / March / 20), 6));
  for (size_t i = later; i < files.size(); ++i)
    Ingest(files[i], UnixOf(year_month_day(year(2026) / March / 20), 7));
  ExpectSameStores();
  EXPECT_GT(results_[0].notifications, 0);  // the recent periods are news
}

// Enterprise and park rules the generated park's figures (trend, season, noise) cross often.
const char* kGeneratedParkRules = R"(
groups:
  - name: monthly
    cadence: monthly
    rules:
      - alert: OutputDrop
        measure: yoy(output_value)
        levels: {yellow: -0.05, orange: -0.10, red: -0.20}
        clear: 0
        for: 2
        keep_firing_for: 1
        annotations:
          summary: "{{ .name }} {{ .period }} {{ .value }}"
      - alert: ElectricityDeclines
        measure: consecutive_declines(electricity)
        levels: {yellow: 2, red: 4}
      - alert: ParkOutput
        scope: park
        measure: ytd_yoy(output_value)
        levels: {yellow: 0.02, red: -0.02}
        clear: 0.05
      - alert: MonthlyReportMissing
        kind: missing_report
        reporters: all
        deadline: "day 10 12:00"
        levels: {yellow: 1, red: 2}
)";

// The rows of a generated CSV from month `from` (1 = its first month) to `to`, output values
// times factor (a correction), without the header.
std::string Months(const std::string& csv, int enterprises, int from, int to, double factor = 1) {
  std::ifstream in(csv);
  std::string line, out;
  std::getline(in, line);
  for (int row = 0; std::getline(in, line); ++row) {
    const int month = row / enterprises + 1;
    if (month < from || month > to) continue;
    if (factor == 1) {
      out += line + "\n";
      continue;
    }
    // code,period,output,electricity
    std::vector<std::string> f;
    for (size_t at = 0;;) {
      size_t comma = line.find(',', at);
      f.push_back(line.substr(at, comma - at));
      if (comma == std::string::npos) break;
      at = comma + 1;
    }
    char value[64];
    std::snprintf(value, sizeof value, "%.2f", std::stod(f[2]) * factor);
    out += f[0] + "," + f[1] + "," + value + "," + f[3] + "\n";
  }
  return out;
}

TEST_F(EnginePathsTest, GeneratedParkFirstStartAfterBulkLoadMatches) {
  UseRules(kGeneratedParkRules);
  const std::string csv = dir_ / "bulk.csv";
  std::string error;
  ASSERT_TRUE(WriteBenchCsv(csv, 400, 36, 7, &error)) << error;  // 2021-01 .. 2023-12
  Load(csv);
  Start(UnixOf(year_month_day(year(2024) / January / 15), 6));
  ExpectSameStores();
  EXPECT_GT(results_[0].events, 0);
}

// Late figures and revisions of earlier months in the same batch as new months: each identity's
// log is replayed in the pass, and both ways announce the same net changes.
TEST_F(EnginePathsTest, GeneratedParkBatchWithRevisionsOfEarlierMonthsMatches) {
  UseRules(kGeneratedParkRules);
  const std::string csv = dir_ / "bulk.csv";
  std::string error;
  ASSERT_TRUE(WriteBenchCsv(csv, 120, 30, 11, &error)) << error;  // 2021-01 .. 2023-06
  const std::string header = "统一社会信用代码,报告期,工业总产值(万元),用电量(万千瓦时)\n";
  WriteFile(dir_ / "first.csv", header + Months(csv, 120, 1, 24));
  Load(dir_ / "first.csv");
  Start(UnixOf(year_month_day(year(2023) / January / 20), 6));
  // Months 27..30 arrive before 25..26, and a correction lowers months 14..17 by a third.
  const int64_t now = UnixOf(year_month_day(year(2023) / July / 20), 6);
  WriteFile(dir_ / "late.csv", header + Months(csv, 120, 27, 30));
  Ingest(dir_ / "late.csv", now);
  WriteFile(dir_ / "gap.csv", header + Months(csv, 120, 25, 26) + Months(csv, 120, 14, 17, 0.66));
  Ingest(dir_ / "gap.csv", now);
  ExpectSameStores();
  Statement replayed(stores_[0]->db(),
                     "SELECT count(*) FROM alert_events WHERE revised_period IS NOT NULL");
  ASSERT_TRUE(replayed.Step());
  EXPECT_GT(replayed.Int(0), 0) << "no event came from a replay";
}

// At the first deadline check after start, enterprises missing for years are history: their
// alerts fire (the state is right) but nobody is told about gaps that began long ago.
TEST_F(EnginePathsTest, LongMissingReportsAtStartAreHistoryNotNews) {
  const std::string csv = dir_ / "bulk.csv";
  std::string error;
  ASSERT_TRUE(WriteBenchCsv(csv, 50, 24, 7, &error)) << error;  // 2021-01 .. 2022-12
  Load(csv);
  Start(UnixOf(year_month_day(year(2024) / June / 15), 6));  // 2023 and 2024 never reported
  AlertStore alerts(stores_[0].get());
  AlertFilter firing;
  firing.state = AlertState::kFiring;
  firing.rule = "MonthlyReportMissing";
  EXPECT_EQ(alerts.Active(firing).size(), 50u);
  EXPECT_EQ(Rows(*stores_[0], "SELECT fingerprint FROM notifications").size(), 0u);
  ExpectSameStores();
}

}  // namespace
}  // namespace parkwatch
