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
//         type: dingtalk          # email | webhook | alertmanager | wecom | dingtalk | feishu
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
#include <map>
#include <memory>
#include <optional>
#include <regex>
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

// True when every matcher matches (so an empty list matches everything).
bool MatchesAll(const std::vector<LabelMatcher>& matchers,
                const std::map<std::string, std::string>& labels);

struct ReceiverConfig {
  std::string name;
  std::string type;  // email | webhook | alertmanager | wecom | dingtalk | feishu
  bool send_resolved = true;
  std::string language;  // zh | en; empty: AlertingConfig::language
  // Message templates overriding the defaults (notifiers/template.h lists the fields).
  std::string title_template;
  std::string text_template;
  int64_t timeout_ms = 0;         // 0: DeliveryConfig::timeout_ms
  int rate_limit_per_minute = 0;  // 0: unlimited (robots default to 20)

  // webhook, alertmanager, wecom, dingtalk, feishu
  std::string url;
  std::string bearer_token;             // webhook, alertmanager: Authorization: Bearer
  int max_alerts = 0;                   // webhook: alerts per message, rest counted as truncated
  std::string secret;                   // dingtalk, feishu: signing secret
  std::vector<std::string> at_mobiles;  // dingtalk, wecom: people to @
  bool at_all = false;
  std::string message_format;      // feishu: post | interactive; others: markdown
  int64_t resend_interval_ms = 0;  // alertmanager: re-push while firing (default 1m)

  // email
  std::string smarthost;         // host:port
  std::string tls = "starttls";  // starttls | tls (implicit, smtps) | none
  bool tls_insecure_skip_verify = false;
  std::string from;
  std::vector<std::string> to;
  std::vector<std::string> cc;
  std::string username;
  std::string password;
};

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

// Reads node (the `alerting:` mapping; absent or null leaves *out with defaults) into *out,
// reporting every problem through r. Relative *_file paths resolve against base_dir.
// Returns r.ok() for the errors it added.
bool ParseAlerting(YamlReader& r, const YAML::Node& node, const std::string& base_dir,
                   AlertingConfig* out);

}  // namespace parkwatch
