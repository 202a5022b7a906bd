#include "notifiers/receivers.h"

#include <cctype>
#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "notifiers/template.h"
#include "notifiers/transport.h"

namespace parkwatch {
namespace {

using nlohmann::json;

std::string Dump(const json& j) { return DumpJson(j); }

// The verdict on an HTTP exchange before looking at the body.
SendResult FromHttp(const PostResult& r) {
  SendResult s;
  if (r.status == 0) {
    s.outcome = SendResult::Outcome::kRetry;
    s.error = r.error;
  } else if (r.status >= 200 && r.status < 300) {
    s.outcome = SendResult::Outcome::kDelivered;
  } else {
    s.outcome = (r.status >= 500 || r.status == 429 || r.status == 408)
                    ? SendResult::Outcome::kRetry
                    : SendResult::Outcome::kPermanent;
    s.error = "HTTP " + std::to_string(r.status) + ": " + r.body.substr(0, 200);
    s.retry_after_ms = r.retry_after_ms;
  }
  return s;
}

// Robots answer 200 and put their verdict in the body: {"errcode":0} (WeCom, DingTalk),
// {"code":0} or {"StatusCode":0} (Feishu). A body that says nothing counts as failure, since
// a proxy's HTML page is not a confirmation.
SendResult FromRobot(const PostResult& r, const char* name) {
  SendResult s = FromHttp(r);
  if (!s.ok()) return s;
  json j = json::parse(r.body, nullptr, false);
  if (!j.is_object()) {
    s.outcome = SendResult::Outcome::kRetry;
    s.error = std::string(name) + ": response is not JSON: " + r.body.substr(0, 200);
    return s;
  }
  for (const char* key : {"errcode", "code", "StatusCode"}) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number_integer()) continue;
    int64_t code = it->get<int64_t>();
    if (code == 0) return s;
    std::string msg;
    for (const char* m : {"errmsg", "msg", "StatusMessage"})
      if (j.contains(m) && j[m].is_string()) msg = j[m].get<std::string>();
    // Every robot error is retried: rate limits (WeCom 45009, DingTalk 130101, Feishu 9499 /
    // 11232) pass by themselves, and a wrong secret or keyword is fixed by a reload, after
    // which the pending message still goes out. Attempts and age bound the retries.
    s.outcome = SendResult::Outcome::kRetry;
    s.error = std::string(name) + " " + key + " " + std::to_string(code) + ": " + msg;
    return s;
  }
  s.outcome = SendResult::Outcome::kRetry;
  s.error = std::string(name) + ": response has no error code: " + r.body.substr(0, 200);
  return s;
}

const char* kZeroTime = "0001-01-01T00:00:00Z";

json AlertJson(const Message& msg, const AlertNotice& a) {
  json annotations = a.annotations;
  if (!annotations.contains("period")) annotations["period"] = a.period.ToString();
  if (a.value && !annotations.contains("value")) annotations["value"] = FormatValue(*a.value);
  return {{"status", a.StatusName()},
          {"labels", a.AllLabels()},
          {"annotations", annotations},
          {"startsAt", Rfc3339(a.fired_at ? a.fired_at : a.at)},
          {"endsAt", a.firing() ? kZeroTime : Rfc3339(a.at)},
          {"generatorURL", msg.AlertUrl(a)},
          {"fingerprint", a.fingerprint}};
}

// Holds what every receiver class needs: its configuration, its type's options and the setup.
template <class TypeConfig>
class ReceiverOf : public Receiver {
 public:
  ReceiverOf(const ReceiverConfig& rc, const ReceiverSetup& setup)
      : rc_(rc), options_(rc_.Options<TypeConfig>()), setup_(setup) {}

 protected:
  const ReceiverConfig rc_;  // owns options_ (through its shared_ptr)
  const TypeConfig& options_;
  const ReceiverSetup setup_;
};

class WebhookReceiver : public ReceiverOf<WebhookConfig> {
 public:
  using ReceiverOf::ReceiverOf;
  SendResult Send(const Message& msg) override {
    std::vector<std::string> headers = {"Content-Type: application/json"};
    if (!options_.bearer_token.empty())
      headers.push_back("Authorization: Bearer " + options_.bearer_token);
    // Lets a receiver drop a retry of something it already took (same group, same alerts).
    headers.push_back("Idempotency-Key: " + msg.alerts.front().idempotency_key);
    return FromHttp(HttpPost(options_.url, WebhookBody(msg, rc_), headers, setup_.timeout_ms));
  }
};

