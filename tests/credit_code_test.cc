#include "core/credit_code.h"

#include <gtest/gtest.h>

namespace parkwatch {
namespace {

TEST(CreditCodeTest, AcceptsRealCodes) {
  // Published codes of well-known companies.
  EXPECT_EQ(ValidateCreditCode("91350100M000100Y43"), "");
  EXPECT_EQ(CreditCodeCheckChar("91350100M000100Y4"), '3');
}

TEST(CreditCodeTest, RejectsWrongCheckLengthAndAlphabet) {
  EXPECT_NE(ValidateCreditCode("91350100M000100Y44"), "");
  EXPECT_NE(ValidateCreditCode("91350100M000100Y4"), "");
  EXPECT_NE(ValidateCreditCode("91350100M000100I43"), "");  // I is not in the alphabet
  EXPECT_NE(ValidateCreditCode("91350100m000100Y43"), "");
  EXPECT_EQ(NormalizeCreditCode(" 91350100m000100y43 "), "91350100M000100Y43");
}

TEST(CreditCodeTest, EveryGeneratedCheckCharValidates) {
  std::string base = "9143070000000000";
  for (char c : std::string("0123456789ABCDEFGHJKLMNPQRTUWXY")) {
    std::string code = base + c;
    code += CreditCodeCheckChar(code);
    EXPECT_EQ(ValidateCreditCode(code), "") << code;
  }
}

}  // namespace
}  // namespace parkwatch
