// DiffAlerting (config/alerting.h): what a reload changed in alerting, for the audit trail.
#include <algorithm>
#include <set>

#include "config/alerting.h"

namespace parkwatch {

namespace {

std::string Ms(const std::optional<int64_t>& ms) {
  return ms ? std::to_string(*ms / 1000) + "s" : "inherited";
}

std::string Matchers(const std::vector<LabelMatcher>& matchers) {
  std::string s = "{";
  for (const auto& m : matchers) s += (s.size() > 1 ? ", " : "") + m.ToString();
  return s + "}";
}

// Each node of the tree as one line: its path, matchers, receiver and timings.
void RouteLines(const RouteConfig& r, const std::string& path, std::vector<std::string>* out) {
  std::string group_by = "inherited";
  if (r.group_by) {
    group_by.clear();
    for (const auto& g : *r.group_by) group_by += (group_by.empty() ? "" : ",") + g;
  }
  out->push_back(path + " " + Matchers(r.matchers) + " -> " +
                 (r.receiver.empty() ? "(inherited)" : r.receiver) +
                 (r.continue_matching ? " continue" : "") + " group_by=" + group_by +
                 " group_wait=" + Ms(r.group_wait_ms) + " group_interval=" +
                 Ms(r.group_interval_ms) + " repeat_interval=" + Ms(r.repeat_interval_ms));
  for (size_t i = 0; i < r.routes.size(); ++i)
    RouteLines(r.routes[i], path + ".routes[" + std::to_string(i) + "]", out);
}

std::vector<std::string> InhibitLines(const std::vector<InhibitRule>& rules) {
  std::vector<std::string> out;
  for (const auto& r : rules) {
    std::string equal;
    for (const auto& e : r.equal) equal += (equal.empty() ? "" : ",") + e;
    out.push_back(Matchers(r.source_matchers) + " mutes " + Matchers(r.target_matchers) +
                  " equal=" + equal);
  }
  return out;
}

// Lines of before missing from after as "<what> removed: ...", and the other way round.
void DiffLines(const std::string& what, const std::vector<std::string>& before,
               const std::vector<std::string>& after, std::vector<std::string>* out) {
  std::set<std::string> a(before.begin(), before.end()), b(after.begin(), after.end());
  for (const auto& line : before)
    if (!b.count(line)) out->push_back(what + " removed: " + line);
  for (const auto& line : after)
    if (!a.count(line)) out->push_back(what + " added: " + line);
}

}  // namespace

std::vector<std::string> DiffAlerting(const AlertingConfig& before, const AlertingConfig& after) {
  std::vector<std::string> out;
  for (const auto& r : after.receivers) {
    const ReceiverConfig* old = before.FindReceiver(r.name);
    if (!old) {
      out.push_back("receiver " + r.name + " added (" + r.type + ")");
      continue;
    }
    std::vector<std::string> fields;
    for (const auto& [field, hash] : r.field_hashes) {
      auto it = old->field_hashes.find(field);
      if (it == old->field_hashes.end() || it->second != hash) fields.push_back(field);
    }
    for (const auto& [field, hash] : old->field_hashes)
      if (!r.field_hashes.count(field)) fields.push_back(field + " (removed)");
    if (!fields.empty()) {
      std::string list;
      for (const auto& f : fields) list += (list.empty() ? "" : ", ") + f;
      out.push_back("receiver " + r.name + " changed: " + list);
    }
  }
  for (const auto& r : before.receivers)
    if (!after.FindReceiver(r.name)) out.push_back("receiver " + r.name + " removed");
  std::vector<std::string> routes_before, routes_after;
  RouteLines(before.route, "route", &routes_before);
  RouteLines(after.route, "route", &routes_after);
  DiffLines("route", routes_before, routes_after, &out);
  DiffLines("inhibit rule", InhibitLines(before.inhibit_rules), InhibitLines(after.inhibit_rules),
            &out);
  if (before.language != after.language)
    out.push_back("language: " + before.language + " -> " + after.language);
  if (before.external_url != after.external_url)
    out.push_back("external_url: " + before.external_url + " -> " + after.external_url);
  return out;
}

}  // namespace parkwatch
