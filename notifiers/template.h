// Message texts: the default templates in Chinese and English, and per-receiver overrides.
//
// Every format a receiver needs is rendered from the same facts so that mail, robots and
// webhooks say the same thing: a title with the colour level (【红色预警】), and for each alert
// the rule, enterprise and industry, period, value against threshold, when it fired, and links
// to parkwatch (external URL) and Grafana.
//
// Overrides are plain text with {{ name }} placeholders (unknown names render empty):
//   title: rendered once, with the lead alert's fields plus {{ count }}
//   text:  rendered once per alert and joined with blank lines
// Fields: status, kind, severity, level (蓝色预警 / Blue), rule (the identifier), title (the
// rule's title_zh / title), name (the enterprise's name, else the industry or 园区), enterprise
// (credit code), industry, scope, period (2024-W05), period_name (2024年第5周), value, threshold,
// value_at_firing, summary, description, fired_at, at, url, grafana_url, fingerprint, count, and
// any label as label.<name> / annotation as annotation.<name>.
#pragma once

#include <string>

#include "config/alerting.h"
#include "notifiers/message.h"

namespace parkwatch {

struct RenderedMessage {
  std::string title;     // one line, no markup
  std::string text;      // plain text body
  std::string markdown;  // body for robots (DingTalk/WeCom markdown subset)
  std::string html;      // body for mail
};

// Renders msg for a receiver (its language and overrides). lang "" means "zh".
RenderedMessage Render(const Message& msg, const ReceiverConfig& receiver,
                       const std::string& default_language);

// "-32.0%" for a growth ratio (|v| < 10), "1,234.5" otherwise: values are ratios or levels.
std::string FormatValue(double v);

// "2024-02-05 10:00" in the park's time (UTC+8, which has no daylight saving).
std::string FormatTime(int64_t unix_seconds);

}  // namespace parkwatch
