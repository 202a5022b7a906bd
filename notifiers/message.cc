#include "notifiers/message.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "notifiers/router.h"

namespace parkwatch {
namespace {

using nlohmann::json;

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Labels StringMap(const json& j, const char* key) {
  Labels out;
  auto it = j.find(key);
  if (it == j.end() || !it->is_object()) return out;
  for (auto& [k, v] : it->items())
    if (v.is_string()) out[k] = v.get<std::string>();
  return out;
}

std::optional<double> Num(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? std::optional<double>(it->get<double>()) : std::nullopt;
}

Labels Common(const std::vector<AlertNotice>& alerts, Labels (*get)(const AlertNotice&)) {
  if (alerts.empty()) return {};
  Labels common = get(alerts.front());
  for (size_t i = 1; i < alerts.size(); ++i) {
    Labels other = get(alerts[i]);
    for (auto it = common.begin(); it != common.end();) {
      auto o = other.find(it->first);
      it = (o == other.end() || o->second != it->second) ? common.erase(it) : std::next(it);
    }
  }
  return common;
}

}  // namespace

Labels AlertNotice::AllLabels() const { return RoutingLabels(rule, labels, severity); }

std::optional<AlertNotice> AlertNotice::FromPayload(const std::string& payload,
                                                    std::string* error) {
  json j = json::parse(payload, nullptr, false);
  if (!j.is_object()) {
    *error = "payload is not a JSON object";
    return std::nullopt;
  }
  AlertNotice a;
  a.fingerprint = Str(j, "fingerprint");
  a.rule = Str(j, "rule");
  a.labels = StringMap(j, "labels");
  a.annotations = StringMap(j, "annotations");
  auto kind = ParseEventKind(Str(j, "kind"));
  if (!kind) {
    *error = "payload has no valid kind: \"" + Str(j, "kind") + "\"";
    return std::nullopt;
  }
  a.kind = *kind;
  auto period = Period::Parse(Str(j, "period"));
  if (!period) {
    *error = "payload has no valid period: \"" + Str(j, "period") + "\"";
    return std::nullopt;
  }
  a.period = *period;
  a.active_since = Period::Parse(Str(j, "active_since")).value_or(Period());
  a.severity = ParseSeverity(Str(j, "severity")).value_or(Severity::kNone);
  // A resolved event carries level none; receivers want the level that cleared.
  if (!a.firing() && a.severity == Severity::kNone)
    a.severity = ParseSeverity(Str(j, "previous")).value_or(Severity::kNone);
  a.value = Num(j, "value");
  a.value_at_firing = Num(j, "value_at_firing");
  a.fired_at = static_cast<int64_t>(Num(j, "fired_at").value_or(0));
  a.at = static_cast<int64_t>(Num(j, "at").value_or(0));
  return a;
}

bool Message::firing() const {
  return std::any_of(alerts.begin(), alerts.end(), [](const AlertNotice& a) { return a.firing(); });
}

Labels Message::CommonLabels() const {
  return Common(alerts, [](const AlertNotice& a) { return a.AllLabels(); });
}

Labels Message::CommonAnnotations() const {
  return Common(alerts, [](const AlertNotice& a) { return a.annotations; });
}

const AlertNotice& Message::Lead() const {
  const AlertNotice* lead = &alerts.front();
  for (const auto& a : alerts) {
    // Firing before resolved, then the higher level.
    bool better = a.firing() != lead->firing() ? a.firing() : a.severity > lead->severity;
    if (better) lead = &a;
  }
  return *lead;
}

std::string Message::AlertUrl(const AlertNotice& a) const {
  if (external_url.empty()) return "";
  std::string base = external_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + AlertPagePath(a.fingerprint);
}

}  // namespace parkwatch
