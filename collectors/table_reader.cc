#include "collectors/table_reader.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>

#include "collectors/csv_reader.h"
#include "collectors/encoding.h"
#include "collectors/json_rows.h"
#include "core/credit_code.h"
#include "core/period.h"
#include "core/units.h"

namespace parkwatch {
namespace {

constexpr int64_t kProgressStep = 1 << 20;
// The longest cell a row may have (an enterprise's name is a few dozen characters).
constexpr size_t kMaxCellBytes = 64 << 10;

// Locale-free ASCII helpers: they run on every cell of files with millions of rows, where the
// <cctype> functions are out-of-line calls (and would follow the process locale).
constexpr bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}
constexpr char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }
constexpr char AsciiUpper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; }

// ASCII white space plus the ideographic space U+3000 and no-break space U+00A0 that Chinese
// spreadsheets put around values.
std::string_view TrimBlanks(std::string_view s) {
  static constexpr std::string_view kWide[] = {"\xE3\x80\x80", "\xC2\xA0"};
  for (bool changed = true; changed && !s.empty();) {
    changed = false;
    while (!s.empty() && IsAsciiSpace(s.front())) s.remove_prefix(1), changed = true;
    while (!s.empty() && IsAsciiSpace(s.back())) s.remove_suffix(1), changed = true;
    for (auto w : kWide) {
      if (s.starts_with(w)) s.remove_prefix(w.size()), changed = true;
      if (s.ends_with(w)) s.remove_suffix(w.size()), changed = true;
    }
  }
  return s;
}

bool EqualsAsciiNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  return true;
}

std::string_view DimensionName(Dimension d) {
  switch (d) {
    case Dimension::kMoney:
      return "money";
    case Dimension::kEnergy:
      return "energy";
    case Dimension::kCount:
      return "count";
    case Dimension::kRatio:
      return "ratio";
  }
  return "?";
}

// "工业总产值(万元)" -> name 工业总产值, unit 万元; false without a parenthesised suffix. Used for
// the collector's own `columns` map, which may name a header without its unit.
bool SplitUnitSuffix(std::string_view header, std::string_view* name, std::string_view* unit) {
  for (auto [open, close] : {std::pair<std::string_view, std::string_view>{"(", ")"},
                             {"\xEF\xBC\x88", "\xEF\xBC\x89"}}) {
    if (!header.ends_with(close)) continue;
    size_t at = header.rfind(open);
    if (at == std::string_view::npos || at == 0) continue;
    *name = TrimBlanks(header.substr(0, at));
    *unit = TrimBlanks(
        header.substr(at + open.size(), header.size() - close.size() - at - open.size()));
    return true;
  }
  return false;
}

// Looks a unit up, accepting the full-width percent sign. Returns the factor to the base unit,
// or nullopt with *error saying why it does not fit the indicator.
std::optional<double> ResolveUnit(std::string_view name, const IndicatorConfig& indicator,
                                  std::string* error) {
  name = TrimBlanks(name);
  std::optional<Unit> unit = name == "\xEF\xBC\x85" ? FindUnit("%") : FindUnit(name);  // ％
  if (!unit) {
    *error = "unknown unit " + Quote(name) +
             " (known: 元 千元 万元 亿元, kWh 万千瓦时 亿千瓦时, 人 个 家, %)";
    return std::nullopt;
  }
  if (unit->dimension != indicator.dimension) {
    *error = "unit " + Quote(name) + " measures " + std::string(DimensionName(unit->dimension)) +
             ", but " + indicator.name + " is " + std::string(DimensionName(indicator.dimension)) +
             " (e.g. " +
             (indicator.default_unit.empty() ? std::string(BaseUnitName(indicator.dimension))
                                             : indicator.default_unit) +
             ")";
    return std::nullopt;
  }
  return unit->to_base;
}

// The unit a value of this indicator is in when neither header nor row names one.
std::string_view DefaultUnit(const IndicatorConfig& indicator) {
  if (!indicator.default_unit.empty()) return indicator.default_unit;
  return BaseUnitName(indicator.dimension);
}

