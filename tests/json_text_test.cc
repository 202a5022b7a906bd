// Stored JSON columns are written by DumpJsonObject for speed and read back by nlohmann: the
// text must be exactly what DumpJson writes, for every string a label or annotation can hold.
#include "core/json_text.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace parkwatch {
namespace {

using Object = std::map<std::string, std::string>;

TEST(DumpJsonObjectTest, WritesWhatDumpJsonWritesForEveryKindOfText) {
  std::string controls;
  for (int c = 1; c < 0x20; ++c) controls.push_back(static_cast<char>(c));
  const std::vector<Object> objects = {
      {},
      {{"enterprise", "91330100MA27X0001A"}, {"scope", "enterprise"}},
      {{"summary_zh", "杭州某某机械有限公司 2025年6月 产值同比下降3.1%"},
       {"summary", "a \"b\" c\\d/e"}},
      {{"controls", controls}, {"del", "\x7f"}, {"tab\tkey", "line\nbreak\r\f\b"}},
      {{"emoji", "\xF0\x9F\x93\x88 4-byte"}, {"max", "\xF4\x8F\xBF\xBF"}, {"", ""}},
  };
  for (const Object& o : objects) EXPECT_EQ(DumpJsonObject(o), DumpJson(nlohmann::json(o)));
}

TEST(DumpJsonObjectTest, ReplacesInvalidUtf8AsDumpJsonDoes) {
  const std::vector<Object> objects = {
      {{"name", "GB18030 \xD6\xD0\xCE\xC4"}},      // not UTF-8 at all
      {{"overlong", "\xC0\xAF"}, {"ok", "fine"}},  // overlong '/'
      {{"surrogate", "\xED\xA0\x80"}},             // U+D800
      {{"too_high", "\xF4\x90\x80\x80"}},          // above U+10FFFF
      {{"cut", "\xE4\xB8"}},                       // a character cut short
      {{"key \xFF", "value"}},                     // in a key
  };
  for (const Object& o : objects) {
    std::string text = DumpJsonObject(o);
    EXPECT_EQ(text, DumpJson(nlohmann::json(o)));
    EXPECT_TRUE(nlohmann::json::accept(text)) << text;
  }
}

}  // namespace
}  // namespace parkwatch
