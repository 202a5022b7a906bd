// Test helpers for encodings: produce GB18030 bytes from UTF-8 text, so tests carry readable
// Chinese in their source and still exercise the GB18030 path.
#pragma once

#include <string>
#include <string_view>

namespace parkwatch::testing {

// Converts UTF-8 text to GB18030 with iconv; aborts the test program if iconv cannot.
std::string ToGb18030(std::string_view utf8);

// Reads a file under tests/testdata whole (fixtures are small).
std::string ReadTestData(const std::string& name);

}  // namespace parkwatch::testing
