// JSON as text, never throwing: invalid UTF-8 (a hostile path, a GB18030 byte in a name) is
// replaced by U+FFFD instead of making nlohmann::json::dump() throw type_error 316. Every JSON
// answer, stored JSON column and JSON report is written through this one function.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <string>

namespace parkwatch {

// Thread: any.
std::string DumpJson(const nlohmann::json& value, int indent = -1);

// DumpJson(nlohmann::json(object)) for a map of strings (labels, annotations), the same text
// without building the json value first: the alert store writes one or two per status and event,
// hundreds of thousands at a first start after a bulk load. Thread: any.
std::string DumpJsonObject(const std::map<std::string, std::string>& object);

}  // namespace parkwatch
