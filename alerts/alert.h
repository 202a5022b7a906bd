// What an alert is, independent of how it is evaluated or delivered: its warning level and its
// identity.
//
// Warning levels follow China's four-colour emergency-warning convention, 蓝 blue < 黄 yellow <
// 橙 orange < 红 red, red the most severe. The enum is ordered, so levels compare with < and >.
//
// An alert's identity is its rule's name plus its labels (enterprise, industry, indicator, ...):
// the same rule breached by two enterprises is two alerts, each with its own lifecycle.
// Fingerprint() names an identity compactly and stably, for the store's primary key, the API's
// URLs and receivers that deduplicate (Alertmanager's fingerprint field).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace parkwatch {

enum class Severity { kNone, kBlue, kYellow, kOrange, kRed };

// "none", "blue", "yellow", "orange", "red": the names used in config, labels, the store and the
// API (Prometheus's severity label).
std::string_view SeverityName(Severity s);

// "蓝", "黄", "橙", "红" ("" for kNone), for messages to Chinese readers ("红色预警").
std::string_view SeverityChineseName(Severity s);

// Accepts the English names in any case and the Chinese ones with or without 色 ("红", "红色").
// Returns nullopt for anything else.
std::optional<Severity> ParseSeverity(std::string_view text);

using Labels = std::map<std::string, std::string>;

// Lower-case hex SHA-256 of an unambiguous encoding of rule and labels (each string as a
// netstring, labels in key order). Stable across builds and versions: it is stored, so it must
// never change for the same identity.
std::string Fingerprint(const std::string& rule, const Labels& labels);

}  // namespace parkwatch
