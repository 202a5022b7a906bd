// One problem found in an input (a data file, a request body, a config file), located precisely
// enough that the person who wrote the input can fix it: file:line:column: field: message.
#pragma once

#include <cstddef>
#include <string>
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

// How many diagnostics of one input are kept (read back, stored with the batch); past that an
// input is counted, not listed.
inline constexpr size_t kMaxStoredErrors = 1000;

std::string JoinDiagnostics(const std::vector<Diagnostic>& diagnostics);  // one per line

}  // namespace parkwatch
