// The built-in vocabulary of column headers: the indicators every park has and the words bureau
// spreadsheets use for the enterprise columns. Collectors' `columns` maps add to it per source.
#include <cctype>
#include <string_view>

#include "config/config.h"
#include "core/text.h"

namespace parkwatch {
namespace {

IndicatorConfig Indicator(std::string name, std::string title, IndicatorKind kind,
                          Dimension dimension, std::string default_unit,
                          std::vector<std::string> headers, bool allow_negative = false) {
  IndicatorConfig ind;
  ind.name = std::move(name);
  ind.title = std::move(title);
  ind.kind = kind;
  ind.dimension = dimension;
  ind.default_unit = std::move(default_unit);
  ind.headers = std::move(headers);
  ind.allow_negative = allow_negative;
  return ind;
}

// The form headers are compared in: ASCII letters lower-cased and '_' / '-' / runs of spaces
// folded to one space, so "Output value", "output_value" and "OUTPUT-VALUE" are one header.
// Non-ASCII text (Chinese) is compared as written.
std::string Fold(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : Trim(s)) {
    if (c == '_' || c == '-' || c == ' ' || c == '\t') {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
      continue;
    }
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// Splits "工业总产值(万元)" / "工业总产值（万元）" into name and unit. Returns false when the
// header does not end in a parenthesised suffix.
bool SplitUnitSuffix(std::string_view header, std::string_view* name, std::string_view* unit) {
  static constexpr std::string_view kOpen[] = {"(", "\xEF\xBC\x88"};   // ( and （
  static constexpr std::string_view kClose[] = {")", "\xEF\xBC\x89"};  // ) and ）
  for (auto close : kClose) {
    if (!header.ends_with(close)) continue;
    std::string_view body = header.substr(0, header.size() - close.size());
    size_t best = std::string_view::npos, best_len = 0;
    for (auto open : kOpen) {
      size_t at = body.rfind(open);
      if (at != std::string_view::npos && (best == std::string_view::npos || at > best))
        best = at, best_len = open.size();
    }
    if (best == std::string_view::npos || best == 0) return false;
    *name = Trim(body.substr(0, best));
    *unit = Trim(body.substr(best + best_len));
    return !name->empty();
  }
  return false;
}

struct BuiltIn {
  std::string_view header;
  ColumnRole::Kind kind;
};

// Headers of the enterprise and long-format columns, compared after Fold.
constexpr BuiltIn kBuiltIns[] = {
    {"统一社会信用代码", ColumnRole::kCreditCode},
    {"信用代码", ColumnRole::kCreditCode},
    {"社会信用代码", ColumnRole::kCreditCode},
    {"credit code", ColumnRole::kCreditCode},
    {"企业名称", ColumnRole::kName},
    {"单位名称", ColumnRole::kName},
    {"单位详细名称", ColumnRole::kName},
    {"name", ColumnRole::kName},
    {"enterprise", ColumnRole::kName},
    {"行业", ColumnRole::kIndustry},
    {"所属行业", ColumnRole::kIndustry},
    {"行业类别", ColumnRole::kIndustry},
    {"industry", ColumnRole::kIndustry},
    {"重点企业", ColumnRole::kKey},
    {"是否重点企业", ColumnRole::kKey},
    {"key", ColumnRole::kKey},
    {"报告期", ColumnRole::kPeriod},
    {"期别", ColumnRole::kPeriod},
    {"统计期", ColumnRole::kPeriod},
    {"时期", ColumnRole::kPeriod},
    {"period", ColumnRole::kPeriod},
    {"规上起始年份", ColumnRole::kAboveSizeSince},
    {"above size since", ColumnRole::kAboveSizeSince},
    {"规上截止年份", ColumnRole::kAboveSizeUntil},
    {"above size until", ColumnRole::kAboveSizeUntil},
    {"应报报表", ColumnRole::kExpectedReports},
    {"报送报表", ColumnRole::kExpectedReports},
    {"expected reports", ColumnRole::kExpectedReports},
    {"expected_reports", ColumnRole::kExpectedReports},
    {"指标", ColumnRole::kIndicatorName},
    {"indicator", ColumnRole::kIndicatorName},
    {"数值", ColumnRole::kValue},
    {"值", ColumnRole::kValue},
    {"value", ColumnRole::kValue},
    {"单位", ColumnRole::kUnit},
    {"计量单位", ColumnRole::kUnit},
    {"unit", ColumnRole::kUnit},
    {"备注", ColumnRole::kIgnore},
    {"序号", ColumnRole::kIgnore},
    {"remark", ColumnRole::kIgnore},
};

// Role of a header already stripped of any unit suffix, or nullopt.
std::optional<ColumnRole> Lookup(std::string_view header,
                                 const std::vector<IndicatorConfig>& indicators) {
  std::string folded = Fold(header);
  if (folded.empty()) return std::nullopt;
  for (const BuiltIn& b : kBuiltIns) {
    if (b.header == folded) {
      ColumnRole role;
      role.kind = b.kind;
      return role;
    }
  }
  for (const IndicatorConfig& ind : indicators) {
    bool match = Fold(ind.name) == folded || (!ind.title.empty() && Fold(ind.title) == folded);
    for (size_t i = 0; !match && i < ind.headers.size(); ++i)
      match = Fold(ind.headers[i]) == folded;
    if (match) {
      ColumnRole role;
      role.kind = ColumnRole::kIndicator;
      role.indicator = ind.name;
      return role;
    }
  }
  return std::nullopt;
}

}  // namespace

std::vector<IndicatorConfig> DefaultIndicators() {
  using K = IndicatorKind;
  using D = Dimension;
  std::vector<IndicatorConfig> v;
  v.push_back(Indicator("output_value", "工业总产值", K::kLevel, D::kMoney, "万元",
                        {"工业总产值", "总产值", "产值", "output_value", "output value"}));
  v.push_back(Indicator("value_added", "工业增加值", K::kLevel, D::kMoney, "万元",
                        {"工业增加值", "增加值", "value_added", "value added"}));
  v.push_back(Indicator("revenue", "营业收入", K::kLevel, D::kMoney, "万元",
                        {"营业收入", "主营业务收入", "revenue"}));
  // Profit is the one level that is routinely negative (a loss).
  v.push_back(Indicator("profit", "利润总额", K::kLevel, D::kMoney, "万元",
                        {"利润总额", "利润", "profit"}, /*allow_negative=*/true));
  v.push_back(Indicator("tax", "税金总额", K::kLevel, D::kMoney, "万元",
                        {"税金总额", "税收", "税金", "tax"}));
  v.push_back(Indicator("electricity", "用电量", K::kLevel, D::kEnergy, "万千瓦时",
                        {"用电量", "工业用电量", "electricity", "electricity use"}));
  v.push_back(Indicator("employees", "从业人员", K::kLevel, D::kCount, "人",
                        {"从业人员", "从业人员平均人数", "employees"}));
  v.push_back(Indicator("orders", "新签订单", K::kLevel, D::kMoney, "万元",
                        {"新签订单", "订单", "orders"}));
  // A growth rate as the bureau publishes it (in %, stored as a ratio); it falls as readily as it
  // rises, so negative values are normal.
  v.push_back(
      Indicator("value_added_growth", "工业增加值增速", K::kRate, D::kRatio, "%",
                {"工业增加值增速", "增加值增速", "value_added_growth", "value added growth"},
                /*allow_negative=*/true));
  // The producer price index is an index with the same period last year = 100 (98.7 means prices
  // fell 1.3%), used to deflate value added to comparable prices. It is kept as the number
  // published, in unit "1": it is not a ratio (converting it would lose the "= 100" convention
  // every analyst reads) and, like a rate, it is never summed, hence kind rate.
  v.push_back(Indicator("ppi", "工业生产者出厂价格指数", K::kRate, D::kCount, "1",
                        {"工业生产者出厂价格指数", "PPI", "ppi"}));
  return v;
}

std::optional<ColumnRole> RoleOfHeader(const std::string& header,
                                       const std::vector<IndicatorConfig>& indicators) {
  std::string_view trimmed = Trim(header);
  // The whole header first, so an indicator whose own header has parentheses still matches.
  if (auto role = Lookup(trimmed, indicators)) return role;
  std::string_view name, unit;
  if (!SplitUnitSuffix(trimmed, &name, &unit)) return std::nullopt;
  auto role = Lookup(name, indicators);
  // The suffix is a unit only for indicator columns; on others ("企业名称(全称)") it is a gloss.
  if (role && role->kind == ColumnRole::kIndicator) role->unit = std::string(unit);
  return role;
}

}  // namespace parkwatch
