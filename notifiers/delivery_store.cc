#include "notifiers/delivery_store.h"

#include <nlohmann/json.hpp>

#include "alerts/alert_store.h"
#include "core/json_text.h"
#include "notifiers/router.h"

namespace parkwatch {
namespace {

using nlohmann::json;

constexpr const char* kDeliveryColumns =
    "d.id, d.notification_id, d.receiver, d.seq, d.group_key, d.state, d.attempts, "
    "d.next_attempt_at, d.created_at, d.delivered_at, d.last_error, d.group_interval_ms, "
    "d.repeat_interval_ms, n.idempotency_key, n.fingerprint, n.payload";

DeliveryRow ReadDelivery(const Statement& s) {
  DeliveryRow r;
  r.id = s.Int(0);
  r.notification_id = s.Int(1);
  r.receiver = s.Text(2);
  r.seq = static_cast<int>(s.Int(3));
  r.group_key = s.Text(4);
  r.state = s.Text(5);
  r.attempts = static_cast<int>(s.Int(6));
  r.next_attempt_at = s.Int(7);
  r.created_at = s.Int(8);
  if (!s.IsNull(9)) r.delivered_at = s.Int(9);
  r.last_error = s.Text(10);
  r.group_interval_ms = s.Int(11);
  r.repeat_interval_ms = s.Int(12);
  r.idempotency_key = s.Text(13);
  r.fingerprint = s.Text(14);
  r.payload = s.Text(15);
  return r;
}

Labels LabelsFromJson(const std::string& text) {
  Labels out;
  json j = json::parse(text, nullptr, false);
  if (j.is_object())
    for (auto& [k, v] : j.items())
      if (v.is_string()) out[k] = v.get<std::string>();
  return out;
}

CurrentAlert ReadAlert(const Statement& s) {
  CurrentAlert a;
  a.fingerprint = s.Text(0);
  a.rule = s.Text(1);
  a.labels = LabelsFromJson(s.Text(2));
  a.state = ParseAlertState(s.Text(3)).value_or(AlertState::kInactive);
  a.severity = ParseSeverity(s.Text(4)).value_or(Severity::kNone);
  a.fired_at = s.Int(5);
  return a;
}

const char* kInsertDelivery =
    "INSERT OR IGNORE INTO deliveries (notification_id, receiver, seq, group_key, state, "
    "next_attempt_at, created_at, last_error, group_interval_ms, repeat_interval_ms) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

}  // namespace

Labels CurrentAlert::AllLabels() const { return RoutingLabels(rule, labels, severity); }

std::vector<UnroutedNotification> DeliveryStore::Unrouted(int limit) {
  Statement s(store_->db(),
              "SELECT id, idempotency_key, fingerprint, payload, created_at FROM notifications "
              "WHERE routed_at IS NULL AND state = 'pending' ORDER BY id LIMIT ?");
  s.Bind(1, limit);
  std::vector<UnroutedNotification> out;
  while (s.Step()) out.push_back({s.Int(0), s.Text(1), s.Text(2), s.Text(3), s.Int(4)});
  return out;
}

void DeliveryStore::Route(int64_t notification_id, const std::vector<NewDelivery>& deliveries,
                          int64_t now_ms) {
  // Derived (store/sqlite.h): a power cut that takes it back leaves the notification unrouted,
  // and it is routed again, so the send after it does not wait for a disk flush of its own.
  Transaction txn(store_->db(), Durability::kDerived);
  Statement insert(store_->db(), kInsertDelivery);
  for (const auto& d : deliveries) {
    insert.Reset();
    insert.Bind(1, notification_id)
        .Bind(2, d.receiver)
        .Bind(3, 0)
        .Bind(4, d.group_key)
        .Bind(5, d.state)
        .Bind(6, d.next_attempt_at)
        .Bind(7, now_ms)
        .Bind(8, d.reason)
        .Bind(9, d.group_interval_ms)
        .Bind(10, d.repeat_interval_ms)
        .Run();
  }
  Statement mark(store_->db(), "UPDATE notifications SET routed_at = ? WHERE id = ?");
  mark.Bind(1, now_ms).Bind(2, notification_id).Run();
  Settle(notification_id, now_ms);
  txn.Commit();
}

bool DeliveryStore::ToldFiring(const std::string& fingerprint, const std::string& receiver) {
  // The idempotency key starts with "fingerprint/" and is unique, so its index finds the
  // alert's notifications ('0' is the character after '/').
  Statement s(store_->db(),
              "SELECT 1 FROM notifications n JOIN deliveries d ON d.notification_id = n.id "
              "WHERE n.idempotency_key >= ?1 || '/' AND n.idempotency_key < ?1 || '0' "
              "AND n.kind IN ('firing', 'escalated', 'deescalated') AND d.receiver = ?2 "
              "AND d.state IN ('pending', 'delivered') LIMIT 1");
  s.Bind(1, fingerprint).Bind(2, receiver);
  return s.Step();
}

void DeliveryStore::Settle(int64_t notification_id, int64_t now_ms) {
  // attempts on the notification count its deliveries' attempts, for the existing API.
  Statement s(store_->db(),
              "UPDATE notifications SET "
              "state = CASE WHEN EXISTS (SELECT 1 FROM deliveries WHERE notification_id = ?1 "
              "  AND seq = 0 AND state = 'delivered') OR NOT EXISTS (SELECT 1 FROM deliveries "
              "  WHERE notification_id = ?1 AND state = 'dead') THEN 'delivered' ELSE 'dead' END, "
              "delivered_at = CASE WHEN ?2 > 0 THEN ?2 / 1000 END, "
              "attempts = (SELECT COALESCE(SUM(attempts), 0) FROM deliveries WHERE "
              "  notification_id = ?1), "
              "last_error = COALESCE((SELECT last_error FROM deliveries WHERE notification_id = ?1 "
              "  AND state = 'dead' LIMIT 1), '') "
              "WHERE id = ?1 AND state = 'pending' AND routed_at IS NOT NULL AND NOT EXISTS "
              "(SELECT 1 FROM deliveries WHERE notification_id = ?1 AND seq = 0 AND "
              "state = 'pending')");
  s.Bind(1, notification_id).Bind(2, now_ms).Run();
}

std::vector<DeliveryRow> DeliveryStore::Due(int64_t now_ms, int limit) {
  Statement s(store_->db(),
              std::string("SELECT ") + kDeliveryColumns +
                  " FROM deliveries d JOIN notifications n ON n.id = d.notification_id "
                  "WHERE d.state = 'pending' AND d.next_attempt_at <= ? "
                  "ORDER BY d.next_attempt_at, d.id LIMIT ?");
  s.Bind(1, now_ms).Bind(2, limit);
  std::vector<DeliveryRow> out;
  while (s.Step()) out.push_back(ReadDelivery(s));
  return out;
}

std::optional<int64_t> DeliveryStore::NextDue() {
  Statement s(store_->db(), "SELECT MIN(next_attempt_at) FROM deliveries WHERE state = 'pending'");
  if (s.Step() && !s.IsNull(0)) return s.Int(0);
  return std::nullopt;
}

std::map<std::string, int64_t> DeliveryStore::LastDeliveredByGroup(int64_t since_ms) {
  Statement s(store_->db(),
              "SELECT group_key, MAX(delivered_at) FROM deliveries WHERE state = 'delivered' "
              "AND delivered_at >= ? GROUP BY group_key");
  s.Bind(1, since_ms);
  std::map<std::string, int64_t> out;
  while (s.Step()) out[s.Text(0)] = s.Int(1);
  return out;
}

void DeliveryStore::MarkDelivered(int64_t id, int64_t now_ms, const DeliveryRow* repeat_of,
                                  int64_t repeat_at) {
  Transaction txn(store_->db());
  Statement s(store_->db(),
              "UPDATE deliveries SET state = 'delivered', attempts = attempts + 1, "
              "delivered_at = ?, last_error = '' WHERE id = ? RETURNING notification_id");
  s.Bind(1, now_ms).Bind(2, id);
  if (s.Step()) {
    int64_t nid = s.Int(0);
    s.Reset();
    Settle(nid, now_ms);
  }
  if (repeat_of) ScheduleRepeat(*repeat_of, repeat_at, now_ms);
  txn.Commit();
}

void DeliveryStore::MarkRetry(int64_t id, const std::string& error, int64_t next_attempt_at) {
  Statement s(store_->db(),
              "UPDATE deliveries SET attempts = attempts + 1, last_error = ?, "
              "next_attempt_at = ? WHERE id = ?");
  s.Bind(1, error).Bind(2, next_attempt_at).Bind(3, id).Run();
}

void DeliveryStore::MarkDead(int64_t id, const std::string& error) {
  Transaction txn(store_->db());
  Statement s(store_->db(),
              "UPDATE deliveries SET state = 'dead', attempts = attempts + 1, last_error = ? "
              "WHERE id = ? RETURNING notification_id");
  s.Bind(1, error).Bind(2, id);
  if (s.Step()) {
    int64_t nid = s.Int(0);
    s.Reset();
    Settle(nid, 0);
  }
  txn.Commit();
}

void DeliveryStore::Suppress(int64_t id, const std::string& reason) {
  Transaction txn(store_->db());
  Statement s(store_->db(),
              "UPDATE deliveries SET state = 'suppressed', last_error = ? WHERE id = ? "
              "RETURNING notification_id");
  s.Bind(1, reason).Bind(2, id);
  if (s.Step()) {
    int64_t nid = s.Int(0);
    s.Reset();
    Settle(nid, 0);
  }
  txn.Commit();
}

void DeliveryStore::Postpone(int64_t id, int64_t next_attempt_at) {
  Statement s(store_->db(), "UPDATE deliveries SET next_attempt_at = ? WHERE id = ?");
  s.Bind(1, next_attempt_at).Bind(2, id).Run();
}

void DeliveryStore::ScheduleRepeat(const DeliveryRow& row, int64_t at_ms, int64_t now_ms) {
  Statement s(store_->db(), kInsertDelivery);
  s.Bind(1, row.notification_id)
      .Bind(2, row.receiver)
      .Bind(3, row.seq + 1)
      .Bind(4, row.group_key)
      .Bind(5, "pending")
      .Bind(6, at_ms)
      .Bind(7, now_ms)
      .Bind(8, "")
      .Bind(9, row.group_interval_ms)
      .Bind(10, row.repeat_interval_ms)
      .Run();
}

bool DeliveryStore::AddFallback(const DeliveryRow& row, const std::string& receiver,
                                int64_t now_ms) {
  Statement s(store_->db(), kInsertDelivery);
  s.Bind(1, row.notification_id)
      .Bind(2, receiver)
      .Bind(3, row.seq)
      .Bind(4, receiver + ":dead-letter")
      .Bind(5, "pending")
      .Bind(6, now_ms)
      .Bind(7, now_ms)
      .Bind(8, "")
      .Bind(9, 0)
      .Bind(10, 0)
      .Run();
  return sqlite3_changes(store_->db()) > 0;
}

std::optional<CurrentAlert> DeliveryStore::Alert(const std::string& fingerprint) {
  Statement s(store_->db(),
              "SELECT fingerprint, rule, labels, state, severity, fired_at FROM alerts "
              "WHERE fingerprint = ?");
  s.Bind(1, fingerprint);
  if (s.Step()) return ReadAlert(s);
  return std::nullopt;
}

std::vector<CurrentAlert> DeliveryStore::FiringAlerts() {
  Statement s(store_->db(),
              "SELECT fingerprint, rule, labels, state, severity, fired_at FROM alerts "
              "WHERE state = 'firing'");
  std::vector<CurrentAlert> out;
  while (s.Step()) {
    out.push_back(ReadAlert(s));
    // Inhibition compares them with notifications, which carry the register's context.
    out.back().labels = WithRegisterContext(*store_, out.back().labels);
  }
  return out;
}

std::vector<DeliveryRow> DeliveryStore::DeadLetters(int limit) {
  Statement s(store_->db(),
              std::string("SELECT ") + kDeliveryColumns +
                  " FROM deliveries d JOIN notifications n ON n.id = d.notification_id "
                  "WHERE d.state = 'dead' ORDER BY d.id DESC LIMIT ?");
  s.Bind(1, limit);
  std::vector<DeliveryRow> out;
  while (s.Step()) out.push_back(ReadDelivery(s));
  return out;
}

std::vector<DeliveryRow> DeliveryStore::Deliveries(int64_t notification_id) {
  Statement s(store_->db(),
              std::string("SELECT ") + kDeliveryColumns +
                  " FROM deliveries d JOIN notifications n ON n.id = d.notification_id "
                  "WHERE d.notification_id = ? ORDER BY d.id");
  s.Bind(1, notification_id);
  std::vector<DeliveryRow> out;
  while (s.Step()) out.push_back(ReadDelivery(s));
  return out;
}

DeliveryStore::Backlog DeliveryStore::PendingBacklog() {
  Backlog b;
  Statement d(store_->db(),
              "SELECT COUNT(*), MIN(created_at) FROM deliveries WHERE state = 'pending' AND "
              "seq = 0");
  if (d.Step()) {
    b.depth = d.Int(0);
    if (!d.IsNull(1)) b.oldest_ms = d.Int(1);
  }
  Statement n(store_->db(),
              "SELECT COUNT(*), MIN(created_at) FROM notifications WHERE state = 'pending' AND "
              "routed_at IS NULL");
  if (n.Step()) {
    b.depth += n.Int(0);
    if (!n.IsNull(1)) {
      int64_t ms = n.Int(1) * 1000;
      if (!b.oldest_ms || ms < *b.oldest_ms) b.oldest_ms = ms;
    }
  }
  return b;
}

int64_t DeliveryStore::AddSilence(const Silence& silence) {
  Statement s(store_->db(),
              "INSERT INTO silences (matchers, author, comment, starts_at, ends_at, created_at) "
              "VALUES (?, ?, ?, ?, ?, ?)");
  s.Bind(1, DumpJson(json(silence.matchers)))
      .Bind(2, silence.author)
      .Bind(3, silence.comment)
      .Bind(4, silence.starts_at)
      .Bind(5, silence.ends_at)
      .Bind(6, silence.created_at)
      .Run();
  return sqlite3_last_insert_rowid(store_->db());
}

bool DeliveryStore::ExpireSilence(int64_t id, int64_t now) {
  Statement s(store_->db(), "UPDATE silences SET ends_at = ? WHERE id = ? AND ends_at > ?");
  s.Bind(1, now).Bind(2, id).Bind(3, now).Run();
  return sqlite3_changes(store_->db()) > 0;
}

std::vector<Silence> DeliveryStore::Silences(bool active_only, int64_t now) {
  Statement s(store_->db(),
              std::string("SELECT id, matchers, author, comment, starts_at, ends_at, created_at "
                          "FROM silences") +
                  (active_only ? " WHERE starts_at <= ?1 AND ends_at > ?1" : "") + " ORDER BY id");
  if (active_only) s.Bind(1, now);
  std::vector<Silence> out;
  while (s.Step()) {
    Silence x;
    x.id = s.Int(0);
    json m = json::parse(s.Text(1), nullptr, false);
    if (m.is_array())
      for (auto& v : m)
        if (v.is_string()) x.matchers.push_back(v.get<std::string>());
    x.author = s.Text(2);
    x.comment = s.Text(3);
    x.starts_at = s.Int(4);
    x.ends_at = s.Int(5);
    x.created_at = s.Int(6);
    out.push_back(std::move(x));
  }
  return out;
}

bool DeliveryStore::Acknowledge(const std::string& fingerprint, const std::string& author,
                                const std::string& note, int64_t now) {
  auto alert = Alert(fingerprint);
  if (!alert || alert->state != AlertState::kFiring) return false;
  Statement s(store_->db(),
              "INSERT INTO acknowledgements (fingerprint, severity, fired_at, author, note, at) "
              "VALUES (?, ?, ?, ?, ?, ?)");
  s.Bind(1, fingerprint)
      .Bind(2, SeverityName(alert->severity))
      .Bind(3, alert->fired_at)
      .Bind(4, author)
      .Bind(5, note)
      .Bind(6, now)
      .Run();
  return true;
}

std::vector<Acknowledgement> DeliveryStore::Acknowledgements(const std::string& fingerprint,
                                                             int limit) {
  Statement s(store_->db(),
              std::string("SELECT id, fingerprint, severity, fired_at, author, note, at "
                          "FROM acknowledgements") +
                  (fingerprint.empty() ? "" : " WHERE fingerprint = ?2") +
                  " ORDER BY at DESC, id DESC LIMIT ?1");
  s.Bind(1, static_cast<int64_t>(limit));
  if (!fingerprint.empty()) s.Bind(2, fingerprint);
  std::vector<Acknowledgement> out;
  while (s.Step()) {
    Acknowledgement a;
    a.id = s.Int(0);
    a.fingerprint = s.Text(1);
    a.severity = ParseSeverity(s.Text(2)).value_or(Severity::kNone);
    a.fired_at = s.Int(3);
    a.author = s.Text(4);
    a.note = s.Text(5);
    a.at = s.Int(6);
    out.push_back(std::move(a));
  }
  return out;
}

bool DeliveryStore::IsAcknowledged(const std::string& fingerprint, Severity severity,
                                   int64_t fired_at) {
  Statement s(store_->db(),
              "SELECT 1 FROM acknowledgements WHERE fingerprint = ? AND severity = ? AND "
              "fired_at = ? LIMIT 1");
  s.Bind(1, fingerprint).Bind(2, SeverityName(severity)).Bind(3, fired_at);
  return s.Step();
}

}  // namespace parkwatch
