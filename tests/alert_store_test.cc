// The durable alert lifecycle against a real SQLite file: state survives restarts, each event
// is recorded once with its outbox row in the same transaction, revisions, queries.
#include "alerts/alert_store.h"

#include <gtest/gtest.h>

#include <cstring>
#include <nlohmann/json.hpp>
#include <set>

#include "store/schema.h"
#include "tests/support/temp_dir.h"

namespace parkwatch {
namespace {

using nlohmann::json;
using testing::TempDir;
using testing::TestCreditCode;

constexpr char kRule[] = "KeyEnterpriseOutputDrop";

Period W(int week) { return Period::Week(2024, week); }

Labels Enterprise(int n) { return {{"enterprise", TestCreditCode(n)}, {"industry", "装备制造"}}; }

Observation Breach(Period p, double value, Severity s) {
  Observation o;
  o.period = p;
  o.value = value;
  o.breach = s;
  o.annotations = {{"summary", "产值同比下降"}};
  return o;
}

Observation Cleared(Period p, double value) {
  Observation o;
  o.period = p;
  o.value = value;
  o.cleared = true;
  return o;
}

int64_t Count(Store& store, const std::string& table) {
  Statement s(store.db(), "SELECT COUNT(*) FROM " + table);
  s.Step();
  return s.Int(0);
}

TEST(AlertStoreTest, MigrationCreatesTables) {
  TempDir dir;
  auto store = Store::Open(dir / "pw.db");
  EXPECT_GE(store->schema_version(), 2);
  EXPECT_EQ(Count(*store, "alerts"), 0);
  EXPECT_EQ(Count(*store, "alert_events"), 0);
  EXPECT_EQ(Count(*store, "notifications"), 0);
}

// A store written before migration 11 (alerts WITHOUT ROWID) opens with every status, its log
// and labels as they were, and the engine's per-rule question answers for it.
TEST(AlertStoreTest, StatusesWrittenBeforeTheAlertsTableWasRebuiltSurviveTheUpgrade) {
  TempDir dir;
  const Timing t{2, 0};
  std::optional<AlertRow> want;
  {
    auto now_store = Store::Open(dir / "now.db");
    AlertStore alerts(now_store.get());
    alerts.Apply(kRule, Enterprise(1), Breach(W(1), -0.2, Severity::kOrange), t, 100);
    alerts.Apply(kRule, Enterprise(1), Breach(W(2), -0.3, Severity::kRed), t, 200);
    alerts.Apply(kRule, Enterprise(2), Cleared(W(2), 0.1), t, 200);
    want = alerts.Get(Fingerprint(kRule, Enterprise(1)));
    ASSERT_TRUE(want);
    ASSERT_EQ(want->status.state, AlertState::kFiring);
  }
  // The old store: migrations 1–10 only, then the same rows copied in.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir / "old.db").c_str(), &db), SQLITE_OK);
  Exec(db,
       "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
       "applied_at INTEGER NOT NULL)");
  for (const Migration& m : Migrations()) {
    if (m.version > 10) break;
    Exec(db, std::string(m.sql));
    Exec(db, "INSERT INTO schema_migrations VALUES (" + std::to_string(m.version) + ", '', 0)");
  }
  Exec(db, "ATTACH '" + (dir / "now.db") +
               "' AS now; INSERT INTO alerts (fingerprint, rule, labels, cadence, state, "
               "severity, breach_count, clear_count, first_breach_period, active_since_period, "
               "last_period, value, value_at_firing, fired_at, resolved_at, updated_at, "
               "annotations, log) SELECT fingerprint, rule, labels, cadence, state, severity, "
               "breach_count, clear_count, first_breach_period, active_since_period, "
               "last_period, value, value_at_firing, fired_at, resolved_at, updated_at, "
               "annotations, log FROM now.alerts; DETACH now");
  sqlite3_close(db);

  auto store = Store::Open(dir / "old.db");
  EXPECT_GE(store->schema_version(), 11);
  AlertStore alerts(store.get());
  EXPECT_EQ(Count(*store, "alerts"), 2);
  auto got = alerts.Get(want->fingerprint);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->rule, want->rule);
  EXPECT_EQ(got->labels, want->labels);
  EXPECT_TRUE(got->status == want->status);
  EXPECT_EQ(got->status.log.size(), 2u);
  EXPECT_TRUE(alerts.AnyOfRule(kRule));
  EXPECT_FALSE(alerts.AnyOfRule("ParkElectricityDrop"));
  // Written after the upgrade: a status replaced in place, a new identity beside it.
  alerts.Apply(kRule, Enterprise(1), Cleared(W(3), 0.1), t, 300);
  alerts.Apply(kRule, Enterprise(3), Breach(W(3), -0.2, Severity::kOrange), t, 300);
  EXPECT_EQ(Count(*store, "alerts"), 3);
  EXPECT_EQ(alerts.Get(want->fingerprint)->status.state, AlertState::kInactive);
}

std::string LogStorage(Store& store, const std::string& fingerprint) {
  Statement s(store.db(), "SELECT typeof(log) FROM alerts WHERE fingerprint = ?");
  s.Bind(1, fingerprint);
  return s.Step() ? s.Text(0) : "";
}

// Every field of the observation log comes back exactly as written, whatever the periods (weeks
// across a 53-week year, a Jan–Feb period, years apart), levels, clear marks and values.
TEST(AlertStoreTest, ObservationLogRoundTripsEveryField) {
  TempDir dir;
  auto store = Store::Open(dir / "pw.db");
  AlertStore alerts(store.get());
  const std::vector<double> values = {0.0,
                                      -0.0,
                                      0.1 + 0.2,
                                      -0.062,
                                      123456789.123456789,
                                      4.9406564584124654e-324,  // the least denormal
                                      -1.7976931348623157e308,
                                      3.141592653589793,
                                      1e-9,
                                      -42.0};
  const std::vector<Period> weeks = {
      Period::Week(2020, 1), Period::Week(2020, 52), Period::Week(2020, 53), Period::Week(2021, 1),
      Period::Week(2021, 2), Period::Week(2023, 17), Period::Week(2024, 30), Period::Week(2024, 31),
      Period::Week(2026, 5), Period::Week(2026, 6)};
  const std::vector<Period> months = {Period::Month(2019, 11), Period::Month(2019, 12),
                                      Period::JanFeb(2020),    Period::Month(2020, 3),
                                      Period::Month(2020, 12), Period::Month(2021, 1),
                                      Period::Month(2021, 2),  Period::Month(2024, 6),
                                      Period::JanFeb(2025),    Period::Month(2025, 4)};
  for (const auto& periods : {weeks, months}) {
    AlertStatus status;
    for (size_t i = 0; i < periods.size(); ++i)
      status.log.push_back({periods[i], values[i], static_cast<Severity>(i % 5), i % 3 == 1});
    status.state = AlertState::kFiring;
    status.severity = Severity::kRed;
    status.last_period = periods.back();
    status.value = values.back();
    const Labels labels = Enterprise(periods.front().weekly() ? 1 : 2);
    const std::string fingerprint = Fingerprint(kRule, labels);
    alerts.SaveStatus(fingerprint, kRule, labels, status, periods.back());

    auto got = alerts.Get(fingerprint);
    ASSERT_TRUE(got);
    EXPECT_TRUE(got->status == status);
    ASSERT_EQ(got->status.log.size(), periods.size());
    for (size_t i = 0; i < periods.size(); ++i) {
      const LoggedObservation& l = got->status.log[i];
      EXPECT_EQ(l.period, periods[i]) << i;
      EXPECT_EQ(l.period.cadence(), periods[i].cadence()) << i;
      // Bit for bit: -0.0 stays negative, the denormal stays itself.
      EXPECT_EQ(std::memcmp(&l.value, &values[i], sizeof(double)), 0) << i;
      EXPECT_EQ(l.breach, static_cast<Severity>(i % 5)) << i;
      EXPECT_EQ(l.cleared, i % 3 == 1) << i;
    }
    EXPECT_EQ(LogStorage(*store, fingerprint), "blob");
  }
  // Five years of monthly observations take about 10 bytes each.
  AlertStatus five_years;
  Period p = Period::Month(2020, 1);
  for (int i = 0; i < 60; ++i, p = p.Next()) five_years.log.push_back({p, -0.0123 * i});
  five_years.last_period = five_years.log.back().period;
  alerts.SaveStatus(Fingerprint(kRule, Enterprise(3)), kRule, Enterprise(3), five_years, p);
  Statement size(store->db(), "SELECT length(log) FROM alerts WHERE fingerprint = ?");
  ASSERT_TRUE(size.Bind(1, Fingerprint(kRule, Enterprise(3))).Step());
  EXPECT_LE(size.Int(0), 1 + 60 * 11);
  EXPECT_TRUE(alerts.Get(Fingerprint(kRule, Enterprise(3)))->status == five_years);
  // A status whose revisions emptied its log holds no data, and reads as such: log = ''.
  alerts.SaveStatus(Fingerprint(kRule, Enterprise(4)), kRule, Enterprise(4), AlertStatus{}, W(1));
  EXPECT_TRUE(alerts.Get(Fingerprint(kRule, Enterprise(4)))->status.log.empty());
  Statement holding(store->db(), "SELECT fingerprint FROM alerts WHERE log != ''");
  std::set<std::string> with_data;
  while (holding.Step()) with_data.insert(holding.Text(0));
  EXPECT_EQ(with_data.size(), 3u);
  EXPECT_EQ(with_data.count(Fingerprint(kRule, Enterprise(4))), 0u);
}

// Statuses written before migration 12 kept their log as text: they are read as they were, a
// late figure replays their observations, and the row is written in the binary form when it
// changes.
TEST(AlertStoreTest, TextLogsWrittenBeforeTheBinaryLogAreStillRead) {
  TempDir dir;
  const Timing t{2, 0};
  const Labels labels = Enterprise(1);
  const std::string fingerprint = Fingerprint(kRule, labels);
  // The old store: migrations 1–11, one firing identity (orange in weeks 1 and 2, for: 2) as
  // such a version wrote it.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir / "pw.db").c_str(), &db), SQLITE_OK);
  Exec(db,
       "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
       "applied_at INTEGER NOT NULL)");
  for (const Migration& m : Migrations()) {
    if (m.version > 11) break;
    Exec(db, std::string(m.sql));
    Exec(db, "INSERT INTO schema_migrations VALUES (" + std::to_string(m.version) + ", '', 0)");
  }
  {
    Statement insert(db,
                     "INSERT INTO alerts (fingerprint, rule, labels, cadence, state, severity, "
                     "breach_count, clear_count, first_breach_period, active_since_period, "
                     "last_period, value, value_at_firing, fired_at, resolved_at, updated_at, "
                     "annotations, log) VALUES (?, ?, ?, 'W', 'firing', 'orange', 2, 0, 202401, "
                     "202402, 202402, -0.3, -0.3, 200, 0, 200, '{\"summary\":\"产值同比下降\"}', "
                     "'202401:-0.2:3:0;202402:-0.29999999999999999:3:0;')");
    insert.Bind(1, fingerprint).Bind(2, kRule).Bind(3, json(labels).dump()).Run();
  }
  sqlite3_close(db);

  auto store = Store::Open(dir / "pw.db");
  EXPECT_GE(store->schema_version(), 12);
  AlertStore alerts(store.get());
  auto old = alerts.Get(fingerprint);
  ASSERT_TRUE(old);
  EXPECT_EQ(LogStorage(*store, fingerprint), "text");  // opening rewrites nothing
  ASSERT_EQ(old->status.log.size(), 2u);
  EXPECT_EQ(old->status.log[0], (LoggedObservation{W(1), -0.2, Severity::kOrange, false}));
  EXPECT_EQ(old->status.log[1], (LoggedObservation{W(2), -0.3, Severity::kOrange, false}));
  EXPECT_EQ(old->status.state, AlertState::kFiring);
  EXPECT_EQ(old->status.annotations.at("summary"), "产值同比下降");

  // A late figure of week 1 takes its breach away: the replay of the old log leaves one
  // breached week, short of for: 2, so the alert resolves.
  auto events = alerts.Apply(kRule, labels, Cleared(W(1), 0.05), t, 300);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, EventKind::kResolved);
  EXPECT_EQ(events[0].revised_period, W(1));
  auto now = alerts.Get(fingerprint);
  ASSERT_TRUE(now);
  EXPECT_EQ(LogStorage(*store, fingerprint), "blob");
  ASSERT_EQ(now->status.log.size(), 2u);
  EXPECT_EQ(now->status.log[0], (LoggedObservation{W(1), 0.05, Severity::kNone, true}));
  EXPECT_EQ(now->status.log[1], old->status.log[1]);
  EXPECT_EQ(now->status.state, AlertState::kPending);
}

