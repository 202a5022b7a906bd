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
// - Revisions and late figures: figures of any earlier period can be revised or arrive late,
//   and the evaluator then observes that period again. Every observation with data is kept in
//   the status's log (one entry per period), so an observation for a period at or before
//   last_period replaces (or inserts) its entry and the status is recomputed by folding Step over
//   the whole log, from an inactive start: the daemon ends where `backtest` ends whatever order
//   the figures came in. The events are the difference between what was announced and the
//   recomputed status (a late firing, an escalation, a resolution), dated at the latest period
//   and marked with the revised period that caused them. The same observation applied twice
//   changes nothing and yields no events. An observation without data for a logged period (a
//   figure held out of the rules, say) removes the entry the same way.
// - An observation whose cadence differs from last_period's (a rule whose cadence was changed in
//   config) starts a new log.
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

// What the log keeps of an observation with data: all a replay needs.
struct LoggedObservation {
  Period period;
  double value = 0;
  Severity breach = Severity::kNone;
  bool cleared = false;

  friend bool operator==(const LoggedObservation&, const LoggedObservation&) = default;
};

// A rule's timing, in evaluated periods.
struct Timing {
  int for_periods = 1;      // consecutive breached periods before firing (<= 1: at once)
  int keep_firing_for = 0;  // cleared periods it keeps firing after the first cleared one
};

enum class AlertState { kInactive, kPending, kFiring };

std::string_view AlertStateName(AlertState s);  // "inactive" | "pending" | "firing"
std::optional<AlertState> ParseAlertState(std::string_view name);

// The part of an alert's status that one period's observation changes.
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
  // Every observation with data, ascending by period: what a revision replays.
  std::vector<LoggedObservation> log;
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
  // Set when a revision or late figure of this earlier period caused the event (a replay);
  // period is then the latest period of the replayed log.
  Period revised_period;
  std::map<std::string, std::string> annotations;
};

// Applies one observation to *status and returns the events it causes (possibly none). now is
// unix seconds, recorded as fired_at, resolved_at, updated_at and the events' at. Equivalent to
// Revise + Announce for a revision, a forward step otherwise.
std::vector<AlertEvent> Advance(AlertStatus* status, const Observation& obs, const Timing& timing,
                                int64_t now);

// Whether obs replays history rather than moving forward: data for a period at or before
// last_period, or no data for a logged period.
bool IsRevision(const AlertStatus& status, const Observation& obs);

// A revision without its announcement: updates the log and recomputes the status from it.
// Several revisions of one batch are folded in one after the other and announced once.
void Revise(AlertStatus* status, const Observation& obs, const Timing& timing, int64_t now);

// The events that tell receivers how *status differs from what they were told (announced),
// marked as caused by revised; keeps fired_at when the same episode goes on firing.
std::vector<AlertEvent> Announce(const AlertSnapshot& announced, AlertStatus* status,
                                 Period revised, int64_t now);

// The status the log alone leads to, from an inactive start (what `backtest` computes).
AlertSnapshot Replay(const std::vector<LoggedObservation>& log, const Timing& timing, int64_t now);

}  // namespace parkwatch
