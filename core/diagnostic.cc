#include "core/diagnostic.h"

namespace parkwatch {

namespace {

// Excel's name of a column: 1 -> A, 27 -> AA.
std::string ColumnName(int column) {
  std::string letters;
  for (int c = column; c > 0; c = (c - 1) / 26)
    letters.insert(letters.begin(), static_cast<char>('A' + (c - 1) % 26));
  return letters;
}

}  // namespace

std::string Diagnostic::ToString() const {
  // Appended piece by piece: GCC 12 at -O2 warns (-Wrestrict, falsely) on ":" + to_string().
  std::string s = file;
  if (!sheet.empty()) {
    s.append(":").append(sheet);
    if (line > 0 && column > 0) {
      s.append("!").append(ColumnName(column)).append(std::to_string(line));
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

std::string Diagnostic::LocationZh() const {
  std::string s = file;
  if (!sheet.empty()) {
    s.append(" 工作表 ").append(sheet);
    if (line > 0 && column > 0)
      s.append(" ").append(ColumnName(column)).append(std::to_string(line)).append(" 单元格");
    else if (line > 0)
      s.append(" 第").append(std::to_string(line)).append("行");
  } else if (line > 0) {
    s.append(" 第").append(std::to_string(line)).append("行");
    if (column > 0) s.append("第").append(std::to_string(column)).append("列");
  }
  return s;
}

std::string Diagnostic::ToStringZh() const {
  std::string s = LocationZh();
  if (!field.empty()) s.append(s.empty() ? "" : " · ").append(field);
  if (!s.empty()) s.append("：");
  s.append(message_zh.empty() ? message : message_zh);
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

void DiagnosticList::Add(int line, int column, std::string_view field, const Wording& message) {
  ++added_;
  if (out_->size() >= kMaxStoredErrors) {
    ++dropped_;
    return;
  }
  out_->push_back({file_, line, column, Truncate(field), Truncate(message.en, kMaxMessageBytes),
                   sheet_, Truncate(message.zh, kMaxMessageBytes)});
}

int64_t DiagnosticList::Finish() {
  if (dropped_ > 0)
    out_->push_back({file_, 0, 0, "", "... and " + std::to_string(dropped_) + " more errors",
                     sheet_, "另有 " + std::to_string(dropped_) + " 条错误未列出"});
  dropped_ = 0;
  return added_;
}

std::string JoinDiagnostics(const std::vector<Diagnostic>& diagnostics) {
  std::string s;
  for (const auto& d : diagnostics) s += d.ToString() + "\n";
  return s;
}

std::string JoinDiagnosticsZhEn(const std::vector<Diagnostic>& diagnostics) {
  std::string s;
  for (const auto& d : diagnostics)
    s.append(d.ToStringZh()).append("\n  ").append(d.ToString()).append("\n");
  return s;
}

namespace {

void AppendEscaped(std::string* out, std::string_view s) {
  for (char c : s) {
    if (c == '\\')
      out->append("\\\\");
    else if (c == '\t')
      out->append("\\t");
    else if (c == '\n')
      out->append("\\n");
    else
      out->push_back(c);
  }
}

std::string Unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      out.push_back(s[i]);
      continue;
    }
    char c = s[++i];
    out.push_back(c == 't' ? '\t' : c == 'n' ? '\n' : c);
  }
  return out;
}

int ToInt(std::string_view s) {
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9' || v > 100'000'000) return 0;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace

std::string EncodeDiagnostics(const std::vector<Diagnostic>& diagnostics, size_t max) {
  std::string text;
  for (size_t i = 0; i < diagnostics.size() && i < max; ++i) {
    const Diagnostic& d = diagnostics[i];
    AppendEscaped(&text, d.file);
    text.append("\t").append(std::to_string(d.line));
    text.append("\t").append(std::to_string(d.column)).append("\t");
    AppendEscaped(&text, d.field);
    text.append("\t");
    AppendEscaped(&text, d.sheet);
    text.append("\t");
    AppendEscaped(&text, d.message);
    text.append("\t");
    AppendEscaped(&text, d.message_zh);
    text.append("\n");
  }
  return text;
}

std::vector<Diagnostic> DecodeDiagnostics(std::string_view text) {
  std::vector<Diagnostic> out;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (line.empty()) continue;
    std::vector<std::string_view> fields;
    for (size_t start = 0;;) {
      size_t tab = line.find('\t', start);
      fields.push_back(line.substr(start, tab == std::string_view::npos ? tab : tab - start));
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
    Diagnostic d;
    if (fields.size() != 6 && fields.size() != 7) {
      d.message = std::string(line);  // stored before the fields were kept
    } else {
      d.file = Unescape(fields[0]);
      d.line = ToInt(fields[1]);
      d.column = ToInt(fields[2]);
      d.field = Unescape(fields[3]);
      d.sheet = Unescape(fields[4]);
      d.message = Unescape(fields[5]);
      if (fields.size() == 7) d.message_zh = Unescape(fields[6]);
    }
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace parkwatch
