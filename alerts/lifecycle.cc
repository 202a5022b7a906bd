#include "alerts/lifecycle.h"

#include <algorithm>
#include <array>
#include <utility>

namespace parkwatch {
namespace {

constexpr std::array<std::pair<AlertState, std::string_view>, 3> kStates = {{
    {AlertState::kInactive, "inactive"},
    {AlertState::kPending, "pending"},
    {AlertState::kFiring, "firing"},
}};

constexpr std::array<std::pair<EventKind, std::string_view>, 5> kKinds = {{
    {EventKind::kPending, "pending"},
    {EventKind::kFiring, "firing"},
    {EventKind::kEscalated, "escalated"},
    {EventKind::kDeescalated, "deescalated"},
    {EventKind::kResolved, "resolved"},
}};

template <typename Enum, size_t N>
std::string_view NameOf(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum e) {
  for (const auto& [value, name] : table)
    if (value == e) return name;
  return "unknown";
}

template <typename Enum, size_t N>
std::optional<Enum> Lookup(const std::array<std::pair<Enum, std::string_view>, N>& table,
                           std::string_view name) {
  for (const auto& [value, n] : table)
    if (n == name) return value;
  return std::nullopt;
}

void ResetToInactive(AlertSnapshot* s) {
  s->state = AlertState::kInactive;
  s->severity = Severity::kNone;
  s->breach_count = 0;
  s->clear_count = 0;
  s->first_breach_period = Period();
  s->active_since_period = Period();
  s->value_at_firing.reset();
}

// The status after one observation with data, from the status before it. Pure state: the events
// are derived afterwards by Transition(), which is what lets a revision reuse this function.
AlertSnapshot Step(const AlertSnapshot& before, const Observation& obs, const Timing& timing,
                   int64_t now) {
  AlertSnapshot s = before;
  s.last_period = obs.period;
  s.value = obs.value;
  const bool breach = obs.breach != Severity::kNone;
  const int for_periods = std::max(1, timing.for_periods);
  const int keep_firing_for = std::max(0, timing.keep_firing_for);

  switch (before.state) {
    case AlertState::kInactive:
    case AlertState::kPending:
      if (!breach) {
        ResetToInactive(&s);  // a gap resets `for`; pending never announced, so no event
        return s;
      }
      if (before.state == AlertState::kInactive) {
        s.breach_count = 1;
        s.clear_count = 0;
        s.first_breach_period = obs.period;
      } else {
        ++s.breach_count;
      }
      s.severity = obs.breach;
      if (s.breach_count >= for_periods) {
        s.state = AlertState::kFiring;
        s.active_since_period = obs.period;
        s.value_at_firing = obs.value;
        s.fired_at = now;
      } else {
        s.state = AlertState::kPending;
      }
      return s;

    case AlertState::kFiring:
      if (breach) {
        ++s.breach_count;
        s.clear_count = 0;
        s.severity = obs.breach;
      } else if (obs.cleared) {
        s.breach_count = 0;
        if (++s.clear_count > keep_firing_for) {
          ResetToInactive(&s);
          s.resolved_at = now;
        }
      } else {
        // Between the warning and the clear threshold: still firing (hysteresis), and the run
        // of cleared periods that keep_firing_for counts starts again.
        s.breach_count = 0;
        s.clear_count = 0;
      }
      return s;
  }
  return s;
}

// The events that tell receivers how `next` differs from what they were last told
// (`announced`). Pending is announced; its silent return to inactive is not.
std::vector<AlertEvent> Transition(const AlertSnapshot& announced, const AlertSnapshot& next,
                                   const Observation& obs, int64_t now) {
  auto make = [&](EventKind kind, Severity severity, Severity previous,
                  const AlertSnapshot& source) {
    AlertEvent e;
    e.kind = kind;
    e.severity = severity;
    e.previous = previous;
    e.period = obs.period;
    e.value = obs.value;
    e.value_at_firing = source.value_at_firing;
    e.active_since_period = source.active_since_period;
    e.fired_at = source.fired_at;
    e.at = now;
    e.annotations = obs.annotations;
    return e;
  };

  std::vector<AlertEvent> events;
  const bool was_firing = announced.state == AlertState::kFiring;
  if (next.state == AlertState::kFiring) {
    if (!was_firing) {
      events.push_back(make(EventKind::kFiring, next.severity, announced.severity, next));
    } else if (next.severity > announced.severity) {
      events.push_back(make(EventKind::kEscalated, next.severity, announced.severity, next));
    } else if (next.severity < announced.severity) {
      events.push_back(make(EventKind::kDeescalated, next.severity, announced.severity, next));
    }
  } else if (was_firing) {
    // Resolved by a cleared period, or by a revision that took the breach away.
    events.push_back(make(EventKind::kResolved, announced.severity, announced.severity, announced));
  } else if (next.state == AlertState::kPending && announced.state == AlertState::kInactive) {
    events.push_back(make(EventKind::kPending, next.severity, Severity::kNone, next));
  }
  return events;
}

}  // namespace

std::string_view AlertStateName(AlertState s) { return NameOf(kStates, s); }
std::optional<AlertState> ParseAlertState(std::string_view name) { return Lookup(kStates, name); }
std::string_view EventKindName(EventKind k) { return NameOf(kKinds, k); }
std::optional<EventKind> ParseEventKind(std::string_view name) { return Lookup(kKinds, name); }

std::vector<AlertEvent> Advance(AlertStatus* status, const Observation& obs, const Timing& timing,
                                int64_t now) {
  if (!obs.value || !obs.period.valid()) return {};

  const AlertSnapshot announced = *status;
  const Period last = status->last_period;
  const bool same_cadence = last.valid() && last.cadence() == obs.period.cadence();
  if (same_cadence && obs.period < last) return {};
  const bool revision = same_cadence && obs.period == last;

  // A revision replaces the period's earlier observation: start again from before it.
  const AlertSnapshot base = revision ? status->before_last.value_or(AlertSnapshot{}) : announced;
  AlertSnapshot next = Step(base, obs, timing, now);

  // A revision that keeps an alert firing since the same period keeps the time receivers were
  // first told, so startsAt does not move.
  if (revision && announced.state == AlertState::kFiring && next.state == AlertState::kFiring &&
      next.active_since_period == announced.active_since_period)
    next.fired_at = announced.fired_at;

  std::vector<AlertEvent> events = Transition(announced, next, obs, now);
  for (const AlertEvent& e : events)
    if (e.kind == EventKind::kResolved) next.resolved_at = now;

  if (!revision) status->before_last = announced;
  static_cast<AlertSnapshot&>(*status) = next;
  status->annotations = obs.annotations;
  status->updated_at = now;
  return events;
}

}  // namespace parkwatch
