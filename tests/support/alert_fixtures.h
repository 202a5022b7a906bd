// Helpers for notifier tests: alerting config from YAML text, and real outbox rows made by the
// real alert lifecycle (AlertStore::Apply), so the dispatcher sees what the daemon writes.
#pragma once

#include <cstdint>
#include <string>

#include "alerts/alert.h"
#include "config/alerting.h"
#include "store/store.h"

namespace parkwatch::testing {

// Parses the text of an `alerting:` mapping; fails the current test on any diagnostic.
AlertingConfig AlertingFromYaml(const std::string& yaml, const std::string& base_dir = "/tmp");

// One observation in breach at severity for period (e.g. "2024-W05"): fires the alert (or
// changes its level) and so writes one outbox row. Returns the alert's fingerprint.
std::string FireAlert(Store* store, const std::string& rule, const Labels& labels,
                      const std::string& period, Severity severity, double value);

// A cleared observation for period: resolves the alert (one outbox row).
void ResolveAlert(Store* store, const std::string& rule, const Labels& labels,
                  const std::string& period, double value);

// SELECT COUNT(*) FROM deliveries WHERE <where> (e.g. "state = 'delivered'").
int64_t CountDeliveries(Store* store, const std::string& where);

}  // namespace parkwatch::testing
