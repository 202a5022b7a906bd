// The report as an Excel workbook through libxlsxwriter: one sheet per table, every number a
// number with a format (growth 0.0%, money in 万元 #,##0.00, pulls in percentage points 0.00),
// native Excel charts beside the tables they draw. libxlsxwriter 1.1.4 (Debian 12) writes only to
// a file, so the workbook goes through a temporary file.
#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "report/render.h"

namespace parkwatch {

namespace {

struct Lang {
  bool en;
  const char* operator()(const char* zh, const char* english) const { return en ? english : zh; }
};

struct Formats {
  lxw_format* title;
  lxw_format* header;
  lxw_format* text;
  lxw_format* wrap;
  lxw_format* pct;    // ratio shown as 6.2%
  lxw_format* pp;     // percentage points 0.00
  lxw_format* money;  // 万元
  lxw_format* count;
  lxw_format* bold_pct;
  lxw_format* bold_money;
  lxw_format* bold_text;
};

class Sheet {
 public:
  Sheet(lxw_workbook* wb, const Formats& f, const std::string& name)
      : ws_(workbook_add_worksheet(wb, name.c_str())), f_(f), name_(name) {}
  lxw_worksheet* ws() const { return ws_; }
  const std::string& name() const { return name_; }

  void Text(int row, int col, const std::string& s, lxw_format* format = nullptr) {
    worksheet_write_string(ws_, row, col, s.c_str(), format ? format : f_.text);
  }
  void Number(int row, int col, const std::optional<double>& v, lxw_format* format) {
    if (v)
      worksheet_write_number(ws_, row, col, *v, format);
    else
      worksheet_write_blank(ws_, row, col, format);
  }
  void Header(int row, const std::vector<std::string>& names) {
    for (size_t c = 0; c < names.size(); ++c) Text(row, static_cast<int>(c), names[c], f_.header);
  }
  // A cell range for charts: ='Sheet'!$B$3:$B$10.
  std::string Range(int first_row, int col, int last_row) const {
    char buf[64];
    std::string c(1, static_cast<char>('A' + col));
    std::snprintf(buf, sizeof buf, "$%s$%d:$%s$%d", c.c_str(), first_row + 1, c.c_str(),
                  last_row + 1);
    return "='" + name_ + "'!" + buf;
  }