class AlertmanagerReceiver : public ReceiverOf<AlertmanagerConfig> {
 public:
  using ReceiverOf::ReceiverOf;
  SendResult Send(const Message& msg) override {
    std::string url = options_.url;
    while (!url.empty() && url.back() == '/') url.pop_back();
    if (url.find("/api/v2/alerts") == std::string::npos) url += "/api/v2/alerts";
    std::vector<std::string> headers = {"Content-Type: application/json"};
    if (!options_.bearer_token.empty())
      headers.push_back("Authorization: Bearer " + options_.bearer_token);
    return FromHttp(
        HttpPost(url, AlertmanagerBody(msg, rc_, setup_.clock()), headers, setup_.timeout_ms));
  }
};

const std::vector<std::string> kRobotHeaders = {"Content-Type: application/json; charset=utf-8"};

class WeComReceiver : public ReceiverOf<WeComConfig> {
 public:
  using ReceiverOf::ReceiverOf;
  SendResult Send(const Message& msg) override {
    // A long group goes out as several messages; all must be confirmed for the delivery to
    // count. A retry after a partial failure re-sends the earlier parts (see README).
    for (const std::string& body : WeComBodies(msg, rc_, setup_.language)) {
      SendResult r =
          FromRobot(HttpPost(options_.url, body, kRobotHeaders, setup_.timeout_ms), "wecom");
      if (!r.ok()) return r;
    }
    return {};
  }
};

class DingTalkReceiver : public ReceiverOf<DingTalkConfig> {
 public:
  using ReceiverOf::ReceiverOf;
  SendResult Send(const Message& msg) override {
    std::string url = options_.url;
    if (!options_.secret.empty()) {
      const int64_t ts = setup_.clock();
      url += (url.find('?') == std::string::npos ? "?" : "&") + std::string("timestamp=") +
             std::to_string(ts) + "&sign=" + DingTalkSign(ts, options_.secret);
    }
    return FromRobot(
        HttpPost(url, DingTalkBody(msg, rc_, setup_.language), kRobotHeaders, setup_.timeout_ms),
        "dingtalk");
  }
};

class FeishuReceiver : public ReceiverOf<FeishuConfig> {
 public:
  using ReceiverOf::ReceiverOf;
  SendResult Send(const Message& msg) override {
    return FromRobot(HttpPost(options_.url, FeishuBody(msg, rc_, setup_.language, setup_.clock()),
                              kRobotHeaders, setup_.timeout_ms),
                     "feishu");
  }
};

class EmailReceiver : public ReceiverOf<EmailConfig> {
 public:
  using ReceiverOf::ReceiverOf;
  SendResult Send(const Message& msg) override {
    SmtpRequest req;
    req.smarthost = options_.smarthost;
    req.tls = options_.tls;
    req.insecure_skip_verify = options_.tls_insecure_skip_verify;
    req.username = options_.username;
    req.password = options_.password;
    req.from = options_.from;
    req.recipients = options_.to;
    req.recipients.insert(req.recipients.end(), options_.cc.begin(), options_.cc.end());
    req.message = EmailMessage(msg, rc_, setup_.language, setup_.clock());
    req.timeout_ms = setup_.timeout_ms;
    std::string error = SmtpSend(req);
    SendResult r;
    if (!error.empty()) {
      // SMTP 5xx replies (bad recipient) cannot succeed on retry; everything else might.
      const bool permanent = error.find("(SMTP 5") != std::string::npos;
      r.outcome = permanent ? SendResult::Outcome::kPermanent : SendResult::Outcome::kRetry;
      r.error = "smtp: " + error;
    }
    return r;
  }
};

