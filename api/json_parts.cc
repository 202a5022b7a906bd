#include "api/json_parts.h"

#include "api/query.h"
#include "core/number_text.h"
#include "core/time_text.h"
#include "rules/evaluator.h"
#include "rules/measure_words.h"

namespace parkwatch {

using nlohmann::json;

json BodyObject(const std::string& body) {
  json in = json::parse(body, nullptr, false);
  if (!in.is_object()) throw ApiError::BadData("body must be a JSON object");
  return in;
}

std::string BodyString(const json& body, const char* name) {
  if (!body.contains(name) || body[name].is_null()) return "";
  if (!body[name].is_string()) throw ApiError::BadData(std::string(name) + ": must be a string");
  return body[name].get<std::string>();
}

json NumberJson(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json ValueTextJson(const RuleConfig* rule, const Config& config, const std::optional<double>& v) {
  if (!v) return nullptr;
  if (!rule) return Fixed(*v, 4);
  return ValueWords(*rule, config, *v);
}

TimeJson::TimeJson(const Config& config)
    : offset_(UtcOffsetMinutes(config.timezone).value_or(8 * 60)) {}

json TimeJson::At(int64_t unix_seconds) const {
  if (!unix_seconds) return nullptr;
  return {{"unix", unix_seconds}, {"local", LocalRfc3339(unix_seconds, offset_)}};
}

json PeriodJson(const Period& p) {
  if (!p.valid()) return nullptr;
  return {{"period", p.ToString()},
          {"name", PeriodName(p)},
          {"name_en", PeriodName(p, Language::kEn)},
          {"days", PeriodDays(p)},
          {"days_en", PeriodDays(p, Language::kEn)},
          {"first_day", IsoDate(p.FirstDay())},
          {"last_day", IsoDate(p.LastDay())}};
}

json ThresholdsJson(const Thresholds& t, Severity crossed) {
  json levels = json::object();
  for (Severity s : {Severity::kBlue, Severity::kYellow, Severity::kOrange, Severity::kRed})
    if (auto v = t.levels[static_cast<size_t>(s)]) levels[std::string(SeverityName(s))] = *v;
  return {{"direction", t.direction == Direction::kBelow ? "below" : "above"},
          {"levels", levels},
          {"clear", NumberJson(t.clear)},
          {"crossed",
           crossed == Severity::kNone ? json(nullptr) : json(std::string(SeverityName(crossed)))}};
}

}  // namespace parkwatch
