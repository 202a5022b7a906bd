// The pieces several answers share, so an alert, a rule and a series say a time, a period and a
// rule's thresholds the same way: times as epoch seconds beside RFC 3339 in the park's zone,
// periods with their names and days, thresholds with every level and the one crossed.
// Any thread (pure functions of their arguments).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>

#include "config/config.h"
#include "core/period.h"
#include "core/severity.h"
#include "rules/rule_config.h"

namespace parkwatch {

// A request body that must be a JSON object, parsed; ApiError 400 otherwise.
nlohmann::json BodyObject(const std::string& body);
// A string member of a body: "" when absent or null; ApiError 400 naming it when not a string.
std::string BodyString(const nlohmann::json& body, const char* name);

// A number, or null.
nlohmann::json NumberJson(const std::optional<double>& v);

// An alert's value in its rule's unit (ValueWords: -35.0%, 6期, 1,234.56万元), or null; a value
// of a rule no longer loaded is said as a bare number.
nlohmann::json ValueTextJson(const RuleConfig* rule, const Config& config,
                             const std::optional<double>& v);

// Times as {"unix": 1764505200, "local": "2025-11-30T20:20:00+08:00"} in the park's zone
// (config.timezone); null for 0 (never).
class TimeJson {
 public:
  explicit TimeJson(const Config& config);
  nlohmann::json At(int64_t unix_seconds) const;
  int offset_minutes() const { return offset_; }

 private:
  int offset_;
};

// {"period": "2025-W19", "name": "2025年第19周", "name_en", "days" (5月5日—5月11日), "days_en",
//  "first_day", "last_day"};
// null for an invalid period.
nlohmann::json PeriodJson(const Period& p);

// {"direction": "below", "levels": {"yellow": -0.1, "red": -0.3}, "clear": null,
//  "crossed": "yellow"|null}: the thresholds of one member (RuleConfig::ThresholdsFor), as the
// alert detail and the rule list both show them.
nlohmann::json ThresholdsJson(const Thresholds& t, Severity crossed = Severity::kNone);

}  // namespace parkwatch
