#include "notifiers/router.h"

namespace parkwatch {
namespace {

void Walk(const RouteConfig& node, const RouteMatch& inherited, const Labels& labels,
          std::vector<RouteMatch>* out) {
  RouteMatch here = inherited;
  if (!node.receiver.empty()) here.receiver = node.receiver;
  if (node.group_by) here.group_by = *node.group_by;
  if (node.group_wait_ms) here.group_wait_ms = *node.group_wait_ms;
  if (node.group_interval_ms) here.group_interval_ms = *node.group_interval_ms;
  if (node.repeat_interval_ms) here.repeat_interval_ms = *node.repeat_interval_ms;
  bool matched_child = false;
  for (const auto& child : node.routes) {
    if (!MatchesAll(child.matchers, labels)) continue;
    matched_child = true;
    Walk(child, here, labels, out);
    if (!child.continue_matching) break;
  }
  if (matched_child) return;
  for (const auto& m : *out)
    if (m.receiver == here.receiver) return;
  out->push_back(here);
}

std::string Get(const Labels& labels, const std::string& key) {
  auto it = labels.find(key);
  return it == labels.end() ? "" : it->second;
}

}  // namespace

Labels RoutingLabels(const std::string& rule, const Labels& labels, Severity severity) {
  Labels all = labels;
  all["alertname"] = rule;
  all["severity"] = SeverityName(severity);
  return all;
}

std::vector<RouteMatch> MatchRoutes(const RouteConfig& root, const Labels& labels) {
  std::vector<RouteMatch> out;
  Walk(root, RouteMatch{}, labels, &out);
  return out;
}

std::string GroupKey(const RouteMatch& route, const Labels& labels, const std::string& fingerprint,
                     Labels* group_labels) {
  std::string key = route.receiver + ":{";
  if (route.group_by.size() == 1 && route.group_by[0] == "...") {
    key += "fingerprint=\"" + fingerprint + "\"";
    if (group_labels) *group_labels = labels;
  } else {
    bool first = true;
    for (const auto& name : route.group_by) {
      const std::string v = Get(labels, name);
      if (group_labels) (*group_labels)[name] = v;
      key += (first ? "" : ",") + name + "=\"" + v + "\"";
      first = false;
    }
  }
  return key + "}";
}

bool IsInhibited(const std::vector<InhibitRule>& rules, const Labels& target,
                 const std::string& target_fingerprint,
                 const std::vector<std::pair<std::string, Labels>>& sources) {
  for (const auto& rule : rules) {
    if (!MatchesAll(rule.target_matchers, target)) continue;
    for (const auto& [fingerprint, source] : sources) {
      if (fingerprint == target_fingerprint) continue;
      if (!MatchesAll(rule.source_matchers, source)) continue;
      bool equal = true;
      for (const auto& name : rule.equal)
        if (Get(source, name) != Get(target, name)) equal = false;
      if (equal) return true;
    }
  }
  return false;
}

}  // namespace parkwatch