bool ParseKeyFlag(std::string_view v, bool* out) {
  static constexpr std::string_view kYes[] = {"是", "y", "yes", "true", "1", "重点", "√"};
  static constexpr std::string_view kNo[] = {"否", "n", "no", "false", "0", "非重点"};
  for (auto w : kYes)
    if (EqualsAsciiNoCase(v, w)) return *out = true, true;
  for (auto w : kNo)
    if (EqualsAsciiNoCase(v, w)) return *out = false, true;
  return false;
}

bool ParseYear(std::string_view v, int* out) {
  if (v.ends_with("年")) v.remove_suffix(std::string_view("年").size());
  int year = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), year);
  if (ec != std::errc() || end != v.data() + v.size() || year < 1900 || year > 2999) return false;
  *out = year;
  return true;
}

}  // namespace

bool ParseFigure(std::string_view text, double* value, bool* missing) {
  *missing = false;
  text = TrimBlanks(text);
  static constexpr std::string_view kMissing[] = {"",   "-",  "—",  "–",
                                                  "－", "--", "——", "\xE2\x80\x95"};
  for (auto m : kMissing)
    if (text == m) return *missing = true, false;
  // Normalise into a small buffer: full-width forms to ASCII, thousands separators checked and
  // removed. Numbers are short; anything longer than the buffer is not a figure.
  char buf[64];
  size_t n = 0;
  int digits_in_group = -1;  // digits since the last ',' (-1: no ',' seen in the integer part)
  int leading_digits = 0;
  bool in_integer_part = true;
  for (size_t i = 0; i < text.size();) {
    char c = text[i];
    size_t width = 1;
    if (static_cast<unsigned char>(c) == 0xEF && i + 2 < text.size() &&
        static_cast<unsigned char>(text[i + 1]) == 0xBC) {
      unsigned char t = static_cast<unsigned char>(text[i + 2]);
      width = 3;
      if (t >= 0x90 && t <= 0x99)
        c = static_cast<char>('0' + (t - 0x90));  // ０..９
      else if (t == 0x8E)
        c = '.';
      else if (t == 0x8C)
        c = ',';
      else if (t == 0x8D)
        c = '-';
      else if (t == 0x8B)
        c = '+';
      else
        return false;
    }
    i += width;
    if (c == ',') {
      // Thousands separators: 1-3 digits before the first, exactly 3 between and after.
      if (!in_integer_part ||
          (digits_in_group < 0 ? (leading_digits < 1 || leading_digits > 3) : digits_in_group != 3))
        return false;
      digits_in_group = 0;
      continue;
    }
    if (c >= '0' && c <= '9') {
      if (in_integer_part) (digits_in_group < 0 ? leading_digits : digits_in_group)++;
    } else if (c == '.' || c == 'e' || c == 'E') {
      if (in_integer_part && digits_in_group >= 0 && digits_in_group != 3) return false;
      in_integer_part = false;
    } else if (c == '+' || c == '-') {
      if (n > 0 && buf[n - 1] != 'e' && buf[n - 1] != 'E') return false;
      if (c == '+') continue;  // from_chars does not take a leading '+'
    } else {
      return false;
    }
    if (n == sizeof buf) return false;
    buf[n++] = c;
  }
  if (in_integer_part && digits_in_group >= 0 && digits_in_group != 3) return false;
  if (n == 0) return false;
  const char* begin = buf;
  // from_chars takes '-' itself but not "+-"; the loop above removed '+' at the start only.
  double v = 0;
  auto [end, ec] = std::from_chars(begin, buf + n, v);
  if (ec != std::errc() || end != buf + n || !std::isfinite(v)) return false;
  *value = v;
  return true;
}

namespace {

// One column of a table (CSV) or one member name (JSON), resolved.
struct Column {
  std::string header;  // trimmed, as written
  int column = 0;      // CSV: 1-based column of the header cell; JSON: 0
  ColumnRole::Kind kind = ColumnRole::kIgnore;
  const IndicatorConfig* indicator = nullptr;  // kIndicator
  std::string unit;                            // kIndicator: unit the values are in
  double to_base = 1;                          // kIndicator: factor to the base unit
};

// A row's cells as the row processor sees them, whatever the input format.
class RowCells {
 public:
  virtual ~RowCells() = default;
  virtual std::string_view value(size_t i) const = 0;
  virtual TextLocation where(size_t i) const = 0;
};

// Every diagnostic of a table goes through one DiagnosticList (core/diagnostic.h), which keeps
// their number and length bounded.
using ErrorSink = DiagnosticList;

// Maps headers to columns and turns rows into records. Shared by the CSV and JSON readers so
// both apply exactly the same rules.
class TableMapper {
 public:
  TableMapper(const CollectorConfig& collector, const std::vector<IndicatorConfig>& indicators,
              ErrorSink* errors)
      : collector_(collector), indicators_(indicators), errors_(errors) {}

