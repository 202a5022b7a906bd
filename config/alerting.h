// The `alerting:` section of parkwatch.yml: who receives alert notifications and how they are
// routed, grouped, inhibited and retried. Shaped like Alertmanager's configuration so operators
// who know one know the other:
//
//   alerting:
//     external_url: https://parkwatch.example.gov.cn   # links in messages (default: global.)
//     grafana_url: https://grafana.example.gov.cn/d/park
//     language: zh                                      # zh | en, default for every receiver
//     delivery:
//       initial_backoff: 10s    max_backoff: 10m    max_attempts: 12    max_age: 24h
//       timeout: 10s            fallback_receiver: ops-mail
//     receivers:
//       - name: leaders
//         type: dingtalk          # a row of notifiers/receiver_types.cc
//         url: https://oapi.dingtalk.com/robot/send?access_token=...
//         secret_file: /etc/parkwatch/dingtalk.secret
//         at_mobiles: ["13800000000"]
//         rate_limit_per_minute: 20   # robots default to 20, others unlimited
//     route:
//       receiver: ops-mail
//       group_by: [alertname, industry]
//       group_wait: 1m   group_interval: 1h   repeat_interval: 24h
//       routes:
//         - matchers: ['severity=~"orange|red"']
//           receiver: leaders
//           continue: true
//     inhibit_rules:
//       - source_matchers: ['scope="park"', 'severity="red"']
//         target_matchers: ['scope="enterprise"']
//         equal: [alertname, industry]
//
// Secrets (password, secret, token) may be given inline, as <name>_file, or as <name>_env (the
// name of an environment variable); they are never logged or echoed in diagnostics.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/yaml_reader.h"

namespace parkwatch {

// One label matcher, as Alertmanager writes them: name="v", name!="v", name=~"re", name!~"re".
// Regular expressions are anchored (they must match the whole value).
struct LabelMatcher {
  enum class Op { kEqual, kNotEqual, kRegex, kNotRegex };
  std::string name;
  Op op = Op::kEqual;
  std::string value;
  std::shared_ptr<const std::regex> regex;  // for kRegex and kNotRegex

  // An absent label matches as the empty string, as in Alertmanager.
  bool Matches(const std::map<std::string, std::string>& labels) const;
  std::string ToString() const;
};

// Parses `name op "value"` (quotes optional). nullopt with *error set on a malformed matcher or
// an invalid regular expression.
std::optional<LabelMatcher> ParseLabelMatcher(const std::string& text, std::string* error);
// The matchers of texts stored earlier (a silence's, validated when it was made); a text that no
// longer parses is left out.
std::vector<LabelMatcher> ParseStoredMatchers(const std::vector<std::string>& texts);

// True when every matcher matches (so an empty list matches everything).
bool MatchesAll(const std::vector<LabelMatcher>& matchers,
                const std::map<std::string, std::string>& labels);

// A receiver type's own settings (url, smarthost, secret, ...): one struct per type, defined
// with the type in notifiers/ (EmailConfig, WebhookConfig, ... in notifiers/receivers.h).
// config/ holds them without knowing them.
struct ReceiverOptions {
  virtual ~ReceiverOptions() = default;
};

// The settings every receiver has, plus its type's own.
struct ReceiverConfig {
  std::string name;
  std::string type;  // a row of notifiers' receiver-type table: email, webhook, dingtalk, ...
  bool send_resolved = true;
  std::string language;  // zh | en; empty: AlertingConfig::language
  // Message templates overriding the defaults (notifiers/template.h lists the fields).
  std::string title_template;
  std::string text_template;
  int64_t timeout_ms = 0;         // 0: DeliveryConfig::timeout_ms
  int rate_limit_per_minute = 0;  // 0: unlimited (robots default to 20)
  // The type's own settings as its reader made them; set for every receiver of a loaded
  // configuration.
  std::shared_ptr<const ReceiverOptions> options;