bool StartsWithNoCase(const std::string& s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

// url is required for every HTTP receiver, and must be HTTP: a URL naming another protocol
// (file://, gopher://, ...) is a mistake or an attack (libcurl is held to http and https too).
std::string RequiredUrl(YamlReader& r, const YAML::Node& node, const std::string& where,
                        const std::string& type) {
  std::string url = r.String(node["url"], where + ".url", "");
  if (url.empty())
    r.Error(node, where + ".url", "required for " + type);
  else if (!StartsWithNoCase(url, "http://") && !StartsWithNoCase(url, "https://"))
    r.Error(node["url"], where + ".url", "must be an http:// or https:// URL");
  return url;
}

// The Feishu card header's colour: green once resolved, else the level's own colour.
const char* CardColour(const AlertNotice& a) {
  if (!a.firing()) return "green";
  switch (a.severity) {
    case Severity::kRed:
      return "red";
    case Severity::kOrange:
      return "orange";
    case Severity::kYellow:
      return "yellow";
    case Severity::kBlue:
    case Severity::kNone:
      break;
  }
  return "blue";
}

}  // namespace

int64_t SystemClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Rfc3339(int64_t unix_seconds) {
  time_t t = static_cast<time_t>(unix_seconds);
  std::tm tm;
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string WebhookBody(const Message& msg, const ReceiverConfig& config) {
  json alerts = json::array();
  const WebhookConfig& options = config.Options<WebhookConfig>();
  size_t limit =
      options.max_alerts > 0 ? static_cast<size_t>(options.max_alerts) : msg.alerts.size();
  for (size_t i = 0; i < msg.alerts.size() && i < limit; ++i)
    alerts.push_back(AlertJson(msg, msg.alerts[i]));
  const int truncated = static_cast<int>(msg.alerts.size() - alerts.size()) + msg.truncated;
  return Dump({{"version", "4"},
               {"groupKey", msg.group_key},
               {"truncatedAlerts", truncated},
               {"status", msg.StatusName()},
               {"receiver", msg.receiver},
               {"groupLabels", msg.group_labels},
               {"commonLabels", msg.CommonLabels()},
               {"commonAnnotations", msg.CommonAnnotations()},
               {"externalURL", msg.external_url},
               {"alerts", alerts}});
}

std::string AlertmanagerBody(const Message& msg, const ReceiverConfig& config, int64_t now_ms) {
  json alerts = json::array();
  const int64_t now = now_ms / 1000;
  // Like Prometheus: a firing alert ends a few resend intervals ahead, so Alertmanager
  // resolves it by itself if parkwatch stops re-sending; a resolved one ends when it cleared.
  const int64_t horizon =
      std::max<int64_t>(4 * config.Options<AlertmanagerConfig>().resend_interval_ms / 1000, 60);
  for (const auto& a : msg.alerts) {
    json annotations = a.annotations;
    if (!annotations.contains("period")) annotations["period"] = a.period.ToString();
    if (a.value && !annotations.contains("value")) annotations["value"] = FormatValue(*a.value);
    alerts.push_back(
        {{"labels", a.AllLabels()},
         {"annotations", annotations},
         {"startsAt", Rfc3339(a.fired_at ? a.fired_at : a.at)},
         {"endsAt", a.firing() ? Rfc3339(now + horizon) : Rfc3339(std::min(a.at, now))},
         {"generatorURL", msg.AlertUrl(a)}});
  }
  return Dump(alerts);
}

std::vector<std::string> SplitUtf8(const std::string& text, size_t max_bytes) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < text.size()) {
    if (text.size() - i <= max_bytes) {
      parts.push_back(text.substr(i));
      break;
    }
    size_t end = text.rfind('\n', i + max_bytes - 1);
    if (end == std::string::npos || end < i) {
      end = i + max_bytes;
      while (end > i && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    } else {
      ++end;  // keep the newline with the earlier part
    }
    parts.push_back(text.substr(i, end - i));
    i = end;
  }
  return parts;
}

std::vector<std::string> WeComBodies(const Message& msg, const ReceiverConfig& config,
                                     const std::string& language) {
  RenderedMessage r = Render(msg, config, language);
  std::string content = "## " + r.title + "\n" + r.markdown;
  for (const auto& m : config.Options<WeComConfig>().at_mobiles) content += "<@" + m + ">";
  std::vector<std::string> bodies;
  for (const auto& part : SplitUtf8(content, 4096))
    bodies.push_back(Dump({{"msgtype", "markdown"}, {"markdown", {{"content", part}}}}));
  return bodies;
}