// Routes and the alert gauges see an enterprise's alert with the register's industry, name and key
// flag; labelling thousands of alerts at once (one read of the register) gives each the labels
// it gets on its own.
TEST(AlertStoreTest, RegisterContextOfManyAlertsAtOnceIsEachAlertsOwn) {
  TempDir dir;
  auto store = Store::Open(dir / "pw.db");
  {
    auto txn = store->BeginIngest({"register.csv", "register", "r"});
    for (int n = 1; n <= 700; ++n) {
      EnterpriseRecord e;
      e.credit_code = TestCreditCode(n);
      if (n % 3) e.name = "企业" + std::to_string(n);
      if (n % 4) e.industry = n % 2 ? "装备制造" : "医药化工";
      e.key = n % 5 == 0;
      EXPECT_EQ(txn->PutEnterprise(e).en, "");
    }
    BatchSummary s;
    s.status = "committed";
    txn->Commit(&s);
  }
  std::vector<AlertRow> rows;
  for (int n = 1; n <= 720; ++n) {  // 701–720 are in no register
    AlertRow row;
    row.rule = kRule;
    row.labels = {{"enterprise", TestCreditCode(n)}, {"scope", "enterprise"}};
    if (n == 7) row.labels["industry"] = "rule's own";  // an identity's label stays
    rows.push_back(row);
  }
  rows.push_back({"", "ParkElectricityDrop", {{"scope", "park"}}, {}});
  std::vector<AlertRow> at_once = rows;
  WithRegisterContext(*store, &at_once);
  ASSERT_EQ(at_once.size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i)
    EXPECT_EQ(at_once[i].labels, WithRegisterContext(*store, rows[i].labels)) << i;
  EXPECT_EQ(at_once[0].labels.at("enterprise_name"), "企业1");
  EXPECT_EQ(at_once[0].labels.at("industry"), "装备制造");
  EXPECT_EQ(at_once[4].labels.at("key"), "true");
  EXPECT_EQ(at_once[6].labels.at("industry"), "rule's own");
  EXPECT_EQ(at_once[710].labels.count("key"), 0u);
  EXPECT_EQ(at_once.back().labels, rows.back().labels);
}

