// What an alert is, independent of how it is evaluated or delivered: its warning level
// (Severity, core/severity.h) and its identity.
//
// An alert's identity is its rule's name plus its labels (enterprise, industry, indicator, ...):
// the same rule breached by two enterprises is two alerts, each with its own lifecycle.
// Fingerprint() names an identity compactly and stably, for the store's primary key, the API's
// URLs and receivers that deduplicate (Alertmanager's fingerprint field).
#pragma once

#include <map>
#include <string>

#include "core/severity.h"

namespace parkwatch {

// Where an alert lives for people: its page in the console, the link every message carries
// (notifiers' Message::AlertUrl). The same path under /api/v1 is its JSON. One place for both,
// so a message's link and the route that answers it cannot drift apart.
inline constexpr const char* kAlertPagePattern = "/alerts/{fingerprint}";
inline std::string AlertPagePath(const std::string& fingerprint) {
  return "/alerts/" + fingerprint;
}

using Labels = std::map<std::string, std::string>;

// Lower-case hex SHA-256 of an unambiguous encoding of rule and labels (each string as a
// netstring, labels in key order). Stable across builds and versions: it is stored, so it must
// never change for the same identity.
std::string Fingerprint(const std::string& rule, const Labels& labels);

}  // namespace parkwatch
