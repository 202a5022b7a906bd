#include "collectors/encoding.h"

#include <gtest/gtest.h>

#include <sstream>

#include "support/text_encoding.h"

namespace parkwatch {
namespace {

using testing::ToGb18030;

// Decodes all of raw through a DecodingStreambuf, reading in chunks of `chunk` bytes.
std::string DecodeAll(const std::string& raw, TextEncoding encoding, size_t chunk = 4096,
                      size_t head_bytes = 0) {
  std::istringstream source(raw.substr(head_bytes));
  DecodingStreambuf buf(source.rdbuf(), encoding, raw.substr(0, head_bytes));
  std::string out, piece(chunk, '\0');
  for (;;) {
    std::streamsize got = buf.sgetn(piece.data(), static_cast<std::streamsize>(chunk));
    if (got <= 0) break;
    out.append(piece.data(), static_cast<size_t>(got));
  }
  EXPECT_EQ(buf.source_bytes(), static_cast<int64_t>(raw.size()));
  return out;
}

TEST(EncodingTest, ParsesOptions) {
  EXPECT_EQ(ParseEncodingOption("auto"), EncodingOption::kAuto);
  EXPECT_EQ(ParseEncodingOption("UTF-8"), EncodingOption::kUtf8);
  EXPECT_EQ(ParseEncodingOption("utf8"), EncodingOption::kUtf8);
  EXPECT_EQ(ParseEncodingOption("gb18030"), EncodingOption::kGb18030);
  EXPECT_EQ(ParseEncodingOption("GBK"), EncodingOption::kGb18030);
  EXPECT_EQ(ParseEncodingOption("gb2312"), EncodingOption::kGb18030);
  EXPECT_EQ(ParseEncodingOption("latin1"), std::nullopt);
  EXPECT_EQ(EncodingName(TextEncoding::kGb18030), "gb18030");
}

TEST(EncodingTest, FindsInvalidUtf8) {
  constexpr size_t npos = std::string_view::npos;
  EXPECT_EQ(FindInvalidUtf8("plain ascii, long enough to use the word loop"), npos);
  EXPECT_EQ(FindInvalidUtf8("工业总产值 (万元) 𠀀"), npos);
  EXPECT_EQ(FindInvalidUtf8("abc\xFF"), 3u);
  EXPECT_EQ(FindInvalidUtf8("abcdefghij\x80"), 10u);    // lone continuation byte
  EXPECT_EQ(FindInvalidUtf8("a\xC0\xAF"), 1u);          // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("a\xED\xA0\x80"), 1u);      // surrogate
  EXPECT_EQ(FindInvalidUtf8("a\xF4\x90\x80\x80"), 1u);  // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("a\xE5\xB7x"), 1u);         // broken sequence
  // A character cut by the end of a window is valid only when the caller says so.
  std::string cut = std::string("产值").substr(0, 4);
  EXPECT_EQ(FindInvalidUtf8(cut), 3u);
  EXPECT_EQ(FindInvalidUtf8(cut, /*allow_truncated_tail=*/true), npos);
}

TEST(EncodingTest, DetectsEncoding) {
  EXPECT_EQ(DetectEncoding("\xEF\xBB\xBF"
                           "abc"),
            TextEncoding::kUtf8);
  EXPECT_EQ(DetectEncoding("credit_code,period\n"), TextEncoding::kUtf8);
  EXPECT_EQ(DetectEncoding("统一社会信用代码,报告期\n"), TextEncoding::kUtf8);
  EXPECT_EQ(DetectEncoding(ToGb18030("统一社会信用代码,报告期\n")), TextEncoding::kGb18030);
  // A UTF-8 character cut at the end of the 64 KiB window still counts as UTF-8.
  std::string head(kDetectWindow - 1, 'a');
  head += "\xE4";  // first byte of a three-byte character
  EXPECT_EQ(DetectEncoding(head), TextEncoding::kUtf8);
  // Only the window is examined.
  std::string later(kDetectWindow, 'a');
  later += ToGb18030("产值");
  EXPECT_EQ(DetectEncoding(later), TextEncoding::kUtf8);
}

TEST(EncodingTest, Utf8PassesThroughWithoutBom) {
  std::string text = "统一社会信用代码,报告期\n9143,2024-03\n";
  EXPECT_EQ(DecodeAll("\xEF\xBB\xBF" + text, TextEncoding::kUtf8), text);
  EXPECT_EQ(DecodeAll(text, TextEncoding::kUtf8), text);
  // The BOM split between the caller's head and the source.
  EXPECT_EQ(DecodeAll("\xEF\xBB\xBF" + text, TextEncoding::kUtf8, 3, 2), text);
  // Invalid bytes are left for the reader to report.
  EXPECT_EQ(DecodeAll("a\xFF"
                      "b",
                      TextEncoding::kUtf8),
            "a\xFF"
            "b");
}

TEST(EncodingTest, ConvertsGb18030AcrossBlocks) {
  // Longer than the decoder's block, so characters straddle block boundaries.
  std::string utf8;
  for (int i = 0; i < 30000; ++i) utf8 += "常德经开区,工业总产值（万元）,𠀀,12.5\n";
  std::string gb = ToGb18030(utf8);
  ASSERT_GT(gb.size(), 512u << 10);
  EXPECT_EQ(DecodeAll(gb, TextEncoding::kGb18030, 1000), utf8);
  EXPECT_EQ(DecodeAll(gb, TextEncoding::kGb18030, 1 << 20, 7), utf8);
}

TEST(EncodingTest, MarksUndecodableGb18030Bytes) {
  std::string gb = ToGb18030("产值,") + "\x80" + ToGb18030(",产值\n");
  EXPECT_EQ(DecodeAll(gb, TextEncoding::kGb18030), "产值,\xFF,产值\n");
  // A lead byte followed by a byte that cannot trail it: only the lead byte is lost.
  EXPECT_EQ(DecodeAll("a\x81\"b", TextEncoding::kGb18030), "a\xFF\"b");
  // Input that ends inside a character.
  EXPECT_EQ(DecodeAll(ToGb18030("产") + "\x81", TextEncoding::kGb18030), "产\xFF");
  // GB18030's own byte order mark is dropped.
  EXPECT_EQ(DecodeAll("\x84\x31\x95\x33" + ToGb18030("产值"), TextEncoding::kGb18030), "产值");
}

}  // namespace
}  // namespace parkwatch
