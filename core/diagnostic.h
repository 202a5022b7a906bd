// One problem found in an input (a data file, a request body, a config file), located precisely
// enough that the person who wrote the input can fix it: file:line:column: field: message, and
// for the bureau's staff in Chinese: bad.csv 第2行第44列 · 工业总产值(万元)：不是数字："abc".
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/wording.h"

namespace parkwatch {

struct Diagnostic {
  std::string file;   // path, or a name such as "request" for an HTTP body
  int line = 0;       // 1-based; 0 when the problem concerns the whole input
  int column = 0;     // 1-based; 0 when unknown
  std::string field;  // column header, config key or JSON member; may be empty
  std::string message;
  // Workbooks: the sheet's name; line is then the row and column the column, shown as Excel
  // names a cell (企业月报.xlsx:Sheet1!D17).
  std::string sheet;
  // The message in Chinese (core/wording.h). Empty for inputs only developers write (config and
  // rule files): ToStringZh() then shows the English.
  std::string message_zh;

  std::string ToString() const;  // bad.csv:2:44: 工业总产值(万元): not a number: "abc"
  // bad.csv 第2行第44列 · 工业总产值(万元)：不是数字："abc"; a workbook's cell as
  // 企业月报.xlsx 工作表 Sheet1 D17 单元格 · ….
  std::string ToStringZh() const;
  std::string LocationZh() const;  // the part before " · " (or before "：" without a field)
};

// Bounds on what an input can make us write about it, so a hostile 60 MB cell or a million bad
// rows costs a few hundred short lines in batches.errors, the HTTP answer and *.errors.txt.
// How many diagnostics of one input are kept; past that they are counted, not listed.
inline constexpr size_t kMaxStoredErrors = 300;
// A value quoted in a message, and a field name, at most this many bytes (then "…").
inline constexpr size_t kMaxQuotedBytes = 200;
// A whole message at most this many bytes: a backstop for text not quoted through Quote().
inline constexpr size_t kMaxMessageBytes = 1000;

// s cut to at most max bytes at a UTF-8 character boundary, with "…" appended when cut.
std::string Truncate(std::string_view s, size_t max = kMaxQuotedBytes);
// A value as messages quote it: "value", truncated to kMaxQuotedBytes.
std::string Quote(std::string_view value);

// Collects the diagnostics of one input within the bounds above: at most kMaxStoredErrors
// (Finish() then adds "... and N more errors" / "另有 N 条错误未列出" at line 0), each field and
// message truncated. Every message is worded in English and Chinese (core/wording.h).
// Used by every reader of data so the bounds hold wherever a batch's errors are shown.
class DiagnosticList {
 public:
  DiagnosticList(std::string file, std::vector<Diagnostic>* out)
      : file_(std::move(file)), out_(out) {}
  void Add(int line, int column, std::string_view field, const Wording& message);
  // Adds the count of dropped diagnostics, once; further Add()s start counting again. Returns
  // how many were added in all, listed or only counted.
  int64_t Finish();
  const std::string& file() const { return file_; }
  // Workbooks: every diagnostic added from now on names this sheet (Diagnostic::sheet).
  void set_sheet(std::string sheet) { sheet_ = std::move(sheet); }

 private:
  std::string file_;
  std::string sheet_;
  std::vector<Diagnostic>* out_;
  int64_t dropped_ = 0;
  int64_t added_ = 0;
};

std::string JoinDiagnostics(const std::vector<Diagnostic>& diagnostics);  // one per line
// For an office reading a report of its file (the inbox's *.errors.txt, `parkwatch ingest`):
// each diagnostic in Chinese, its English indented on the next line.
std::string JoinDiagnosticsZhEn(const std::vector<Diagnostic>& diagnostics);

// Diagnostics as stored text (batches.errors) and back, every field kept: one diagnostic a line,
// its fields separated by tabs, with \\, \t and \n escaped, message_zh last. Encode keeps the
// first max. Decode reads six fields (stored before message_zh was) with no Chinese, and a line
// without tabs (what versions before that stored: ToString()) as a message alone.
std::string EncodeDiagnostics(const std::vector<Diagnostic>& diagnostics,
                              size_t max = kMaxStoredErrors);
std::vector<Diagnostic> DecodeDiagnostics(std::string_view text);

}  // namespace parkwatch
