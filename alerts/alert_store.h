// Durable alert lifecycle: each alert identity's status, the history of its events and the
// notification outbox, in the store's SQLite database (schema migration 2, store/schema.cc).
//
// Apply() loads an identity's status, advances it with one observation (alerts/lifecycle.h) and
// writes the new status, its events and one outbox row per notified event in one transaction.
// A crash therefore keeps either all of it or none of it: a notification is never lost, and
// because the same observation applied again yields no events, never written twice.
//
// Like Store, an AlertStore uses one connection and is not thread-safe; it must not outlive its
// Store. Methods throw StoreError on database failures.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "alerts/alert.h"
#include "alerts/lifecycle.h"
#include "store/store.h"

namespace parkwatch {

// Whether an event kind goes to receivers. Pending does not: like Prometheus, parkwatch tells
// people when an alert fires, changes level or resolves, not when it might fire. Pending events
// are still recorded in the history.
bool IsNotified(EventKind kind);

// One alert identity with its status.
struct AlertRow {
  std::string fingerprint;
  std::string rule;
  Labels labels;
  AlertStatus status;
};

// One recorded event, with the identity it belongs to.
struct AlertEventRow {
  int64_t id = 0;
  std::string fingerprint;
  std::string rule;
  Labels labels;
  AlertEvent event;
  bool notified = false;  // written to the outbox
};

// One notification in the outbox. Deliveries move it from pending to delivered, or to dead
// after giving up.
struct OutboxRow {
  int64_t id = 0;
  std::string idempotency_key;  // stable across retries; receivers may deduplicate by it
  int64_t event_id = 0;
  std::string fingerprint;
  EventKind kind = EventKind::kFiring;
  std::string payload;  // JSON object: see AlertStore::Apply
  std::string state;    // pending | delivered | dead
  int attempts = 0;
  int64_t next_attempt_at = 0;
  int64_t created_at = 0;
  std::optional<int64_t> delivered_at;
  std::string last_error;
};

// One identity's observation, for ApplyMany.
struct AlertUpdate {
  std::string rule;
  Labels labels;
  Observation observation;
  Timing timing;
  // False when replaying history (periods before the current one, a first load of years of
  // data, a backtest): the events are recorded but nobody is told about 2023 in 2026.
  bool notify = true;
  // The notification horizon, when set: an event is notified iff its period is at or after it,
  // whether a forward step or a replay caused it (a replay's events are dated at the latest
  // period of the identity, so a late figure that makes an alert fire now is told, one that
  // rewrites 2023 is not). When unset, notify decides.
  Period notify_since;
};

// Which active alerts to list. Defaults list every pending and firing alert.
struct AlertFilter {
  std::optional<AlertState> state;          // pending or firing only (inactive: no filter)
  Severity min_severity = Severity::kNone;  // at least this level
  std::string rule;                         // only this rule, if not empty
  // Without the observation log and the annotations (left empty): for readers that count
  // alerts by their labels and levels (the /metrics gauges), tens of thousands at a first start.
  bool brief = false;
};

class AlertStore {
 public:
  explicit AlertStore(Store* store);
  ~AlertStore();
  AlertStore(const AlertStore&) = delete;
  AlertStore& operator=(const AlertStore&) = delete;

  // Loads, advances and saves one identity in one transaction; returns the events (possibly
  // none). now is unix seconds.
  //
  // Each event is appended to alert_events; each notified one (IsNotified) also to the outbox,
  // state pending, due at once, with idempotency key "<fingerprint>/<period>/<kind>/<severity>"
  // (plus "/<n>" for the n-th such event, n >= 2, which only a revision flipping the same period
  // back and forth produces) and a JSON payload with version, event_id, fingerprint, rule,
  // labels, annotations, kind, status (firing | resolved), severity, severity_zh, previous,
  // cadence, period, active_since, value, value_at_firing, fired_at and at.
  std::vector<AlertEvent> Apply(const std::string& rule, const Labels& labels,
                                const Observation& obs, const Timing& timing, int64_t now);

