// Which rules a silence's matchers can hold: a silence that can match no rule's alerts is
// almost always a typo (alertname="KeyEnterpriseOutputDorp"), and it would silently hold
// nothing, so creating one warns. Any thread (pure).
#pragma once

#include <string>
#include <vector>

#include "config/alerting.h"
#include "rules/rule_config.h"

namespace parkwatch {

// The names of the rules whose alerts the matchers may match. A matcher on what a rule fixes
// (alertname, scope, set, severity among its levels, its literal labels) is decided here; one on
// what varies by member (enterprise, industry, enterprise_name, key, templated labels) may
// match.
std::vector<std::string> RulesMatchedBy(const RuleSet& rules,
                                        const std::vector<LabelMatcher>& matchers);

}  // namespace parkwatch
