// Receivers: one class per kind of destination, each turning a Message into its wire format
// and the destination's answer into a verdict the dispatcher can act on.
//
// Send() blocks (libcurl) and is called only from the dispatcher's worker thread; a Receiver
// holds no mutable state, so a reload simply builds new ones.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/alerting.h"
#include "notifiers/message.h"
#include "notifiers/transport.h"

namespace parkwatch {

struct SendResult {
  enum class Outcome {
    kDelivered,
    kRetry,     // network error, timeout, 5xx, 429, robot rate limit or robot error code
    kPermanent  // 4xx other than 408/429: retrying cannot help; dead-letter at once
  } outcome = Outcome::kDelivered;
  std::string error;           // for last_error and logs; never contains secrets
  int64_t retry_after_ms = 0;  // the destination's own hint (Retry-After), 0 if none

  bool ok() const { return outcome == Outcome::kDelivered; }
};

class Receiver {
 public:
  virtual ~Receiver() = default;
  virtual SendResult Send(const Message& msg) = 0;
};

// Seconds or milliseconds "now" for signatures and endsAt; injectable so golden tests are fixed.
using Clock = std::function<int64_t()>;  // unix milliseconds
int64_t SystemClockMs();

// What every receiver is built with besides its own configuration.
struct ReceiverSetup {
  std::string language;  // zh | en: the receiver's, else the alerting section's
  int64_t timeout_ms = 0;
  Clock clock = SystemClockMs;
};

// Each type's own settings, one struct per type as Alertmanager has them, read from the
// receiver's mapping by its Read...Config (listed in the table, notifiers/receiver_types.cc).
struct WebhookConfig : ReceiverOptions {
  std::string url;
  std::string bearer_token;  // Authorization: Bearer
  int max_alerts = 0;        // alerts per message, the rest counted as truncated; 0: all
};
struct AlertmanagerConfig : ReceiverOptions {
  std::string url;  // the Alertmanager's base URL (or its /api/v2/alerts)
  std::string bearer_token;
  int64_t resend_interval_ms = 60'000;  // re-push while firing, as Prometheus does
};
struct WeComConfig : ReceiverOptions {
  std::string url;
  std::vector<std::string> at_mobiles;  // people to @
};
struct DingTalkConfig : ReceiverOptions {
  std::string url;
  std::string secret;  // signing secret
  std::vector<std::string> at_mobiles;
  bool at_all = false;
};
struct FeishuConfig : ReceiverOptions {
  std::string url;
  std::string secret;  // signing secret
  enum class Format { kPost, kInteractive } message_format = Format::kPost;
};
struct EmailConfig : ReceiverOptions {
  std::string smarthost;             // host:port
  SmtpTls tls = SmtpTls::kStartTls;  // starttls | tls (implicit, smtps) | none
  bool tls_insecure_skip_verify = false;
  std::string from;
  std::vector<std::string> to;
  std::vector<std::string> cc;
  std::string username;
  std::string password;
};

// The readers and factories of the table's rows. A reader reads its type's fields (it is
// called for a receiver of that type only); a factory needs the receiver's options to be of its
// type.
using ReadOptions = std::shared_ptr<const ReceiverOptions>(YamlReader& r, const YAML::Node& node,
                                                           const std::string& where,
                                                           const std::string& base_dir);
using MakeReceiverOfType = std::unique_ptr<Receiver>(const ReceiverConfig& config,
                                                     const ReceiverSetup& setup);
ReadOptions ReadWebhookConfig, ReadAlertmanagerConfig, ReadWeComConfig, ReadDingTalkConfig,
    ReadFeishuConfig, ReadEmailConfig;
MakeReceiverOfType MakeWebhookReceiver, MakeAlertmanagerReceiver, MakeWeComReceiver,
    MakeDingTalkReceiver, MakeFeishuReceiver, MakeEmailReceiver;

// The request bodies, exposed for golden-file tests. now_ms stamps signatures and endsAt.
// config's options must be of the body's type.
std::string WebhookBody(const Message& msg, const ReceiverConfig& config);
std::string AlertmanagerBody(const Message& msg, const ReceiverConfig& config, int64_t now_ms);
std::vector<std::string> WeComBodies(const Message& msg, const ReceiverConfig& config,
                                     const std::string& language);  // split at 4096 bytes
std::string DingTalkBody(const Message& msg, const ReceiverConfig& config,
                         const std::string& language);
std::string FeishuBody(const Message& msg, const ReceiverConfig& config,
                       const std::string& language, int64_t now_ms);
std::string EmailMessage(const Message& msg, const ReceiverConfig& config,
                         const std::string& language, int64_t now_ms);

// Splits markdown into pieces of at most max_bytes, at line ends where possible and never
// inside a UTF-8 character.
std::vector<std::string> SplitUtf8(const std::string& text, size_t max_bytes);

// RFC 3339 UTC with seconds ("2024-02-05T02:00:00Z").
std::string Rfc3339(int64_t unix_seconds);

}  // namespace parkwatch
