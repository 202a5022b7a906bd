#include "alerts/alert_store.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <utility>

#include "core/json_text.h"

namespace parkwatch {
namespace {

using nlohmann::json;

// Labels and annotations come from enterprise names and config: invalid UTF-8 is replaced
// rather than failing the whole evaluation over one bad byte.
std::string Dump(const json& j) { return DumpJson(j); }

std::optional<int64_t> PeriodKey(const Period& p) {
  return p.valid() ? std::optional<int64_t>(p.key()) : std::nullopt;
}

Period PeriodColumn(const Statement& s, int col, Cadence cadence) {
  if (s.IsNull(col)) return Period();
  return Period::FromKey(cadence, s.Int(col)).value_or(Period());
}

std::optional<double> OptionalDouble(const Statement& s, int col) {
  return s.IsNull(col) ? std::nullopt : std::optional<double>(s.Double(col));
}

Severity SeverityOrNone(const std::string& name) {
  return ParseSeverity(name).value_or(Severity::kNone);
}

template <typename T>
json OrNull(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json PeriodJson(const Period& p) { return p.valid() ? json(p.ToString()) : json(nullptr); }

// The observation log is internal state, never queried, and the bulk of a status: five years of
// monthly observations. Since migration 12 it is a BLOB of about 10 bytes an observation (the
// text before it took 20–30, and as much again in the WAL): a first start writes tens of
// thousands of logs, and every start after it reads them back.
//   one byte: the format, 1;
//   per observation, ascending by period: a varint (7 bits a byte, low first, high bit = more)
//   of (its period's key - the key before it (0 before the first)) * 16 + level * 2 + cleared,
//   then the value as 8 bytes, IEEE 754 little-endian, exactly as computed.
// An empty log is stored as the empty text, as before.
constexpr char kLogFormat = 1;

void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

// False when the bytes end inside the varint or it is longer than 64 bits.
bool GetVarint(std::string_view* in, uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift < 64 && !in->empty(); shift += 7) {
    const auto byte = static_cast<uint8_t>(in->front());
    in->remove_prefix(1);
    *v |= uint64_t{byte & 0x7fu} << shift;
    if (!(byte & 0x80)) return true;
  }
  return false;
}

std::string LogBytes(const std::vector<LoggedObservation>& log) {
  std::string out;
  out.reserve(1 + log.size() * 11);
  out.push_back(kLogFormat);
  int64_t previous = 0;
  for (const LoggedObservation& l : log) {
    const int64_t key = l.period.key();
    PutVarint(static_cast<uint64_t>(key - previous) * 16 + static_cast<uint64_t>(l.breach) * 2 +
                  (l.cleared ? 1 : 0),
              &out);
    previous = key;
    uint64_t bits;
    std::memcpy(&bits, &l.value, sizeof bits);
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(bits >> (8 * i)));
  }
  return out;
}

// What a damaged log still holds: the observations before the damage.
std::vector<LoggedObservation> LogFromBytes(std::string_view in, Cadence cadence) {
  std::vector<LoggedObservation> log;
  if (in.empty() || in.front() != kLogFormat) return log;
  in.remove_prefix(1);
  int64_t key = 0;
  uint64_t head = 0;
  while (!in.empty() && GetVarint(&in, &head) && in.size() >= 8) {
    key += static_cast<int64_t>(head / 16);
    uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) bits |= uint64_t{static_cast<uint8_t>(in[i])} << (8 * i);
    in.remove_prefix(8);
    double value;
    std::memcpy(&value, &bits, sizeof value);
    const auto level = static_cast<int>(head % 16 / 2);
    auto period = Period::FromKey(cadence, key);
    if (!period || level > 4) continue;
    log.push_back({*period, value, static_cast<Severity>(level), head % 2 != 0});
  }
  return log;
}

