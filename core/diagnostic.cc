#include "core/diagnostic.h"

namespace parkwatch {

std::string Diagnostic::ToString() const {
  // Appended piece by piece: GCC 12 at -O2 warns (-Wrestrict, falsely) on ":" + to_string().
  std::string s = file;
  if (line > 0) s.append(":").append(std::to_string(line));
  if (column > 0) s.append(":").append(std::to_string(column));
  s.append(": ");
  if (!field.empty()) s.append(field).append(": ");
  s.append(message);
  return s;
}

std::string JoinDiagnostics(const std::vector<Diagnostic>& diagnostics) {
  std::string s;
  for (const auto& d : diagnostics) s += d.ToString() + "\n";
  return s;
}

}  // namespace parkwatch
