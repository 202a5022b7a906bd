#include "core/text.h"

#include <gtest/gtest.h>

namespace parkwatch {
namespace {

TEST(TrimTest, RemovesTheBlanksSpreadsheetsAndPeopleLeave) {
  EXPECT_EQ(Trim("  工业总产值 \t"), "工业总产值");
  EXPECT_EQ(Trim("\r\n value \n"), "value");
  EXPECT_EQ(Trim("\xE3\x80\x80企业名称\xE3\x80\x80"), "企业名称");  // ideographic space
  EXPECT_EQ(Trim("\xC2\xA0"
                 "1,234\xC2\xA0"),
            "1,234");  // no-break space
  EXPECT_EQ(Trim("\xEF\xBB\xBF"
                 "统一社会信用代码"),
            "统一社会信用代码");                                       // a surviving BOM
  EXPECT_EQ(Trim(" \xE3\x80\x80 \xC2\xA0 x y \xE3\x80\x80 "), "x y");  // mixed, inner kept
}

TEST(TrimTest, LeavesTextWithoutBlanksAndEmptiesBlankText) {
  EXPECT_EQ(Trim("yoy(output_value)"), "yoy(output_value)");
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(Trim(" \t\xE3\x80\x80 "), "");
  EXPECT_EQ(Trim("红色"), "红色");  // multi-byte text is not mistaken for a blank
}

}  // namespace
}  // namespace parkwatch