  // Resolves a header. On failure reports at (line, column) and returns false.
  bool Resolve(std::string_view written, int line, int column, Column* out) {
    out->header = std::string(TrimBlanks(written));
    out->column = column;
    if (out->header.empty()) {
      // Excel leaves unnamed columns after the data; whatever they hold is not ours to read.
      out->kind = ColumnRole::kIgnore;
      return true;
    }
    std::optional<ColumnRole> role = FromCollector(out->header);
    if (!role) role = RoleOfHeader(out->header, indicators_);
    if (!role) {
      errors_->Add(line, column, out->header,
                   "unknown column header " + Quote(out->header) +
                       "; map it under collectors[].columns or name it with a known header");
      return false;
    }
    out->kind = role->kind;
    if (role->kind != ColumnRole::kIndicator) return true;
    out->indicator = FindIndicator(role->indicator);
    if (!out->indicator) {
      errors_->Add(line, column, out->header,
                   "column " + Quote(out->header) + " is mapped to indicator " +
                       Quote(role->indicator) + ", which is not configured");
      return false;
    }
    out->unit = role->unit.empty() ? std::string(DefaultUnit(*out->indicator)) : role->unit;
    std::string why;
    std::optional<double> factor = ResolveUnit(out->unit, *out->indicator, &why);
    if (!factor) {
      errors_->Add(line, column, out->header, why);
      return false;
    }
    out->to_base = *factor;
    return true;
  }

  // Checks that the columns together make a table: a credit code, a period when there are
  // figures, complete long-format columns, no role twice. report(col or nullptr, message).
  template <typename Report>
  static bool CheckLayout(const std::vector<const Column*>& cols, Report report) {
    bool ok = true;
    const Column* first[ColumnRole::kIgnore + 1] = {};
    std::map<const IndicatorConfig*, const Column*> seen_indicator;
    bool figures = false;
    for (const Column* c : cols) {
      if (c->kind == ColumnRole::kIgnore) continue;
      if (c->kind == ColumnRole::kIndicator) {
        figures = true;
        auto [it, fresh] = seen_indicator.emplace(c->indicator, c);
        if (!fresh) {
          report(c, "column " + Quote(c->header) + " repeats indicator " + c->indicator->name +
                        " of column " + Quote(it->second->header));
          ok = false;
        }
        continue;
      }
      if (first[c->kind]) {
        report(c, "column " + Quote(c->header) + " has the same meaning as column " +
                      Quote(first[c->kind]->header));
        ok = false;
        continue;
      }
      first[c->kind] = c;
    }
    // Without a credit code, a table with an industry column holds industry-level series
    // (a price index per industry): its figures belong to the pseudo-enterprise
    // "industry:<name>" that the rules read as the industry's deflator.
    if (!first[ColumnRole::kCreditCode] && !(first[ColumnRole::kIndustry] && figures)) {
      report(nullptr, "no credit code column (统一社会信用代码 or credit_code)");
      ok = false;
    }
    bool long_name = first[ColumnRole::kIndicatorName], long_value = first[ColumnRole::kValue];
    if (long_name != long_value) {
      report(long_name ? first[ColumnRole::kIndicatorName] : first[ColumnRole::kValue],
             "a long-format table needs both an indicator (指标) and a value (数值) column");
      ok = false;
    }
    if (first[ColumnRole::kUnit] && !long_name) {
      report(first[ColumnRole::kUnit],
             "a unit column belongs to a long-format table with indicator (指标) and value "
             "(数值) columns; in a wide table write the unit in the header, e.g. 工业总产值(万元)");
      ok = false;
    }
    if ((figures || long_name) && !first[ColumnRole::kPeriod]) {
      report(nullptr, "no period column (报告期 or period), needed for figures");
      ok = false;
    }
    return ok;
  }

