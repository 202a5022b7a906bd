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
// (`announced`), dated at period with value. Pending is announced; its silent return to
// inactive is not.
std::vector<AlertEvent> Transition(const AlertSnapshot& announced, const AlertSnapshot& next,
                                   Period period, std::optional<double> value,
                                   const std::map<std::string, std::string>& annotations,
                                   int64_t now) {
  auto make = [&](EventKind kind, Severity severity, Severity previous,
                  const AlertSnapshot& source) {
    AlertEvent e;
    e.kind = kind;
    e.severity = severity;
    e.previous = previous;
    e.period = period;
    e.value = value;
    e.value_at_firing = source.value_at_firing;
    e.active_since_period = source.active_since_period;
    e.fired_at = source.fired_at;
    e.at = now;
    e.annotations = annotations;
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

LoggedObservation ToLogged(const Observation& obs) {
  return {obs.period, *obs.value, obs.breach, obs.cleared};
}

Observation FromLogged(const LoggedObservation& l) {
  Observation obs;
  obs.period = l.period;
  obs.value = l.value;
  obs.breach = l.breach;
  obs.cleared = l.cleared;
  return obs;
}

// The log entry of period p or where it belongs.
template <typename Log>
auto Find(Log& log, Period p) {
  return std::lower_bound(log.begin(), log.end(), p,
                          [](const LoggedObservation& l, Period q) { return l.period < q; });
}

}  // namespace

std::string_view AlertStateName(AlertState s) { return NameOf(kStates, s); }
std::optional<AlertState> ParseAlertState(std::string_view name) { return Lookup(kStates, name); }
std::string_view EventKindName(EventKind k) { return NameOf(kKinds, k); }
std::optional<EventKind> ParseEventKind(std::string_view name) { return Lookup(kKinds, name); }

AlertSnapshot Replay(const std::vector<LoggedObservation>& log, const Timing& timing, int64_t now) {
  AlertSnapshot s;
  for (const LoggedObservation& l : log) {
    AlertSnapshot next = Step(s, FromLogged(l), timing, now);
    if (s.state == AlertState::kFiring && next.state == AlertState::kInactive)
      next.resolved_at = now;
    s = next;
  }
  return s;
}

// The period the last episode of the log began firing in (invalid if none).
Period LastEpisodeStart(const std::vector<LoggedObservation>& log, const Timing& timing) {
  AlertSnapshot s;
  Period start;
  for (const LoggedObservation& l : log) {
    s = Step(s, FromLogged(l), timing, 0);
    if (s.state == AlertState::kFiring) start = s.active_since_period;
  }
  return start;
}

bool IsRevision(const AlertStatus& status, const Observation& obs) {
  if (!obs.period.valid()) return false;
  const Period last = status.last_period;
  if (!last.valid() || last.cadence() != obs.period.cadence()) return false;
  if (obs.value) return obs.period <= last;
  auto it = Find(status.log, obs.period);
  return it != status.log.end() && it->period == obs.period;
}

void Revise(AlertStatus* status, const Observation& obs, const Timing& timing, int64_t now) {
  auto it = Find(status->log, obs.period);
  const bool logged = it != status->log.end() && it->period == obs.period;
  if (!obs.value && !logged) return;
  if (obs.value && logged && *it == ToLogged(obs)) {
    if (obs.period == status->last_period) status->annotations = obs.annotations;
    return;  // the same observation again: nothing to replay (a re-evaluation at start)
  }
  const Period last_start = LastEpisodeStart(status->log, timing);
  if (!obs.value) {
    status->log.erase(it);
  } else if (logged) {
    *it = ToLogged(obs);
  } else {
    status->log.insert(it, ToLogged(obs));
  }
  AlertSnapshot next = Replay(status->log, timing, now);
  // Timestamps of episodes the replay did not change are kept: an episode that began at the
  // period the last one announced began at is that episode (its startsAt does not move).
  if (next.state != AlertState::kFiring ||
      (status->fired_at && next.active_since_period == last_start))
    next.fired_at = status->fired_at;
  next.resolved_at = status->resolved_at;  // Announce stamps a resolution it announces
  if (obs.value && obs.period == next.last_period) status->annotations = obs.annotations;
  static_cast<AlertSnapshot&>(*status) = next;
  status->updated_at = now;
}

std::vector<AlertEvent> Announce(const AlertSnapshot& announced, AlertStatus* status,
                                 Period revised, int64_t now) {
  // Firing before and after: to receivers the same alert goes on (a replay may move the period
  // it began in, not the time they were told), so startsAt does not move.
  if (status->state == AlertState::kFiring && announced.state == AlertState::kFiring)
    status->fired_at = announced.fired_at;
  // A replay that took out every observation (the member left the rule's scope, its only figure
  // was held) dates its resolution at the period receivers last heard of.
  const bool emptied = !status->last_period.valid();
  std::vector<AlertEvent> events =
      Transition(announced, *status, emptied ? announced.last_period : status->last_period,
                 emptied ? announced.value : status->value, status->annotations, now);
  for (AlertEvent& e : events) {
    e.revised_period = revised;
    if (e.kind == EventKind::kFiring) e.fired_at = status->fired_at;
    if (e.kind == EventKind::kResolved) status->resolved_at = now;
  }
  return events;
}

std::vector<AlertEvent> Advance(AlertStatus* status, const Observation& obs, const Timing& timing,
                                int64_t now) {
  if (!obs.period.valid()) return {};
  if (IsRevision(*status, obs)) {
    const AlertSnapshot announced = *status;
    Revise(status, obs, timing, now);
    return Announce(announced, status, obs.period, now);
  }
  if (!obs.value) return {};

  const AlertSnapshot announced = *status;
  const Period last = status->last_period;
  // Another cadence (a rule whose cadence changed in config) starts a new log.
  if (last.valid() && last.cadence() != obs.period.cadence()) status->log.clear();
  AlertSnapshot next = Step(announced, obs, timing, now);
  std::vector<AlertEvent> events =
      Transition(announced, next, obs.period, obs.value, obs.annotations, now);
  for (const AlertEvent& e : events)
    if (e.kind == EventKind::kResolved) next.resolved_at = now;

  status->log.push_back(ToLogged(obs));
  static_cast<AlertSnapshot&>(*status) = next;
  status->annotations = obs.annotations;
  status->updated_at = now;
  return events;
}

}  // namespace parkwatch