// Logs written before migration 12: "period_key:value:level:cleared;" per observation, as text.
// Such a row is rewritten in the binary form the next time its identity changes.
std::vector<LoggedObservation> LogFromText(const std::string& text, Cadence cadence) {
  std::vector<LoggedObservation> log;
  const char* p = text.c_str();
  while (*p) {
    char* end = nullptr;
    long long key = std::strtoll(p, &end, 10);
    if (*end != ':') break;
    double value = std::strtod(end + 1, &end);
    if (*end != ':') break;
    long level = std::strtol(end + 1, &end, 10);
    if (*end != ':') break;
    long cleared = std::strtol(end + 1, &end, 10);
    if (*end != ';') break;
    p = end + 1;
    auto period = Period::FromKey(cadence, key);
    if (!period || level < 0 || level > 4) continue;
    log.push_back({*period, value, static_cast<Severity>(level), cleared != 0});
  }
  return log;
}

std::map<std::string, std::string> StringMapFromJson(const std::string& text) {
  std::map<std::string, std::string> out;
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return out;
  for (const auto& [k, v] : j.items())
    if (v.is_string()) out[k] = v.get<std::string>();
  return out;
}

json NotificationPayload(const AlertEventRow& row, const Labels& labels) {
  const AlertEvent& e = row.event;
  return {{"version", 1},
          {"event_id", row.id},
          {"fingerprint", row.fingerprint},
          {"rule", row.rule},
          {"labels", labels},
          {"annotations", e.annotations},
          {"kind", EventKindName(e.kind)},
          {"status", e.kind == EventKind::kResolved ? "resolved" : "firing"},
          {"severity", SeverityName(e.severity)},
          {"severity_zh", SeverityChineseName(e.severity)},
          {"previous", SeverityName(e.previous)},
          {"cadence", CadenceName(e.period.cadence())},
          {"period", e.period.ToString()},
          {"active_since", PeriodJson(e.active_since_period)},
          {"value", OrNull(e.value)},
          {"value_at_firing", OrNull(e.value_at_firing)},
          {"fired_at", e.fired_at},
          {"at", e.at},
          {"revised_period", PeriodJson(e.revised_period)}};
}

constexpr const char* kAlertColumns =
    "fingerprint, rule, labels, cadence, state, severity, breach_count, clear_count, "
    "first_breach_period, active_since_period, last_period, value, value_at_firing, fired_at, "
    "resolved_at, updated_at, annotations, log";

// The same columns with the annotations and the log left empty (AlertFilter::brief).
constexpr const char* kBriefAlertColumns =
    "fingerprint, rule, labels, cadence, state, severity, breach_count, clear_count, "
    "first_breach_period, active_since_period, last_period, value, value_at_firing, fired_at, "
    "resolved_at, updated_at, '{}', ''";

AlertRow ReadAlert(const Statement& s) {
  AlertRow row;
  row.fingerprint = s.Text(0);
  row.rule = s.Text(1);
  row.labels = StringMapFromJson(s.Text(2));
  Cadence cadence = CadenceFromCode(s.Text(3));
  AlertStatus& st = row.status;
  st.state = ParseAlertState(s.Text(4)).value_or(AlertState::kInactive);
  st.severity = SeverityOrNone(s.Text(5));
  st.breach_count = static_cast<int>(s.Int(6));
  st.clear_count = static_cast<int>(s.Int(7));
  st.first_breach_period = PeriodColumn(s, 8, cadence);
  st.active_since_period = PeriodColumn(s, 9, cadence);
  st.last_period = PeriodColumn(s, 10, cadence);
  st.value = OptionalDouble(s, 11);
  st.value_at_firing = OptionalDouble(s, 12);
  st.fired_at = s.Int(13);
  st.resolved_at = s.Int(14);
  st.updated_at = s.Int(15);
  st.annotations = StringMapFromJson(s.Text(16));
  st.log = s.IsBlob(17) ? LogFromBytes(s.BlobView(17), cadence) : LogFromText(s.Text(17), cadence);
  return row;
}

constexpr const char* kEventColumns =
    "id, fingerprint, rule, labels, kind, severity, previous, cadence, period, active_since, "
    "value, value_at_firing, fired_at, at, annotations, revised_period";

