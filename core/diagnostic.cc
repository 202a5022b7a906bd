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

std::string Truncate(std::string_view s, size_t max) {
  if (s.size() <= max) return std::string(s);
  size_t cut = max;
  // Back up over UTF-8 continuation bytes so no character is split.
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + "…";
}

std::string Quote(std::string_view value) { return "\"" + Truncate(value) + "\""; }

void DiagnosticList::Add(int line, int column, std::string_view field, std::string_view message) {
  ++added_;
  if (out_->size() >= kMaxStoredErrors) {
    ++dropped_;
    return;
  }
  out_->push_back(
      {file_, line, column, Truncate(field), Truncate(message, kMaxMessageBytes), sheet_});
}

int64_t DiagnosticList::Finish() {
  if (dropped_ > 0)
    out_->push_back(
        {file_, 0, 0, "", "... and " + std::to_string(dropped_) + " more errors", sheet_});
  dropped_ = 0;
  return added_;
}

std::string JoinDiagnostics(const std::vector<Diagnostic>& diagnostics) {
  std::string s;
  for (const auto& d : diagnostics) s += d.ToString() + "\n";
  return s;
}

}  // namespace parkwatch
