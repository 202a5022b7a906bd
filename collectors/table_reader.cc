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
#include "collectors/sheet.h"
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

// A number as short as it round-trips: 27593.1, 1e+21.
std::string FormatNumber(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::to_string(v);
}

bool EqualsAsciiNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  return true;
}

std::string DimensionName(Dimension d) {
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

// 金额, 能耗, 数量, 比率: what a unit measures, for the Chinese message.
std::string DimensionNameZh(Dimension d) {
  switch (d) {
    case Dimension::kMoney:
      return "金额";
    case Dimension::kEnergy:
      return "能耗";
    case Dimension::kCount:
      return "数量";
    case Dimension::kRatio:
      return "比率";
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
                                  Wording* error) {
  name = TrimBlanks(name);
  std::optional<Unit> unit = name == "\xEF\xBC\x85" ? FindUnit("%") : FindUnit(name);  // ％
  if (!unit) {
    *error = {"unknown unit " + Quote(name) +
                  " (known: 元 千元 万元 亿元, kWh 万千瓦时 亿千瓦时, 人 个 家, %)",
              "无法识别的单位 " + Quote(name) +
                  "（可用：元 千元 万元 亿元，kWh 万千瓦时 亿千瓦时，人 个 家，%）"};
    return std::nullopt;
  }
  if (unit->dimension != indicator.dimension) {
    const std::string example = indicator.default_unit.empty()
                                    ? std::string(BaseUnitName(indicator.dimension))
                                    : indicator.default_unit;
    *error = {"unit " + Quote(name) + " measures " + DimensionName(unit->dimension) + ", but " +
                  indicator.name + " is " + DimensionName(indicator.dimension) + " (e.g. " +
                  example + ")",
              "单位 " + Quote(name) + " 计量的是" + DimensionNameZh(unit->dimension) + "，而 " +
                  indicator.name + " 是" + DimensionNameZh(indicator.dimension) + "（如 " +
                  example + "）"};
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

// "周报、月报", "月报", "weekly, monthly", "无": the reports a register expects, as
// "weekly,monthly", "monthly", "weekly" or "" (none). False for any other word.
bool ParseExpectedReports(std::string_view v, std::string* out) {
  bool weekly = false, monthly = false, none = false;
  while (!v.empty()) {
    size_t cut = v.size(), width = 0;
    for (std::string_view sep : {",", "，", "、", "/", ";", "；", " "}) {
      size_t at = v.find(sep);
      if (at < cut) cut = at, width = sep.size();
    }
    std::string_view word = TrimBlanks(v.substr(0, cut));
    v.remove_prefix(std::min(v.size(), cut + width));
    if (word.empty()) continue;
    if (word == "周报" || word == "周" || EqualsAsciiNoCase(word, "weekly"))
      weekly = true;
    else if (word == "月报" || word == "月" || EqualsAsciiNoCase(word, "monthly"))
      monthly = true;
    else if (word == "无" || word == "不报" || EqualsAsciiNoCase(word, "none"))
      none = true;
    else
      return false;
  }
  if (none && (weekly || monthly)) return false;
  *out = weekly && monthly ? "weekly,monthly" : weekly ? "weekly" : monthly ? "monthly" : "";
  return true;
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
  bool unit_named = false;                     // kIndicator: the header or config names unit
  double to_base = 1;                          // kIndicator: factor to the base unit
  // kIndicator, under a group header of a statistical table (工业总产值 over 本月 | 本年累计 |
  // 上年同期): which figure of the indicator the column holds.
  enum class Part { kCurrent, kCumulative, kLastYear, kLastYearCumulative } part = Part::kCurrent;
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
                   {"unknown column header " + Quote(out->header) +
                        "; map it under collectors[].columns or name it with a known header",
                    "无法识别的列名 " + Quote(out->header) +
                        "：请改用标准列名（如 统一社会信用代码、报告期、工业总产值(万元)），"
                        "或请管理员在采集配置 columns 中对应"});
      return false;
    }
    out->kind = role->kind;
    if (role->kind != ColumnRole::kIndicator) return true;
    out->indicator = FindIndicator(role->indicator);
    if (!out->indicator) {
      errors_->Add(
          line, column, out->header,
          {"column " + Quote(out->header) + " is mapped to indicator " + Quote(role->indicator) +
               ", which is not configured",
           "列 " + Quote(out->header) + " 对应的指标 " + Quote(role->indicator) + " 未配置"});
      return false;
    }
    out->unit = role->unit.empty() ? std::string(DefaultUnit(*out->indicator)) : role->unit;
    out->unit_named = !role->unit.empty();
    Wording why;
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
    std::map<std::pair<const IndicatorConfig*, Column::Part>, const Column*> seen_indicator;
    bool figures = false;
    for (const Column* c : cols) {
      if (c->kind == ColumnRole::kIgnore) continue;
      if (c->kind == ColumnRole::kIndicator) {
        figures = true;
        auto [it, fresh] = seen_indicator.emplace(std::pair(c->indicator, c->part), c);
        if (!fresh) {
          report(c, {"column " + Quote(c->header) + " repeats indicator " + c->indicator->name +
                         " of column " + Quote(it->second->header),
                     "列 " + Quote(c->header) + " 与列 " + Quote(it->second->header) +
                         " 是同一指标（" + c->indicator->name + "）"});
          ok = false;
        }
        continue;
      }
      if (first[c->kind]) {
        report(c, {"column " + Quote(c->header) + " has the same meaning as column " +
                       Quote(first[c->kind]->header),
                   "列 " + Quote(c->header) + " 与列 " + Quote(first[c->kind]->header) +
                       " 含义相同，只能保留一列"});
        ok = false;
        continue;
      }
      first[c->kind] = c;
    }
    // Without a credit code, a table with an industry column holds industry-level series
    // (a price index per industry): its figures belong to the pseudo-enterprise
    // "industry:<name>" that the rules read as the industry's deflator.
    if (!first[ColumnRole::kCreditCode] && !(first[ColumnRole::kIndustry] && figures)) {
      report(nullptr, {"no credit code column (统一社会信用代码 or credit_code)",
                       "缺少必填列：统一社会信用代码"});
      ok = false;
    }
    bool long_name = first[ColumnRole::kIndicatorName], long_value = first[ColumnRole::kValue];
    if (long_name != long_value) {
      report(long_name ? first[ColumnRole::kIndicatorName] : first[ColumnRole::kValue],
             {"a long-format table needs both an indicator (指标) and a value (数值) column",
              "按行填报指标的表需要同时有 指标 列和 数值 列"});
      ok = false;
    }
    if (first[ColumnRole::kUnit] && !long_name) {
      report(first[ColumnRole::kUnit],
             {"a unit column belongs to a long-format table with indicator (指标) and value "
              "(数值) columns; in a wide table write the unit in the header, e.g. 工业总产值(万元)",
              "单位 列只用于有 指标、数值 列的表；每个指标一列的表请把单位写在列名里，如 "
              "工业总产值(万元)"});
      ok = false;
    }
    if ((figures || long_name) && !first[ColumnRole::kPeriod]) {
      report(nullptr, {"no period column (报告期 or period), needed for figures",
                       "缺少必填列：报告期（填报数据时必须有）"});
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
    bool last_year;  // 上年同期: the figure of the same period a year before
  };

  // One row in progress: where its cells are and whether it has failed so far. The records it
  // builds live in the mapper's reused members (code_, enterprise_, pending_, cumulative_).
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

    void Fail(size_t i, const Wording& message) {
      TextLocation at = cells.where(i);
      errors->Add(at.line ? at.line : line, at.column, cols[i]->header, message);
      ok = false;
    }
    void FailRow(const Wording& message) {
      errors->Add(line, 0, "", message);
      ok = false;
    }
  };

  // Stage 1: each cell parsed by its column's role into code_, enterprise_, the period,
  // pending_ figures (this period's and 上年同期) and cumulative_ (year-to-date) ones; a bad cell
  // fails the row but the others are still checked.
  void ReadCells(Row& row) {
    code_.clear();
    enterprise_ = EnterpriseRecord();
    pending_.clear();
    cumulative_.clear();
    for (size_t i = 0; i < row.cols.size(); ++i) {
      const Column& col = *row.cols[i];
      if (col.kind == ColumnRole::kIgnore) continue;
      std::string_view v = TrimBlanks(row.cells.value(i));
      if (v.size() > kMaxCellBytes) {
        // No name, code or figure is this long: refused before anything copies it.
        row.Fail(i, {"value of " + std::to_string(v.size()) + " bytes, more than " +
                         std::to_string(kMaxCellBytes) + ": " + Quote(v),
                     "内容过长（" + std::to_string(v.size()) + " 字节，上限 " +
                         std::to_string(kMaxCellBytes) + "）：" + Quote(v)});
        continue;
      }
      switch (col.kind) {
        case ColumnRole::kCreditCode: {
          row.code_cell = i;
          for (char c : v)
            if (!IsAsciiSpace(c)) code_.push_back(AsciiUpper(c));
          if (code_.empty()) {
            row.Fail(i, {"credit code is empty", "统一社会信用代码为空"});
          } else if (Wording why = ValidateCreditCode(code_); !why.empty()) {
            row.Fail(i, {"invalid credit code " + Quote(v) + ": " + why.en,
                         Quote(v) + " 无效，" + why.zh});
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
              row.Fail(i, {"not a yes/no value: " + Quote(v) + " (是/否, Y/N, 1/0, 重点)",
                           "应填 是 或 否：" + Quote(v) + "（可写 是/否、Y/N、1/0、重点）"});
          }
          break;
        case ColumnRole::kAboveSizeSince:
        case ColumnRole::kAboveSizeUntil:
          if (!v.empty()) {
            int year;
            if (!ParseYear(v, &year)) {
              row.Fail(i, {"not a year: " + Quote(v), "不是年份：" + Quote(v)});
            } else {
              (col.kind == ColumnRole::kAboveSizeSince ? enterprise_.above_size_since
                                                       : enterprise_.above_size_until) = year;
              row.has_attribute = true;
            }
          }
          break;
        case ColumnRole::kExpectedReports:
          if (!v.empty()) {
            std::string reports;
            if (ParseExpectedReports(v, &reports))
              enterprise_.expected_reports = reports, row.has_attribute = true;
            else
              row.Fail(i,
                       {"not a list of reports: " + Quote(v) + " (周报、月报, weekly, monthly, 无)",
                        "应报报表无法识别：" + Quote(v) + "（可写 周报、月报、无）"});
          }
          break;
        case ColumnRole::kPeriod:
          row.period_cell = i;
          if (!v.empty()) {
            Wording why;
            row.period = ParsePeriod(v, &why);
            if (!row.period) row.Fail(i, why);
          }
          break;
        case ColumnRole::kIndicator: {
          double value;
          if (!ParseValue(v, *col.indicator, col.to_base, col.unit_named ? col.unit : "", &value,
                          [&](const Wording& m) { row.Fail(i, m); }))
            break;
          if (col.part == Column::Part::kCurrent || col.part == Column::Part::kLastYear)
            pending_.push_back({col.indicator, i, value, col.part == Column::Part::kLastYear});
          else if (col.part == Column::Part::kCumulative)
            cumulative_.push_back({col.indicator, i, value, false});
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
  // industry to file them under, year-to-date figures no smaller than the period's own.
  void CheckComplete(Row& row) {
    if (!pending_.empty() && !row.period && row.period_cell != SIZE_MAX &&
        TrimBlanks(row.cells.value(row.period_cell)).empty())
      row.Fail(row.period_cell, {"period is empty", "报告期为空"});
    if (!pending_.empty() && row.period_cell == SIZE_MAX)
      row.FailRow({"row has figures but no period", "该行有数据但没有报告期"});
    if (row.code_cell == SIZE_MAX) {
      if (!enterprise_.industry) {
        row.FailRow({"row has neither a credit code nor an industry",
                     "该行既没有统一社会信用代码，也没有行业"});
      } else {
        code_ = kIndustrySeriesPrefix + *enterprise_.industry;
        row.has_attribute = false;  // an industry series has no enterprise attributes
      }
    }
    // A year-to-date figure is checked against the month's (强制性审核: cumulative >= month),
    // not stored: the month's own figure is what the store keeps.
    for (const Pending& c : cumulative_)
      for (const Pending& p : pending_)
        if (p.indicator == c.indicator && !p.last_year &&
            c.indicator->kind == IndicatorKind::kLevel && c.value >= 0 &&
            c.value < p.value * (1 - 1e-9))
          row.Fail(c.cell,
                   {"the year-to-date figure is smaller than the month's own (" +
                        FormatNumber(c.value) + " < " + FormatNumber(p.value) + " in " +
                        std::string(BaseUnitName(c.indicator->dimension)) + ")",
                    "本年累计小于本月数（以" + std::string(BaseUnitName(c.indicator->dimension)) +
                        "计：" + FormatNumber(c.value) + " < " + FormatNumber(p.value) + "）"});
  }

  // Stage 3: the records to the sink, which may still refuse one (a duplicate in the batch).
  void Emit(Row& row, RecordSink* sink) {
    if (row.has_attribute) {
      enterprise_.credit_code = code_;
      if (Wording why = sink->PutEnterprise(enterprise_); !why.empty())
        row.Fail(row.code_cell, why);
    }
    figure_.credit_code = code_;
    if (row.period) figure_.period = *row.period;
    for (const Pending& p : pending_) {
      figure_.indicator = p.indicator->name;
      figure_.value = p.value;
      if (p.last_year) {
        std::optional<Period> before = row.period ? row.period->SameLastYear() : std::nullopt;
        if (!before) {
          row.Fail(p.cell, {"the period has no same period last year (week 53)",
                            "该报告期没有上年同期（上年没有第53周）"});
          continue;
        }
        figure_.period = *before;
      } else if (row.period) {
        figure_.period = *row.period;
      }
      if (Wording why = sink->PutFigure(figure_); !why.empty()) row.Fail(p.cell, why);
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

  // The year.month form with a one-digit month, which Excel makes of a typed 2026.10 when the
  // cell is a number: 2026.1 is October or January, and only the collector's period_format
  // can say which. Returns nullopt for any other text (Period::Parse reads it), an invalid
  // Period with *why set when refused, or the period.
  std::optional<Period> ParseYearDotMonth(std::string_view text, Wording* why) const {
    if (text.size() != 6 || text[4] != '.' || text[5] < '1' || text[5] > '9') return std::nullopt;
    int year = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + 4, year);
    if (ec != std::errc() || end != text.data() + 4) return std::nullopt;
    int digit = text[5] - '0';
    if (collector_.period_format == "yyyy.m") return Period::Month(year, digit);
    if (collector_.period_format == "yyyy.mm") {
      if (digit == 1) return Period::Month(year, 10);
      *why = {"invalid period " + Quote(text) + ": under period_format yyyy.mm it is month " +
                  std::to_string(digit * 10),
              "报告期 " + Quote(text) + " 无效：按本采集的 yyyy.mm 写法它是第" +
                  std::to_string(digit * 10) + "月"};
      return Period();
    }
    if (digit != 1) return std::nullopt;  // 2026.2 can only be February
    *why = {"ambiguous period " + Quote(text) +
                ": Excel shows a typed 2026.10 as 2026.1, so it may be October or January; write "
                "2026-10 or 2026-01 (or format the cells as text), or declare the collector's "
                "period_format (yyyy.m or yyyy.mm)",
            "报告期 " + Quote(text) +
                " 含义不明：Excel 会把输入的 2026.10 显示成 2026.1，可能是10月也可能是1月；"
                "请写成 2026年10月 或 2026年1月（或把单元格设为文本格式）"};
    return Period();
  }

  const IndicatorConfig* FindIndicator(std::string_view name) const {
    for (const IndicatorConfig& ind : indicators_)
      if (ind.name == name) return &ind;
    return nullptr;
  }

  // Period::Parse with a one-entry cache: a file usually reports one period on every row.
  std::optional<Period> ParsePeriod(std::string_view text, Wording* why) {
    if (!period_cache_valid_ || text != period_text_) {
      period_text_.assign(text);
      period_error_ = {};
      period_value_ = ParseYearDotMonth(text, &period_error_);
      if (period_value_ && !period_value_->valid()) {
        period_value_.reset();  // refused; period_error_ says why
      } else if (!period_value_) {
        period_value_ = Period::Parse(text, &period_error_);
      }
      period_cache_valid_ = true;
    }
    if (!period_value_) *why = period_error_;
    return period_value_;
  }

  // Parses a figure of indicator ind whose unit factor is to_base. False when there is no
  // figure (missing) or it is bad (reported through fail).
  // named_unit is the unit the header (or the collector's columns, or a long table's unit
  // column) names, "" when the values are in the indicator's default unit: a cell's own 万 or
  // 亿 may then say otherwise, but not against a named unit.
  template <typename Fail>
  static bool ParseValue(std::string_view v, const IndicatorConfig& ind, double to_base,
                         std::string_view named_unit, double* out, Fail fail) {
    bool percent = false;
    std::string_view number = v;
    // 27593.1万, 1.71亿, 3.2亿元: amounts as people type them.
    static constexpr std::pair<std::string_view, std::string_view> kWritten[] = {
        {"万元", "万元"}, {"亿元", "亿元"}, {"万", "万元"}, {"亿", "亿元"}};
    for (auto [suffix, unit_name] : kWritten) {
      if (!number.ends_with(suffix)) continue;
      std::string_view digits = TrimBlanks(number.substr(0, number.size() - suffix.size()));
      double ignored;
      bool missing;
      if (!ParseFigure(digits, &ignored, &missing)) break;  // not a number with a unit
      if (ind.dimension != Dimension::kMoney) {
        fail({"an amount of money " + Quote(v) + " for " + ind.name + ", which is " +
                  DimensionName(ind.dimension),
              Quote(v) + " 是金额，而 " + ind.name + " 是" + DimensionNameZh(ind.dimension)});
        return false;
      }
      std::optional<Unit> unit = FindUnit(unit_name);
      if (!named_unit.empty() && unit && unit->to_base != to_base) {
        fail({Quote(v) + " is in " + std::string(unit_name) + ", but the column is in " +
                  std::string(named_unit) + ": write the number alone, or fix the header's unit",
              Quote(v) + " 的单位是" + std::string(unit_name) + "，而本列的单位是" +
                  std::string(named_unit) + "：请只填数字，或改正列名中的单位"});
        return false;
      }
      if (unit) to_base = unit->to_base;
      number = digits;
      break;
    }
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
      if (!missing || percent) fail({"not a number: " + Quote(v), "不是数字：" + Quote(v)});
      return false;
    }
    if (percent) {
      if (ind.dimension != Dimension::kRatio) {
        fail({"a percentage " + Quote(v) + " for " + ind.name + ", which is " +
                  DimensionName(ind.dimension),
              Quote(v) + " 是百分比，而 " + ind.name + " 是" + DimensionNameZh(ind.dimension)});
        return false;
      }
      to_base = 0.01;  // the sign in the cell says what unit it is in
    }
    if (value < 0 && ind.kind == IndicatorKind::kLevel && !ind.allow_negative) {
      fail({"negative value " + Quote(v) + " for " + ind.name + ", which cannot be negative",
            "负数 " + Quote(v) + "：" + ind.name + " 不能为负"});
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
      row.Fail(name_cell, {"indicator is empty, but the row has a value " + Quote(value),
                           "指标为空，但该行有数值 " + Quote(value)});
      return;
    }
    const LongIndicator* li = LookupLongIndicator(name);
    if (!li) {
      row.Fail(name_cell, {"unknown indicator " + Quote(name), "无法识别的指标 " + Quote(name)});
      return;
    }
    std::string_view unit = unit_cell != SIZE_MAX ? TrimBlanks(row.cells.value(unit_cell)) : "";
    size_t unit_at = unit_cell;
    if (unit.empty()) {
      unit = li->unit.empty() ? DefaultUnit(*li->indicator) : std::string_view(li->unit);
      unit_at = name_cell;
    }
    Wording why;
    std::optional<double> factor = ResolveUnit(unit, *li->indicator, &why);
    if (!factor) {
      row.Fail(unit_at, why);
      return;
    }
    double v;
    bool named = unit_at == unit_cell || !li->unit.empty();
    if (ParseValue(value, *li->indicator, *factor, named ? unit : "", &v,
                   [&](const Wording& m) { row.Fail(value_cell, m); }))
      pending_.push_back({li->indicator, value_cell, v, false});
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
  std::vector<Pending> cumulative_;
  bool period_cache_valid_ = false;
  std::string period_text_;
  Wording period_error_;
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
    errors.Add(
        0, 0, "encoding",
        {"unknown encoding " + Quote(collector.encoding) + " (auto, utf-8, gb18030)",
         "采集配置的编码 " + Quote(collector.encoding) + " 无法识别（可用 auto、utf-8、gb18030）"});
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
  const Wording bad_encoding =
      encoding == TextEncoding::kUtf8
          ? Wording{"not valid UTF-8 (set the collector's encoding if the file is GB18030)",
                    "不是有效的 UTF-8 文字（若文件是 GB18030/GBK 编码，请管理员设置采集的编码）"}
          : Wording{"not valid GB18030", "不是有效的 GB18030 文字"};

  auto report_problem = [&](const CsvProblem& problem, std::string_view field) {
    switch (problem.kind) {
      case CsvProblem::kNone:
        break;
      case CsvProblem::kInvalidUtf8:
        errors.Add(problem.where.line, problem.where.column, field, bad_encoding);
        break;
      case CsvProblem::kUnterminatedQuote:
        errors.Add(problem.where.line, problem.where.column, field,
                   {"quoted field is never closed (unterminated quote)",
                    "引号没有闭合：该字段以双引号开头，却找不到结束的双引号"});
        break;
      case CsvProblem::kTextAfterQuote:
        errors.Add(problem.where.line, problem.where.column, field,
                   {"text after the closing quote of a field", "字段的结束引号后面还有文字"});
        break;
      case CsvProblem::kRecordTooLong:
        errors.Add(problem.where.line, problem.where.column, field,
                   {"record longer than " + std::to_string(kMaxCsvRecordBytes >> 20) +
                        " MiB, probably an unterminated quote; reading stopped",
                    "一行超过 " + std::to_string(kMaxCsvRecordBytes >> 20) +
                        " MiB，多半是引号没有闭合；已停止读取"});
        break;
      case CsvProblem::kTooManyFields:
        errors.Add(problem.where.line, problem.where.column, field,
                   {"record has more than " + std::to_string(kMaxCsvFields) + " fields",
                    "一行超过 " + std::to_string(kMaxCsvFields) + " 列"});
        break;
    }
  };

  TableMapper mapper(collector, indicators, &errors);
  std::vector<Column> columns;
  std::vector<const Column*> layout;
  bool table_ok = true;
  if (!reader.Next()) {
    errors.Add(0, 0, "", {"empty input: no header line", "文件为空：没有表头行"});
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
      table_ok = TableMapper::CheckLayout(layout, [&](const Column* c, const Wording& message) {
        errors.Add(header_line, c ? c->column : 0, c ? c->header : "", message);
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
                   {"value " + Quote(reader[i]) + " in column " + std::to_string(i + 1) +
                        ", which has no header",
                    "第" + std::to_string(i + 1) + "列没有列名，却填了 " + Quote(reader[i])});
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
  Wording error = ReadJsonRows(body, [&](JsonRow& row) {
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
    error = {"rows have more than " + std::to_string(kMaxJsonMembers) + " different member names",
             "各行的字段名合计超过 " + std::to_string(kMaxJsonMembers) + " 个"};
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
      errors.Add(
          n, 0, "",
          {"row is not an object of header: value members", "该行不是 {\"列名\": 值} 形式的对象"});
      return;
    }
    if (!table_ok) return;
    if (row.too_many_members) {
      errors.Add(n, 0, "",
                 {"row has more than " + std::to_string(kMaxJsonMembers) + " members",
                  "该行超过 " + std::to_string(kMaxJsonMembers) + " 个字段"});
      return;
    }
    layout.clear();
    cells.values.clear();
    bool ok = true;
    for (JsonMember& m : row.members) {
      const Column& c = columns.find(m.name)->second;
      if (m.type) {
        errors.Add(n, 0, c.header,
                   {std::string("value must be a string or a number, not ") + m.type,
                    std::string("值应是文字或数字，而不是 ") + m.type});
        ok = false;
      }
      layout.push_back(&c);
      cells.values.push_back(std::move(m.text));
    }
    ok = TableMapper::CheckLayout(layout,
                                  [&](const Column* c, const Wording& message) {
                                    errors.Add(n, 0, c ? c->header : "", message);
                                  }) &&
         ok;
    if (!ok) return;
    if (mapper.ProcessRow(layout, cells, n, sink)) ++result->rows_accepted;
  });
  result->error_count = errors.Finish();
}

// ---- worksheets ---------------------------------------------------------------------------------

namespace {

constexpr int kMaxTitleRows = 30;

// Text with every blank removed, for matching the words of table headers and footers that
// offices space out (本 月, 合　计).
std::string Compact(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (IsAsciiSpace(s[i])) continue;
    if (s.substr(i, 3) == "\xE3\x80\x80") {
      i += 2;
      continue;
    }
    out.push_back(s[i]);
  }
  return out;
}

// 1-3月, 1—3月, 1~3月: a year-to-date range as a column heading.
bool IsMonthRange(std::string_view s) {
  if (!s.starts_with("1") || !s.ends_with("月")) return false;
  s.remove_prefix(1);
  s.remove_suffix(std::string_view("月").size());
  bool marker = false;
  for (std::string_view m : {"-", "—", "–", "~", "～", "至", "－"})
    if (s.starts_with(m)) s.remove_prefix(m.size()), marker = true;
  if (!marker || s.empty() || s.size() > 2) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// What a cell of the lower row of a two-row header means under its group.
enum class Subheader { kNone, kCurrent, kCumulative, kLastYear, kLastYearCumulative, kGrowth };

Subheader SubheaderOf(std::string_view text) {
  std::string s = Compact(text);
  for (std::string_view suffix : {"数", "值"})  // 本月数, 累计值
    if (s.size() > suffix.size() + 3 && s.ends_with(suffix)) s.resize(s.size() - suffix.size());
  static constexpr std::string_view kCurrent[] = {"本月", "当月", "本期", "本周", "当周"};
  static constexpr std::string_view kCumulative[] = {"本年累计",   "累计",       "本年",
                                                     "自年初累计", "年初至本月", "本年累计数"};
  static constexpr std::string_view kLastYear[] = {"上年同期", "去年同期", "上年同月", "同期",
                                                   "上年同周"};
  static constexpr std::string_view kLastYearCumulative[] = {"上年同期累计", "上年累计",
                                                             "去年同期累计"};
  for (auto w : kCurrent)
    if (s == w) return Subheader::kCurrent;
  for (auto w : kCumulative)
    if (s == w) return Subheader::kCumulative;
  if (IsMonthRange(s) || (s.ends_with("累计") && IsMonthRange(s.substr(0, s.size() - 6))))
    return Subheader::kCumulative;
  for (auto w : kLastYear)
    if (s == w) return Subheader::kLastYear;
  for (auto w : kLastYearCumulative)
    if (s == w) return Subheader::kLastYearCumulative;
  // Growth columns are computed from the figures; parkwatch computes its own.
  for (std::string_view w : {"增长", "增速", "增减", "同比", "比上年", "±"})
    if (s.find(w) != std::string::npos) return Subheader::kGrowth;
  return Subheader::kNone;
}

// Rows that end the table (the signatures under a statistical table) or are not enterprises.
bool IsFooter(std::string_view text) {
  std::string s = Compact(text);
  for (std::string_view w :
       {"单位负责人", "统计负责人", "负责人", "填表人", "填报人", "制表人", "审核人", "报出日期",
        "填报日期", "联系电话", "说明：", "说明:", "注：", "注:"})
    if (s.starts_with(w)) return true;
  return false;
}
bool IsTotal(std::string_view text) {
  std::string s = Compact(text);
  for (std::string_view w : {"合计", "总计", "小计", "全部合计", "总合计"})
    if (s == w) return true;
  return false;
}

// The unit a title block states for the whole table: 单位：万元, 计量单位: 万元. 填报单位：某公司
// names no unit and is passed over.
std::optional<std::pair<std::string, Unit>> TitleUnit(std::string_view text) {
  for (std::string_view label : {"单位：", "单位:"}) {
    for (size_t at = text.find(label); at != std::string_view::npos;
         at = text.find(label, at + label.size())) {
      std::string_view rest = TrimBlanks(text.substr(at + label.size()));
      size_t end = 0;
      while (end < rest.size() && !IsAsciiSpace(rest[end]) &&
             rest.substr(end, 3) != "\xE3\x80\x80" && rest[end] != ',' &&
             rest.substr(end, 3) != "，")
        ++end;
      std::string name(rest.substr(0, end));
      if (auto unit = FindUnit(name)) return std::pair(name, *unit);
    }
  }
  return std::nullopt;
}

void CellText(const SheetCell& cell, bool period_column, std::string* out) {
  out->clear();
  char buf[32];
  switch (cell.kind) {
    case SheetCell::kText:
      out->assign(cell.text);
      break;
    case SheetCell::kNumber:
      out->assign(FormatNumber(cell.number));
      break;
    case SheetCell::kBool:
      out->assign(cell.number != 0 ? "true" : "false");
      break;
    case SheetCell::kDate:
      // In the period column a date stands for its month (2026-03-01 is March 2026).
      if (period_column)
        std::snprintf(buf, sizeof buf, "%04d-%02d", cell.year, cell.month);
      else
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", cell.year, cell.month, cell.day);
      out->assign(buf);
      break;
    case SheetCell::kBlank:
    case SheetCell::kError:
    case SheetCell::kUncalculated:
      break;
  }
}

class SheetRowCells : public RowCells {
 public:
  std::vector<std::string> values;  // by column, A first
  int row = 0;
  std::string_view value(size_t i) const override {
    return i < values.size() ? std::string_view(values[i]) : std::string_view();
  }
  TextLocation where(size_t i) const override { return {row, static_cast<int>(i) + 1}; }
};

// The current row's cells as texts, by column.
void RowTexts(const SheetSource& sheet, std::vector<std::string>* out) {
  out->clear();
  for (const SheetCell& cell : sheet.cells()) {
    if (out->size() < static_cast<size_t>(cell.column))
      out->resize(static_cast<size_t>(cell.column));
    CellText(cell, false, &(*out)[static_cast<size_t>(cell.column - 1)]);
  }
}

// Reads the sheet; throws WorkbookError when it turns out unreadable part way.
void ReadSheetRows(SheetSource& sheet, const CollectorConfig& collector,
                   const std::vector<IndicatorConfig>& indicators, RecordSink* sink,
                   TableResult* result, ErrorSink& errors,
                   const std::function<void(int64_t)>& progress) {
  // The header is the first row in which at least two cells are known headers, one of them the
  // enterprise's or the period's; rows above it are the title block.
  TableResult scratch;
  ErrorSink quiet(errors.file(), &scratch.errors);
  TableMapper probe(collector, indicators, &quiet);
  auto looks_like_header = [&](const std::vector<std::string>& texts) {
    int known = 0;
    bool anchor = false;
    for (const std::string& text : texts) {
      Column c;
      if (TrimBlanks(text).empty() || !probe.Resolve(text, 0, 0, &c) ||
          c.kind == ColumnRole::kIgnore)
        continue;
      ++known;
      anchor = anchor || c.kind == ColumnRole::kCreditCode || c.kind == ColumnRole::kPeriod ||
               c.kind == ColumnRole::kName || c.kind == ColumnRole::kIndustry;
    }
    scratch.errors.clear();
    return known >= 2 && anchor;
  };

  std::vector<std::string> upper, lower;
  std::optional<std::pair<std::string, Unit>> table_unit;
  bool have = sheet.Next();
  if (!have) {
    errors.Add(0, 0, "", {"the sheet is empty: no header row", "工作表为空：没有表头行"});
    return;
  }
  int first_row = sheet.row();
  std::vector<std::string> first_texts;
  int header_row = 0;
  for (int scanned = 0; have && scanned < kMaxTitleRows; ++scanned, have = sheet.Next()) {
    RowTexts(sheet, &upper);
    if (looks_like_header(upper)) {
      header_row = sheet.row();
      break;
    }
    if (scanned == 0) first_texts = upper;
    for (const std::string& text : upper)
      if (auto unit = TitleUnit(text)) table_unit = unit;
  }
  TableMapper mapper(collector, indicators, &errors);
  if (header_row == 0) {
    // Name what the first row holds, so the unknown headers show.
    for (size_t i = 0; i < first_texts.size(); ++i) {
      Column c;
      if (!TrimBlanks(first_texts[i]).empty())
        mapper.Resolve(first_texts[i], first_row, static_cast<int>(i) + 1, &c);
    }
    errors.Add(0, 0, "",
               {"no header row in the first " + std::to_string(kMaxTitleRows) +
                    " rows: expected a row naming the columns, with 统一社会信用代码 (or "
                    "企业名称) and 报告期 among them",
                "前 " + std::to_string(kMaxTitleRows) +
                    " 行中找不到表头行：应有一行写明各列名称，其中包括 统一社会信用代码（或 "
                    "企业名称）和 报告期"});
    return;
  }

  // A second header row under the first: its cells name which figure of the group above
  // (merged across them, so only its first cell has the text) each column holds.
  have = sheet.Next();
  bool two_rows = false;
  if (have) {
    RowTexts(sheet, &lower);
    for (const std::string& text : lower)
      if (!TrimBlanks(text).empty() && SubheaderOf(text) != Subheader::kNone) two_rows = true;
    if (two_rows) have = sheet.Next();
  }
  if (!two_rows) lower.clear();

  const size_t width = std::max(upper.size(), lower.size());
  upper.resize(width);
  lower.resize(width);
  std::vector<Column> columns(width);
  bool table_ok = true;
  std::string group;
  for (size_t i = 0; i < width; ++i) {
    const int column = static_cast<int>(i) + 1;
    std::string_view top = TrimBlanks(upper[i]), bottom = TrimBlanks(lower[i]);
    Subheader sub = bottom.empty() ? Subheader::kNone : SubheaderOf(bottom);
    if (!top.empty()) group = std::string(top);
    if (sub == Subheader::kNone) group.clear();  // a plain column ends the group
    Column& c = columns[i];
    if (sub == Subheader::kGrowth) {
      c.header = (top.empty() ? group : std::string(top)) + " " + std::string(bottom);
      continue;  // kIgnore
    }
    if (sub != Subheader::kNone) {
      std::string_view name = top.empty() ? std::string_view(group) : top;
      if (!mapper.Resolve(name, header_row, column, &c)) {
        table_ok = false;
        continue;
      }
      if (c.kind != ColumnRole::kIndicator) {
        errors.Add(
            header_row + 1, column, std::string(bottom),
            {Quote(bottom) + " stands under " + Quote(name) + ", which is not an indicator",
             Quote(bottom) + " 位于 " + Quote(name) + " 之下，但 " + Quote(name) + " 不是指标"});
        table_ok = false;
        continue;
      }
      c.header = std::string(name) + " " + std::string(bottom);
      c.part = sub == Subheader::kCurrent      ? Column::Part::kCurrent
               : sub == Subheader::kCumulative ? Column::Part::kCumulative
               : sub == Subheader::kLastYear   ? Column::Part::kLastYear
                                               : Column::Part::kLastYearCumulative;
      continue;
    }
    // Merged down (the lower cell empty), or a header in the lower row alone.
    std::string text = bottom.empty() ? std::string(top)
                       : top.empty()  ? std::string(bottom)
                                      : std::string(top) + std::string(bottom);
    if (!mapper.Resolve(text, bottom.empty() || !top.empty() ? header_row : header_row + 1, column,
                        &c))
      table_ok = false;
  }
  // The title block's 单位：万元 is the unit of every column that names none.
  if (table_unit)
    for (Column& c : columns)
      if (c.kind == ColumnRole::kIndicator && !c.unit_named &&
          c.indicator->dimension == table_unit->second.dimension) {
        c.unit = table_unit->first;
        c.unit_named = true;
        c.to_base = table_unit->second.to_base;
      }
  std::vector<const Column*> layout;
  for (const Column& c : columns) layout.push_back(&c);
  if (table_ok)
    table_ok = TableMapper::CheckLayout(layout, [&](const Column* c, const Wording& message) {
      errors.Add(header_row, c ? c->column : 0, c ? c->header : "", message);
    });

  SheetRowCells cells;
  cells.values.resize(width);
  int64_t next_progress = kProgressStep;
  for (; have; have = sheet.Next()) {
    if (progress && sheet.consumed() >= next_progress) {
      progress(sheet.consumed());
      next_progress = sheet.consumed() + kProgressStep;
    }
    std::span<const SheetCell> row = sheet.cells();
    bool blank = true, total = false, footer = false;
    for (const SheetCell& cell : row) {
      if (cell.kind != SheetCell::kText) {
        blank = false;
        continue;
      }
      if (TrimBlanks(cell.text).empty()) continue;
      if (blank && IsFooter(cell.text)) footer = true;
      blank = false;
      total = total || IsTotal(cell.text);
    }
    if (footer) break;
    if (blank || total) continue;
    ++result->rows_read;
    if (!table_ok) continue;
    cells.row = sheet.row();
    for (std::string& v : cells.values) v.clear();
    bool ok = true;
    for (const SheetCell& cell : row) {
      const size_t i = static_cast<size_t>(cell.column - 1);
      if (i >= width) {
        std::string text;
        CellText(cell, false, &text);
        errors.Add(cells.row, cell.column, "",
                   {"value " + Quote(text) + " in column " + ColumnLetters(cell.column) +
                        ", which has no header",
                    ColumnLetters(cell.column) + " 列没有列名，却填了 " + Quote(text)});
        ok = false;
        break;
      }
      const Column& c = columns[i];
      if (c.kind == ColumnRole::kIgnore) continue;
      if (cell.kind == SheetCell::kError) {
        errors.Add(cells.row, cell.column, c.header,
                   {"the cell's formula has no value but the error " + cell.text,
                    "单元格公式没有算出数值，而是错误 " + cell.text});
        ok = false;
      } else if (cell.kind == SheetCell::kUncalculated) {
        errors.Add(cells.row, cell.column, c.header,
                   {"a formula whose value was never calculated (the file was written by a "
                    "program): open it in Excel or WPS and save it, so the values are stored",
                    "公式的值从未计算过（文件由程序生成）：请用 Excel 或 WPS 打开后保存一次，"
                    "让数值存入文件"});
        ok = false;
      } else {
        CellText(cell, c.kind == ColumnRole::kPeriod, &cells.values[i]);
      }
    }
    if (!ok) continue;
    if (mapper.ProcessRow(layout, cells, cells.row, sink)) ++result->rows_accepted;
  }
  if (progress) progress(sheet.consumed());
}

}  // namespace

void ReadSheetTable(SheetSource& sheet, const std::string& file_name,
                    const CollectorConfig& collector,
                    const std::vector<IndicatorConfig>& indicators, RecordSink* sink,
                    TableResult* result, const std::function<void(int64_t)>& progress) {
  ErrorSink errors(file_name, &result->errors);
  errors.set_sheet(sheet.sheet_name());
  result->encoding = "utf-8";  // a workbook's text is Unicode whatever the office's code page
  try {
    ReadSheetRows(sheet, collector, indicators, sink, result, errors, progress);
  } catch (const WorkbookError& e) {
    errors.Add(0, 0, "", e.wording());
  }
  // A workbook read sheet by sheet (sheet: all) adds each sheet's count.
  result->error_count += errors.Finish();
}

}  // namespace parkwatch
