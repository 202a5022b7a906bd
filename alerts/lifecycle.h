// The alert lifecycle: a pure state machine that turns the evaluator's per-period conclusions
// about one alert identity into state changes and the events receivers are told about.
//
// Time is counted in reporting periods, not wall-clock: a weekly rule is evaluated once per ISO
// week and a monthly one once per month (core/period.h), whenever the figures arrive. `for: 2`
// means "in breach in 2 consecutive evaluated periods".
//
// Semantics of Advance(), for one observation at period P:
//
// - No data (value is nullopt): nothing changes, not even last_period. Missing data never fires
//   and never resolves an alert; a missing report is a finding of its own rule, not a zero.
// - Inactive + breach: breach_count = 1. If for_periods <= 1 the alert fires at once (kFiring),
//   otherwise it becomes pending (kPending).
// - Pending + breach: breach_count counts up; at breach_count >= for_periods it fires (kFiring
//   at the severity breached in that period). A severity change while pending is silent.
// - Pending + no breach: back to inactive, silently; the next breach starts counting from 1.
//   So a gap of one non-breached period resets `for`.
// - Firing + breach at another severity: kEscalated (higher) or kDeescalated (lower).
// - Firing + not in breach but not cleared either (between the warning threshold and the clear
//   threshold): still firing. This hysteresis keeps a value hovering around the threshold from
//   flapping between firing and resolved.
// - Firing + cleared: counts consecutive cleared periods; the alert resolves (kResolved, with the
//   value at resolution and the value at firing) at the (keep_firing_for + 1)-th, so
//   keep_firing_for = 0 resolves at the first cleared period. A breached or in-between period
//   restarts that count.
// - Revisions: figures of a period are revised, and the evaluator then observes the same period
//   again. An observation for P == last_period replaces the earlier one instead of counting P
//   twice: the status is recomputed from the snapshot taken before P was first applied
//   (before_last), and the events are the difference between what was already announced for P
//   and the recomputed outcome. A revision that removes the breach of the period an alert fired
//   in resolves it (or silently un-pends it); one that raises the severity escalates it; the same
//   observation applied twice yields no events the second time.
// - An observation for a period older than last_period is ignored (no change, no events). Its
//   outcome has already been superseded by later periods, and replaying history would need a
//   snapshot per period; the evaluator observes the latest period again if a revision of an old
//   one matters (e.g. a year-to-date measure).
// - An observation whose cadence differs from last_period's (a rule whose cadence was changed in
//   config) is applied as a new period.
//
// Events are derived by comparing the status before and after each step (Transition), so the
// forward path and the revision path announce changes the same way.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "alerts/alert.h"
#include "core/period.h"

namespace parkwatch {

// What the evaluator concluded for one alert identity at one period.
struct Observation {
  Period period;
  std::optional<double> value;        // nullopt = no data: keeps the state as it is
  Severity breach = Severity::kNone;  // level the value reaches now; kNone = not in breach
  bool cleared = false;               // value is beyond the clear (hysteresis) threshold
  std::map<std::string, std::string> annotations;  // rendered; kept with the status and events
};

// A rule's timing, in evaluated periods.
struct Timing {
  int for_periods = 1;      // consecutive breached periods before firing (<= 1: at once)
  int keep_firing_for = 0;  // cleared periods it keeps firing after the first cleared one
};

enum class AlertState { kInactive, kPending, kFiring };

std::string_view AlertStateName(AlertState s);  // "inactive" | "pending" | "firing"
std::optional<AlertState> ParseAlertState(std::string_view name);

// The part of an alert's status that one period's observation changes. Kept twice: as the
// current status and as the snapshot before the last period was applied, for revisions.
struct AlertSnapshot {
  AlertState state = AlertState::kInactive;
  Severity severity = Severity::kNone;  // kNone when inactive
  int breach_count = 0;                 // consecutive breached periods up to last_period
  int clear_count = 0;                  // consecutive cleared periods while firing
  Period first_breach_period;           // first period of the current breach run (pending/firing)
  Period active_since_period;           // period it fired in (firing), invalid otherwise
  Period last_period;                   // last period observed with data; invalid if none yet
  std::optional<double> value;          // value at last_period
  std::optional<double> value_at_firing;
  int64_t fired_at = 0;     // unix seconds it last fired; kept after resolution
  int64_t resolved_at = 0;  // unix seconds it last resolved; 0 if never

  friend bool operator==(const AlertSnapshot&, const AlertSnapshot&) = default;
};

// An alert identity's persisted status.
struct AlertStatus : AlertSnapshot {
  // Status before last_period was applied; nullopt before the first observation with data.
  std::optional<AlertSnapshot> before_last;
  std::map<std::string, std::string> annotations;  // from the last observation with data
  int64_t updated_at = 0;                          // unix seconds of the last change

  friend bool operator==(const AlertStatus&, const AlertStatus&) = default;
};

enum class EventKind { kPending, kFiring, kEscalated, kDeescalated, kResolved };

std::string_view EventKindName(EventKind k);  // "pending" | "firing" | "escalated" | ...
std::optional<EventKind> ParseEventKind(std::string_view name);

// A change receivers may be told about.
struct AlertEvent {
  EventKind kind = EventKind::kFiring;
  Severity severity = Severity::kNone;  // level now; for kResolved the level that resolved
  Severity previous = Severity::kNone;  // level before the event (kNone from inactive)
  Period period;                        // the period whose observation caused it
  std::optional<double> value;          // value at that period
  std::optional<double> value_at_firing;
  Period active_since_period;  // period it fired in (firing, escalated, deescalated, resolved)
  int64_t fired_at = 0;        // Alertmanager's startsAt
  int64_t at = 0;              // unix seconds the event happened (endsAt for kResolved)
  std::map<std::string, std::string> annotations;
};

// Applies one observation to *status and returns the events it causes (possibly none). now is
// unix seconds, recorded as fired_at, resolved_at, updated_at and the events' at.
std::vector<AlertEvent> Advance(AlertStatus* status, const Observation& obs, const Timing& timing,
                                int64_t now);

}  // namespace parkwatch