  // Validates one row and, when it is good, sends its records to sink. Returns whether the row
  // was accepted. Three stages: read each cell by its column's role, check the row is complete,
  // hand its records to the sink.
  bool ProcessRow(const std::vector<const Column*>& cols, const RowCells& cells, int line,
                  RecordSink* sink) {
    Row row{cols, cells, line, errors_};
    ReadCells(row);
    if (row.name_cell != SIZE_MAX && row.value_cell != SIZE_MAX) LongFormatFigure(row);
    CheckComplete(row);
    if (!row.ok) return false;
    Emit(row, sink);
    return row.ok;
  }

 private:
  struct Pending {
    const IndicatorConfig* indicator;
    size_t cell;
    double value;
  };

  // One row in progress: where its cells are and whether it has failed so far. The records it
  // builds live in the mapper's reused members (code_, enterprise_, pending_).
  struct Row {
    const std::vector<const Column*>& cols;
    const RowCells& cells;
    int line;
    ErrorSink* errors;
    bool ok = true;
    bool has_attribute = false;
    std::optional<Period> period;
    size_t code_cell = SIZE_MAX, period_cell = SIZE_MAX;
    size_t name_cell = SIZE_MAX, value_cell = SIZE_MAX, unit_cell = SIZE_MAX;

    void Fail(size_t i, std::string_view message) {
      TextLocation at = cells.where(i);
      errors->Add(at.line ? at.line : line, at.column, cols[i]->header, message);
      ok = false;
    }
    void FailRow(std::string_view message) {
      errors->Add(line, 0, "", message);
      ok = false;
    }
  };

  // Stage 1: each cell parsed by its column's role into code_, enterprise_, the period and
  // pending_ figures; a bad cell fails the row but the others are still checked.
  void ReadCells(Row& row) {
    code_.clear();
    enterprise_ = EnterpriseRecord();
    pending_.clear();
    for (size_t i = 0; i < row.cols.size(); ++i) {
      const Column& col = *row.cols[i];
      if (col.kind == ColumnRole::kIgnore) continue;
      std::string_view v = TrimBlanks(row.cells.value(i));
      if (v.size() > kMaxCellBytes) {
        // No name, code or figure is this long: refused before anything copies it.
        row.Fail(i, "value of " + std::to_string(v.size()) + " bytes, more than " +
                        std::to_string(kMaxCellBytes) + ": " + Quote(v));
        continue;
      }
      switch (col.kind) {
        case ColumnRole::kCreditCode: {
          row.code_cell = i;
          for (char c : v)
            if (!IsAsciiSpace(c)) code_.push_back(AsciiUpper(c));
          if (code_.empty()) {
            row.Fail(i, "credit code is empty");
          } else if (std::string why = ValidateCreditCode(code_); !why.empty()) {
            row.Fail(i, "invalid credit code " + Quote(v) + ": " + why);
          }
          break;
        }
        case ColumnRole::kName:
          if (!v.empty()) enterprise_.name = std::string(v), row.has_attribute = true;
          break;
        case ColumnRole::kIndustry:
          if (!v.empty()) enterprise_.industry = std::string(v), row.has_attribute = true;
          break;
        case ColumnRole::kKey:
          if (!v.empty()) {
            bool key;
            if (ParseKeyFlag(v, &key))
              enterprise_.key = key, row.has_attribute = true;
            else
              row.Fail(i, "not a yes/no value: " + Quote(v) + " (是/否, Y/N, 1/0, 重点)");
          }
          break;
        case ColumnRole::kAboveSizeSince:
        case ColumnRole::kAboveSizeUntil:
          if (!v.empty()) {
            int year;
            if (!ParseYear(v, &year)) {
              row.Fail(i, "not a year: " + Quote(v));
            } else {
              (col.kind == ColumnRole::kAboveSizeSince ? enterprise_.above_size_since
                                                       : enterprise_.above_size_until) = year;
              row.has_attribute = true;
            }
          }
          break;
        case ColumnRole::kPeriod:
          row.period_cell = i;
          if (!v.empty()) {
            std::string why;
            row.period = ParsePeriod(v, &why);
            if (!row.period) row.Fail(i, why);
          }
          break;
        case ColumnRole::kIndicator: {
          double value;
          if (ParseValue(v, *col.indicator, col.to_base, &value,
                         [&](std::string m) { row.Fail(i, m); }))
            pending_.push_back({col.indicator, i, value});
          break;
        }
        case ColumnRole::kIndicatorName:
          row.name_cell = i;
          break;
        case ColumnRole::kValue:
          row.value_cell = i;
          break;
        case ColumnRole::kUnit:
          row.unit_cell = i;
          break;
        case ColumnRole::kIgnore:
          break;
      }
    }
  }