TEST(AlertStoreTest, RestartInTheMiddleOfForKeepsTheCount) {
  TempDir dir;
  const Timing t{2, 0};
  {
    auto store = Store::Open(dir / "pw.db");
    AlertStore alerts(store.get());
    auto e = alerts.Apply(kRule, Enterprise(1), Breach(W(1), -0.2, Severity::kOrange), t, 100);
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].kind, EventKind::kPending);
  }  // the daemon stops
  auto store = Store::Open(dir / "pw.db");
  AlertStore alerts(store.get());
  auto row = alerts.Get(Fingerprint(kRule, Enterprise(1)));
  ASSERT_TRUE(row);
  EXPECT_EQ(row->status.state, AlertState::kPending);
  EXPECT_EQ(row->status.breach_count, 1);
  EXPECT_EQ(row->labels, Enterprise(1));
  EXPECT_EQ(row->status.annotations.at("summary"), "产值同比下降");

  auto e = alerts.Apply(kRule, Enterprise(1), Breach(W(2), -0.25, Severity::kOrange), t, 200);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].kind, EventKind::kFiring);
  EXPECT_EQ(e[0].value_at_firing, -0.25);
}

TEST(AlertStoreTest, RestartKeepsTheRevisionSnapshot) {
  TempDir dir;
  const Timing t{2, 0};
  {
    auto store = Store::Open(dir / "pw.db");
    AlertStore alerts(store.get());
    alerts.Apply(kRule, Enterprise(1), Breach(W(1), -0.2, Severity::kOrange), t, 1);
    alerts.Apply(kRule, Enterprise(1), Breach(W(2), -0.2, Severity::kOrange), t, 2);
  }
  auto store = Store::Open(dir / "pw.db");
  AlertStore alerts(store.get());
  // Week 2 revised out of breach after the restart: resolves, not counted twice.
  auto e = alerts.Apply(kRule, Enterprise(1), Cleared(W(2), 0.01), t, 3);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].kind, EventKind::kResolved);
  EXPECT_EQ(e[0].value, 0.01);
  EXPECT_EQ(e[0].value_at_firing, -0.2);
  // Revised back: fires again, at the same period, since the week-1 breach still counts.
  e = alerts.Apply(kRule, Enterprise(1), Breach(W(2), -0.2, Severity::kOrange), t, 4);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].kind, EventKind::kFiring);
}

