#include "core/diagnostic.h"

namespace parkwatch {

std::string Diagnostic::ToString() const {
  std::string s = file;
  if (line > 0) s += ":" + std::to_string(line);
  if (column > 0) s += ":" + std::to_string(column);
  s += ": ";
  if (!field.empty()) s += field + ": ";
  s += message;
  return s;
}

std::string JoinDiagnostics(const std::vector<Diagnostic>& diagnostics) {
  std::string s;
  for (const auto& d : diagnostics) s += d.ToString() + "\n";
  return s;
}

}  // namespace parkwatch
