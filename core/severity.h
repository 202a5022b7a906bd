// The warning level: China's four-colour emergency-warning convention, 蓝 blue < 黄 yellow <
// 橙 orange < 红 red, red the most severe, below them kNone ("not in breach").
//
// One type for the whole flow: rules classify a value into it, the alert lifecycle stores it,
// notifiers route and word on it, the API filters by it. The enum is ordered, so levels compare
// with < and >, and its values 0..4 index per-level tables (Thresholds::levels).
//
// Named Severity rather than Level because "level" already means something else here: a summable
// indicator (kind: level) and the level(x) measure. "severity" is also the Prometheus and
// Alertmanager label the value travels under.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace parkwatch {

enum class Severity { kNone = 0, kBlue = 1, kYellow = 2, kOrange = 3, kRed = 4 };

// The four colours, least to most severe (kNone left out), for loops over a rule's levels.
inline constexpr std::array<Severity, 4> kWarningColours = {Severity::kBlue, Severity::kYellow,
                                                            Severity::kOrange, Severity::kRed};

// "none", "blue", "yellow", "orange", "red": the names used in rule files, labels, the store and
// the API.
std::string_view SeverityName(Severity s);

// "蓝", "黄", "橙", "红" ("" for kNone), for messages to Chinese readers ("红色预警").
std::string_view SeverityChineseName(Severity s);

// The one parser. Accepts the English names in any case ("red", "RED", "none"), the Chinese
// colours with or without 色 ("红", "红色") and "无" for kNone. Returns nullopt for anything
// else, the empty string included.
std::optional<Severity> ParseSeverity(std::string_view text);

}  // namespace parkwatch
