#include "core/credit_code.h"

#include <gtest/gtest.h>

namespace parkwatch {
namespace {

TEST(CreditCodeTest, AcceptsRealCodes) {
  // Published codes of well-known companies.
  EXPECT_TRUE(ValidateCreditCode("91350100M000100Y43").empty());
  EXPECT_EQ(CreditCodeCheckChar("91350100M000100Y4"), '3');
}

TEST(CreditCodeTest, RejectsWrongCheckLengthAndAlphabet) {
  EXPECT_FALSE(ValidateCreditCode("91350100M000100Y44").empty());
  EXPECT_FALSE(ValidateCreditCode("91350100M000100Y4").empty());
  EXPECT_FALSE(ValidateCreditCode("91350100M000100I43").empty());  // I is not in the alphabet
  EXPECT_FALSE(ValidateCreditCode("91350100m000100Y43").empty());
  EXPECT_EQ(NormalizeCreditCode(" 91350100m000100y43 "), "91350100M000100Y43");
}

TEST(CreditCodeTest, SaysWhatIsWrongInChineseToo) {
  Wording check = ValidateCreditCode("91350100M000100Y44");
  EXPECT_EQ(check.en, "credit code check character is '4', expected '3'");
  EXPECT_EQ(check.zh, "统一社会信用代码校验位应为 3，实为 4");
  // Characters as the eye counts them, not bytes: a full-width digit is one.
  EXPECT_EQ(ValidateCreditCode("91350100M000100Y4").zh, "统一社会信用代码应为18位，实为17位");
  EXPECT_EQ(ValidateCreditCode("91350100M000100Y4３").zh, "统一社会信用代码应为18位，实为18位");
  EXPECT_EQ(ValidateCreditCode("91350100M000100I43").zh,
            "统一社会信用代码第16位是 I，不是国家标准允许的字符（数字和除 I、O、Z、S、V "
            "外的大写字母）");
}

TEST(CreditCodeTest, EveryGeneratedCheckCharValidates) {
  std::string base = "9143070000000000";
  for (char c : std::string("0123456789ABCDEFGHJKLMNPQRTUWXY")) {
    std::string code = base + c;
    code += CreditCodeCheckChar(code);
    EXPECT_TRUE(ValidateCreditCode(code).empty()) << code;
  }
}

}  // namespace
}  // namespace parkwatch
