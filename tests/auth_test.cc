// The bearer-token checks (daemon/auth.h): correct answers for every shape of header, and a
// comparison that does not stop at the first differing byte.
#include "daemon/auth.h"

#include <gtest/gtest.h>

#include <string>

namespace parkwatch {
namespace {

TEST(ConstantTimeEqualsTest, ComparesWholeStrings) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("s3cret", "s3cret"));
  EXPECT_FALSE(ConstantTimeEquals("s3cret", "s3creT"));
  EXPECT_FALSE(ConstantTimeEquals("s3cret", "S3cret"));
  // Prefixes and extensions differ only in length.
  EXPECT_FALSE(ConstantTimeEquals("s3cret", "s3cre"));
  EXPECT_FALSE(ConstantTimeEquals("s3cre", "s3cret"));
  EXPECT_FALSE(ConstantTimeEquals("", "x"));
  EXPECT_FALSE(ConstantTimeEquals("x", ""));
  // A NUL is a byte like any other, not the end: the longer string is padded with zeros
  // internally, so "a" and "a\0" must still differ by length.
  EXPECT_FALSE(ConstantTimeEquals(std::string("a\0", 2), "a"));
  EXPECT_TRUE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0b", 3)));
  EXPECT_FALSE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0c", 3)));
  // High bytes (UTF-8) compare as unsigned.
  EXPECT_TRUE(ConstantTimeEquals("令牌", "令牌"));
  EXPECT_FALSE(ConstantTimeEquals("令牌", "令片"));
  // Every single-bit difference at every position is seen (no byte is skipped or masked).
  std::string token(64, 'k');
  for (size_t i = 0; i < token.size(); ++i)
    for (int bit = 0; bit < 8; ++bit) {
      std::string other = token;
      other[i] = static_cast<char>(other[i] ^ (1 << bit));
      EXPECT_FALSE(ConstantTimeEquals(token, other)) << i << "/" << bit;
    }
}

TEST(CheckBearerTest, ClassifiesHeaders) {
  EXPECT_EQ(CheckBearer("Bearer tok", ""), AuthResult::kDisabled);
  EXPECT_EQ(CheckBearer("", ""), AuthResult::kDisabled);
  EXPECT_EQ(CheckBearer("Bearer tok", "tok"), AuthResult::kOk);
  EXPECT_EQ(CheckBearer("", "tok"), AuthResult::kMissing);
  EXPECT_EQ(CheckBearer("Bearer", "tok"), AuthResult::kMissing);
  EXPECT_EQ(CheckBearer("Bearer ", "tok"), AuthResult::kMissing);
  EXPECT_EQ(CheckBearer("Basic dG9rOg==", "tok"), AuthResult::kMissing);
  EXPECT_EQ(CheckBearer("tok", "tok"), AuthResult::kMissing);
  EXPECT_EQ(CheckBearer("Bearer tok2", "tok"), AuthResult::kWrong);
  EXPECT_EQ(CheckBearer("Bearer to", "tok"), AuthResult::kWrong);
  EXPECT_EQ(CheckBearer("Bearer  tok", "tok"), AuthResult::kWrong);  // no trimming
  EXPECT_EQ(CheckBearer("Bearer tok ", "tok"), AuthResult::kWrong);
}

}  // namespace
}  // namespace parkwatch