  // Stage 2: what the row as a whole needs: a period for its figures, an enterprise or an
  // industry to file them under.
  void CheckComplete(Row& row) {
    if (!pending_.empty() && !row.period && row.period_cell != SIZE_MAX &&
        TrimBlanks(row.cells.value(row.period_cell)).empty())
      row.Fail(row.period_cell, "period is empty");
    if (!pending_.empty() && row.period_cell == SIZE_MAX)
      row.FailRow("row has figures but no period");
    if (row.code_cell == SIZE_MAX) {
      if (!enterprise_.industry) {
        row.FailRow("row has neither a credit code nor an industry");
      } else {
        code_ = kIndustrySeriesPrefix + *enterprise_.industry;
        row.has_attribute = false;  // an industry series has no enterprise attributes
      }
    }
  }

  // Stage 3: the records to the sink, which may still refuse one (a duplicate in the batch).
  void Emit(Row& row, RecordSink* sink) {
    if (row.has_attribute) {
      enterprise_.credit_code = code_;
      if (std::string why = sink->PutEnterprise(enterprise_); !why.empty())
        row.Fail(row.code_cell, why);
    }
    figure_.credit_code = code_;
    if (row.period) figure_.period = *row.period;
    for (const Pending& p : pending_) {
      figure_.indicator = p.indicator->name;
      figure_.value = p.value;
      if (std::string why = sink->PutFigure(figure_); !why.empty()) row.Fail(p.cell, why);
    }
  }

  std::optional<ColumnRole> FromCollector(const std::string& header) const {
    if (collector_.columns.empty()) return std::nullopt;
    auto find = [&](std::string_view h) -> std::optional<ColumnRole> {
      for (const auto& [name, role] : collector_.columns)
        if (EqualsAsciiNoCase(TrimBlanks(name), h)) return role;
      return std::nullopt;
    };
    if (auto role = find(header)) return role;
    std::string_view name, unit;
    if (!SplitUnitSuffix(header, &name, &unit)) return std::nullopt;
    auto role = find(name);
    if (role && role->kind == ColumnRole::kIndicator && role->unit.empty())
      role->unit = std::string(unit);
    return role;
  }

  const IndicatorConfig* FindIndicator(std::string_view name) const {
    for (const IndicatorConfig& ind : indicators_)
      if (ind.name == name) return &ind;
    return nullptr;
  }

  // Period::Parse with a one-entry cache: a file usually reports one period on every row.
  std::optional<Period> ParsePeriod(std::string_view text, std::string* why) {
    if (!period_cache_valid_ || text != period_text_) {
      period_text_.assign(text);
      period_error_.clear();
      period_value_ = Period::Parse(text, &period_error_);
      period_cache_valid_ = true;
    }
    if (!period_value_) *why = period_error_;
    return period_value_;
  }

