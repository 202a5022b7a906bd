// Small text helpers shared by every reader of hand-written input (config, rule files, headers).
#pragma once

#include <string>
#include <string_view>

namespace parkwatch {

// s without the blanks people and spreadsheets leave around text: ASCII white space (space, tab,
// CR, LF, VT, FF), the ideographic space U+3000, the no-break space U+00A0 and a byte order
// mark U+FEFF that survived decoding. The one trim of the project: a header, a matcher and a
// measure are trimmed alike.
std::string_view Trim(std::string_view s);

// s for HTML text and attribute values: & < > " escaped. Messages and reports alike.
std::string HtmlEscape(std::string_view s);

}  // namespace parkwatch