  // options as the type's struct; throws std::logic_error when they are of another type (a
  // programming error: the type's reader made them).
  template <class T>
  const T& Options() const {
    const T* typed = dynamic_cast<const T*>(options.get());
    if (!typed) throw std::logic_error("receiver \"" + name + "\" has no " + type + " settings");
    return *typed;
  }
};

// How config/ reads a receiver type it does not know.
//
// The types live with their senders in notifiers/, which depends on config/; config/ must not
// depend on notifiers/. So the dependency is turned round at run time: notifiers/ keeps the one
// receiver-type table (notifiers/receiver_types.h) and InstallReceiverTypes() there hands
// config/ one reader per row through InstallReceiverReaders(). main() installs them before the
// first load, as do the tests that load receivers. Each reader reads only its type's fields into
// its type's struct, so adding a type touches notifiers/ alone; a `type:` without a reader is
// an error at its line and column, never a silent default.
struct ReceiverReader {
  std::string type;                 // the `type:` value
  bool robot = false;               // a chat robot: rate_limit_per_minute defaults to 20
  std::vector<std::string> fields;  // its own keys; a secret NAME also allows NAME_file, NAME_env
  // Reads those fields of one receiver's mapping (node, named `where` in diagnostics) and
  // reports every problem through r; relative *_file paths resolve against base_dir.
  std::function<std::shared_ptr<const ReceiverOptions>(
      YamlReader& r, const YAML::Node& node, const std::string& where, const std::string& base_dir)>
      read;
};

// Replaces the readers ParseAlerting uses, in the order its error message lists the types.
// Call before loading configurations, not while one loads on another thread.
void InstallReceiverReaders(std::vector<ReceiverReader> readers);

// A node of the routing tree. Unset timings inherit from the parent; the root's defaults suit
// weekly and monthly data, where an hour's wait costs nothing and a flood of repeats costs trust.
struct RouteConfig {
  std::string receiver;  // inherited when empty
  std::vector<LabelMatcher> matchers;
  bool continue_matching = false;
  std::optional<std::vector<std::string>> group_by;  // inherited when unset; ["..."] = each alert
  std::optional<int64_t> group_wait_ms;
  std::optional<int64_t> group_interval_ms;
  std::optional<int64_t> repeat_interval_ms;
  std::vector<RouteConfig> routes;
};

struct InhibitRule {
  std::vector<LabelMatcher> source_matchers;
  std::vector<LabelMatcher> target_matchers;
  std::vector<std::string> equal;
};

struct DeliveryConfig {
  int64_t initial_backoff_ms = 10'000;
  int64_t max_backoff_ms = 600'000;
  int max_attempts = 12;
  int64_t max_age_ms = 24 * 3600'000LL;
  int64_t timeout_ms = 10'000;
  int64_t poll_interval_ms = 30'000;  // safety net besides Kick() and the retry timer
  int batch_limit = 50;               // alerts in one grouped message at most
  std::string fallback_receiver;      // gets dead letters; empty: none
};

struct AlertingConfig {
  std::string external_url;  // links to parkwatch; default: global.external_url
  std::string grafana_url;   // links to dashboards, if set
  std::string language = "zh";
  DeliveryConfig delivery;
  std::vector<ReceiverConfig> receivers;
  RouteConfig route;  // root; its receiver is required when receivers exist
  std::vector<InhibitRule> inhibit_rules;

  bool enabled() const { return !receivers.empty(); }
  const ReceiverConfig* FindReceiver(const std::string& name) const;
};

// The longest duration any setting takes: ten years. Far beyond any real interval, and small
// enough that now + duration fits every clock's representation (nanoseconds included).
inline constexpr int64_t kMaxDurationMs = 3650LL * 86'400'000;

// Parses "500ms", "30s", "5m", "2h", "1d", "1w" (or a combination like "1h30m") into ms.
// nullopt for a malformed text or one over kMaxDurationMs (overflow-checked: no exception).
std::optional<int64_t> ParseDurationMs(const std::string& text);

// A duration field (ParseDurationMs) of node; fallback when absent, with an error through r
// when it is not a duration. For receiver types' readers (notifiers/receivers.cc).
int64_t ReadDurationMs(YamlReader& r, const YAML::Node& node, const std::string& field,
                       int64_t fallback);

// Reads node (the `alerting:` mapping; absent or null leaves *out with defaults) into *out,
// reporting every problem through r. Relative *_file paths resolve against base_dir.
// Returns r.ok() for the errors it added.
bool ParseAlerting(YamlReader& r, const YAML::Node& node, const std::string& base_dir,
                   AlertingConfig* out);

}  // namespace parkwatch