 private:
  lxw_worksheet* ws_;
  const Formats& f_;
  std::string name_;
};

std::optional<double> Wan(const std::optional<double>& yuan) {
  if (yuan) return *yuan / 1e4;
  return std::nullopt;
}
std::optional<double> Points(const std::optional<double>& ratio) {
  if (ratio) return *ratio * 100;
  return std::nullopt;
}
std::optional<double> Diff(const std::optional<double>& a, const std::optional<double>& b) {
  if (a && b) return (*a - *b) * 100;  // in percentage points
  return std::nullopt;
}

void EnterpriseSheet(lxw_workbook* wb, const Formats& f, const Lang& L, const std::string& name,
                     const std::vector<EnterpriseFigures>& list, bool colour, bool declines) {
  Sheet s(wb, f, name);
  std::vector<std::string> header = {L("统一社会信用代码", "Credit code"),
                                     L("企业", "Enterprise"),
                                     L("行业", "Industry"),
                                     L("重点企业", "Key"),
                                     L("当月产值(万元)", "Output (10k yuan)"),
                                     L("当月增速", "YoY"),
                                     L("累计增速", "YTD"),
                                     L("拉动(百分点)", "Pull (pp)"),
                                     L("贡献率", "Contribution")};
  if (declines) header.push_back(L("连降月数", "Months down"));
  if (colour) header.push_back(L("预警", "Warning"));
  s.Header(0, header);
  int row = 1;
  for (const auto& e : list) {
    s.Text(row, 0, e.credit_code);
    s.Text(row, 1, e.name);
    s.Text(row, 2, e.industry);
    s.Text(row, 3, e.key ? L("是", "yes") : "");
    s.Number(row, 4, Wan(e.level), f.money);
    s.Number(row, 5, e.yoy, f.pct);
    s.Number(row, 6, e.ytd, f.pct);
    s.Number(row, 7, Points(e.pull), f.pp);
    s.Number(row, 8, e.contribution, f.pct);
    int col = 9;
    if (declines) s.Number(row, col++, e.declines, f.count);
    if (colour) {
      static const char* zh[] = {"无", "蓝", "黄", "橙", "红"};
      s.Text(
          row, col,
          L.en ? std::string(SeverityName(e.colour)) : std::string(zh[static_cast<int>(e.colour)]));
    }
    ++row;
  }
  worksheet_set_column(s.ws(), 0, 0, 22, nullptr);
  worksheet_set_column(s.ws(), 1, 1, 24, nullptr);
  worksheet_set_column(s.ws(), 2, 10, 13, nullptr);
  worksheet_freeze_panes(s.ws(), 1, 2);
}

}  // namespace

std::string MonthlyReportXlsx(const MonthlyReport& r, const std::string& lang, std::string* error) {
  const Lang L{lang == "en"};
  char pattern[] = "/tmp/parkwatch-report-XXXXXX";
  int fd = mkstemp(pattern);
  if (fd < 0) {
    *error = "cannot create a temporary file for the workbook";
    return "";
  }
  ::close(fd);
  std::string path = std::string(pattern);
  lxw_workbook_options options = {};
  options.constant_memory = LXW_FALSE;
  options.tmpdir = const_cast<char*>("/tmp");
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
  if (!wb) {
    *error = "libxlsxwriter could not create a workbook";
    std::filesystem::remove(path);
    return "";
  }
  Formats f{};
  auto fmt = [&](const char* num, bool bold = false) {
    lxw_format* x = workbook_add_format(wb);
    if (num) format_set_num_format(x, num);
    if (bold) format_set_bold(x);
    format_set_font_name(x, "Noto Sans CJK SC");
    format_set_font_size(x, 10);
    return x;
  };
  f.title = fmt(nullptr, true);
  format_set_font_size(f.title, 14);
  f.header = fmt(nullptr, true);
  format_set_bg_color(f.header, 0x0B3D91);
  format_set_font_color(f.header, LXW_COLOR_WHITE);
  format_set_align(f.header, LXW_ALIGN_CENTER);
  format_set_text_wrap(f.header);
  f.text = fmt(nullptr);
  f.wrap = fmt(nullptr);
  format_set_text_wrap(f.wrap);
  format_set_align(f.wrap, LXW_ALIGN_VERTICAL_TOP);
  f.pct = fmt("0.0%");
  f.pp = fmt("0.00");
  f.money = fmt("#,##0.00");
  f.count = fmt("0");
  f.bold_pct = fmt("0.0%", true);
  f.bold_money = fmt("#,##0.00", true);
  f.bold_text = fmt(nullptr, true);

  std::string month = MonthWords(r.period, lang), ytd = YtdWords(r.period, lang);
  // Overview: title, headline, park table.
  {
    Sheet s(wb, f, L("概览", "Overview"));
    s.Text(0, 0,
           r.park_name + " " + month + L("规模以上工业经济运行分析", " monthly analysis") +
               (r.edition > 1 ? std::string(L("（修订版第", " (revised edition ")) +
                                    std::to_string(r.edition) + L("版）", ")")
                              : ""),
           f.title);
    worksheet_merge_range(s.ws(), 2, 0, 2, 8, Headline(r, lang).c_str(), f.wrap);
    worksheet_set_row(s.ws(), 2, 150, nullptr);
    s.Text(4, 0, L("已报企业", "Reported"));
    s.Number(4, 1, r.reported, f.count);
    s.Text(4, 2, L("应报企业", "Expected"));
    s.Number(4, 3, r.expected, f.count);
    if (r.ok) {
      s.Header(6, {L("指标", "Indicator"), L("当月(万元)", "Month (10k yuan)"),
                   L("当月增速", "YoY"), ytd + L("(万元)", " (10k yuan)"), L("累计增速", "YTD"),
                   L("比上月累计(百分点)", "vs prior YTD (pp)"),
                   L("比上年同期(百分点)", "vs last year (pp)"), L("年度目标", "Target"),
                   L("与目标差(百分点)", "vs target (pp)")});
      int row = 7;
      for (const auto& sec : r.sections) {
        s.Text(row, 0, sec.title + (sec.comparable ? L("（可比价）", " (comparable)") : ""));
        s.Number(row, 1, Wan(sec.park.level), f.money);
        s.Number(row, 2, sec.park.yoy, f.pct);
        s.Number(row, 3, Wan(sec.park.ytd_level), f.money);
        s.Number(row, 4, sec.park.ytd, f.pct);
        s.Number(row, 5, Diff(sec.park.ytd, sec.park.ytd_previous), f.pp);
        s.Number(row, 6, Diff(sec.park.ytd, sec.park.ytd_last_year), f.pp);
        s.Number(row, 7, sec.park.target, f.pct);
        s.Number(row, 8, Diff(sec.park.ytd, sec.park.target), f.pp);
        ++row;
      }
    } else {
      s.Text(6, 0, r.message);
    }
    worksheet_set_column(s.ws(), 0, 0, 26, nullptr);
    worksheet_set_column(s.ws(), 1, 8, 15, nullptr);
  }

  if (r.ok) {
    // One sheet per indicator's industry table, with a pull chart.
    for (const auto& sec : r.sections) {
      Sheet s(wb, f,
              std::string(L("分行业-", "Industries-")) +
                  (sec.indicator == "value_added" ? L("增加值", "VA") : L("产值", "Output")));
      s.Header(0, {L("行业", "Industry"), ytd + L("(万元)", " (10k yuan)"), L("占比", "Share"),
                   L("当月增速", "YoY"), L("累计增速", "YTD"),
                   L("比上月累计(百分点)", "vs prior YTD (pp)"), L("变动", "Movement"),
                   L("当月拉动(百分点)", "Pull (pp)"), L("累计拉动(百分点)", "YTD pull (pp)"),
                   L("当月贡献率", "Contribution"), L("累计贡献率", "YTD contribution"),
                   L("年度目标", "Target")});
      s.Text(1, 0, L("园区合计", "Park"), f.bold_text);
      s.Number(1, 1, Wan(sec.park.ytd_level), f.bold_money);
      s.Number(1, 2, 1.0, f.bold_pct);
      s.Number(1, 3, sec.park.yoy, f.bold_pct);
      s.Number(1, 4, sec.park.ytd, f.bold_pct);
      s.Number(1, 5, Diff(sec.park.ytd, sec.park.ytd_previous), f.pp);
      s.Number(1, 11, sec.park.target, f.pct);
      int row = 2;
      for (const auto& ind : sec.industries) {
        s.Text(row, 0, ind.name);
        s.Number(row, 1, Wan(ind.growth.ytd_level), f.money);
        s.Number(row, 2, ind.share, f.pct);
        s.Number(row, 3, ind.growth.yoy, f.pct);
        s.Number(row, 4, ind.growth.ytd, f.pct);
        s.Number(row, 5, Diff(ind.growth.ytd, ind.growth.ytd_previous), f.pp);
        s.Text(row, 6, L.en ? MovementNameEn(ind.movement) : MovementNameZh(ind.movement));
        s.Number(row, 7, Points(ind.pull), f.pp);
        s.Number(row, 8, Points(ind.ytd_pull), f.pp);
        s.Number(row, 9, ind.contribution, f.pct);
        s.Number(row, 10, ind.ytd_contribution, f.pct);
        s.Number(row, 11, ind.growth.target, f.pct);
        ++row;
      }
      worksheet_set_column(s.ws(), 0, 0, 14, nullptr);
      worksheet_set_column(s.ws(), 1, 11, 13, nullptr);
      if (row > 2) {
        lxw_chart* chart = workbook_add_chart(wb, LXW_CHART_BAR);
        lxw_chart_series* series =
            chart_add_series(chart, s.Range(2, 0, row - 1).c_str(), s.Range(2, 8, row - 1).c_str());
        chart_series_set_name(series, L("累计拉动(百分点)", "YTD pull (pp)"));
        chart_title_set_name(
            chart,
            (sec.title + L("：各行业累计拉动（百分点）", ": YTD pull by industry (pp)")).c_str());
        chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
        lxw_chart_options place = {};
        place.x_scale = 1.4;
        worksheet_insert_chart_opt(s.ws(), row + 2, 0, chart, &place);
      }
    }

    // 增长面.
    {
      Sheet s(wb, f, L("增长面", "Breadth"));
      const Breadth& b = r.breadth;
      s.Header(0, {"", L("合计", "Total"), L("增长", "Growing"), L("增长面", "Share growing")});
      s.Text(1, 0, L("行业", "Industries"));
      s.Number(1, 1, b.industries, f.count);
      s.Number(1, 2, b.industries_growing, f.count);
      s.Number(1, 3,
               b.industries ? std::optional<double>(double(b.industries_growing) / b.industries)
                            : std::nullopt,
               f.pct);
      s.Text(2, 0, L("企业", "Enterprises"));
      s.Number(2, 1, b.enterprises, f.count);
      s.Number(2, 2, b.enterprises_growing, f.count);
      s.Number(2, 3,
               b.enterprises ? std::optional<double>(double(b.enterprises_growing) / b.enterprises)
                             : std::nullopt,
               f.pct);
      s.Header(4, {L("行业累计增速变动", "Movement of industries' YTD growth"),
                   L("行业数", "Industries")});
      int row = 5;
      for (int m = 1; m < 8; ++m) {
        s.Text(row, 0,
               L.en ? MovementNameEn(static_cast<Movement>(m))
                    : MovementNameZh(static_cast<Movement>(m)));
        s.Number(row, 1, b.movement[m], f.count);
        ++row;
      }
      worksheet_set_column(s.ws(), 0, 0, 26, nullptr);
      worksheet_set_column(s.ws(), 1, 3, 12, nullptr);
    }

    EnterpriseSheet(wb, f, L, L("拉动前十", "Top pulls"), r.top, false, false);
    EnterpriseSheet(wb, f, L, L("下拉前十", "Bottom pulls"), r.bottom, false, false);
    EnterpriseSheet(wb, f, L, L("重点企业", "Key enterprises"), r.key, true, false);
    EnterpriseSheet(wb, f, L, L("连续下降", "Declining"), r.declining, true, true);

    // The month's alerts.
    {
      Sheet s(wb, f, L("预警", "Alerts"));
      s.Header(0, {L("事件", "Event"), L("红", "red"), L("橙", "orange"), L("黄", "yellow"),
                   L("蓝", "blue")});
      const char* kinds[3][2] = {{"新发", "new"}, {"升级", "escalated"}, {"解除", "resolved"}};
      for (int k = 0; k < 3; ++k) {
        s.Text(k + 1, 0, L(kinds[k][0], kinds[k][1]));
        for (int c = 0; c < 4; ++c) s.Number(k + 1, c + 1, r.alert_counts[k][4 - c], f.count);
      }
      s.Header(5, {L("事件", "Event"), L("级别", "Level"), L("对象", "Subject"), L("规则", "Rule"),
                   L("期别", "Period"), L("说明", "Summary")});
      int row = 6;
      for (const auto& a : r.alerts) {
        int k = a.kind == "firing" ? 0 : a.kind == "escalated" ? 1 : 2;
        s.Text(row, 0, L(kinds[k][0], kinds[k][1]));
        s.Text(row, 1,
               std::string(L.en ? SeverityName(a.severity) : SeverityChineseName(a.severity)));
        s.Text(row, 2, a.subject);
        s.Text(row, 3, a.rule);
        s.Text(row, 4, a.period);
        s.Text(row, 5, a.summary);
        ++row;
      }
      worksheet_set_column(s.ws(), 0, 4, 12, nullptr);
      worksheet_set_column(s.ws(), 2, 3, 24, nullptr);
      worksheet_set_column(s.ws(), 5, 5, 60, nullptr);
    }

    // Missing reports.
    {
      Sheet s(wb, f, L("未报企业", "Not reported"));
      s.Header(0, {L("统一社会信用代码", "Credit code"), L("企业", "Enterprise"),
                   L("行业", "Industry"), L("重点企业", "Key"), L("最近上报", "Last reported")});
      int row = 1;
      for (const auto& m : r.missing) {
        s.Text(row, 0, m.credit_code);
        s.Text(row, 1, m.name);
        s.Text(row, 2, m.industry);
        s.Text(row, 3, m.key ? L("是", "yes") : "");
        s.Text(row, 4, m.last_reported);
        ++row;
      }
      worksheet_set_column(s.ws(), 0, 0, 22, nullptr);
      worksheet_set_column(s.ws(), 1, 1, 24, nullptr);
      worksheet_set_column(s.ws(), 2, 4, 14, nullptr);
    }

    // 24 months of value added growth, park and industries, with line charts.
    {
      Sheet s(wb, f, L("增速走势", "History"));
      const IndicatorSection& va = r.sections[0];
      std::vector<std::string> header = {L("期别", "Period"), L("园区当月", "Park month"),
                                         L("园区累计", "Park YTD")};
      for (const auto& ind : va.industries) {
        header.push_back(ind.name + L("当月", " month"));
        header.push_back(ind.name + L("累计", " YTD"));
      }
      s.Header(0, header);
      int row = 1;
      for (const auto& h : r.history) {
        s.Text(row, 0, MonthWords(h.period, lang));
        for (size_t i = 0; i < h.yoy.size(); ++i) {
          s.Number(row, static_cast<int>(1 + 2 * i), h.yoy[i], f.pct);
          s.Number(row, static_cast<int>(2 + 2 * i), h.ytd[i], f.pct);
        }
        ++row;
      }
      worksheet_set_column(s.ws(), 0, 0, 14, nullptr);
      worksheet_set_column(s.ws(), 1, static_cast<int>(header.size()), 11, nullptr);
      if (row > 1) {
        for (int which = 0; which < 2; ++which) {
          lxw_chart* chart = workbook_add_chart(wb, LXW_CHART_LINE);
          for (size_t i = 0; i <= va.industries.size(); ++i) {
            lxw_chart_series* series =
                chart_add_series(chart, s.Range(1, 0, row - 1).c_str(),
                                 s.Range(1, static_cast<int>(1 + 2 * i + which), row - 1).c_str());
            chart_series_set_name(series, header[1 + 2 * i + which].c_str());
          }
          chart_title_set_name(chart, which ? L("工业增加值累计增速", "Value added growth, YTD")
                                            : L("工业增加值当月增速", "Value added growth, month"));
          chart_axis_set_num_format(chart->y_axis, "0%");
          lxw_chart_options place = {};
          place.x_scale = 1.8;
          place.y_scale = 1.3;
          worksheet_insert_chart_opt(s.ws(), row + 2 + which * 22, 0, chart, &place);
        }
      }
    }
  }

  {
    Sheet s(wb, f, L("说明", "Notes"));
    int row = 0;
    for (const auto& n : r.notes) s.Text(row++, 0, n);
    for (const auto& c : r.revisions) s.Text(row++, 0, std::string(L("修订：", "Revised: ")) + c);
    worksheet_set_column(s.ws(), 0, 0, 120, nullptr);
  }

  lxw_error status = workbook_close(wb);
  if (status != LXW_NO_ERROR) {
    *error = std::string("libxlsxwriter: ") + lxw_strerror(status);
    std::filesystem::remove(path);
    return "";
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  std::filesystem::remove(path);
  return bytes.str();
}

}  // namespace parkwatch
