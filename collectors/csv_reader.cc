#include "collectors/csv_reader.h"

#include <algorithm>
#include <cstring>

#include "collectors/encoding.h"

namespace parkwatch {
namespace {

constexpr size_t kInitialBuffer = 1 << 20;

}  // namespace

CsvReader::CsvReader(std::istream& in, Options options) : in_(in), options_(options) {
  capacity_ = std::min(kInitialBuffer, std::max<size_t>(options_.max_record_bytes, 64));
  buf_ = std::make_unique_for_overwrite<char[]>(capacity_);
}

CsvReader::~CsvReader() = default;

bool CsvReader::Refill() {
  if (pos_ > 0) {
    std::memmove(buf_.get(), buf_.get() + pos_, end_ - pos_);
    base_offset_ += static_cast<int64_t>(pos_);
    end_ -= pos_;
    if (record_begin_ >= pos_) record_begin_ -= pos_;
    pos_ = 0;
  }
  if (end_ == capacity_) {
    // One record fills the whole buffer: grow, up to the limit.
    if (capacity_ >= options_.max_record_bytes) return false;
    size_t grown = std::min(capacity_ * 2, options_.max_record_bytes);
    auto bigger = std::make_unique_for_overwrite<char[]>(grown);
    std::memcpy(bigger.get(), buf_.get(), end_);
    buf_ = std::move(bigger);
    capacity_ = grown;
  }
  std::streambuf* sb = in_.rdbuf();
  std::streamsize got =
      sb ? sb->sgetn(buf_.get() + end_, static_cast<std::streamsize>(capacity_ - end_)) : 0;
  if (got <= 0)
    eof_ = true;
  else
    end_ += static_cast<size_t>(got);
  return true;
}

void CsvReader::DetectSeparator() {
  if (options_.separator != 0) {
    separator_ = options_.separator;
    return;
  }
  std::string_view head(buf_.get(), end_);
  head = head.substr(0, head.find('\n'));
  separator_ = head.find('\t') != std::string_view::npos && head.find(',') == std::string_view::npos
                   ? '\t'
                   : ',';
}

bool CsvReader::Next() {
  if (fatal_) return false;
  if (!started_) {
    started_ = true;
    // Fill until the first line is complete (or the buffer is full) to see its separators.
    while (!eof_ && end_ < capacity_ && std::memchr(buf_.get(), '\n', end_) == nullptr) {
      if (!Refill()) break;
    }
    DetectSeparator();
  }
  for (;;) {
    switch (ParseRecord(eof_)) {
      case Parse::kRecord:
        return true;
      case Parse::kEnd:
        return false;
      case Parse::kNeedMore:
        if (!Refill()) {
          fatal_ = true;
          fields_.clear();
          spans_.clear();
          located_ = false;
          record_line_ = line_;
          record_begin_ = pos_;
          problem_ = {CsvProblem::kRecordTooLong, {line_, 1}};
          return true;
        }
        break;
    }
  }
}

CsvReader::Parse CsvReader::ParseRecord(bool at_eof) {
  const char* b = buf_.get();
  const size_t e = end_;
  const char sep = separator_;
  size_t p = pos_;

  // Blank lines carry no record. They are consumed for good, so pos_ and line_ move with them.
  for (;;) {
    if (p == e) return at_eof ? Parse::kEnd : Parse::kNeedMore;
    if (b[p] == '\n') {
      ++line_, pos_ = ++p;
    } else if (b[p] == '\r' && p + 1 < e && b[p + 1] == '\n') {
      ++line_, pos_ = p += 2;
    } else if (b[p] == '\r' && p + 1 == e && !at_eof) {
      return Parse::kNeedMore;
    } else {
      break;
    }
  }

  spans_.clear();
  scratch_.clear();
  problem_ = CsvProblem();
  located_ = false;
  size_t text_after_quote = 0;  // offset + 1 of the first stray byte after a closing quote
  size_t unterminated = 0;      // offset + 1 of an opening quote that never closes
  size_t too_many = 0;          // offset + 1 of the first field over max_fields
  int newlines = 0;
  const size_t begin = p;

  for (;;) {
    const size_t raw = p;
    // Past the cap the record is still scanned to its end (to find where the next one starts),
    // but its fields are no longer kept.
    const bool keep = spans_.size() < options_.max_fields;
    if (!keep && too_many == 0) too_many = raw + 1;
    if (p < e && b[p] == '"') {
      size_t q = p + 1;
      bool escaped = false;
      size_t close;
      for (;;) {
        const void* hit = q < e ? std::memchr(b + q, '"', e - q) : nullptr;
        if (hit == nullptr) {
          if (!at_eof) return Parse::kNeedMore;
          close = e;
          unterminated = raw + 1;
          break;
        }
        size_t r = static_cast<const char*>(hit) - b;
        if (r + 1 < e && b[r + 1] == '"') {
          escaped = true;
          q = r + 2;
          continue;
        }
        if (r + 1 == e && !at_eof) return Parse::kNeedMore;  // "" may straddle the boundary
        close = r;
        break;
      }
      newlines += static_cast<int>(std::count(b + p + 1, b + close, '\n'));
      if (keep && !escaped) {
        spans_.push_back({raw, p + 1, close - p - 1, false});
      } else if (keep) {
        size_t start = scratch_.size();
        for (size_t i = p + 1; i < close; ++i) {
          scratch_.push_back(b[i]);
          if (b[i] == '"') ++i;  // the second quote of ""
        }
        spans_.push_back({raw, start, scratch_.size() - start, true});
      }
      p = close < e ? close + 1 : e;
      // After the closing quote only a separator or a line end may follow. Anything else is
      // dropped up to the next separator, and the record is flagged.
      size_t q2 = p;
      while (q2 < e && b[q2] != sep && b[q2] != '\n') ++q2;
      if (q2 == e && !at_eof) return Parse::kNeedMore;
      if (q2 > p && !(q2 == p + 1 && b[p] == '\r' && (q2 < e || at_eof))) {
        if (text_after_quote == 0) text_after_quote = p + 1;
      }
      p = q2;
    } else {
      size_t q = p;
      while (q < e && b[q] != sep && b[q] != '\n') ++q;
      if (q == e && !at_eof) return Parse::kNeedMore;
      size_t stop = q;
      if (stop > p && b[stop - 1] == '\r' && (q < e || at_eof)) --stop;  // CRLF, or CR at EOF
      if (keep) spans_.push_back({raw, p, stop - p, false});
      p = q;
    }
    if (p < e && b[p] == sep) {
      ++p;
      continue;
    }
    if (p < e) ++p;  // the '\n'
    break;
  }

  record_line_ = line_;
  record_begin_ = begin;
  line_ += newlines + 1;
  pos_ = p;

  fields_.resize(spans_.size());
  for (size_t i = 0; i < spans_.size(); ++i) {
    const Span& s = spans_[i];
    fields_[i] = std::string_view((s.in_scratch ? scratch_.data() : b) + s.begin, s.size);
  }

  auto flag = [&](CsvProblem::Kind kind, size_t offset) {
    problem_.kind = kind;
    problem_.where = LocationAt(offset, &problem_.field);
  };
  if (too_many) {
    flag(CsvProblem::kTooManyFields, too_many - 1);
    problem_.field = options_.max_fields;
    return Parse::kRecord;
  }
  if (options_.check_utf8) {
    size_t bad = FindInvalidUtf8(std::string_view(b + begin, p - begin));
    if (bad != std::string_view::npos) {
      flag(CsvProblem::kInvalidUtf8, begin + bad);
      return Parse::kRecord;
    }
  }
  if (unterminated)
    flag(CsvProblem::kUnterminatedQuote, unterminated - 1);
  else if (text_after_quote)
    flag(CsvProblem::kTextAfterQuote, text_after_quote - 1);
  return Parse::kRecord;
}

namespace {

// Walks the bytes of a record, keeping the line and column of `offset`.
struct Cursor {
  size_t offset;
  TextLocation at;
  void AdvanceTo(const char* b, size_t to) {
    for (; offset < to; ++offset) {
      unsigned char c = static_cast<unsigned char>(b[offset]);
      if (c == '\n')
        ++at.line, at.column = 1;
      else if ((c & 0xC0) != 0x80)  // one column per character: skip UTF-8 continuation bytes
        ++at.column;
    }
  }
};

}  // namespace

void CsvReader::Locate() const {
  if (located_) return;
  locations_.clear();
  locations_.reserve(spans_.size());
  Cursor cursor{record_begin_, {record_line_, 1}};
  for (const Span& s : spans_) {
    cursor.AdvanceTo(buf_.get(), s.raw);
    locations_.push_back(cursor.at);
  }
  located_ = true;
}

TextLocation CsvReader::LocationAt(size_t offset, size_t* field) const {
  Locate();
  // The last field starting at or before offset; the scan goes on from there.
  auto after = std::upper_bound(spans_.begin(), spans_.end(), offset,
                                [](size_t o, const Span& s) { return o < s.raw; });
  size_t i = static_cast<size_t>(after - spans_.begin());
  Cursor cursor{record_begin_, {record_line_, 1}};
  if (i > 0) cursor = {spans_[i - 1].raw, locations_[i - 1]};
  cursor.AdvanceTo(buf_.get(), offset);
  *field = i > 0 ? i - 1 : 0;
  return cursor.at;
}

TextLocation CsvReader::FieldLocation(size_t i) const {
  if (i >= spans_.size()) return {record_line_, 0};
  Locate();
  return locations_[i];
}

}  // namespace parkwatch