TEST(AlertStoreTest, OneOutboxRowPerNotifiedEventAndNoDuplicates) {
  TempDir dir;
  auto store = Store::Open(dir / "pw.db");
  AlertStore alerts(store.get());
  const Timing t{2, 0};
  const Labels labels = Enterprise(1);
  const std::string fp = Fingerprint(kRule, labels);

  alerts.Apply(kRule, labels, Breach(W(1), -0.2, Severity::kOrange), t, 10);
  EXPECT_EQ(Count(*store, "alert_events"), 1);
  EXPECT_EQ(Count(*store, "notifications"), 0);  // pending is history, not a notification

  auto obs = Breach(W(2), -0.2, Severity::kOrange);
  EXPECT_EQ(alerts.Apply(kRule, labels, obs, t, 20).size(), 1u);
  EXPECT_TRUE(alerts.Apply(kRule, labels, obs, t, 21).empty());  // same observation again
  EXPECT_TRUE(alerts.Apply(kRule, labels, obs, t, 22).empty());
  EXPECT_EQ(Count(*store, "alert_events"), 2);
  auto outbox = alerts.PendingNotifications(10);
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(outbox[0].idempotency_key, fp + "/2024-W02/firing/orange");
  EXPECT_EQ(outbox[0].kind, EventKind::kFiring);
  EXPECT_EQ(outbox[0].fingerprint, fp);
  EXPECT_EQ(outbox[0].state, "pending");
  EXPECT_EQ(outbox[0].next_attempt_at, 20);
  EXPECT_EQ(outbox[0].created_at, 20);

  json payload = json::parse(outbox[0].payload);
  EXPECT_EQ(payload["status"], "firing");
  EXPECT_EQ(payload["severity"], "orange");
  EXPECT_EQ(payload["severity_zh"], "橙");
  EXPECT_EQ(payload["period"], "2024-W02");
  EXPECT_EQ(payload["cadence"], "weekly");
  EXPECT_EQ(payload["rule"], kRule);
  EXPECT_EQ(payload["labels"]["enterprise"], TestCreditCode(1));
  EXPECT_EQ(payload["annotations"]["summary"], "产值同比下降");
  EXPECT_EQ(payload["value"], -0.2);
  EXPECT_EQ(payload["fired_at"], 20);
  EXPECT_EQ(payload["event_id"], outbox[0].event_id);

  alerts.Apply(kRule, labels, Cleared(W(3), 0.02), t, 30);
  alerts.Apply(kRule, labels, Cleared(W(3), 0.02), t, 31);
  outbox = alerts.PendingNotifications(10);
  ASSERT_EQ(outbox.size(), 2u);
  EXPECT_EQ(outbox[1].idempotency_key, fp + "/2024-W03/resolved/orange");
  payload = json::parse(outbox[1].payload);
  EXPECT_EQ(payload["status"], "resolved");
  EXPECT_EQ(payload["value_at_firing"], -0.2);
  EXPECT_EQ(payload["active_since"], "2024-W02");
}

