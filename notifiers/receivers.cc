#include "notifiers/receivers.h"

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

std::string Language(const ReceiverConfig& rc, const AlertingConfig& a) {
  return rc.language.empty() ? a.language : rc.language;
}

int64_t Timeout(const ReceiverConfig& rc, const AlertingConfig& a) {
  return rc.timeout_ms > 0 ? rc.timeout_ms : a.delivery.timeout_ms;
}

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
  if (!annotations.contains("period")) annotations["period"] = a.period;
  if (a.value && !annotations.contains("value")) annotations["value"] = FormatValue(*a.value);
  return {{"status", a.status},
          {"labels", a.AllLabels()},
          {"annotations", annotations},
          {"startsAt", Rfc3339(a.fired_at ? a.fired_at : a.at)},
          {"endsAt", a.status == "resolved" ? Rfc3339(a.at) : kZeroTime},
          {"generatorURL", msg.AlertUrl(a)},
          {"fingerprint", a.fingerprint}};
}

class WebhookReceiver : public Receiver {
 public:
  WebhookReceiver(ReceiverConfig rc, int64_t timeout) : rc_(std::move(rc)), timeout_(timeout) {}
  SendResult Send(const Message& msg) override {
    std::vector<std::string> headers = {"Content-Type: application/json"};
    if (!rc_.bearer_token.empty()) headers.push_back("Authorization: Bearer " + rc_.bearer_token);
    // Lets a receiver drop a retry of something it already took (same group, same alerts).
    headers.push_back("Idempotency-Key: " + msg.alerts.front().idempotency_key);
    return FromHttp(HttpPost(rc_.url, WebhookBody(msg, rc_), headers, timeout_));
  }

 private:
  ReceiverConfig rc_;
  int64_t timeout_;
};

class AlertmanagerReceiver : public Receiver {
 public:
  AlertmanagerReceiver(ReceiverConfig rc, int64_t timeout, Clock clock)
      : rc_(std::move(rc)), timeout_(timeout), clock_(std::move(clock)) {}
  SendResult Send(const Message& msg) override {
    std::string url = rc_.url;
    while (!url.empty() && url.back() == '/') url.pop_back();
    if (url.find("/api/v2/alerts") == std::string::npos) url += "/api/v2/alerts";
    std::vector<std::string> headers = {"Content-Type: application/json"};
    if (!rc_.bearer_token.empty()) headers.push_back("Authorization: Bearer " + rc_.bearer_token);
    return FromHttp(HttpPost(url, AlertmanagerBody(msg, rc_, clock_()), headers, timeout_));
  }

 private:
  ReceiverConfig rc_;
  int64_t timeout_;
  Clock clock_;
};

class RobotReceiver : public Receiver {
 public:
  RobotReceiver(ReceiverConfig rc, std::string language, int64_t timeout, Clock clock)
      : rc_(std::move(rc)),
        lang_(std::move(language)),
        timeout_(timeout),
        clock_(std::move(clock)) {}
  SendResult Send(const Message& msg) override {
    const std::vector<std::string> headers = {"Content-Type: application/json; charset=utf-8"};
    if (rc_.type == "wecom") {
      // A long group goes out as several messages; all must be confirmed for the delivery to
      // count. A retry after a partial failure re-sends the earlier parts (see README).
      for (const std::string& body : WeComBodies(msg, rc_, lang_)) {
        SendResult r = FromRobot(HttpPost(rc_.url, body, headers, timeout_), "wecom");
        if (!r.ok()) return r;
      }
      return {};
    }
    if (rc_.type == "dingtalk") {
      std::string url = rc_.url;
      if (!rc_.secret.empty()) {
        const int64_t ts = clock_();
        url += (url.find('?') == std::string::npos ? "?" : "&") + std::string("timestamp=") +
               std::to_string(ts) + "&sign=" + DingTalkSign(ts, rc_.secret);
      }
      return FromRobot(HttpPost(url, DingTalkBody(msg, rc_, lang_), headers, timeout_), "dingtalk");
    }
    return FromRobot(HttpPost(rc_.url, FeishuBody(msg, rc_, lang_, clock_()), headers, timeout_),
                     "feishu");
  }

 private:
  ReceiverConfig rc_;
  std::string lang_;
  int64_t timeout_;
  Clock clock_;
};

