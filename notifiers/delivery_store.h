// The delivery side of the outbox (schema migration 3): per-receiver deliveries, silences and
// acknowledgements, over one Store connection.
//
// The dispatcher's worker owns one DeliveryStore on its own connection; the daemon's API may
// open another on its connection for silences, acknowledgements and the dead-letter list
// (SQLite WAL lets them run side by side). Like Store, not thread-safe; throws StoreError.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "alerts/alert.h"
#include "alerts/lifecycle.h"
#include "core/severity.h"
#include "store/store.h"

namespace parkwatch {

// An outbox notification the router has not expanded yet.
struct UnroutedNotification {
  int64_t id = 0;
  std::string idempotency_key;
  std::string fingerprint;
  std::string payload;
  int64_t created_at = 0;  // unix seconds
};

// A delivery to create when routing a notification.
struct NewDelivery {
  std::string receiver;
  std::string group_key;
  std::string state = "pending";  // pending | suppressed
  std::string reason;             // why suppressed
  int64_t next_attempt_at = 0;    // unix ms
  int64_t group_interval_ms = 0;
  int64_t repeat_interval_ms = 0;
};

struct DeliveryRow {
  int64_t id = 0;
  int64_t notification_id = 0;
  std::string receiver;
  int seq = 0;
  std::string group_key;
  std::string state;  // pending | delivered | dead | suppressed
  int attempts = 0;
  int64_t next_attempt_at = 0;  // unix ms
  int64_t created_at = 0;       // unix ms
  std::optional<int64_t> delivered_at;
  std::string last_error;
  int64_t group_interval_ms = 0;
  int64_t repeat_interval_ms = 0;
  // From the notification:
  std::string idempotency_key;
  std::string fingerprint;
  std::string payload;
};

struct Silence {
  int64_t id = 0;
  std::vector<std::string> matchers;  // 'name="value"' etc., see config/alerting.h
  std::string author;
  std::string comment;
  int64_t starts_at = 0;  // unix seconds
  int64_t ends_at = 0;
  int64_t created_at = 0;
};

struct Acknowledgement {
  int64_t id = 0;
  std::string fingerprint;
  Severity severity = Severity::kNone;
  int64_t fired_at = 0;
  std::string author;
  std::string note;
  int64_t at = 0;
};

// An alert's current status, as routing (inhibition) and repeats need it.
struct CurrentAlert {
  std::string fingerprint;
  std::string rule;
  Labels labels;
  AlertState state = AlertState::kInactive;
  Severity severity = Severity::kNone;
  int64_t fired_at = 0;
  // RoutingLabels(rule, labels, severity): the same labels a notification of it carries.
  Labels AllLabels() const;
};

class DeliveryStore {
 public:
  explicit DeliveryStore(Store* store) : store_(store) {}

  // --- Routing ---------------------------------------------------------------------------
  std::vector<UnroutedNotification> Unrouted(int limit);
  // In one transaction: inserts the deliveries (ignoring ones that exist), marks the
  // notification routed and settles it if nothing is left to send. The commit is derived
  // (store/sqlite.h): it survives a kill; a power cut may leave the notification unrouted
  // again, and it is then routed and sent again (at least once, same Idempotency-Key).
  void Route(int64_t notification_id, const std::vector<NewDelivery>& deliveries, int64_t now_ms);
  // Whether receiver was told, or is still to be told, that the alert fingerprint fires: a
  // delivery of its firing, escalation or de-escalation, pending or delivered. Its resolution
  // is news only to such a receiver (as in Alertmanager).
  bool ToldFiring(const std::string& fingerprint, const std::string& receiver);

  // --- Sending ---------------------------------------------------------------------------
  // Pending deliveries due at now_ms, soonest first.
  std::vector<DeliveryRow> Due(int64_t now_ms, int limit);
  // Earliest next_attempt_at of any pending delivery.
  std::optional<int64_t> NextDue();
  // Marks a delivery delivered (settling its notification when nothing is left) and, given
  // repeat_of, adds that delivery's next reminder at repeat_at as ScheduleRepeat does: one
  // commit per message sent, so the next batch's writer waits for one fsync, not two.
  void MarkDelivered(int64_t id, int64_t now_ms, const DeliveryRow* repeat_of = nullptr,
                     int64_t repeat_at = 0);
  // Group key -> unix ms of its last delivered message since since_ms: the dispatcher's memory
  // of group intervals, rebuilt at start so a restart does not send a group's next message
  // early.
  std::map<std::string, int64_t> LastDeliveredByGroup(int64_t since_ms);
  void MarkRetry(int64_t id, const std::string& error, int64_t next_attempt_at);
  void MarkDead(int64_t id, const std::string& error);
  void Suppress(int64_t id, const std::string& reason);
  // Moves a delivery later without counting an attempt (rate limit, group interval).
  void Postpone(int64_t id, int64_t next_attempt_at);
  // Adds the next reminder (seq + 1) of a delivered one; no-op if it exists.
  void ScheduleRepeat(const DeliveryRow& row, int64_t at_ms, int64_t now_ms);
  // Adds a delivery of the same notification to receiver (dead-letter fallback); false if one
  // exists already.
  bool AddFallback(const DeliveryRow& row, const std::string& receiver, int64_t now_ms);

  // --- Status for repeats, inhibition, metrics, the API -----------------------------------
  std::optional<CurrentAlert> Alert(const std::string& fingerprint);
  // Firing alerts with their labels as routes see them (WithRegisterContext), for inhibition.
  std::vector<CurrentAlert> FiringAlerts();
  // Dead deliveries, newest first.
  std::vector<DeliveryRow> DeadLetters(int limit);
  // One notification's deliveries.
  std::vector<DeliveryRow> Deliveries(int64_t notification_id);
  // Pending deliveries plus unrouted notifications, and the creation time (unix ms) of the
  // oldest of them.
  struct Backlog {
    int64_t depth = 0;
    std::optional<int64_t> oldest_ms;
  };
  Backlog PendingBacklog();

  // --- Silences and acknowledgements ------------------------------------------------------
  int64_t AddSilence(const Silence& silence);   // matchers validated by the caller
  bool ExpireSilence(int64_t id, int64_t now);  // ends it now; false if unknown or over
  std::vector<Silence> Silences(bool active_only, int64_t now);
  // Acknowledges the alert's current level and episode; false if it is not firing.
  bool Acknowledge(const std::string& fingerprint, const std::string& author,
                   const std::string& note, int64_t now);
  // Whether the firing episode fired_at at severity is acknowledged.
  // Acknowledgements, newest first, at most limit; of one alert when fingerprint is given.
  std::vector<Acknowledgement> Acknowledgements(const std::string& fingerprint, int limit);
  bool IsAcknowledged(const std::string& fingerprint, Severity severity, int64_t fired_at);

 private:
  // Sets the notification delivered (or dead) once none of its first deliveries is pending.
  void Settle(int64_t notification_id, int64_t now_ms);

  Store* store_;
};

}  // namespace parkwatch
