#include "config/alerting.h"

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>

#include "core/text.h"

namespace parkwatch {
namespace {

namespace fs = std::filesystem;

int64_t Duration(YamlReader& r, const YAML::Node& node, const std::string& field,
                 int64_t fallback) {
  if (!node || node.IsNull()) return fallback;
  std::string text = r.String(node, field, "");
  auto ms = ParseDurationMs(text);
  if (!ms) {
    r.Error(node, field, "expected a duration like 500ms, 30s, 5m, 2h or 1d, at most 3650d");
    return fallback;
  }
  return *ms;
}

std::optional<int64_t> OptionalDuration(YamlReader& r, const YAML::Node& node,
                                        const std::string& field) {
  if (!node || node.IsNull()) return std::nullopt;
  return Duration(r, node, field, 0);
}

std::vector<LabelMatcher> Matchers(YamlReader& r, const YAML::Node& node,
                                   const std::string& field) {
  std::vector<LabelMatcher> out;
  if (!node || node.IsNull()) return out;
  if (!node.IsSequence()) {
    r.Error(node, field, "expected a list of matchers like 'severity=~\"orange|red\"'");
    return out;
  }
  int i = 0;
  for (const auto& item : node) {
    std::string where = field + "[" + std::to_string(i++) + "]";
    std::string error;
    auto m = ParseLabelMatcher(r.String(item, where, ""), &error);
    if (m)
      out.push_back(std::move(*m));
    else
      r.Error(item, where, error);
  }
  return out;
}

// The readers InstallReceiverReaders() installed (config/alerting.h says why they come from
// outside).
std::vector<ReceiverReader>& Readers() {
  static std::vector<ReceiverReader> readers;
  return readers;
}

const ReceiverReader* FindReader(const std::string& type) {
  for (const auto& reader : Readers())
    if (reader.type == type) return &reader;
  return nullptr;
}

// "must be email, webhook or feishu", in table order.
std::string TypeChoices() {
  const auto& readers = Readers();
  if (readers.empty()) return "no receiver types are installed (notifiers/receiver_types.h)";
  std::string out = "must be ";
  for (size_t i = 0; i < readers.size(); ++i)
    out += (i == 0 ? "" : i + 1 == readers.size() ? " or " : ", ") + readers[i].type;
  return out;
}

// The keys every receiver may have, besides its type's own.
const std::set<std::string> kCommonReceiverFields = {
    "name",  "type", "send_resolved", "language",
    "title", "text", "timeout",       "rate_limit_per_minute"};

// One receiver: the common settings here, its type's own through the type's reader. An
// unknown type is reported at its `type:` and the rest of the receiver is not checked, since
// which fields are allowed depends on the type. False when item is not a mapping (reported,
// unless it is null).
bool ReadReceiver(YamlReader& r, const YAML::Node& item, const std::string& where,
                  const std::string& base, ReceiverConfig* rc) {
  if (!item.IsMap()) return r.Map(item, where, {});
  rc->type = r.String(item["type"], where + ".type", "");
  const ReceiverReader* reader = FindReader(rc->type);
  if (!reader)
    r.Error(item["type"].IsDefined() ? item["type"] : item, where + ".type", TypeChoices());
  std::set<std::string> allowed = kCommonReceiverFields;
  if (reader) {
    for (const auto& field : reader->fields) allowed.insert(field);
    r.Map(item, where, allowed);
  }
  rc->name = r.String(item["name"], where + ".name", "");
  if (rc->name.empty()) r.Error(item, where + ".name", "required");
  rc->send_resolved = r.Bool(item["send_resolved"], where + ".send_resolved", true);
  rc->language = r.String(item["language"], where + ".language", "");
  if (!rc->language.empty() && rc->language != "zh" && rc->language != "en")
    r.Error(item["language"], where + ".language", "must be zh or en");
  rc->title_template = r.String(item["title"], where + ".title", "");
  rc->text_template = r.String(item["text"], where + ".text", "");
  rc->timeout_ms = Duration(r, item["timeout"], where + ".timeout", 0);
  const bool robot = reader && reader->robot;
  rc->rate_limit_per_minute = static_cast<int>(
      r.Int(item["rate_limit_per_minute"], where + ".rate_limit_per_minute", robot ? 20 : 0, 0));
  if (reader) rc->options = reader->read(r, item, where, base);
  return true;
}

void ReadRoute(YamlReader& r, const YAML::Node& node, const std::string& where, bool root,
               RouteConfig* route) {
  if (!r.Map(node, where,
             {"receiver", "matchers", "continue", "group_by", "group_wait", "group_interval",
              "repeat_interval", "routes"}))
    return;
  route->receiver = r.String(node["receiver"], where + ".receiver", "");
  route->matchers = Matchers(r, node["matchers"], where + ".matchers");
  if (root && !route->matchers.empty())
    r.Error(node["matchers"], where + ".matchers", "the root route matches everything");
  route->continue_matching = r.Bool(node["continue"], where + ".continue", false);
  if (node["group_by"]) route->group_by = r.Strings(node["group_by"], where + ".group_by");
  route->group_wait_ms = OptionalDuration(r, node["group_wait"], where + ".group_wait");
  route->group_interval_ms = OptionalDuration(r, node["group_interval"], where + ".group_interval");
  route->repeat_interval_ms =
      OptionalDuration(r, node["repeat_interval"], where + ".repeat_interval");
  const YAML::Node children = node["routes"];
  if (children && !children.IsNull()) {
    if (!children.IsSequence()) return r.Error(children, where + ".routes", "expected a list");
    int i = 0;
    for (const auto& child : children) {
      RouteConfig c;
      ReadRoute(r, child, where + ".routes[" + std::to_string(i++) + "]", false, &c);
      route->routes.push_back(std::move(c));
    }
  }
}

void CheckReceivers(YamlReader& r, const YAML::Node& node, const std::string& where,
                    const RouteConfig& route, const AlertingConfig& c) {
  if (!route.receiver.empty() && !c.FindReceiver(route.receiver))
    r.Error(node["receiver"], where + ".receiver", "no receiver named \"" + route.receiver + "\"");
  for (size_t i = 0; i < route.routes.size(); ++i)
    CheckReceivers(r, node["routes"][i], where + ".routes[" + std::to_string(i) + "]",
                   route.routes[i], c);
}

}  // namespace

bool LabelMatcher::Matches(const std::map<std::string, std::string>& labels) const {
  auto it = labels.find(name);
  const std::string& v = it == labels.end() ? std::string() : it->second;
  switch (op) {
    case Op::kEqual:
      return v == value;
    case Op::kNotEqual:
      return v != value;
    case Op::kRegex:
      return std::regex_match(v, *regex);
    case Op::kNotRegex:
      return !std::regex_match(v, *regex);
  }
  return false;
}

std::string LabelMatcher::ToString() const {
  static const char* kOps[] = {"=", "!=", "=~", "!~"};
  return name + kOps[static_cast<int>(op)] + "\"" + value + "\"";
}

std::optional<LabelMatcher> ParseLabelMatcher(const std::string& text, std::string* error) {
  size_t pos = text.find_first_of("=!");
  if (pos == std::string::npos || pos == 0) {
    *error = "expected name=value, name!=value, name=~regex or name!~regex";
    return std::nullopt;
  }
  LabelMatcher m;
  m.name = Trim(std::string_view(text).substr(0, pos));
  std::string rest = text.substr(pos);
  size_t op_len = 1;
  if (rest.rfind("=~", 0) == 0)
    m.op = LabelMatcher::Op::kRegex, op_len = 2;
  else if (rest.rfind("!~", 0) == 0)
    m.op = LabelMatcher::Op::kNotRegex, op_len = 2;
  else if (rest.rfind("!=", 0) == 0)
    m.op = LabelMatcher::Op::kNotEqual, op_len = 2;
  else if (rest[0] == '=')
    m.op = LabelMatcher::Op::kEqual;
  else {
    *error = "unknown operator in matcher";
    return std::nullopt;
  }
  std::string value(Trim(std::string_view(rest).substr(op_len)));
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
    value = value.substr(1, value.size() - 2);
  m.value = value;
  if (m.name.empty() || m.name.find_first_of(" \"") != std::string::npos) {
    *error = "invalid label name in matcher";
    return std::nullopt;
  }
  if (m.op == LabelMatcher::Op::kRegex || m.op == LabelMatcher::Op::kNotRegex) {
    try {
      m.regex = std::make_shared<const std::regex>(value, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      *error = std::string("invalid regular expression: ") + e.what();
      return std::nullopt;
    }
  }
  return m;
}

bool MatchesAll(const std::vector<LabelMatcher>& matchers,
                const std::map<std::string, std::string>& labels) {
  for (const auto& m : matchers)
    if (!m.Matches(labels)) return false;
  return true;
}

void InstallReceiverReaders(std::vector<ReceiverReader> readers) { Readers() = std::move(readers); }

const ReceiverConfig* AlertingConfig::FindReceiver(const std::string& name) const {
  for (const auto& r : receivers)
    if (r.name == name) return &r;
  return nullptr;
}

int64_t ReadDurationMs(YamlReader& r, const YAML::Node& node, const std::string& field,
                       int64_t fallback) {
  return Duration(r, node, field, fallback);
}

std::optional<int64_t> ParseDurationMs(const std::string& text) {
  if (text.empty()) return std::nullopt;
  int64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (i == start) return std::nullopt;
    int64_t n = 0;
    auto [end, ec] = std::from_chars(text.data() + start, text.data() + i, n);
    if (ec != std::errc() || end != text.data() + i) return std::nullopt;  // out of range
    size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    std::string unit = text.substr(unit_start, i - unit_start);
    int64_t factor;
    if (unit == "ms")
      factor = 1;
    else if (unit == "s")
      factor = 1000;
    else if (unit == "m")
      factor = 60'000;
    else if (unit == "h")
      factor = 3'600'000;
    else if (unit == "d")
      factor = 86'400'000;
    else if (unit == "w")
      factor = 7 * 86'400'000LL;
    else
      return std::nullopt;
    int64_t ms;
    if (__builtin_mul_overflow(n, factor, &ms) || __builtin_add_overflow(total, ms, &total) ||
        total > kMaxDurationMs)
      return std::nullopt;
  }
  return total;
}

namespace {

// alerting.delivery into dc.
void ReadDelivery(YamlReader& local, const YAML::Node& d, DeliveryConfig& dc) {
  if (!local.Map(d, "alerting.delivery",
                 {"initial_backoff", "max_backoff", "max_attempts", "max_age", "timeout",
                  "poll_interval", "batch_limit", "fallback_receiver"}))
    return;
  dc.initial_backoff_ms = Duration(local, d["initial_backoff"], "alerting.delivery.initial_backoff",
                                   dc.initial_backoff_ms);
  dc.max_backoff_ms =
      Duration(local, d["max_backoff"], "alerting.delivery.max_backoff", dc.max_backoff_ms);
  dc.max_attempts = static_cast<int>(
      local.Int(d["max_attempts"], "alerting.delivery.max_attempts", dc.max_attempts, 1));
  dc.max_age_ms = Duration(local, d["max_age"], "alerting.delivery.max_age", dc.max_age_ms);
  dc.timeout_ms = Duration(local, d["timeout"], "alerting.delivery.timeout", dc.timeout_ms);
  dc.poll_interval_ms =
      Duration(local, d["poll_interval"], "alerting.delivery.poll_interval", dc.poll_interval_ms);
  dc.batch_limit = static_cast<int>(
      local.Int(d["batch_limit"], "alerting.delivery.batch_limit", dc.batch_limit, 1));
  dc.fallback_receiver =
      local.String(d["fallback_receiver"], "alerting.delivery.fallback_receiver", "");
}

// alerting.receivers into *out, each name once.
void ReadReceivers(YamlReader& local, const YAML::Node& receivers, const std::string& base_dir,
                   std::vector<ReceiverConfig>* out) {
  if (!receivers || receivers.IsNull()) return;
  if (!receivers.IsSequence())
    return local.Error(receivers, "alerting.receivers", "expected a list");
  int i = 0;
  std::set<std::string> names;
  for (const auto& item : receivers) {
    std::string where = "alerting.receivers[" + std::to_string(i++) + "]";
    ReceiverConfig rc;
    if (!ReadReceiver(local, item, where, base_dir, &rc)) continue;
    if (!names.insert(rc.name).second)
      local.Error(item["name"], where + ".name", "duplicate receiver name");
    out->push_back(std::move(rc));
  }
}

// Every receiver the routes and the fallback name exists.
void CheckReceiverNames(YamlReader& local, const YAML::Node& node, const AlertingConfig& c) {
  if (!c.receivers.empty()) {
    if (c.route.receiver.empty())
      local.Error(node["route"].IsDefined() ? node["route"] : node, "alerting.route.receiver",
                  "the root route needs a receiver");
    CheckReceivers(local, node["route"], "alerting.route", c.route, c);
  }
  if (!c.delivery.fallback_receiver.empty() && !c.FindReceiver(c.delivery.fallback_receiver))
    local.Error(node["delivery"]["fallback_receiver"], "alerting.delivery.fallback_receiver",
                "no receiver named \"" + c.delivery.fallback_receiver + "\"");
}

// alerting.inhibit_rules into *out.
void ReadInhibitRules(YamlReader& local, const YAML::Node& inhibit, std::vector<InhibitRule>* out) {
  if (!inhibit || inhibit.IsNull()) return;
  if (!inhibit.IsSequence())
    return local.Error(inhibit, "alerting.inhibit_rules", "expected a list");
  int i = 0;
  for (const auto& item : inhibit) {
    std::string where = "alerting.inhibit_rules[" + std::to_string(i++) + "]";
    if (!local.Map(item, where, {"source_matchers", "target_matchers", "equal"})) continue;
    InhibitRule rule;
    rule.source_matchers = Matchers(local, item["source_matchers"], where + ".source_matchers");
    rule.target_matchers = Matchers(local, item["target_matchers"], where + ".target_matchers");
    rule.equal = local.Strings(item["equal"], where + ".equal");
    if (rule.source_matchers.empty() || rule.target_matchers.empty())
      local.Error(item, where, "source_matchers and target_matchers are required");
    out->push_back(std::move(rule));
  }
}

// The whole section into c, reporting through local: its scalars, then each part in the order
// of the file's sections; names are checked once receivers and routes are read.
void ReadAlerting(YamlReader& local, const YAML::Node& node, const std::string& base_dir,
                  AlertingConfig& c) {
  if (!local.Map(node, "alerting",
                 {"external_url", "grafana_url", "language", "delivery", "receivers", "route",
                  "inhibit_rules"}))
    return;
  c.external_url = local.String(node["external_url"], "alerting.external_url", c.external_url);
  c.grafana_url = local.String(node["grafana_url"], "alerting.grafana_url", "");
  c.language = local.String(node["language"], "alerting.language", "zh");
  if (c.language != "zh" && c.language != "en")
    local.Error(node["language"], "alerting.language", "must be zh or en");
  ReadDelivery(local, node["delivery"], c.delivery);
  ReadReceivers(local, node["receivers"], base_dir, &c.receivers);
  ReadRoute(local, node["route"], "alerting.route", true, &c.route);
  CheckReceiverNames(local, node, c);
  ReadInhibitRules(local, node["inhibit_rules"], &c.inhibit_rules);
}

}  // namespace

bool ParseAlerting(YamlReader& r, const YAML::Node& node, const std::string& base_dir,
                   AlertingConfig* out) {
  // A first pass into a private list tells whether this section is valid; only then is *out
  // replaced. On errors a second pass reports them through the caller's reader (which offers
  // no way to append a diagnostic other than at a node), so they appear in document order.
  std::vector<Diagnostic> mine;
  YamlReader probe(r.file(), &mine);
  AlertingConfig c = *out;
  ReadAlerting(probe, node, base_dir, c);
  if (!mine.empty()) {
    AlertingConfig scratch = *out;
    ReadAlerting(r, node, base_dir, scratch);
    return false;
  }
  *out = std::move(c);
  return true;
}

std::vector<LabelMatcher> ParseStoredMatchers(const std::vector<std::string>& texts) {
  std::vector<LabelMatcher> out;
  for (const auto& text : texts) {
    std::string error;
    if (auto m = ParseLabelMatcher(text, &error)) out.push_back(std::move(*m));
  }
  return out;
}

}  // namespace parkwatch
