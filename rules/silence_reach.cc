#include "rules/silence_reach.h"

#include <map>
#include <set>

namespace parkwatch {

namespace {

bool MatchesValue(const LabelMatcher& m, const std::string& value) {
  return m.Matches({{m.name, value}});
}

bool CanMatch(const RuleConfig& rule, const std::vector<LabelMatcher>& matchers) {
  // Anomaly and missing-report alerts are about one enterprise whatever the scope says.
  ScopeKind scope = rule.kind == RuleKind::kThreshold ? rule.scope : ScopeKind::kEnterprise;
  std::set<std::string> varying;
  std::map<std::string, std::string> fixed = {{"alertname", rule.name}};
  switch (scope) {
    case ScopeKind::kEnterprise:
      varying = {"enterprise", "industry", "enterprise_name", "key"};
      fixed["scope"] = "enterprise";
      break;
    case ScopeKind::kIndustry:
      varying = {"industry"};
      fixed["scope"] = "industry";
      break;
    case ScopeKind::kPark:
      fixed["scope"] = "park";
      break;
    case ScopeKind::kSet:
      fixed["scope"] = "set";
      fixed["set"] = rule.set;
      break;
  }
  for (const auto& [name, text] : rule.labels) {
    if (fixed.count(name)) continue;  // identity keys win over a rule's labels
    if (text.find("{{") != std::string::npos)
      varying.insert(name);
    else
      fixed[name] = text;
  }
  // The levels an alert of the rule can have, overrides included.
  std::vector<std::string> severities;
  for (Severity s : {Severity::kBlue, Severity::kYellow, Severity::kOrange, Severity::kRed}) {
    bool used = rule.thresholds.levels[static_cast<size_t>(s)].has_value();
    for (const auto& o : rule.overrides)
      used = used || o.thresholds.levels[static_cast<size_t>(s)].has_value();
    if (used) severities.emplace_back(SeverityName(s));
  }
  for (const LabelMatcher& m : matchers) {
    if (varying.count(m.name)) continue;
    if (m.name == "severity") {
      bool any = false;
      for (const auto& s : severities) any = any || MatchesValue(m, s);
      if (!any) return false;
      continue;
    }
    auto it = fixed.find(m.name);
    if (!MatchesValue(m, it == fixed.end() ? std::string() : it->second)) return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> RulesMatchedBy(const RuleSet& rules,
                                        const std::vector<LabelMatcher>& matchers) {
  std::vector<std::string> out;
  for (const auto& group : rules.groups)
    for (const auto& rule : group.rules)
      if (CanMatch(rule, matchers)) out.push_back(rule.name);
  return out;
}

}  // namespace parkwatch
