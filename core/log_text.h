// Text from outside (file names, request sources and paths, remote addresses) made safe for a
// log line: control characters would let an input forge or hide log lines, so they are written
// as \n, \r, \t or \xNN; everything else, UTF-8 included, is kept as it is. Long text is cut
// (core/diagnostic.h Truncate).
#pragma once

#include <string>
#include <string_view>

namespace parkwatch {

// Thread: any.
std::string EscapeForLog(std::string_view text);

}  // namespace parkwatch