AlertEventRow ReadEvent(const Statement& s) {
  AlertEventRow row;
  row.id = s.Int(0);
  row.fingerprint = s.Text(1);
  row.rule = s.Text(2);
  row.labels = StringMapFromJson(s.Text(3));
  AlertEvent& e = row.event;
  e.kind = ParseEventKind(s.Text(4)).value_or(EventKind::kFiring);
  e.severity = SeverityOrNone(s.Text(5));
  e.previous = SeverityOrNone(s.Text(6));
  Cadence cadence = CadenceFromCode(s.Text(7));
  e.period = PeriodColumn(s, 8, cadence);
  e.active_since_period = PeriodColumn(s, 9, cadence);
  e.value = OptionalDouble(s, 10);
  e.value_at_firing = OptionalDouble(s, 11);
  e.fired_at = s.Int(12);
  e.at = s.Int(13);
  e.annotations = StringMapFromJson(s.Text(14));
  e.revised_period = PeriodColumn(s, 15, cadence);
  return row;
}

}  // namespace

bool IsNotified(EventKind kind) { return kind != EventKind::kPending; }

// Prepared once per AlertStore: a re-evaluation runs these hundreds of times per transaction.
struct AlertStore::Statements {
  explicit Statements(sqlite3* db)
      : load(db, std::string("SELECT ") + kAlertColumns + " FROM alerts WHERE fingerprint = ?"),
        save(db, std::string("INSERT OR REPLACE INTO alerts (") + kAlertColumns +
                     ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        insert_event(db,
                     "INSERT INTO alert_events (fingerprint, rule, labels, kind, severity, "
                     "previous, cadence, period, active_since, value, value_at_firing, fired_at, "
                     "at, annotations, revised_period) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        count_same_events(db,
                          "SELECT COUNT(*) FROM alert_events WHERE fingerprint = ? AND period = ? "
                          "AND kind = ? AND severity = ? AND cadence = ?"),
        insert_notification(db,
                            "INSERT OR IGNORE INTO notifications (idempotency_key, event_id, "
                            "fingerprint, kind, payload, state, attempts, next_attempt_at, "
                            "created_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)") {}

  Statement load, save, insert_event, count_same_events, insert_notification;
};

AlertStore::AlertStore(Store* store)
    : store_(store), stmts_(std::make_unique<Statements>(store->db())) {}

AlertStore::~AlertStore() = default;

std::vector<AlertEvent> AlertStore::Apply(const std::string& rule, const Labels& labels,
                                          const Observation& obs, const Timing& timing,
                                          int64_t now) {
  AlertUpdate update{rule, labels, obs, timing};
  std::vector<AlertEventRow> rows = ApplyMany({update}, now);
  std::vector<AlertEvent> events;
  events.reserve(rows.size());
  for (auto& row : rows) events.push_back(std::move(row.event));
  return events;
}

std::vector<AlertEventRow> AlertStore::ApplyMany(const std::vector<AlertUpdate>& updates,
                                                 int64_t now) {
  // One identity's updates together, in their order: its row is read and written once, and
  // the revisions among them are announced once, as their net effect.
  std::vector<std::vector<const AlertUpdate*>> groups;
  std::unordered_map<std::string, size_t> group_of;
  for (const AlertUpdate& u : updates) {
    auto [it, fresh] = group_of.try_emplace(Fingerprint(u.rule, u.labels), groups.size());
    if (fresh) groups.emplace_back();
    groups[it->second].push_back(&u);
  }
  std::vector<std::string> fingerprints(groups.size());
  for (const auto& [fp, index] : group_of) fingerprints[index] = fp;

  Transaction txn(store_->db());
  std::vector<AlertEventRow> rows;
  for (size_t i = 0; i < groups.size(); ++i) ApplyIdentity(fingerprints[i], groups[i], now, &rows);
  txn.Commit();
  return rows;
}

bool IsTold(const AlertEvent& e, bool notify, Period notify_since) {
  if (!IsNotified(e.kind)) return false;
  if (notify_since.valid())
    return e.period.cadence() == notify_since.cadence() && e.period >= notify_since;
  return notify;
}

void AlertStore::ApplyIdentity(const std::string& fingerprint,
                               const std::vector<const AlertUpdate*>& updates, int64_t now,
                               std::vector<AlertEventRow>* out) {
  AlertStatus status;
  if (auto row = Get(fingerprint)) status = std::move(row->status);
  const AlertStatus before = status;

  // Forward steps are announced one by one (a history load records each episode); revisions
  // are folded in and announced together before the next forward step, or at the end.
  std::vector<std::pair<AlertEvent, const AlertUpdate*>> events;
  AlertSnapshot announced = status;
  Period revised;  // earliest period replayed since the last announcement
  const AlertUpdate* last_revision = nullptr;
  auto announce_revisions = [&] {
    if (!last_revision) return;
    for (AlertEvent& e : Announce(announced, &status, revised, now))
      events.emplace_back(std::move(e), last_revision);
    announced = status;
    revised = Period();
    last_revision = nullptr;
  };
  for (const AlertUpdate* u : updates) {
    if (IsRevision(status, u->observation)) {
      Revise(&status, u->observation, u->timing, now);
      if (!revised.valid() || u->observation.period < revised) revised = u->observation.period;
      last_revision = u;
      continue;
    }
    announce_revisions();
    for (AlertEvent& e : Advance(&status, u->observation, u->timing, now))
      events.emplace_back(std::move(e), u);
    announced = status;
  }
  announce_revisions();
  if (status == before) return;  // no data, the same observations again, or nothing new

  const AlertUpdate& first = *updates.front();
  SaveStatus(fingerprint, first.rule, first.labels, status, first.observation.period);
  for (auto& [event, update] : events) {
    const bool told = IsTold(event, update->notify, update->notify_since);
    out->push_back(
        RecordEvent(fingerprint, update->rule, update->labels, std::move(event), told, now));
  }
}

void AlertStore::SaveStatus(const std::string& fingerprint, const std::string& rule,
                            const Labels& labels, const AlertStatus& status, Period observed) {
  Statements& q = *stmts_;
  q.save.Reset();
  q.save.Bind(1, fingerprint)
      .Bind(2, rule)
      .Bind(3, DumpJsonObject(labels))
      .Bind(4, CadenceCode((status.last_period.valid() ? status.last_period : observed).cadence()))
      .Bind(5, AlertStateName(status.state))
      .Bind(6, SeverityName(status.severity))
      .Bind(7, status.breach_count)
      .Bind(8, status.clear_count)
      .Bind(9, PeriodKey(status.first_breach_period))
      .Bind(10, PeriodKey(status.active_since_period))
      .Bind(11, PeriodKey(status.last_period))
      .Bind(12, status.value)
      .Bind(13, status.value_at_firing)
      .Bind(14, status.fired_at)
      .Bind(15, status.resolved_at)
      .Bind(16, status.updated_at)
      .Bind(17, DumpJsonObject(status.annotations))
      .Bind(18, std::string_view(""));
  // An empty log stays the empty text it always was: readers find the identities that hold data
  // by log != '' (a BLOB is never equal to text).
  if (!status.log.empty()) q.save.BindBlob(18, LogBytes(status.log));
  q.save.Run();
}

AlertEventRow AlertStore::RecordEvent(const std::string& fingerprint, const std::string& rule,
                                      const Labels& labels, AlertEvent event, bool told,
                                      int64_t now) {
  Statements& q = *stmts_;
  AlertEventRow row;
  row.fingerprint = fingerprint;
  row.rule = rule;
  row.labels = labels;
  row.event = std::move(event);
  const AlertEvent& e = row.event;
  const std::string cadence = CadenceCode(e.period.cadence());

  q.insert_event.Reset();
  q.insert_event.Bind(1, fingerprint)
      .Bind(2, rule)
      .Bind(3, DumpJsonObject(labels))
      .Bind(4, EventKindName(e.kind))
      .Bind(5, SeverityName(e.severity))
      .Bind(6, SeverityName(e.previous))
      .Bind(7, cadence)
      .Bind(8, e.period.key())
      .Bind(9, PeriodKey(e.active_since_period))
      .Bind(10, e.value)
      .Bind(11, e.value_at_firing)
      .Bind(12, e.fired_at)
      .Bind(13, e.at)
      .Bind(14, DumpJsonObject(e.annotations))
      .Bind(15, PeriodKey(e.revised_period))
      .Run();
  row.id = sqlite3_last_insert_rowid(store_->db());

  if (told) {
    row.notified = true;
    // The n-th event of this kind and level for this period, counting the one just written.
    // n is 1 except when revisions flip one period back and forth; then the later
    // notification must not be swallowed as a duplicate of the first.
    q.count_same_events.Reset();
    q.count_same_events.Bind(1, fingerprint)
        .Bind(2, e.period.key())
        .Bind(3, EventKindName(e.kind))
        .Bind(4, SeverityName(e.severity))
        .Bind(5, cadence)
        .Step();
    const int64_t occurrence = q.count_same_events.Int(0);
    q.count_same_events.Reset();
    std::string key = fingerprint + "/" + e.period.ToString() + "/" +
                      std::string(EventKindName(e.kind)) + "/" +
                      std::string(SeverityName(e.severity));
    if (occurrence > 1) key += "/" + std::to_string(occurrence);

    q.insert_notification.Reset();
    q.insert_notification.Bind(1, key)
        .Bind(2, row.id)
        .Bind(3, fingerprint)
        .Bind(4, EventKindName(e.kind))
        .Bind(5, Dump(NotificationPayload(row, WithRegisterContext(*store_, row.labels))))
        .Bind(6, now)
        .Bind(7, now)
        .Run();
  }
  return row;
}

std::optional<AlertRow> AlertStore::Get(const std::string& fingerprint) {
  Statements& q = *stmts_;
  q.load.Reset();
  std::optional<AlertRow> row;
  if (q.load.Bind(1, fingerprint).Step()) row = ReadAlert(q.load);
  q.load.Reset();
  return row;
}

bool AlertStore::AnyOfRule(const std::string& rule) {
  Statement s(store_->db(), "SELECT EXISTS (SELECT 1 FROM alerts WHERE rule = ?)");
  return s.Bind(1, rule).Step() && s.Int(0) != 0;
}

std::vector<AlertRow> AlertStore::Active(const AlertFilter& filter) {
  std::string sql = std::string("SELECT ") + (filter.brief ? kBriefAlertColumns : kAlertColumns) +
                    " FROM alerts WHERE state IN (?, ?)";
  if (!filter.rule.empty()) sql += " AND rule = ?";
  Statement s(store_->db(), sql);
  const bool only_one = filter.state && *filter.state != AlertState::kInactive;
  s.Bind(1, AlertStateName(only_one ? *filter.state : AlertState::kPending));
  s.Bind(2, AlertStateName(only_one ? *filter.state : AlertState::kFiring));
  if (!filter.rule.empty()) s.Bind(3, filter.rule);

  std::vector<AlertRow> rows;
  while (s.Step()) {
    AlertRow row = ReadAlert(s);
    if (row.status.severity >= filter.min_severity) rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end(), [](const AlertRow& a, const AlertRow& b) {
    if (a.status.severity != b.status.severity) return a.status.severity > b.status.severity;
    if (a.rule != b.rule) return a.rule < b.rule;
    return a.fingerprint < b.fingerprint;
  });
  return rows;
}

std::vector<AlertEventRow> AlertStore::History(int limit, const std::string& rule,
                                               const std::string& fingerprint,
                                               const std::string& enterprise) {
  std::string sql = std::string("SELECT ") + kEventColumns + " FROM alert_events WHERE 1";
  if (!rule.empty()) sql += " AND rule = ?";
  if (!fingerprint.empty()) sql += " AND fingerprint = ?";
  if (!enterprise.empty()) sql += " AND json_extract(labels, '$.enterprise') = ?";
  sql += " ORDER BY id DESC LIMIT ?";
  Statement s(store_->db(), sql);
  int index = 1;
  if (!rule.empty()) s.Bind(index++, rule);
  if (!fingerprint.empty()) s.Bind(index++, fingerprint);
  if (!enterprise.empty()) s.Bind(index++, enterprise);
  s.Bind(index, limit);
  std::vector<AlertEventRow> rows;
  while (s.Step()) rows.push_back(ReadEvent(s));
  return rows;
}

std::vector<AlertEventRow> AlertStore::EventsInPeriods(Period from, Period to) {
  Statement s(store_->db(), std::string("SELECT ") + kEventColumns +
                                " FROM alert_events WHERE cadence = ? AND period BETWEEN ? AND ? "
                                "ORDER BY id");
  s.Bind(1, CadenceCode(from.cadence()));
  s.Bind(2, from.key());
  s.Bind(3, to.key());
  std::vector<AlertEventRow> rows;
  while (s.Step()) rows.push_back(ReadEvent(s));
  return rows;
}

std::vector<OutboxRow> AlertStore::PendingNotifications(int limit) {
  Statement s(store_->db(),
              "SELECT id, idempotency_key, event_id, fingerprint, kind, payload, state, attempts, "
              "next_attempt_at, created_at, delivered_at, last_error FROM notifications "
              "WHERE state = 'pending' ORDER BY next_attempt_at, id LIMIT ?");
  s.Bind(1, limit);
  std::vector<OutboxRow> rows;
  while (s.Step()) {
    OutboxRow row;
    row.id = s.Int(0);
    row.idempotency_key = s.Text(1);
    row.event_id = s.Int(2);
    row.fingerprint = s.Text(3);
    row.kind = ParseEventKind(s.Text(4)).value_or(EventKind::kFiring);
    row.payload = s.Text(5);
    row.state = s.Text(6);
    row.attempts = static_cast<int>(s.Int(7));
    row.next_attempt_at = s.Int(8);
    row.created_at = s.Int(9);
    if (!s.IsNull(10)) row.delivered_at = s.Int(10);
    row.last_error = s.Text(11);
    rows.push_back(std::move(row));
  }
  return rows;
}

void AlertStore::MarkDelivered(int64_t id, int64_t now) {
  Statement s(store_->db(),
              "UPDATE notifications SET state = 'delivered', attempts = attempts + 1, "
              "delivered_at = ?, last_error = '' WHERE id = ?");
  s.Bind(1, now).Bind(2, id).Run();
}

void AlertStore::MarkFailed(int64_t id, const std::string& error, std::optional<int64_t> retry_at) {
  Statement s(store_->db(),
              "UPDATE notifications SET attempts = attempts + 1, last_error = ?, "
              "state = CASE WHEN ? IS NULL THEN 'dead' ELSE 'pending' END, "
              "next_attempt_at = COALESCE(?, next_attempt_at) WHERE id = ?");
  s.Bind(1, error).Bind(2, retry_at).Bind(3, retry_at).Bind(4, id).Run();
}

int64_t AlertStore::PruneInactive(int64_t before) {
  Statement s(store_->db(), "DELETE FROM alerts WHERE state = 'inactive' AND updated_at < ?");
  s.Bind(1, before).Run();
  return sqlite3_changes(store_->db());
}

namespace {

void AddRegisterContext(const EnterpriseRow& e, Labels* labels) {
  if (!e.industry.empty()) labels->emplace("industry", e.industry);
  if (!e.name.empty()) labels->emplace("enterprise_name", e.name);
  labels->emplace("key", e.key ? "true" : "false");
}

}  // namespace

Labels WithRegisterContext(Store& store, const Labels& identity) {
  Labels labels = identity;
  auto code = identity.find("enterprise");
  if (code == identity.end()) return labels;
  if (auto e = store.FindEnterprise(code->second)) AddRegisterContext(*e, &labels);
  return labels;
}

void WithRegisterContext(Store& store, std::vector<AlertRow>* rows) {
  if (rows->size() < 500) {
    for (AlertRow& row : *rows) row.labels = WithRegisterContext(store, row.labels);
    return;
  }
  std::unordered_map<std::string, EnterpriseRow> by_code;
  for (EnterpriseRow& e : store.Enterprises()) by_code.emplace(e.credit_code, std::move(e));
  for (AlertRow& row : *rows) {
    auto code = row.labels.find("enterprise");
    if (code == row.labels.end()) continue;
    if (auto e = by_code.find(code->second); e != by_code.end())
      AddRegisterContext(e->second, &row.labels);
  }
}

}  // namespace parkwatch
