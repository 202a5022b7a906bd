// Documents to receivers: the monthly report (report/month_close.h) goes to the receivers named
// under `reports:`, through the same receivers as alerts. Mail carries the summary as its body
// and the files as attachments; robots (WeCom, DingTalk, Feishu) get the summary and a link,
// rendered through their own message formats by a title and text template; webhook and
// Alertmanager receivers speak alerts only and are refused.
//
// Blocking (SMTP, HTTPS); call it off the event loop. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "config/alerting.h"
#include "notifiers/receivers.h"
#include "notifiers/transport.h"

namespace parkwatch {

struct Document {
  std::string id;     // stable per document and edition: Message-ID, idempotency
  std::string title;  // subject / robot title
  std::string text;   // plain-text summary
  std::string html;   // mail body
  std::string link;   // where the full document is, for robots ("" = none)
  std::vector<MailAttachment> attachments;
};

SendResult SendDocument(const Document& document, const ReceiverConfig& receiver,
                        const AlertingConfig& alerting, Clock clock = SystemClockMs);

}  // namespace parkwatch