std::string DingTalkBody(const Message& msg, const ReceiverConfig& config,
                         const std::string& language) {
  const DingTalkConfig& options = config.Options<DingTalkConfig>();
  RenderedMessage r = Render(msg, config, language);
  std::string text = "## " + r.title + "\n" + r.markdown;
  // DingTalk only notifies the people whose @mobile appears in the text too.
  for (const auto& m : options.at_mobiles) text += "@" + m + " ";
  return Dump({{"msgtype", "markdown"},
               {"markdown", {{"title", r.title}, {"text", text}}},
               {"at", {{"atMobiles", options.at_mobiles}, {"isAtAll", options.at_all}}}});
}

std::string FeishuBody(const Message& msg, const ReceiverConfig& config,
                       const std::string& language, int64_t now_ms) {
  const FeishuConfig& options = config.Options<FeishuConfig>();
  RenderedMessage r = Render(msg, config, language);
  json body;
  if (!options.secret.empty()) {
    const int64_t ts = now_ms / 1000;
    body["timestamp"] = std::to_string(ts);
    body["sign"] = FeishuSign(ts, options.secret);
  }
  if (options.message_format == FeishuConfig::Format::kInteractive) {
    const AlertNotice& lead = msg.Lead();
    body["msg_type"] = "interactive";
    body["card"] = {
        {"header",
         {{"title", {{"tag", "plain_text"}, {"content", r.title}}},
          {"template", CardColour(lead)}}},
        {"elements",
         json::array({{{"tag", "div"}, {"text", {{"tag", "lark_md"}, {"content", r.markdown}}}}})}};
  } else {
    json lines = json::array();
    size_t start = 0;
    while (start < r.text.size()) {
      size_t end = r.text.find('\n', start);
      if (end == std::string::npos) end = r.text.size();
      lines.push_back(
          json::array({{{"tag", "text"}, {"text", r.text.substr(start, end - start)}}}));
      start = end + 1;
    }
    body["msg_type"] = "post";
    body["content"] = {
        {"post",
         {{language == "en" ? "en_us" : "zh_cn", {{"title", r.title}, {"content", lines}}}}}};
  }
  return Dump(body);
}

std::string EmailMessage(const Message& msg, const ReceiverConfig& config,
                         const std::string& language, int64_t now_ms) {
  RenderedMessage r = Render(msg, config, language);
  // Stable per delivery: a retried mail carries the same Message-ID, so clients can fold it.
  std::string id = msg.alerts.front().idempotency_key;
  for (char& c : id)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '.';
  id = std::to_string(msg.alerts.front().delivery_id) + "." + id.substr(0, 32);
  const EmailConfig& options = config.Options<EmailConfig>();
  return BuildMimeMessage(options.from, options.to, options.cc, r.title, r.text, r.html, id,
                          now_ms / 1000);
}

std::shared_ptr<const ReceiverOptions> ReadWebhookConfig(YamlReader& r, const YAML::Node& node,
                                                         const std::string& where,
                                                         const std::string& base_dir) {
  auto o = std::make_shared<WebhookConfig>();
  o->url = RequiredUrl(r, node, where, "webhook");
  o->bearer_token = r.Secret(node, where, "bearer_token", base_dir);
  o->max_alerts = static_cast<int>(r.Int(node["max_alerts"], where + ".max_alerts", 0, 0));
  return o;
}

std::shared_ptr<const ReceiverOptions> ReadAlertmanagerConfig(YamlReader& r, const YAML::Node& node,
                                                              const std::string& where,
                                                              const std::string& base_dir) {
  auto o = std::make_shared<AlertmanagerConfig>();
  o->url = RequiredUrl(r, node, where, "alertmanager");
  o->bearer_token = r.Secret(node, where, "bearer_token", base_dir);
  o->resend_interval_ms =
      ReadDurationMs(r, node["resend_interval"], where + ".resend_interval", o->resend_interval_ms);
  return o;
}

std::shared_ptr<const ReceiverOptions> ReadWeComConfig(YamlReader& r, const YAML::Node& node,
                                                       const std::string& where,
                                                       const std::string&) {
  auto o = std::make_shared<WeComConfig>();
  o->url = RequiredUrl(r, node, where, "wecom");
  o->at_mobiles = r.Strings(node["at_mobiles"], where + ".at_mobiles");
  return o;
}