TEST(AlertStoreTest, RevisionFlipFlopKeepsEveryNotification) {
  TempDir dir;
  auto store = Store::Open(dir / "pw.db");
  AlertStore alerts(store.get());
  const Timing t{1, 0};
  const std::string fp = Fingerprint(kRule, Enterprise(2));
  alerts.Apply(kRule, Enterprise(2), Breach(W(5), -0.12, Severity::kYellow), t, 1);
  alerts.Apply(kRule, Enterprise(2), Cleared(W(5), 0.01), t, 2);
  alerts.Apply(kRule, Enterprise(2), Breach(W(5), -0.12, Severity::kYellow), t, 3);
  auto outbox = alerts.PendingNotifications(10);
  ASSERT_EQ(outbox.size(), 3u);
  EXPECT_EQ(outbox[0].idempotency_key, fp + "/2024-W05/firing/yellow");
  EXPECT_EQ(outbox[1].idempotency_key, fp + "/2024-W05/resolved/yellow");
  EXPECT_EQ(outbox[2].idempotency_key, fp + "/2024-W05/firing/yellow/2");
  EXPECT_EQ(alerts.Get(fp)->status.state, AlertState::kFiring);
}

TEST(AlertStoreTest, NoDataWritesNothing) {
  TempDir dir;
  auto store = Store::Open(dir / "pw.db");
  AlertStore alerts(store.get());
  Observation none;
  none.period = W(1);
  EXPECT_TRUE(alerts.Apply(kRule, Enterprise(1), none, Timing{}, 1).empty());
  EXPECT_EQ(Count(*store, "alerts"), 0);

  alerts.Apply(kRule, Enterprise(1), Breach(W(1), -0.3, Severity::kRed), Timing{}, 2);
  auto before = alerts.Get(Fingerprint(kRule, Enterprise(1)));
  none.period = W(2);
  EXPECT_TRUE(alerts.Apply(kRule, Enterprise(1), none, Timing{}, 3).empty());
  auto after = alerts.Get(Fingerprint(kRule, Enterprise(1)));
  ASSERT_TRUE(before && after);
  EXPECT_EQ(before->status, after->status);
}

