#include "core/diagnostic.h"

namespace parkwatch {

std::string Diagnostic::ToString() const {
  // Appended piece by piece: GCC 12 at -O2 warns (-Wrestrict, falsely) on ":" + to_string().
  std::string s = file;
  if (!sheet.empty()) {
    s.append(":").append(sheet);
    if (line > 0 && column > 0) {
      std::string letters;
      for (int c = column; c > 0; c = (c - 1) / 26)
        letters.insert(letters.begin(), static_cast<char>('A' + (c - 1) % 26));
      s.append("!").append(letters).append(std::to_string(line));
    } else if (line > 0) {
      s.append(" row ").append(std::to_string(line));
    }
  } else if (line > 0)
    s.append(":").append(std::to_string(line));
  if (sheet.empty() && column > 0) s.append(":").append(std::to_string(column));
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