  // Parses a figure of indicator ind whose unit factor is to_base. False when there is no
  // figure (missing) or it is bad (reported through fail).
  template <typename Fail>
  static bool ParseValue(std::string_view v, const IndicatorConfig& ind, double to_base,
                         double* out, Fail fail) {
    bool percent = false;
    std::string_view number = v;
    for (std::string_view sign : {std::string_view("%"), std::string_view("\xEF\xBC\x85")}) {
      if (number.ends_with(sign)) {
        number.remove_suffix(sign.size());
        number = TrimBlanks(number);
        percent = true;
      }
    }
    bool missing;
    double value;
    if (!ParseFigure(number, &value, &missing)) {
      if (!missing || percent) fail("not a number: " + Quote(v));
      return false;
    }
    if (percent) {
      if (ind.dimension != Dimension::kRatio) {
        fail("a percentage " + Quote(v) + " for " + ind.name + ", which is " +
             std::string(DimensionName(ind.dimension)));
        return false;
      }
      to_base = 0.01;  // the sign in the cell says what unit it is in
    }
    if (value < 0 && ind.kind == IndicatorKind::kLevel && !ind.allow_negative) {
      fail("negative value " + Quote(v) + " for " + ind.name + ", which cannot be negative");
      return false;
    }
    *out = value * to_base;
    return true;
  }

  // A long-format row's one figure: indicator (指标), value (数值) and an optional unit (单位).
  void LongFormatFigure(Row& row) {
    const size_t name_cell = row.name_cell, value_cell = row.value_cell, unit_cell = row.unit_cell;
    std::string_view name = TrimBlanks(row.cells.value(name_cell));
    std::string_view value = TrimBlanks(row.cells.value(value_cell));
    if (name.empty()) {
      double ignored;
      bool missing;
      if (!ParseFigure(value, &ignored, &missing) && missing) return;  // nothing in either
      row.Fail(name_cell, "indicator is empty, but the row has a value " + Quote(value));
      return;
    }
    const LongIndicator* li = LookupLongIndicator(name);
    if (!li) {
      row.Fail(name_cell, "unknown indicator " + Quote(name));
      return;
    }
    std::string_view unit = unit_cell != SIZE_MAX ? TrimBlanks(row.cells.value(unit_cell)) : "";
    size_t unit_at = unit_cell;
    if (unit.empty()) {
      unit = li->unit.empty() ? DefaultUnit(*li->indicator) : std::string_view(li->unit);
      unit_at = name_cell;
    }
    std::string why;
    std::optional<double> factor = ResolveUnit(unit, *li->indicator, &why);
    if (!factor) {
      row.Fail(unit_at, why);
      return;
    }
    double v;
    if (ParseValue(value, *li->indicator, *factor, &v,
                   [&](std::string m) { row.Fail(value_cell, m); }))
      pending_.push_back({li->indicator, value_cell, v});
  }

  struct LongIndicator {
    const IndicatorConfig* indicator;
    std::string unit;  // from a "(万元)" suffix in the name, else empty
  };

  // The indicator a long-format row names (by name, title or any header, with an optional unit
  // suffix), cached by the text since a file repeats a handful of names.
  const LongIndicator* LookupLongIndicator(std::string_view name) {
    auto it = long_cache_.find(name);
    if (it == long_cache_.end()) {
      std::optional<LongIndicator> found;
      std::optional<ColumnRole> role = RoleOfHeader(std::string(name), indicators_);
      if (role && role->kind == ColumnRole::kIndicator)
        if (const IndicatorConfig* ind = FindIndicator(role->indicator))
          found = LongIndicator{ind, role->unit};
      it = long_cache_.emplace(std::string(name), found).first;
    }
    return it->second ? &*it->second : nullptr;
  }

  const CollectorConfig& collector_;
  const std::vector<IndicatorConfig>& indicators_;
  ErrorSink* errors_;

  // Reused across rows so a row allocates nothing in the common case.
  std::string code_;
  EnterpriseRecord enterprise_;
  FigureRecord figure_;
  std::vector<Pending> pending_;
  bool period_cache_valid_ = false;
  std::string period_text_, period_error_;
  std::optional<Period> period_value_;
  std::map<std::string, std::optional<LongIndicator>, std::less<>> long_cache_;
};

class CsvRowCells : public RowCells {
 public:
  explicit CsvRowCells(const CsvReader& reader) : reader_(reader) {}
  std::string_view value(size_t i) const override {
    return i < reader_.size() ? reader_[i] : std::string_view();
  }
  TextLocation where(size_t i) const override {
    if (i < reader_.size()) return reader_.FieldLocation(i);
    return {reader_.line(), 0};  // a cell the short row does not have
  }