TEST(AlertStoreTest, ApplyManyIsOneTransactionAndRollsBackWhole) {
  TempDir dir;
  auto store = Store::Open(dir / "pw.db");
  {
    AlertStore alerts(store.get());
    std::vector<AlertUpdate> updates;
    for (int i = 0; i < 300; ++i) {
      Observation o = i % 3 == 0 ? Breach(W(1), -0.3, Severity::kRed) : Cleared(W(1), 0.05);
      updates.push_back({kRule, Enterprise(i), o, Timing{1, 0}});
    }
    auto rows = alerts.ApplyMany(updates, 50);
    ASSERT_EQ(rows.size(), 100u);
    for (const auto& r : rows) {
      EXPECT_GT(r.id, 0);
      EXPECT_EQ(r.event.kind, EventKind::kFiring);
      EXPECT_EQ(r.fingerprint, Fingerprint(r.rule, r.labels));
    }
    EXPECT_EQ(Count(*store, "alerts"), 300);
    EXPECT_EQ(Count(*store, "notifications"), 100);
  }

  // A failure in the middle of a batch (here: the outbox is gone) keeps nothing of it, so a
  // state change can never be committed without its notification.
  AlertStore alerts(store.get());
  Exec(store->db(), "DROP TABLE notifications");
  std::vector<AlertUpdate> updates = {
      {kRule, Enterprise(1000), Cleared(W(2), 0.1), Timing{1, 0}},
      {kRule, Enterprise(1001), Breach(W(2), -0.3, Severity::kRed), Timing{1, 0}},
  };
  EXPECT_THROW(alerts.ApplyMany(updates, 60), StoreError);
  EXPECT_FALSE(alerts.Get(Fingerprint(kRule, Enterprise(1000))));
  EXPECT_FALSE(alerts.Get(Fingerprint(kRule, Enterprise(1001))));
  EXPECT_EQ(Count(*store, "alert_events"), 100);
}

TEST(AlertStoreTest, ActiveFiltersAndOrders) {
  TempDir dir;
  auto store = Store::Open(dir / "pw.db");
  AlertStore alerts(store.get());
  alerts.Apply(kRule, Enterprise(1), Breach(W(1), -0.06, Severity::kBlue), Timing{1, 0}, 1);
  alerts.Apply(kRule, Enterprise(2), Breach(W(1), -0.35, Severity::kRed), Timing{1, 0}, 1);
  alerts.Apply(kRule, Enterprise(3), Breach(W(1), -0.12, Severity::kYellow), Timing{3, 0}, 1);
  alerts.Apply(kRule, Enterprise(4), Cleared(W(1), 0.1), Timing{1, 0}, 1);
  alerts.Apply("ParkElectricityDrop", {}, Breach(W(1), -0.2, Severity::kOrange), Timing{1, 0}, 1);

  auto all = alerts.Active();
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].status.severity, Severity::kRed);
  EXPECT_EQ(all[1].rule, "ParkElectricityDrop");
  EXPECT_EQ(all[2].status.state, AlertState::kPending);
  EXPECT_EQ(all[3].status.severity, Severity::kBlue);

  EXPECT_EQ(alerts.Active({AlertState::kPending}).size(), 1u);
  EXPECT_EQ(alerts.Active({AlertState::kFiring}).size(), 3u);
  EXPECT_EQ(alerts.Active({std::nullopt, Severity::kOrange}).size(), 2u);
  EXPECT_EQ(alerts.Active({AlertState::kFiring, Severity::kNone, kRule}).size(), 2u);
}

