// The report as one self-contained HTML page: inline CSS and SVG, nothing loaded from anywhere
// (park intranets have no internet); the CJK font is the system's Noto Sans CJK (Debian
// fonts-noto-cjk). Laid out for A4 when printed (the PDF is this page printed by chromium).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "core/number_text.h"
#include "core/text.h"
#include "report/render.h"
#include "rules/measures.h"

namespace parkwatch {

namespace {

struct Lang {
  bool en;
  const char* operator()(const char* zh, const char* english) const { return en ? english : zh; }
};

// A table cell for a ratio as a percentage with one decimal; negative values marked.
std::string PctCell(const std::optional<double>& v) {
  if (!v) return "<td class=na>—</td>";
  std::string text = Fixed(*v * 100, 1);
  return std::string("<td") + (text[0] == '-' ? " class=neg" : "") + ">" + text + "</td>";
}
// Percentage points from a difference of ratios (pulls: two decimals, they are small).
std::string PpCell(const std::optional<double>& v, int decimals = 1) {
  if (!v) return "<td class=na>—</td>";
  std::string text = Fixed(*v * 100, decimals);
  return std::string("<td") + (text[0] == '-' ? " class=neg" : "") + ">" + text + "</td>";
}
std::string WanCell(const std::optional<double>& yuan) {
  if (!yuan) return "<td class=na>—</td>";
  return "<td>" + Grouped(*yuan / 1e4) + "</td>";
}
std::optional<double> Diff(const std::optional<double>& a, const std::optional<double>& b) {
  if (a && b) return *a - *b;
  return std::nullopt;
}

const char* ColourCss(Severity s) {
  switch (s) {
    case Severity::kBlue:
      return "#1f6fd1";
    case Severity::kYellow:
      return "#e0b000";
    case Severity::kOrange:
      return "#ec7a08";
    case Severity::kRed:
      return "#d0021b";
    case Severity::kNone:
      break;
  }
  return "#9aa5b1";
}

std::string ColourDot(Severity s, const Lang& L) {
  if (s == Severity::kNone) return std::string("<span class=muted>") + L("无", "none") + "</span>";
  static const char* zh[] = {"", "蓝色", "黄色", "橙色", "红色"};
  static const char* en[] = {"", "blue", "yellow", "orange", "red"};
  int i = static_cast<int>(s);
  return std::string("<span class=dot style=\"background:") + ColourCss(s) + "\"></span>" +
         (L.en ? en[i] : zh[i]);
}

const char* kSeriesColours[] = {"#0b3d91", "#d35400", "#16a085", "#8e44ad", "#c0392b",
                                "#2c3e50", "#7f8c8d", "#27ae60", "#f39c12", "#34495e"};

std::string MonthTick(Period p) {
  if (p.is_jan_feb()) return std::to_string(p.year() % 100) + "/1-2";
  return std::to_string(p.year() % 100) + "/" + std::to_string(p.first_month());
}

// A line chart of growth rates (percent) over the history, with a zero line; bars for the first
// series when bars is set (the month's growth under the cumulative line).
struct Series {
  std::string name;
  std::vector<std::optional<double>> values;  // ratios
  bool bars = false;
  bool dashed = false;
  const char* colour;
};

std::string LineChart(const std::vector<Period>& periods, const std::vector<Series>& series,
                      int width, int height, const std::string& title) {
  const int left = 42, right = 10, top = 26, bottom = 40;
  const int w = width - left - right, h = height - top - bottom;
  double lo = 0, hi = 0;
  for (const auto& s : series)
    for (const auto& v : s.values)
      if (v) lo = std::min(lo, *v * 100), hi = std::max(hi, *v * 100);
  // A round scale: steps of 2, 5, 10 or 20 points.
  double span = std::max(hi - lo, 1.0);
  double step = span <= 8 ? 2 : span <= 20 ? 5 : span <= 40 ? 10 : 20;
  lo = std::floor(lo / step) * step;
  hi = std::ceil(hi / step) * step;
  if (hi == lo) hi = lo + step;
  const size_t n = std::max<size_t>(periods.size(), 1);
  auto x = [&](size_t i) { return left + (i + 0.5) * w / n; };
  auto y = [&](double pct) { return top + (hi - pct) / (hi - lo) * h; };
  std::string svg = "<svg class=chart viewBox=\"0 0 " + std::to_string(width) + " " +
                    std::to_string(height) + "\">";
  svg +=
      "<text x=\"" + std::to_string(left) + "\" y=\"16\" class=ct>" + HtmlEscape(title) + "</text>";
  for (double v = lo; v <= hi + 1e-9; v += step) {
    std::string yy = Fixed(y(v), 1);
    svg += "<line x1=\"" + std::to_string(left) + "\" x2=\"" + std::to_string(left + w) +
           "\" y1=\"" + yy + "\" y2=\"" + yy + "\" class=" + (v == 0 ? "zero" : "grid") + " />";
    svg += "<text x=\"" + std::to_string(left - 4) + "\" y=\"" + Fixed(y(v) + 3.5, 1) +
           "\" class=ya>" + Fixed(v, 0) + "%</text>";
  }
  for (size_t i = 0; i < periods.size(); ++i)
    if (i % 3 == (periods.size() - 1) % 3)
      svg += "<text x=\"" + Fixed(x(i), 1) + "\" y=\"" + std::to_string(top + h + 14) +
             "\" class=xa>" + MonthTick(periods[i]) + "</text>";
  for (const auto& s : series) {
    if (s.bars) {
      double bw = std::max(2.0, 0.6 * w / n);
      for (size_t i = 0; i < s.values.size(); ++i) {
        if (!s.values[i]) continue;
        double v = *s.values[i] * 100;
        double y0 = y(0), y1 = y(v);
        svg += "<rect x=\"" + Fixed(x(i) - bw / 2, 1) + "\" y=\"" + Fixed(std::min(y0, y1), 1) +
               "\" width=\"" + Fixed(bw, 1) + "\" height=\"" + Fixed(std::fabs(y1 - y0), 1) +
               "\" fill=\"" + s.colour + "\" opacity=\"0.35\" />";
      }
      continue;
    }
    std::string path;
    bool pen = false;
    for (size_t i = 0; i < s.values.size(); ++i) {
      if (!s.values[i]) {
        pen = false;
        continue;
      }
      path += (pen ? "L" : "M") + Fixed(x(i), 1) + " " + Fixed(y(*s.values[i] * 100), 1) + " ";
      pen = true;
    }
    svg += "<path d=\"" + path + "\" fill=\"none\" stroke=\"" + s.colour + "\" stroke-width=\"" +
           (s.dashed ? "1.4" : "2") + "\"" + (s.dashed ? " stroke-dasharray=\"4 3\"" : "") + " />";
  }
  // Legend along the bottom.
  double lx = left;
  for (const auto& s : series) {
    std::string ly = std::to_string(height - 8);
    if (s.bars)
      svg += "<rect x=\"" + Fixed(lx, 1) + "\" y=\"" + std::to_string(height - 16) +
             "\" width=\"12\" height=\"9\" fill=\"" + s.colour + "\" opacity=\"0.35\" />";
    else
      svg += "<line x1=\"" + Fixed(lx, 1) + "\" x2=\"" + Fixed(lx + 14, 1) + "\" y1=\"" +
             std::to_string(height - 12) + "\" y2=\"" + std::to_string(height - 12) +
             "\" stroke=\"" + s.colour + "\" stroke-width=\"2\"" +
             (s.dashed ? " stroke-dasharray=\"4 3\"" : "") + " />";
    svg += "<text x=\"" + Fixed(lx + 18, 1) + "\" y=\"" + ly + "\" class=lg>" + HtmlEscape(s.name) +
           "</text>";
    lx += 30 + 7.5 * static_cast<double>(s.name.size()) * 0.75;
  }
  return svg + "</svg>";
}

// Horizontal bars (values in the unit given, e.g. percentage points), labelled.
// Rough width of a label at 10px: CJK characters are square, Latin ones about half.
int LabelWidth(const std::string& s) {
  int w = 0;
  for (unsigned char c : s)
    if (c < 0x80)
      w += 6;
    else if (c >= 0xE0)
      w += 10;  // the lead byte of a three-byte (CJK) character
  return w;
}

std::string BarChart(const std::vector<std::pair<std::string, double>>& bars, int width,
                     const std::string& title, const std::string& unit, int decimals = 2) {
  int label_w = 60;
  for (const auto& b : bars) label_w = std::max(label_w, LabelWidth(b.first) + 14);
  const int top = 26, row = 22, right = 60;
  const int height = top + row * static_cast<int>(bars.size()) + 10;
  double lo = 0, hi = 0;
  for (const auto& b : bars) lo = std::min(lo, b.second), hi = std::max(hi, b.second);
  if (hi == lo) hi = lo + 1;
  const double w = width - label_w - right - 10;
  auto x = [&](double v) { return label_w + (v - lo) / (hi - lo) * w; };
  std::string svg = "<svg class=chart viewBox=\"0 0 " + std::to_string(width) + " " +
                    std::to_string(height) + "\">";
  svg += "<text x=\"4\" y=\"16\" class=ct>" + HtmlEscape(title) + "</text>";
  for (size_t i = 0; i < bars.size(); ++i) {
    double yy = top + row * static_cast<double>(i);
    double x0 = x(0), x1 = x(bars[i].second);
    svg += "<text x=\"" + std::to_string(label_w - 6) + "\" y=\"" + Fixed(yy + 14, 1) +
           "\" class=bl>" + HtmlEscape(bars[i].first) + "</text>";
    svg += "<rect x=\"" + Fixed(std::min(x0, x1), 1) + "\" y=\"" + Fixed(yy + 3, 1) +
           "\" width=\"" + Fixed(std::max(std::fabs(x1 - x0), 1.0), 1) +
           "\" height=\"15\" fill=\"" + (bars[i].second < 0 ? "#c0392b" : "#0b3d91") + "\" />";
    double tx = bars[i].second < 0 ? std::min(x0, x1) - 4 : std::max(x0, x1) + 4;
    // Negative labels left of their bar would cross the axis labels: keep them right of zero.
    if (bars[i].second < 0) tx = x0 + 4;
    svg += "<text x=\"" + Fixed(tx, 1) + "\" y=\"" + Fixed(yy + 14, 1) + "\" class=bv>" +
           Fixed(bars[i].second, decimals) + unit + "</text>";
  }
  svg += "<line x1=\"" + Fixed(x(0), 1) + "\" x2=\"" + Fixed(x(0), 1) + "\" y1=\"" +
         std::to_string(top) + "\" y2=\"" + std::to_string(height - 8) + "\" class=zero />";
  return svg + "</svg>";
}

const char* kStyle = R"css(
@page { size: A4; margin: 14mm 13mm 16mm 13mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", sans-serif;
  color: #1c2430; margin: 0 auto; max-width: 190mm; font-size: 10.5pt; line-height: 1.55;
  padding: 8mm 0; background: #fff; }
h1 { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 20pt; margin: 0;
  letter-spacing: 0.04em; color: #0b2a5b; }
h2 { font-size: 12.5pt; margin: 18px 0 6px; color: #0b2a5b; border-left: 4px solid #0b3d91;
  padding-left: 8px; break-after: avoid; }
.sub { color: #5a6676; font-size: 9.5pt; margin-top: 2px; }
.masthead { border-bottom: 2px solid #0b3d91; padding-bottom: 8px; margin-bottom: 12px; }
.revised { display: inline-block; background: #d0021b; color: #fff; padding: 0 8px;
  border-radius: 3px; font-size: 9pt; margin-left: 6px; }
.headline { background: #f3f6fb; border: 1px solid #d6deeb; border-radius: 4px;
  padding: 10px 14px; text-indent: 2em; text-align: justify; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 8px; margin: 12px 0; }
.card { border: 1px solid #d6deeb; border-radius: 4px; padding: 7px 10px; }
.card .k { font-size: 8.5pt; color: #5a6676; }
.card .v { font-size: 17pt; font-weight: 700; color: #0b2a5b; line-height: 1.2; }
.card .v.neg { color: #c0392b; }
.card .d { font-size: 8.5pt; color: #5a6676; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; margin: 4px 0 6px;
  break-inside: auto; }
th { background: #0b3d91; color: #fff; font-weight: 500; padding: 4px 5px; text-align: center; }
td { border-bottom: 1px solid #e3e8ef; padding: 3px 5px; text-align: right;
  font-variant-numeric: tabular-nums; }
td.l { text-align: left; }
tr { break-inside: avoid; }
tr.total td { font-weight: 700; background: #f3f6fb; }
td.neg { color: #c0392b; }
td.na, .muted { color: #9aa5b1; }
.unit { float: right; font-size: 8.5pt; color: #5a6676; font-weight: normal; }
.dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 4px;
  vertical-align: baseline; }
svg.chart { width: 100%; height: auto; display: block; margin: 4px 0; }
svg text { font-family: "Noto Sans CJK SC", sans-serif; fill: #1c2430; }
.ct { font-size: 12px; font-weight: 700; fill: #0b2a5b; }
.ya { font-size: 9px; text-anchor: end; fill: #5a6676; }
.xa { font-size: 9px; text-anchor: middle; fill: #5a6676; }
.lg { font-size: 10px; }
.bl { font-size: 10px; text-anchor: end; }
.bv { font-size: 9.5px; fill: #1c2430; }
line.grid { stroke: #e3e8ef; stroke-width: 1; }
line.zero { stroke: #5a6676; stroke-width: 1; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 6px 14px; }
.notes { font-size: 9pt; color: #3d4856; padding-left: 1.4em; }
.breadth { display: flex; gap: 18px; flex-wrap: wrap; margin: 4px 0; }
.breadth b { color: #0b2a5b; }
.avoid { break-inside: avoid; }
.footer { margin-top: 16px; font-size: 8.5pt; color: #9aa5b1; text-align: right; }
)css";

// The indicator's name for the page: the config's title in Chinese, English names otherwise.
std::string Title(const IndicatorSection& s, const Lang& L) {
  if (!L.en) return s.title;
  if (s.indicator == "value_added") return "Value added";
  if (s.indicator == "output_value") return "Output value";
  return s.indicator;
}

std::string Card(const std::string& label, const std::optional<double>& ratio,
                 const std::string& detail) {
  std::string value = ratio ? Fixed(*ratio * 100, 1) + "%" : "—";
  bool neg = ratio && value[0] == '-';
  return "<div class=card><div class=k>" + HtmlEscape(label) + "</div><div class=\"v" +
         (neg ? " neg" : "") + "\">" + value + "</div><div class=d>" + detail + "</div></div>";
}

std::string EnterpriseTable(const std::vector<EnterpriseFigures>& list, const Lang& L,
                            bool with_colour, bool with_declines) {
  std::string h = "<table><tr><th>";
  h += L("序号", "#");
  h += "</th><th>";
  h += L("企业", "Enterprise");
  h += "</th><th>";
  h += L("行业", "Industry");
  h += "</th><th>";
  h += L("当月产值(万元)", "Output (10k yuan)");
  h += "</th><th>";
  h += L("当月增速(%)", "YoY (%)");
  h += "</th><th>";
  h += L("累计增速(%)", "YTD (%)");
  h += "</th><th>";
  h += L("拉动(百分点)", "Pull (pp)");
  h += "</th>";
  if (with_declines) h += std::string("<th>") + L("连降月数", "Months down") + "</th>";
  if (with_colour) h += std::string("<th>") + L("预警", "Warning") + "</th>";
  h += "</tr>";
  int i = 0;
  for (const auto& f : list) {
    h += "<tr><td>" + std::to_string(++i) + "</td><td class=l>" + HtmlEscape(f.name) +
         (f.key && !with_colour ? L(" ★", " ★") : "") + "</td><td class=l>" +
         HtmlEscape(f.industry) + "</td>" + WanCell(f.level) + PctCell(f.yoy) + PctCell(f.ytd) +
         PpCell(f.pull, 2);
    if (with_declines) h += "<td>" + std::to_string(f.declines) + "</td>";
    if (with_colour) h += "<td class=l>" + ColourDot(f.colour, L) + "</td>";
    h += "</tr>";
  }
  if (list.empty())
    h += std::string("<tr><td class=\"l muted\" colspan=9>") + L("无", "none") + "</td></tr>";
  return h + "</table>";
}

}  // namespace

std::string MonthlyReportHtml(const MonthlyReport& r, const std::string& lang) {
  const Lang L{lang == "en"};
  std::string month = MonthWords(r.period, lang);
  std::string ytd = YtdWords(r.period, lang);
  std::string title = r.park_name + (L.en ? " " : "") + month +
                      L("工业经济运行分析", " industrial economy: monthly analysis");
  std::string h = "<!DOCTYPE html><html lang=\"" + std::string(L("zh-CN", "en")) +
                  "\"><head><meta charset=\"utf-8\"><meta name=viewport "
                  "content=\"width=device-width, initial-scale=1\"><title>" +
                  HtmlEscape(title) + "</title><style>" + kStyle + "</style></head><body>";
  char generated[64] = "";
  if (r.generated_at) {
    time_t t = static_cast<time_t>(r.generated_at + 8 * 3600);  // China Standard Time
    std::tm tm;
    gmtime_r(&t, &tm);
    std::strftime(generated, sizeof generated, "%Y-%m-%d %H:%M", &tm);
  }
  h += "<div class=masthead><h1>" +
       HtmlEscape(r.park_name.empty() ? std::string(L("园区", "Park")) : r.park_name) +
       "</h1><div style=\"font-size:15pt;font-weight:700;margin-top:2px\">" + HtmlEscape(month) +
       L("规模以上工业经济运行分析", " — above-size industry, monthly analysis");
  if (r.edition > 1)
    h += "<span class=revised>" + std::string(L("修订版 第", "revised edition ")) +
         std::to_string(r.edition) + L("版", "") + "</span>";
  h += "</div><div class=sub>" + std::string(L("经济运行局 · 生成于 ", "Generated ")) + generated +
       L("（北京时间） · 数据截至报告生成时", " (CST) · figures as stored at generation") +
       "</div></div>";

  if (!r.ok) {
    h += "<div class=headline>" + HtmlEscape(r.message) + "</div></body></html>";
    return h;
  }

  // Revised edition: what changed.
  if (r.edition > 1 && !r.revisions.empty()) {
    h += "<h2>" + std::string(L("本版修订", "What this edition revises")) + "</h2><ul class=notes>";
    for (const auto& c : r.revisions) h += "<li>" + HtmlEscape(c) + "</li>";
    h += "</ul>";
  }

  const IndicatorSection& va = r.sections[0];
  const IndicatorSection& ov = r.sections[1];
  std::string prev_ytd =
      r.period.is_jan_feb() ? "" : YtdWords(PreviousPeriod(r.period, true), lang);
  auto delta_text = [&](const std::optional<double>& now, const std::optional<double>& before,
                        const std::string& against) -> std::string {
    if (!now || !before) return "&nbsp;";
    return HtmlEscape((L.en ? PointsWords(*now - *before, lang) + " on " + against
                            : "比" + against + PointsWords(*now - *before, lang)));
  };
  h += "<div class=cards>";
  h += Card(ytd + L("增加值增速", " value added"), va.park.ytd,
            delta_text(va.park.ytd, va.park.ytd_previous, prev_ytd));
  h += Card(std::to_string(r.period.last_month()) + L("月当月增加值增速", " value added, month"),
            va.park.yoy,
            va.park.target ? HtmlEscape(std::string(L("年度目标 ", "annual target ")) +
                                        Fixed(*va.park.target * 100, 1) + "%")
                           : "&nbsp;");
  h += Card(ytd + L("工业总产值增速", " output value"), ov.park.ytd,
            ov.park.ytd_level ? HtmlEscape(MoneyWords(*ov.park.ytd_level, lang)) : "&nbsp;");
  std::optional<double> breadth;
  if (r.breadth.enterprises)
    breadth = double(r.breadth.enterprises_growing) / r.breadth.enterprises;
  h += Card(L("企业增长面", "Enterprises growing"), breadth,
            std::to_string(r.breadth.industries_growing) + "/" +
                std::to_string(r.breadth.industries) + L(" 个行业增长", " industries growing"));
  h += "</div>";

  h += "<h2>" + std::string(L("总体情况", "Overview")) + "</h2><p class=headline>" +
       HtmlEscape(Headline(r, lang)) + "</p>";

  // History chart of the park.
  std::vector<Period> periods;
  for (const auto& p : r.history) periods.push_back(p.period);
  auto column = [&](bool cumulative, size_t index) {
    std::vector<std::optional<double>> v;
    for (const auto& p : r.history) v.push_back((cumulative ? p.ytd : p.yoy)[index]);
    return v;
  };
  std::string prices =
      va.comparable ? L("可比价", "comparable prices") : L("现价", "current prices");
  h += "<div class=avoid>" +
       LineChart(periods,
                 {{L("当月增速", "month"), column(false, 0), true, false, "#0b3d91"},
                  {L("累计增速", "year to date"), column(true, 0), false, false, "#0b3d91"}},
                 720, 230,
                 std::string(L("园区规上工业增加值增速（近24个月，",
                               "Park value added growth, 24 months (")) +
                     prices + L("，%）", ", %)")) +
       "</div>";

  // Park table.
  h += "<h2>" + std::string(L("主要指标", "Headline figures")) + "<span class=unit>" +
       L("单位：万元，%，百分点", "10k yuan, %, percentage points") +
       "</span></h2><table><tr><th>" + L("指标", "Indicator") + "</th><th>" + L("当月", "Month") +
       "</th><th>" + L("当月增速", "YoY") + "</th><th>" + HtmlEscape(ytd) + "</th><th>" +
       L("累计增速", "YTD") + "</th><th>" + L("比上月累计", "vs prior YTD") + "</th><th>" +
       L("比上年同期", "vs last year") + "</th><th>" + L("年度目标", "Target") + "</th><th>" +
       L("与目标差", "vs target") + "</th></tr>";
  for (const auto& s : r.sections) {
    std::string name =
        Title(s, L) + (s.comparable ? std::string(L("（可比价）", " (comparable)")) : "");
    h += "<tr><td class=l>" + HtmlEscape(name) + "</td>" + WanCell(s.park.level) +
         PctCell(s.park.yoy) + WanCell(s.park.ytd_level) + PctCell(s.park.ytd) +
         PpCell(Diff(s.park.ytd, s.park.ytd_previous)) +
         PpCell(Diff(s.park.ytd, s.park.ytd_last_year)) + PctCell(s.park.target) +
         PpCell(Diff(s.park.ytd, s.park.target)) + "</tr>";
  }
  h += "</table>";

  // Industries.
  for (const auto& s : r.sections) {
    h += "<h2>" + std::string(L("分行业", "By industry: ")) + HtmlEscape(Title(s, L)) +
         (s.comparable ? L("（增速按可比价）", " (growth at comparable prices)") : "") +
         "<span class=unit>" + L("单位：万元，%，百分点", "10k yuan, %, pp") +
         "</span></h2><table><tr><th>" + L("行业", "Industry") + "</th><th>" + HtmlEscape(ytd) +
         "</th><th>" + L("占比", "Share") + "</th><th>" + L("当月增速", "YoY") + "</th><th>" +
         L("累计增速", "YTD") + "</th><th>" + L("变动", "Movement") + "</th><th>" +
         L("累计拉动", "YTD pull") + "</th><th>" + L("贡献率", "Contribution") + "</th><th>" +
         L("目标差", "vs target") + "</th></tr>";
    h += "<tr class=total><td class=l>" + std::string(L("园区合计", "Park")) + "</td>" +
         WanCell(s.park.ytd_level) + "<td>100.0</td>" + PctCell(s.park.yoy) + PctCell(s.park.ytd) +
         "<td></td>" + PctCell(s.park.ytd) + "<td>100.0</td>" +
         PpCell(Diff(s.park.ytd, s.park.target)) + "</tr>";
    for (const auto& f : s.industries)
      h += "<tr><td class=l>" + HtmlEscape(f.name) + "</td>" + WanCell(f.growth.ytd_level) +
           PctCell(f.share) + PctCell(f.growth.yoy) + PctCell(f.growth.ytd) + "<td>" +
           (L.en ? MovementNameEn(f.movement) : MovementNameZh(f.movement)) + "</td>" +
           PpCell(f.ytd_pull, 2) + PctCell(f.ytd_contribution) +
           PpCell(Diff(f.growth.ytd, f.growth.target)) + "</tr>";
    h += "</table>";
  }

  // Pulls by industry, and the industries' histories.
  std::vector<std::pair<std::string, double>> pulls;
  for (const auto& f : va.industries)
    if (f.ytd_pull) pulls.emplace_back(f.name, *f.ytd_pull * 100);
  h += "<div class=avoid>" +
       BarChart(pulls, 720,
                ytd + L("各行业对园区增加值增速的拉动（百分点）",
                        ": pull of each industry on the park's value added growth (pp)"),
                "") +
       "</div>";
  h += "<div class=grid2>";
  for (size_t i = 0; i < va.industries.size(); ++i)
    h += "<div class=avoid>" +
         LineChart(
             periods,
             {{L("当月", "month"), column(false, i + 1), true, false, kSeriesColours[(i + 1) % 10]},
              {L("累计", "YTD"), column(true, i + 1), false, false, kSeriesColours[(i + 1) % 10]},
              {L("园区累计", "park YTD"), column(true, 0), false, true, "#9aa5b1"}},
             360, 190, va.industries[i].name + L("增加值增速（%）", " value added growth (%)")) +
         "</div>";
  h += "</div>";

  // 增长面.
  const Breadth& b = r.breadth;
  h += "<h2>" + std::string(L("增长面", "Breadth of growth")) + "</h2><div class=breadth>";
  auto pct = [](int a, int n) { return n ? Fixed(100.0 * a / n, 1) + "%" : std::string("—"); };
  h += std::string("<div>") + L("行业：", "Industries: ") + "<b>" +
       std::to_string(b.industries_growing) + "/" + std::to_string(b.industries) + "</b> " +
       L("增长，增长面 ", "growing, ") + "<b>" + pct(b.industries_growing, b.industries) +
       "</b></div>";
  h += std::string("<div>") + L("企业：", "Enterprises: ") + "<b>" +
       std::to_string(b.enterprises_growing) + "/" + std::to_string(b.enterprises) + "</b> " +
       L("增长，增长面 ", "growing, ") + "<b>" + pct(b.enterprises_growing, b.enterprises) +
       "</b></div>";
  if (!r.period.is_jan_feb()) {
    std::string moves;
    for (int m = 1; m < 8; ++m)
      if (b.movement[m])
        moves += (moves.empty() ? "" : L("，", ", ")) +
                 std::string(L.en ? MovementNameEn(static_cast<Movement>(m))
                                  : MovementNameZh(static_cast<Movement>(m))) +
                 " " + std::to_string(b.movement[m]);
    if (!moves.empty())
      h += "<div>" + HtmlEscape(std::string(L("与", "Since ")) + prev_ytd + L("相比：", ": ")) +
           HtmlEscape(moves) + "</div>";
  }
  h += "</div>";

  // Enterprises.
  h += "<h2>" + std::string(L("拉动最大的十家企业", "Ten enterprises pulling growth most")) +
       "<span class=unit>" + L("按当月工业总产值拉动", "by month's output value pull") +
       "</span></h2>" + EnterpriseTable(r.top, L, false, false);
  h += "<h2>" + std::string(L("下拉最大的十家企业", "Ten enterprises dragging growth most")) +
       "</h2>" + EnterpriseTable(r.bottom, L, false, false);
  h += "<h2>" + std::string(L("重点企业", "Key enterprises")) + "</h2>";
  std::vector<std::pair<std::string, double>> key_bars;
  for (const auto& f : r.key)
    if (f.yoy && key_bars.size() < 20) key_bars.emplace_back(f.name, *f.yoy * 100);
  if (!key_bars.empty())
    h += "<div class=avoid>" +
         BarChart(key_bars, 720,
                  std::string(L("重点企业当月工业总产值增速（%，按产值排序，前20家）",
                                "Key enterprises' output value YoY (%, largest 20)")),
                  "%", 1) +
         "</div>";
  h += EnterpriseTable(r.key, L, true, false);
  // The meeting page shows the longest runs; the workbook has every one.
  std::vector<EnterpriseFigures> declining(
      r.declining.begin(), r.declining.begin() + std::min<size_t>(r.declining.size(), 20));
  h += "<h2>" +
       std::string(L("连续3个月及以上下降的企业", "Enterprises down three months or more")) +
       "<span class=unit>" + std::to_string(r.declining.size()) + L("家", " enterprises") +
       "</span></h2>" + EnterpriseTable(declining, L, true, true);
  if (r.declining.size() > declining.size())
    h += "<p class=muted>" + std::string(L("另有 ", "and ")) +
         std::to_string(r.declining.size() - declining.size()) +
         L(" 家，见附件表格“连续下降”。", " more in the workbook (Declining).") + "</p>";

  // Alerts of the month.
  h += "<h2>" + std::string(L("本月预警", "Alerts this month")) + "</h2><table><tr><th></th>";
  const Severity colours[] = {Severity::kRed, Severity::kOrange, Severity::kYellow,
                              Severity::kBlue};
  for (Severity s : colours) h += "<th>" + ColourDot(s, L) + "</th>";
  h += "</tr>";
  const char* kinds[3][2] = {{"新发", "new"}, {"升级", "escalated"}, {"解除", "resolved"}};
  for (int k = 0; k < 3; ++k) {
    h += "<tr><td class=l>" + std::string(L(kinds[k][0], kinds[k][1])) + "</td>";
    for (Severity s : colours)
      h += "<td>" + std::to_string(r.alert_counts[k][static_cast<int>(s)]) + "</td>";
    h += "</tr>";
  }
  h += "</table>";
  if (!r.alerts.empty()) {
    h += "<table><tr><th>" + std::string(L("级别", "Level")) + "</th><th>" + L("事件", "Event") +
         "</th><th>" + L("对象", "Subject") + "</th><th>" + L("规则", "Rule") + "</th><th>" +
         L("说明", "Summary") + "</th></tr>";
    size_t shown = 0;
    for (const auto& a : r.alerts) {
      if (++shown > 30) break;
      int k = a.kind == "firing" ? 0 : a.kind == "escalated" ? 1 : 2;
      h += "<tr><td class=l>" + ColourDot(a.severity, L) + "</td><td class=l>" +
           L(kinds[k][0], kinds[k][1]) + "</td><td class=l>" + HtmlEscape(a.subject) +
           "</td><td class=l>" + HtmlEscape(a.rule) + "</td><td class=l>" + HtmlEscape(a.summary) +
           "</td></tr>";
    }
    h += "</table>";
    if (r.alerts.size() > 30)
      h += "<p class=muted>" + std::string(L("另有 ", "and ")) +
           std::to_string(r.alerts.size() - 30) + L(" 条，见附件表格。", " more in the workbook.") +
           "</p>";
  }

  // Missing reports.
  h += "<h2>" + std::string(L("未报企业", "Not reported")) + "<span class=unit>" +
       std::to_string(r.reported) + "/" + std::to_string(r.expected) + L(" 已报", " reported") +
       "</span></h2><table><tr><th>" + L("企业", "Enterprise") + "</th><th>" +
       L("行业", "Industry") + "</th><th>" + L("重点", "Key") + "</th><th>" +
       L("最近上报", "Last reported") + "</th></tr>";
  for (const auto& m : r.missing)
    h += "<tr><td class=l>" + HtmlEscape(m.name) + "</td><td class=l>" + HtmlEscape(m.industry) +
         "</td><td class=l>" + (m.key ? "★" : "") + "</td><td class=l>" +
         HtmlEscape(m.last_reported.empty() ? L("从未上报", "never") : m.last_reported) +
         "</td></tr>";
  if (r.missing.empty())
    h += std::string("<tr><td class=\"l muted\" colspan=4>") + L("全部已报", "all reported") +
         "</td></tr>";
  h += "</table>";

  h += "<h2>" + std::string(L("数据说明", "Notes on the data")) + "</h2><ul class=notes>";
  for (const auto& n : r.notes) h += "<li>" + HtmlEscape(n) + "</li>";
  h += "</ul><div class=footer>parkwatch " PARKWATCH_VERSION "</div></body></html>";
  return h;
}

}  // namespace parkwatch