class EmailReceiver : public Receiver {
 public:
  EmailReceiver(ReceiverConfig rc, std::string language, int64_t timeout, Clock clock)
      : rc_(std::move(rc)),
        lang_(std::move(language)),
        timeout_(timeout),
        clock_(std::move(clock)) {}
  SendResult Send(const Message& msg) override {
    SmtpRequest req;
    req.smarthost = rc_.smarthost;
    req.tls = rc_.tls;
    req.insecure_skip_verify = rc_.tls_insecure_skip_verify;
    req.username = rc_.username;
    req.password = rc_.password;
    req.from = rc_.from;
    req.recipients = rc_.to;
    req.recipients.insert(req.recipients.end(), rc_.cc.begin(), rc_.cc.end());
    req.message = EmailMessage(msg, rc_, lang_, clock_());
    req.timeout_ms = timeout_;
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

 private:
  ReceiverConfig rc_;
  std::string lang_;
  int64_t timeout_;
  Clock clock_;
};

std::string Emoji(const std::string& severity, const std::string& status) {
  if (status == "resolved") return "green";
  if (severity == "red") return "red";
  if (severity == "orange") return "orange";
  if (severity == "yellow") return "yellow";
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
  size_t limit = config.max_alerts > 0 ? static_cast<size_t>(config.max_alerts) : msg.alerts.size();
  for (size_t i = 0; i < msg.alerts.size() && i < limit; ++i)
    alerts.push_back(AlertJson(msg, msg.alerts[i]));
  const int truncated = static_cast<int>(msg.alerts.size() - alerts.size()) + msg.truncated;
  return Dump({{"version", "4"},
               {"groupKey", msg.group_key},
               {"truncatedAlerts", truncated},
               {"status", msg.Status()},
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
  const int64_t horizon = std::max<int64_t>(4 * config.resend_interval_ms / 1000, 60);
  for (const auto& a : msg.alerts) {
    json annotations = a.annotations;
    if (!annotations.contains("period")) annotations["period"] = a.period;
    if (a.value && !annotations.contains("value")) annotations["value"] = FormatValue(*a.value);
    alerts.push_back(
        {{"labels", a.AllLabels()},
         {"annotations", annotations},
         {"startsAt", Rfc3339(a.fired_at ? a.fired_at : a.at)},
         {"endsAt", a.status == "resolved" ? Rfc3339(std::min(a.at, now)) : Rfc3339(now + horizon)},
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
  for (const auto& m : config.at_mobiles) content += "<@" + m + ">";
  std::vector<std::string> bodies;
  for (const auto& part : SplitUtf8(content, 4096))
    bodies.push_back(Dump({{"msgtype", "markdown"}, {"markdown", {{"content", part}}}}));
  return bodies;
}

std::string DingTalkBody(const Message& msg, const ReceiverConfig& config,
                         const std::string& language) {
  RenderedMessage r = Render(msg, config, language);
  std::string text = "## " + r.title + "\n" + r.markdown;
  // DingTalk only notifies the people whose @mobile appears in the text too.
  for (const auto& m : config.at_mobiles) text += "@" + m + " ";
  return Dump({{"msgtype", "markdown"},
               {"markdown", {{"title", r.title}, {"text", text}}},
               {"at", {{"atMobiles", config.at_mobiles}, {"isAtAll", config.at_all}}}});
}

std::string FeishuBody(const Message& msg, const ReceiverConfig& config,
                       const std::string& language, int64_t now_ms) {
  RenderedMessage r = Render(msg, config, language);
  json body;
  if (!config.secret.empty()) {
    const int64_t ts = now_ms / 1000;
    body["timestamp"] = std::to_string(ts);
    body["sign"] = FeishuSign(ts, config.secret);
  }
  if (config.message_format == "interactive") {
    const AlertNotice& lead = msg.Lead();
    body["msg_type"] = "interactive";
    body["card"] = {
        {"header",
         {{"title", {{"tag", "plain_text"}, {"content", r.title}}},
          {"template", Emoji(lead.severity, lead.status)}}},
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
  return BuildMimeMessage(config.from, config.to, config.cc, r.title, r.text, r.html, id,
                          now_ms / 1000);
}

std::unique_ptr<Receiver> MakeReceiver(const ReceiverConfig& config, const AlertingConfig& alerting,
                                       Clock clock) {
  const int64_t timeout = Timeout(config, alerting);
  if (config.type == "email")
    return std::make_unique<EmailReceiver>(config, Language(config, alerting), timeout, clock);
  if (config.type == "alertmanager")
    return std::make_unique<AlertmanagerReceiver>(config, timeout, clock);
  if (config.type == "wecom" || config.type == "dingtalk" || config.type == "feishu")
    return std::make_unique<RobotReceiver>(config, Language(config, alerting), timeout, clock);
  return std::make_unique<WebhookReceiver>(config, timeout);
}

}  // namespace parkwatch