std::shared_ptr<const ReceiverOptions> ReadDingTalkConfig(YamlReader& r, const YAML::Node& node,
                                                          const std::string& where,
                                                          const std::string& base_dir) {
  auto o = std::make_shared<DingTalkConfig>();
  o->url = RequiredUrl(r, node, where, "dingtalk");
  o->secret = r.Secret(node, where, "secret", base_dir);
  o->at_mobiles = r.Strings(node["at_mobiles"], where + ".at_mobiles");
  o->at_all = r.Bool(node["at_all"], where + ".at_all", false);
  return o;
}

std::shared_ptr<const ReceiverOptions> ReadFeishuConfig(YamlReader& r, const YAML::Node& node,
                                                        const std::string& where,
                                                        const std::string& base_dir) {
  auto o = std::make_shared<FeishuConfig>();
  o->url = RequiredUrl(r, node, where, "feishu");
  o->secret = r.Secret(node, where, "secret", base_dir);
  const std::string format = r.String(node["message_format"], where + ".message_format", "post");
  if (format == "interactive")
    o->message_format = FeishuConfig::Format::kInteractive;
  else if (format != "post")
    r.Error(node["message_format"], where + ".message_format", "must be post or interactive");
  return o;
}

std::shared_ptr<const ReceiverOptions> ReadEmailConfig(YamlReader& r, const YAML::Node& node,
                                                       const std::string& where,
                                                       const std::string& base_dir) {
  auto o = std::make_shared<EmailConfig>();
  o->smarthost = r.String(node["smarthost"], where + ".smarthost", "");
  if (o->smarthost.empty()) r.Error(node, where + ".smarthost", "required for email");
  if (o->smarthost.find('/') != std::string::npos)  // the protocol is smtp or smtps, from tls
    r.Error(node["smarthost"], where + ".smarthost", "must be host:port");
  const std::string tls = r.String(node["tls"], where + ".tls", "starttls");
  if (tls == "tls")
    o->tls = SmtpTls::kImplicit;
  else if (tls == "none")
    o->tls = SmtpTls::kNone;
  else if (tls != "starttls")
    r.Error(node["tls"], where + ".tls", "must be starttls, tls or none");
  o->tls_insecure_skip_verify =
      r.Bool(node["tls_insecure_skip_verify"], where + ".tls_insecure_skip_verify", false);
  o->from = r.String(node["from"], where + ".from", "");
  if (o->from.empty()) r.Error(node, where + ".from", "required for email");
  o->to = r.Strings(node["to"], where + ".to");
  if (o->to.empty()) r.Error(node, where + ".to", "at least one recipient is required");
  o->cc = r.Strings(node["cc"], where + ".cc");
  o->username = r.String(node["username"], where + ".username", "");
  o->password = r.Secret(node, where, "password", base_dir);
  return o;
}

std::unique_ptr<Receiver> MakeWebhookReceiver(const ReceiverConfig& c, const ReceiverSetup& s) {
  return std::make_unique<WebhookReceiver>(c, s);
}
std::unique_ptr<Receiver> MakeAlertmanagerReceiver(const ReceiverConfig& c,
                                                   const ReceiverSetup& s) {
  return std::make_unique<AlertmanagerReceiver>(c, s);
}
std::unique_ptr<Receiver> MakeWeComReceiver(const ReceiverConfig& c, const ReceiverSetup& s) {
  return std::make_unique<WeComReceiver>(c, s);
}
std::unique_ptr<Receiver> MakeDingTalkReceiver(const ReceiverConfig& c, const ReceiverSetup& s) {
  return std::make_unique<DingTalkReceiver>(c, s);
}
std::unique_ptr<Receiver> MakeFeishuReceiver(const ReceiverConfig& c, const ReceiverSetup& s) {
  return std::make_unique<FeishuReceiver>(c, s);
}
std::unique_ptr<Receiver> MakeEmailReceiver(const ReceiverConfig& c, const ReceiverSetup& s) {
  return std::make_unique<EmailReceiver>(c, s);
}

}  // namespace parkwatch
