#include "collectors/encoding.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace parkwatch {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
// Raw bytes read from the source per refill: big enough that iconv and the CSV reader work on
// long runs, small enough to stay in cache.
constexpr size_t kBlock = 256 << 10;

}  // namespace

std::string_view EncodingName(TextEncoding encoding) {
  return encoding == TextEncoding::kUtf8 ? "utf-8" : "gb18030";
}

std::optional<EncodingOption> ParseEncodingOption(std::string_view name) {
  std::string lower;
  for (char c : name)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower == "auto" || lower.empty()) return EncodingOption::kAuto;
  if (lower == "utf-8" || lower == "utf8") return EncodingOption::kUtf8;
  if (lower == "gb18030" || lower == "gbk" || lower == "gb2312" || lower == "cp936")
    return EncodingOption::kGb18030;
  return std::nullopt;
}

size_t FindInvalidUtf8(std::string_view text, bool allow_truncated_tail) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    // Bureau files are mostly digits and commas: skip ASCII eight bytes at a time.
    while (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, p + i, 8);
      if (word & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2, cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3, cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4, cp = c & 0x07;
    } else {
      return i;  // a continuation byte without a lead, C0/C1 (always overlong), or F5..FF
    }
    if (i + len > n) {
      for (size_t j = i + 1; j < n; ++j)
        if ((p[j] & 0xC0) != 0x80) return i;
      return allow_truncated_tail ? std::string_view::npos : i;
    }
    for (size_t j = 1; j < len; ++j) {
      if ((p[i + j] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + j] & 0x3F);
    }
    if (len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) return i;
    if (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) return i;
    i += len;
  }
  return std::string_view::npos;
}

TextEncoding DetectEncoding(std::string_view head) {
  if (head.starts_with(kUtf8Bom)) return TextEncoding::kUtf8;
  if (head.size() > kDetectWindow) head = head.substr(0, kDetectWindow);
  return FindInvalidUtf8(head, /*allow_truncated_tail=*/true) == std::string_view::npos
             ? TextEncoding::kUtf8
             : TextEncoding::kGb18030;
}

DecodingStreambuf::DecodingStreambuf(std::streambuf* source, TextEncoding encoding,
                                     std::string head)
    : source_(source), encoding_(encoding), raw_(std::move(head)) {
  raw_end_ = raw_.size();
  source_bytes_ = static_cast<int64_t>(raw_.size());
  if (encoding_ == TextEncoding::kGb18030) {
    cd_ = iconv_open("UTF-8", "GB18030");
    if (cd_ == reinterpret_cast<iconv_t>(-1))
      throw std::runtime_error(std::string("iconv cannot convert GB18030: ") +
                               std::strerror(errno));
  }
}

DecodingStreambuf::~DecodingStreambuf() {
  if (cd_ != reinterpret_cast<iconv_t>(-1)) iconv_close(cd_);
}

bool DecodingStreambuf::FillRaw() {
  if (source_done_ || source_ == nullptr) return false;
  if (raw_begin_ > 0) {
    std::memmove(raw_.data(), raw_.data() + raw_begin_, raw_end_ - raw_begin_);
    raw_end_ -= raw_begin_;
    raw_begin_ = 0;
  }
  if (raw_.size() < raw_end_ + kBlock) raw_.resize(raw_end_ + kBlock);
  std::streamsize got =
      source_->sgetn(raw_.data() + raw_end_, static_cast<std::streamsize>(kBlock));
  if (got <= 0) {
    source_done_ = true;
    return false;
  }
  raw_end_ += static_cast<size_t>(got);
  source_bytes_ += got;
  return true;
}

bool DecodingStreambuf::Produce() {
  if (encoding_ == TextEncoding::kUtf8) {
    if (at_start_) {
      while (raw_end_ - raw_begin_ < kUtf8Bom.size() && FillRaw()) {
      }
      if (std::string_view(raw_.data() + raw_begin_, raw_end_ - raw_begin_).starts_with(kUtf8Bom))
        raw_begin_ += kUtf8Bom.size();
      at_start_ = false;
    }
    if (raw_begin_ == raw_end_ && !FillRaw()) return false;
    // Hand out the raw bytes as they are: validation is the reader's job, where it knows lines.
    setg(raw_.data() + raw_begin_, raw_.data() + raw_begin_, raw_.data() + raw_end_);
    raw_begin_ = raw_end_;
    return true;
  }

  for (;;) {
    if (raw_begin_ == raw_end_ && !FillRaw()) return false;
    size_t in_left = raw_end_ - raw_begin_;
    // GB18030 to UTF-8 grows a character by at most half (2 bytes become 3), and a marker
    // replaces one byte with one byte.
    out_.resize(in_left * 2 + 16);
    char* in = raw_.data() + raw_begin_;
    char* out = out_.data();
    size_t out_left = out_.size();
    bool incomplete_tail = false;
    while (in_left > 0) {
      if (iconv(cd_, &in, &in_left, &out, &out_left) != static_cast<size_t>(-1)) break;
      if (errno == EILSEQ) {
        *out++ = kInvalidByteMarker;
        --out_left;
        ++in;
        --in_left;
      } else if (errno == EINVAL) {
        incomplete_tail = true;  // a character cut by the block boundary: decode it next time
        break;
      } else {
        break;  // E2BIG cannot happen with the size above; deliver what was produced
      }
    }
    raw_begin_ = static_cast<size_t>(in - raw_.data());
    size_t produced = static_cast<size_t>(out - out_.data());
    size_t skip = 0;
    if (at_start_ && produced > 0) {
      // GB18030's own BOM (84 31 95 33) decodes to U+FEFF like a UTF-8 one.
      if (std::string_view(out_.data(), produced).starts_with(kUtf8Bom)) skip = kUtf8Bom.size();
      at_start_ = false;
    }
    if (produced > skip) {
      setg(out_.data() + skip, out_.data() + skip, out_.data() + produced);
      return true;
    }
    if (incomplete_tail && !FillRaw()) {
      // The input ends inside a character: those bytes cannot be decoded.
      size_t rest = raw_end_ - raw_begin_;
      out_.assign(rest, kInvalidByteMarker);
      raw_begin_ = raw_end_;
      setg(out_.data(), out_.data(), out_.data() + rest);
      return true;
    }
  }
}

DecodingStreambuf::int_type DecodingStreambuf::underflow() {
  if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
  if (!Produce()) return traits_type::eof();
  return traits_type::to_int_type(*gptr());
}

std::streamsize DecodingStreambuf::xsgetn(char* s, std::streamsize n) {
  std::streamsize done = 0;
  while (done < n) {
    if (gptr() < egptr()) {
      std::streamsize take = std::min<std::streamsize>(n - done, egptr() - gptr());
      std::memcpy(s + done, gptr(), static_cast<size_t>(take));
      gbump(static_cast<int>(take));
      done += take;
      continue;
    }
    if (encoding_ == TextEncoding::kUtf8 && !at_start_ && raw_begin_ == raw_end_ && source_ &&
        !source_done_) {
      // UTF-8 needs no conversion: read straight into the caller's buffer, saving a copy.
      std::streamsize got = source_->sgetn(s + done, n - done);
      if (got <= 0) {
        source_done_ = true;
        break;
      }
      source_bytes_ += got;
      done += got;
      continue;
    }
    if (!Produce()) break;
  }
  return done;
}

}  // namespace parkwatch