TEST(AlertStoreTest, HistoryNewestFirstByRuleAndIdentity) {
  TempDir dir;
  auto store = Store::Open(dir / "pw.db");
  AlertStore alerts(store.get());
  const Timing t{1, 0};
  alerts.Apply(kRule, Enterprise(1), Breach(W(1), -0.06, Severity::kBlue), t, 1);
  alerts.Apply(kRule, Enterprise(1), Breach(W(2), -0.25, Severity::kOrange), t, 2);
  alerts.Apply(kRule, Enterprise(1), Breach(W(3), -0.12, Severity::kYellow), t, 3);
  alerts.Apply(kRule, Enterprise(1), Cleared(W(4), 0.0), t, 4);
  alerts.Apply("Other", Enterprise(1), Breach(W(4), -0.4, Severity::kRed), t, 5);

  auto h = alerts.History(10, kRule);
  ASSERT_EQ(h.size(), 4u);
  EXPECT_EQ(h[0].event.kind, EventKind::kResolved);
  EXPECT_EQ(h[0].event.severity, Severity::kYellow);
  EXPECT_EQ(h[0].event.period, W(4));
  EXPECT_EQ(h[0].event.value_at_firing, -0.06);
  EXPECT_EQ(h[0].event.active_since_period, W(1));
  EXPECT_EQ(h[1].event.kind, EventKind::kDeescalated);
  EXPECT_EQ(h[1].event.previous, Severity::kOrange);
  EXPECT_EQ(h[2].event.kind, EventKind::kEscalated);
  EXPECT_EQ(h[3].event.kind, EventKind::kFiring);
  EXPECT_EQ(h[3].event.annotations.at("summary"), "产值同比下降");
  EXPECT_EQ(h[3].labels, Enterprise(1));

  EXPECT_EQ(alerts.History(2).size(), 2u);
  EXPECT_EQ(alerts.History(2)[0].rule, "Other");
  EXPECT_EQ(alerts.History(10, "", Fingerprint("Other", Enterprise(1))).size(), 1u);
}

TEST(AlertStoreTest, DeliveryBookkeeping) {
  TempDir dir;
  auto store = Store::Open(dir / "pw.db");
  AlertStore alerts(store.get());
  for (int i = 0; i < 3; ++i)
    alerts.Apply(kRule, Enterprise(i), Breach(W(1), -0.3, Severity::kRed), Timing{}, 10);
  auto outbox = alerts.PendingNotifications(10);
  ASSERT_EQ(outbox.size(), 3u);
  alerts.MarkDelivered(outbox[0].id, 11);
  alerts.MarkFailed(outbox[1].id, "HTTP 200 errcode 310000", 70);
  alerts.MarkFailed(outbox[2].id, "gave up", std::nullopt);
  auto left = alerts.PendingNotifications(10);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].id, outbox[1].id);
  EXPECT_EQ(left[0].attempts, 1);
  EXPECT_EQ(left[0].next_attempt_at, 70);
  EXPECT_EQ(left[0].last_error, "HTTP 200 errcode 310000");
  Statement dead(store->db(), "SELECT state, attempts FROM notifications WHERE id = ?");
  ASSERT_TRUE(dead.Bind(1, outbox[2].id).Step());
  EXPECT_EQ(dead.Text(0), "dead");
}

TEST(AlertStoreTest, PruneInactiveKeepsActiveAndHistory) {
  TempDir dir;
  auto store = Store::Open(dir / "pw.db");
  AlertStore alerts(store.get());
  alerts.Apply(kRule, Enterprise(1), Cleared(W(1), 0.1), Timing{}, 10);
  alerts.Apply(kRule, Enterprise(2), Breach(W(1), -0.3, Severity::kRed), Timing{}, 10);
  EXPECT_EQ(alerts.PruneInactive(11), 1);
  EXPECT_FALSE(alerts.Get(Fingerprint(kRule, Enterprise(1))));
  EXPECT_TRUE(alerts.Get(Fingerprint(kRule, Enterprise(2))));
  EXPECT_EQ(Count(*store, "alert_events"), 1);
}

}  // namespace
}  // namespace parkwatch
