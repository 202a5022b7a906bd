// JSON as text, never throwing: invalid UTF-8 (a hostile path, a GB18030 byte in a name) is
// replaced by U+FFFD instead of making nlohmann::json::dump() throw type_error 316. Every JSON
// answer, stored JSON column and JSON report is written through this one function.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>

namespace parkwatch {

// Thread: any.
std::string DumpJson(const nlohmann::json& value, int indent = -1);

}  // namespace parkwatch