  // Apply() for many identities in one transaction (a re-evaluation after an ingest touches
  // hundreds). Each identity's updates are applied together, in their order; revisions among
  // them (alerts/lifecycle.h) are announced once, as their net change, before the identity's
  // next forward step. Returns the events with their identities and ids, identity by identity
  // in the order of their first update.
  std::vector<AlertEventRow> ApplyMany(const std::vector<AlertUpdate>& updates, int64_t now);

  // One identity's row, if it has ever been observed with data.
  std::optional<AlertRow> Get(const std::string& fingerprint);
  // Whether any identity of rule has a status (if not, every Get of one would find nothing: a
  // new rule, a first start, the first deadline check after a bulk load). One index lookup.
  bool AnyOfRule(const std::string& rule);

  // The two writes Apply makes, for a caller that advances statuses itself (the engine keeps a
  // pass's statuses in memory and writes each identity's last one), inside the caller's
  // transaction: the status as it is now (observed: a period of the identity's cadence, for a
  // status whose log revisions emptied), and one event with, when told (IsTold), its outbox row.
  void SaveStatus(const std::string& fingerprint, const std::string& rule, const Labels& labels,
                  const AlertStatus& status, Period observed);
  AlertEventRow RecordEvent(const std::string& fingerprint, const std::string& rule,
                            const Labels& labels, AlertEvent event, bool told, int64_t now);

  // Pending and firing alerts matching filter, most severe first, then by rule and fingerprint.
  std::vector<AlertRow> Active(const AlertFilter& filter = {});

  // The newest events first, at most limit, optionally of one rule, one identity and/or one
  // enterprise (its label enterprise: a credit code).
  std::vector<AlertEventRow> History(int limit, const std::string& rule = "",
                                     const std::string& fingerprint = "",
                                     const std::string& enterprise = "");

  // Events of the periods from..to (one cadence, Jan–Feb keys included), oldest first: the
  // monthly analysis lists a month's events.
  std::vector<AlertEventRow> EventsInPeriods(Period from, Period to);

  // Outbox rows still to deliver, soonest due first, at most limit.
  std::vector<OutboxRow> PendingNotifications(int limit);

  // Delivery bookkeeping. MarkFailed counts an attempt and records the error; with retry_at it
  // stays pending until then, without it the row is dead (given up, kept for the operator).
  void MarkDelivered(int64_t id, int64_t now);
  void MarkFailed(int64_t id, const std::string& error, std::optional<int64_t> retry_at);

  // Deletes inactive identities not updated since before (enterprises that left, rules that
  // were removed); returns how many. History and outbox are kept.
  int64_t PruneInactive(int64_t before);

 private:
  struct Statements;

  // One identity's updates, in order, inside the caller's transaction.
  void ApplyIdentity(const std::string& fingerprint, const std::vector<const AlertUpdate*>& updates,
                     int64_t now, std::vector<AlertEventRow>* out);

  Store* store_;
  std::unique_ptr<Statements> stmts_;
};

// Whether an event reaches receivers, under an update's notify and notify_since (AlertUpdate).
bool IsTold(const AlertEvent& e, bool notify, Period notify_since);

// The labels routes, silences and inhibition match an alert by: its identity plus, for an
// enterprise's alert, the register's industry, enterprise_name and key ("true"/"false"). They
// are not part of the identity (an enterprise that changes industry keeps its alerts), but
// "every alert of 医药化工 to that desk" must include its enterprises' alerts.
Labels WithRegisterContext(Store& store, const Labels& identity);
// The same for many alerts at once: past a few hundred, one read of the register instead of a
// look-up each (the alert gauges label every active alert, tens of thousands at a first start).
void WithRegisterContext(Store& store, std::vector<AlertRow>* rows);

}  // namespace parkwatch
