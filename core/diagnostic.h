// One problem found in an input (a data file, a request body, a config file), located precisely
// enough that the person who wrote the input can fix it: file:line:column: field: message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

  std::string ToString() const;
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
// (Finish() then adds "... and N more errors" at line 0), each field and message truncated.
// Used by every reader of data so the bounds hold wherever a batch's errors are shown.
class DiagnosticList {
 public:
  DiagnosticList(std::string file, std::vector<Diagnostic>* out)
      : file_(std::move(file)), out_(out) {}
  void Add(int line, int column, std::string_view field, std::string_view message);
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

}  // namespace parkwatch
