// A streaming reader of the row objects in a JSON ingest body: {"rows":[{...},...]} (other
// members of the outer object are ignored) or a bare array [{...},...].
//
// It never builds a document: the body is read once, event by event (nlohmann's SAX parser),
// and only the row being read is held, so memory is the body itself plus one row and the
// longest string token, which the lexer holds twice (the value and the raw token): at most
// about three times the body in the worst case of one string as long as the body (measured by
// tests/input_bounds_test.cc under PARKWATCH_SOAK). Bounds: nesting at most kMaxJsonDepth
// levels, at most kMaxJsonMembers members per row (the rest of that row is dropped and the row
// flagged).
//
// Thread: any; an instance is not shared.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/wording.h"

namespace parkwatch {

inline constexpr int kMaxJsonDepth = 64;
inline constexpr size_t kMaxJsonMembers = 10000;

// One member of a row object, its value as text: a string as is, a number as nlohmann prints it,
// true/false, "" for null. A nested object or array has type "object" or "array" and no text.
struct JsonMember {
  std::string name;
  std::string text;
  const char* type = nullptr;  // nullptr for a usable value; "object" or "array" otherwise
};

struct JsonRow {
  int number = 0;                   // 1-based index in the rows array
  bool is_object = false;           // false: the element is not an object (no members)
  bool too_many_members = false;    // more than kMaxJsonMembers; only the first are kept
  std::vector<JsonMember> members;  // sorted by name, each name once (the last value wins)
};

// Reads body, calling on_row for each element of the rows array in order. Returns nothing when the
// body is valid JSON of the expected shape (every row was delivered), otherwise the one error
// for the body as a whole in both languages (rows before it may have been delivered): "not valid
// JSON: ...", the expected shape, or a bound exceeded.
Wording ReadJsonRows(std::string_view body, const std::function<void(JsonRow&)>& on_row);

}  // namespace parkwatch