 private:
  const CsvReader& reader_;
};

bool AllBlank(const CsvReader& reader) {
  for (std::string_view f : reader.fields())
    if (!TrimBlanks(f).empty()) return false;
  return true;
}

}  // namespace

void ReadCsvTable(std::istream& in, const std::string& file_name, const CollectorConfig& collector,
                  const std::vector<IndicatorConfig>& indicators, RecordSink* sink,
                  TableResult* result, const std::function<void(int64_t)>& progress) {
  ErrorSink errors(file_name, &result->errors);
  std::optional<EncodingOption> option = ParseEncodingOption(collector.encoding);
  if (!option) {
    errors.Add(0, 0, "encoding",
               "unknown encoding " + Quote(collector.encoding) + " (auto, utf-8, gb18030)");
    result->error_count = errors.Finish();
    return;
  }
  std::string head;
  TextEncoding encoding =
      *option == EncodingOption::kGb18030 ? TextEncoding::kGb18030 : TextEncoding::kUtf8;
  if (*option == EncodingOption::kAuto) {
    head.resize(kDetectWindow);
    std::streamsize got =
        in.rdbuf() ? in.rdbuf()->sgetn(head.data(), static_cast<std::streamsize>(head.size())) : 0;
    head.resize(static_cast<size_t>(std::max<std::streamsize>(got, 0)));
    encoding = DetectEncoding(head);
  }
  result->encoding = std::string(EncodingName(encoding));
  DecodingStreambuf decoded(in.rdbuf(), encoding, std::move(head));
  std::istream text(&decoded);
  CsvReader reader(text);
  const std::string bad_encoding =
      encoding == TextEncoding::kUtf8
          ? "not valid UTF-8 (set the collector's encoding if the file is GB18030)"
          : "not valid GB18030";

  auto report_problem = [&](const CsvProblem& problem, std::string_view field) {
    switch (problem.kind) {
      case CsvProblem::kNone:
        break;
      case CsvProblem::kInvalidUtf8:
        errors.Add(problem.where.line, problem.where.column, field, bad_encoding);
        break;
      case CsvProblem::kUnterminatedQuote:
        errors.Add(problem.where.line, problem.where.column, field,
                   "quoted field is never closed (unterminated quote)");
        break;
      case CsvProblem::kTextAfterQuote:
        errors.Add(problem.where.line, problem.where.column, field,
                   "text after the closing quote of a field");
        break;
      case CsvProblem::kRecordTooLong:
        errors.Add(problem.where.line, problem.where.column, field,
                   "record longer than " + std::to_string(kMaxCsvRecordBytes >> 20) +
                       " MiB, probably an unterminated quote; reading stopped");
        break;
      case CsvProblem::kTooManyFields:
        errors.Add(problem.where.line, problem.where.column, field,
                   "record has more than " + std::to_string(kMaxCsvFields) + " fields");
        break;
    }
  };

  TableMapper mapper(collector, indicators, &errors);
  std::vector<Column> columns;
  std::vector<const Column*> layout;
  bool table_ok = true;
  if (!reader.Next()) {
    errors.Add(0, 0, "", "empty input: no header line");
    result->error_count = errors.Finish();
    return;
  }
  if (reader.problem().kind != CsvProblem::kNone) {
    report_problem(reader.problem(), "");
    table_ok = false;
  } else {
    columns.resize(reader.size());
    for (size_t i = 0; i < reader.size(); ++i) {
      TextLocation at = reader.FieldLocation(i);
      if (!mapper.Resolve(reader[i], at.line, at.column, &columns[i])) table_ok = false;
    }
    for (const Column& c : columns) layout.push_back(&c);
    const int header_line = reader.line();
    if (table_ok)
      table_ok = TableMapper::CheckLayout(layout, [&](const Column* c, std::string message) {
        errors.Add(header_line, c ? c->column : 0, c ? c->header : "", std::move(message));
      });
  }

  CsvRowCells cells(reader);
  int64_t next_progress = kProgressStep;
  while (reader.Next()) {
    if (progress && decoded.source_bytes() >= next_progress) {
      progress(decoded.source_bytes());
      next_progress = decoded.source_bytes() + kProgressStep;
    }
    const CsvProblem& problem = reader.problem();
    if (problem.kind == CsvProblem::kRecordTooLong) {
      report_problem(problem, "");
      break;
    }
    if (AllBlank(reader) && problem.kind == CsvProblem::kNone) continue;
    ++result->rows_read;
    if (problem.kind != CsvProblem::kNone) {
      size_t cell = problem.field;
      report_problem(problem, table_ok && cell < columns.size() ? columns[cell].header : "");
      continue;
    }
    if (!table_ok) continue;  // the table's meaning is unclear; its header errors say why
    bool ok = true;
    for (size_t i = columns.size(); i < reader.size(); ++i) {
      if (!TrimBlanks(reader[i]).empty()) {
        TextLocation at = reader.FieldLocation(i);
        errors.Add(at.line, at.column, "",
                   "value " + Quote(reader[i]) + " in column " + std::to_string(i + 1) +
                       ", which has no header");
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    if (mapper.ProcessRow(layout, cells, reader.line(), sink)) ++result->rows_accepted;
  }
  if (progress) progress(decoded.source_bytes());
  result->error_count = errors.Finish();
}

namespace {

class JsonRowCells : public RowCells {
 public:
  std::vector<std::string> values;
  std::string_view value(size_t i) const override { return values[i]; }
  TextLocation where(size_t) const override { return {0, 0}; }
};

}  // namespace

void ReadJsonTable(std::string_view body, const std::string& source_name,
                   const CollectorConfig& collector, const std::vector<IndicatorConfig>& indicators,
                   RecordSink* sink, TableResult* result) {
  ErrorSink errors(source_name, &result->errors);
  result->encoding = "utf-8";

  // First reading: the body is valid and every member name resolves, before any row goes to
  // the sink (an unknown name makes every row's meaning unclear, as an unknown CSV header
  // does). Both readings stream: no document of the body is ever built.
  TableMapper mapper(collector, indicators, &errors);
  std::map<std::string, Column, std::less<>> columns;
  bool table_ok = true;
  bool too_many_names = false;
  std::string error = ReadJsonRows(body, [&](JsonRow& row) {
    for (const JsonMember& m : row.members) {
      if (columns.count(m.name)) continue;
      if (columns.size() >= kMaxJsonMembers) {
        too_many_names = true;
        return;
      }
      Column c;
      if (!mapper.Resolve(m.name, row.number, 0, &c)) {
        table_ok = false;
        c.kind = ColumnRole::kIgnore;
      }
      columns.emplace(m.name, std::move(c));
    }
  });
  if (error.empty() && too_many_names)
    error = "rows have more than " + std::to_string(kMaxJsonMembers) + " different member names";
  if (!error.empty()) {
    // The body as a whole is refused: that is its one error (what its names would have meant
    // no longer matters).
    result->errors.clear();
    errors = ErrorSink(source_name, &result->errors);
    errors.Add(0, 0, "", error);
    result->error_count = errors.Finish();
    return;
  }

  JsonRowCells cells;
  std::vector<const Column*> layout;
  ReadJsonRows(body, [&](JsonRow& row) {
    const int n = row.number;
    ++result->rows_read;
    if (!row.is_object) {
      errors.Add(n, 0, "", "row is not an object of header: value members");
      return;
    }
    if (!table_ok) return;
    if (row.too_many_members) {
      errors.Add(n, 0, "", "row has more than " + std::to_string(kMaxJsonMembers) + " members");
      return;
    }
    layout.clear();
    cells.values.clear();
    bool ok = true;
    for (JsonMember& m : row.members) {
      const Column& c = columns.find(m.name)->second;
      if (m.type) {
        errors.Add(n, 0, c.header,
                   std::string("value must be a string or a number, not ") + m.type);
        ok = false;
      }
      layout.push_back(&c);
      cells.values.push_back(std::move(m.text));
    }
    ok = TableMapper::CheckLayout(layout,
                                  [&](const Column* c, std::string message) {
                                    errors.Add(n, 0, c ? c->header : "", message);
                                  }) &&
         ok;
    if (!ok) return;
    if (mapper.ProcessRow(layout, cells, n, sink)) ++result->rows_accepted;
  });
  result->error_count = errors.Finish();
}

}  // namespace parkwatch
