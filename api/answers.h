// The answers to "what is alerting and why", as JSON documents built from the store, the config
// and the rules — shared by the HTTP API (api/alert_detail.cc, api/alerts.cc) and the command
// line (`parkwatch alerts`, `parkwatch explain`), so both say exactly the same thing.
// The thread that owns the store connection passed in.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "config/config.h"
#include "store/store.h"

namespace parkwatch {

class AlertStore;
class DeliveryStore;
struct RuleSet;

// What an answer reads: one store connection and the alert and delivery stores on it, the
// config and rules in force.
struct AnswerSources {
  Store& store;
  AlertStore& alerts;
  DeliveryStore& deliveries;
  const Config& config;
  const RuleSet& rules;
};

// GET /api/v1/alerts filters: every field optional ("" or nullopt: no filter).
struct AlertQuery {
  std::string state;     // pending | firing
  std::string severity;  // the least level: blue | yellow | orange | red
  std::string rule;
  std::string industry;  // an enterprise's alerts count for its industry
  std::string enterprise;
  std::string scope;
  std::optional<bool> silenced;
  std::optional<bool> acknowledged;
};

// The active alerts matching q, most severe first; "" in *error or the problem with q (a state
// or severity that does not parse, named).
nlohmann::json AlertList(const AnswerSources& in, const AlertQuery& q, std::string* error);

// One alert and why it fires (README, GET /api/v1/alerts/FINGERPRINT); nullopt if unknown.
std::optional<nlohmann::json> AlertAnswer(const AnswerSources& in, const std::string& fingerprint);

}  // namespace parkwatch
