// What receivers send: one or more alert notices, grouped for one receiver. Built by the
// dispatcher from the outbox payloads (alerts/alert_store.h documents the payload JSON).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "alerts/alert.h"
#include "alerts/lifecycle.h"
#include "core/period.h"
#include "core/severity.h"

namespace parkwatch {

// One outbox notification as a receiver sees it.
struct AlertNotice {
  int64_t delivery_id = 0;  // deliveries.id, for the dispatcher's bookkeeping
  int64_t notification_id = 0;
  std::string idempotency_key;
  std::string fingerprint;
  std::string rule;
  Labels labels;
  Labels annotations;
  EventKind kind = EventKind::kFiring;  // firing | escalated | deescalated | resolved
  // The event's level; for a resolved one (whose event carries none) the level that cleared.
  Severity severity = Severity::kNone;
  Period period;        // 2024-W05, 2024-03; its cadence is period.cadence()
  Period active_since;  // invalid when the payload has none
  std::optional<double> value;
  std::optional<double> value_at_firing;
  int64_t fired_at = 0;  // unix seconds
  int64_t at = 0;        // unix seconds of the event
  bool repeat = false;   // a reminder that it still fires, not a new event

  // Alertmanager's two states: resolved, or firing (also after an escalation or de-escalation).
  bool firing() const { return kind != EventKind::kResolved; }
  std::string_view StatusName() const { return firing() ? "firing" : "resolved"; }

  // RoutingLabels(rule, labels, severity): what matchers, grouping and receivers see.
  Labels AllLabels() const;

  // Parses an outbox payload. nullopt with *error for a payload that is not a JSON object.
  static std::optional<AlertNotice> FromPayload(const std::string& payload, std::string* error);
};

// One message to one receiver: the alerts of one group that were due together.
struct Message {
  std::string receiver;
  std::string group_key;
  Labels group_labels;  // the group_by labels' values
  std::vector<AlertNotice> alerts;
  int truncated = 0;  // alerts left out by the receiver's max_alerts
  std::string external_url;
  std::string grafana_url;

  bool firing() const;  // whether any alert fires (else all resolved)
  std::string_view StatusName() const { return firing() ? "firing" : "resolved"; }
  Labels CommonLabels() const;
  Labels CommonAnnotations() const;
  // Most severe alert, for titles.
  const AlertNotice& Lead() const;
  // Link to one alert in parkwatch, "" without an external URL.
  std::string AlertUrl(const AlertNotice& a) const;  // external_url + AlertPagePath
};

}  // namespace parkwatch
