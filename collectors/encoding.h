// Text encodings of bureau exports. Offices save CSV from Excel either as UTF-8 (often with a
// byte order mark) or in the Windows Chinese code page (GBK, which GB18030 extends). Everything
// inside parkwatch is UTF-8; this file detects the encoding of an input and decodes it as a
// stream, so a file of hundreds of megabytes is never held in memory.
#pragma once

#include <iconv.h>

#include <cstdint>
#include <optional>
#include <streambuf>
#include <string>
#include <string_view>

namespace parkwatch {

enum class TextEncoding { kUtf8, kGb18030 };

// "utf-8" | "gb18030", the names TableResult::encoding reports.
std::string_view EncodingName(TextEncoding encoding);

// A collector's `encoding` option. Case-insensitive: "auto"; "utf-8"/"utf8"; "gb18030", and
// "gbk"/"gb2312"/"cp936" which GB18030 decodes correctly since it is a superset of them.
enum class EncodingOption { kAuto, kUtf8, kGb18030 };
std::optional<EncodingOption> ParseEncodingOption(std::string_view name);

// Byte offset of the first byte that is not part of well-formed UTF-8 (overlong forms,
// surrogates and code points above U+10FFFF are ill-formed), or npos if all of text is valid.
// With allow_truncated_tail, a multibyte sequence that is cut off by the end of text is valid:
// text is then a window of a longer input.
size_t FindInvalidUtf8(std::string_view text, bool allow_truncated_tail = false);

// The auto-detection rule on the first bytes of an input (callers pass up to kDetectWindow
// bytes): a UTF-8 byte order mark, or bytes that are valid UTF-8, mean UTF-8; anything else is
// taken as GB18030. Pure ASCII is UTF-8.
inline constexpr size_t kDetectWindow = 64 << 10;
TextEncoding DetectEncoding(std::string_view head);

// The byte that stands in the decoded output for each byte that could not be decoded. 0xFF is
// never part of well-formed UTF-8 and is no CSV delimiter, so the CSV reader parses around it and
// its UTF-8 check reports the exact line and column; the row is then rejected.
inline constexpr char kInvalidByteMarker = '\xFF';

// A read-only stream buffer delivering the UTF-8 text of a source stream buffer in the given
// encoding. A leading byte order mark is removed. UTF-8 input passes through unchanged (invalid
// bytes included, for the reader to report); GB18030 input is converted with iconv in blocks,
// each undecodable byte becoming kInvalidByteMarker. `head` holds bytes the caller already took
// from source (e.g. for detection); they are delivered first.
class DecodingStreambuf : public std::streambuf {
 public:
  DecodingStreambuf(std::streambuf* source, TextEncoding encoding, std::string head = {});
  ~DecodingStreambuf() override;
  DecodingStreambuf(const DecodingStreambuf&) = delete;
  DecodingStreambuf& operator=(const DecodingStreambuf&) = delete;

  // Bytes taken from the source so far (head included): progress in terms of the input file.
  int64_t source_bytes() const { return source_bytes_; }

 protected:
  int_type underflow() override;
  std::streamsize xsgetn(char* s, std::streamsize n) override;

 private:
  // Reads more raw bytes into raw_ (after any undecoded remainder); false at end of source.
  bool FillRaw();
  // Decodes what raw_ holds into out_ and sets the get area; false at end of text.
  bool Produce();

  std::streambuf* source_;
  TextEncoding encoding_;
  iconv_t cd_ = reinterpret_cast<iconv_t>(-1);
  std::string raw_;  // undecoded bytes in [raw_begin_, raw_end_); starts as the caller's head
  size_t raw_begin_ = 0, raw_end_ = 0;
  std::string out_;  // decoded bytes handed out through the get area
  bool source_done_ = false;
  bool at_start_ = true;  // no byte delivered yet: a BOM may still be dropped
  int64_t source_bytes_ = 0;
};

}  // namespace parkwatch
