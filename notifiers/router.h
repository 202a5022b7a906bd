// The routing tree and inhibition, as in Alertmanager: an alert walks the tree depth first;
// the first matching child takes it unless that child says `continue`; a node with no matching
// child delivers itself. Timings and group_by inherit down the tree.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "alerts/alert.h"
#include "config/alerting.h"
#include "core/severity.h"

namespace parkwatch {

// Defaults for periodic (weekly, monthly) data: nothing is gained by sending within seconds,
// and a reminder a day is plenty for a figure that changes once a week.
constexpr int64_t kDefaultGroupWaitMs = 60'000;
constexpr int64_t kDefaultGroupIntervalMs = 3'600'000;
constexpr int64_t kDefaultRepeatIntervalMs = 24 * 3'600'000LL;

struct RouteMatch {
  std::string receiver;
  std::vector<std::string> group_by;  // ["..."]: every alert is its own group
  int64_t group_wait_ms = kDefaultGroupWaitMs;
  int64_t group_interval_ms = kDefaultGroupIntervalMs;
  int64_t repeat_interval_ms = kDefaultRepeatIntervalMs;
};

// An alert's labels plus alertname (its rule) and severity: what routes, group_by, silences and
// inhibition match on. The one definition, for notifications (AlertNotice) and for the firing
// alerts inhibition compares them with (CurrentAlert), so both sides see identical labels.
Labels RoutingLabels(const std::string& rule, const Labels& labels, Severity severity);

// The receivers labels go to, in tree order, without duplicate receivers.
std::vector<RouteMatch> MatchRoutes(const RouteConfig& root, const Labels& labels);

// "receiver:{industry=\"装备制造\"}" — one group per receiver and group_by values.
std::string GroupKey(const RouteMatch& route, const Labels& labels, const std::string& fingerprint,
                     Labels* group_labels = nullptr);

// Whether target (all labels, incl. alertname and severity) is inhibited by one of sources
// under rules. An alert never inhibits itself.
bool IsInhibited(const std::vector<InhibitRule>& rules, const Labels& target,
                 const std::string& target_fingerprint,
                 const std::vector<std::pair<std::string, Labels>>& sources);

}  // namespace parkwatch
