// A streaming RFC 4180 reader for the CSV files statistics offices export.
//
// Records are read from a std::istream one at a time through a reused block buffer, so memory
// stays flat however long the file is, and fields are string_views into that buffer (only a
// field with "" escapes is copied, unescaped, into a reused scratch buffer): parsing a row
// allocates nothing once the buffers have grown. The views stay valid until the next Next().
//
// Accepted: comma separators, or tabs when the first line has tabs and no commas; quoted fields
// with "" escapes, separators and line breaks inside; LF or CRLF line ends; a last line without
// a line end. Blank lines are skipped. A lone CR that is not followed by LF is data.
//
// Positions are 1-based lines and columns; a column counts Unicode characters (code points) of
// the UTF-8 text from the start of its physical line, so 企业名称,产值 has 产值 at column 6. Bytes
// that are not valid UTF-8 count one column each.
//
// Bounds: a record is at most max_record_bytes (fatal: a runaway quote) and at most max_fields
// fields (that record is flagged kTooManyFields and skipped; reading goes on). So a row of 10⁶
// commas costs one scan and no more than max_fields spans, not 48 bytes per field.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace parkwatch {

struct TextLocation {
  int line = 0;
  int column = 0;
};

// The default caps. A bureau's widest table has a few hundred columns; 10 000 leaves room for
// any real header while a hostile row of a million separators is refused after one scan.
inline constexpr size_t kMaxCsvFields = 10000;
inline constexpr size_t kMaxCsvRecordBytes = 64 << 20;

// Something wrong in one record. The record's fields are still delivered (so a caller may count
// the row), but it should not be trusted.
struct CsvProblem {
  enum Kind {
    kNone,
    kInvalidUtf8,        // bytes that are not UTF-8 (after decoding, the decoder's markers)
    kUnterminatedQuote,  // a quoted field runs to the end of the input
    kTextAfterQuote,     // "abc"def: text between a closing quote and the separator (dropped)
    kRecordTooLong,      // longer than max_record_bytes; fatal, no further records are read
    kTooManyFields,      // more than max_fields fields; only the first max_fields are delivered
  } kind = kNone;
  TextLocation where;  // the offending byte, the opening quote, or the first field over the cap
  size_t field = 0;    // index of the field it is in (max_fields for kTooManyFields)
};

class CsvReader {
 public:
  struct Options {
    char separator = 0;      // 0: ',' unless the first line has tabs and no commas
    bool check_utf8 = true;  // report kInvalidUtf8 for records that are not valid UTF-8
    size_t max_record_bytes = kMaxCsvRecordBytes;  // a runaway quote must not take the file
    size_t max_fields = kMaxCsvFields;
  };

  explicit CsvReader(std::istream& in) : CsvReader(in, Options()) {}
  CsvReader(std::istream& in, Options options);
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Moves to the next record. Returns false at the end of the input, and after a
  // kRecordTooLong record has been delivered.
  bool Next();

  const std::vector<std::string_view>& fields() const { return fields_; }
  size_t size() const { return fields_.size(); }
  std::string_view operator[](size_t i) const { return fields_[i]; }

  // Line where the current record starts.
  int line() const { return record_line_; }
  // Where field i starts (its opening quote when quoted). Only diagnostics need locations, so
  // the first call after Next() computes every field's location in one scan of the record;
  // each call after that is a lookup.
  TextLocation FieldLocation(size_t i) const;
  // The problem of the current record, kind kNone if it is well-formed.
  const CsvProblem& problem() const { return problem_; }

  char separator() const { return separator_; }
  // Bytes of the stream consumed up to the end of the current record.
  int64_t bytes_consumed() const { return base_offset_ + static_cast<int64_t>(pos_); }

 private:
  enum class Parse { kRecord, kNeedMore, kEnd };
  struct Span {
    size_t raw;    // buffer offset of the field's first byte (quote included)
    size_t begin;  // value, in buf_ or (escaped) in scratch_
    size_t size;
    bool in_scratch;
  };

  Parse ParseRecord(bool at_eof);
  // Makes room and reads more input; false only when the pending record exceeds the limit.
  bool Refill();
  void DetectSeparator();
  // Fills locations_ for every field of the current record in one scan.
  void Locate() const;
  // The location of a byte of the current record and the field it is in.
  TextLocation LocationAt(size_t offset, size_t* field) const;

  std::istream& in_;
  Options options_;
  char separator_ = ',';
  std::unique_ptr<char[]> buf_;
  size_t capacity_ = 0;
  size_t pos_ = 0;           // start of unparsed input
  size_t end_ = 0;           // end of valid bytes
  int64_t base_offset_ = 0;  // stream offset of buf_[0]
  bool eof_ = false;
  bool started_ = false;
  bool fatal_ = false;
  int line_ = 1;  // line of buf_[pos_]
  int record_line_ = 0;
  size_t record_begin_ = 0;
  std::vector<Span> spans_;
  std::vector<std::string_view> fields_;
  mutable std::vector<TextLocation> locations_;  // filled by Locate(), on demand
  mutable bool located_ = false;
  std::string scratch_;
  CsvProblem problem_;
};

}  // namespace parkwatch
