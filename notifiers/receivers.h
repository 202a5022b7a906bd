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

// The receiver for config.type; config must be valid (ParseAlerting checked it).
std::unique_ptr<Receiver> MakeReceiver(const ReceiverConfig& config, const AlertingConfig& alerting,
                                       Clock clock = SystemClockMs);

// The request bodies, exposed for golden-file tests. now_ms stamps signatures and endsAt.
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
