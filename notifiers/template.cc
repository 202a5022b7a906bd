#include "notifiers/template.h"

#include "core/text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>
#include <optional>
#include <sstream>

#include "core/number_text.h"
#include "core/time_text.h"
#include "core/units.h"
#include "rules/measure_words.h"

namespace parkwatch {
namespace {

struct Words {
  const char* level_suffix;  // "色预警" | " alert"
  const char* resolved;
  const char* repeat;
  const char* enterprise;
  const char* industry;
  const char* scope;
  const char* period;
  const char* value;
  const char* threshold;
  const char* at_firing;
  const char* fired_at;
  const char* resolved_at;
  const char* details;
  const char* more;  // "等 %d 条" | " and %d more"
  const char* escalated;
  const char* deescalated;
};

const Words kZh = {"色预警",   "已恢复",       "仍在持续", "企业",    "行业",     "范围",
                   "周期",     "当前值",       "阈值",     "触发时",  "触发时间", "恢复时间",
                   "查看详情", "等 %d 条预警", "预警升级", "预警降级"};
const Words kEn = {" alert",    "RESOLVED",     "still firing", "Enterprise",
                   "Industry",  "Scope",        "Period",       "Value",
                   "threshold", "at firing",    "Fired at",     "Resolved at",
                   "Details",   " and %d more", "escalated",    "de-escalated"};

const Words& WordsFor(const std::string& lang) { return lang == "en" ? kEn : kZh; }

// "红色预警" / "Red alert"; a notice without a level is just an alert.
std::string Level(Severity severity, const std::string& lang) {
  if (severity == Severity::kNone) return lang == "en" ? "Alert" : "预警";
  if (lang != "en") return std::string(SeverityChineseName(severity)) + kZh.level_suffix;
  std::string name(SeverityName(severity));
  name[0] = static_cast<char>(name[0] - 'a' + 'A');
  return name + kEn.level_suffix;
}

std::string Emoji(const AlertNotice& a) {
  if (!a.firing()) return "✅";
  switch (a.severity) {
    case Severity::kRed:
      return "🔴";
    case Severity::kOrange:
      return "🟠";
    case Severity::kYellow:
      return "🟡";
    case Severity::kBlue:
    case Severity::kNone:
      break;
  }
  return "🔵";
}

std::string Get(const Labels& m, const std::string& key) {
  auto it = m.find(key);
  return it == m.end() ? "" : it->second;
}

std::string Threshold(const AlertNotice& a) { return Get(a.annotations, "threshold"); }

std::string Headline(const AlertNotice& a, const std::string& lang) {
  const Words& w = WordsFor(lang);
  std::string h = a.firing() ? Level(a.severity, lang)
                             : std::string(w.resolved) + " " + Level(a.severity, lang);
  if (a.repeat) h += lang == "en" ? std::string(", ") + w.repeat : std::string("·") + w.repeat;
  if (a.kind == EventKind::kEscalated)
    h += lang == "en" ? std::string(", ") + w.escalated : std::string("·") + w.escalated;
  if (a.kind == EventKind::kDeescalated)
    h += lang == "en" ? std::string(", ") + w.deescalated : std::string("·") + w.deescalated;
  return h;
}

std::string Who(const AlertNotice& a) {
  std::string who = Get(a.labels, "enterprise_name");
  if (who.empty()) who = Get(a.labels, "enterprise");
  if (who.empty()) who = Get(a.labels, "industry");
  if (who.empty()) who = Get(a.labels, "scope");
  return who;
}

std::string RuleTitle(const AlertNotice& a, const std::string& lang);
std::string WhoName(const AlertNotice& a);

// Fields for user templates.
std::map<std::string, std::string> Fields(const Message& msg, const AlertNotice& a,
                                          const std::string& lang) {
  std::map<std::string, std::string> f;
  f["status"] = a.StatusName();
  f["kind"] = EventKindName(a.kind);
  f["severity"] = SeverityName(a.severity);
  f["level"] = Level(a.severity, lang);
  f["rule"] = a.rule;
  f["title"] = RuleTitle(a, lang);
  f["name"] = WhoName(a);
  f["period_name"] =
      a.period.valid() ? PeriodName(a.period, lang == "en" ? Language::kEn : Language::kZh) : "";
  f["enterprise"] = Get(a.labels, "enterprise");
  f["industry"] = Get(a.labels, "industry");
  f["scope"] = Get(a.labels, "scope");
  f["period"] = a.period.ToString();
  f["value"] = a.value ? FormatValue(*a.value) : "";
  f["threshold"] = Threshold(a);
  f["value_at_firing"] = a.value_at_firing ? FormatValue(*a.value_at_firing) : "";
  f["summary"] = Get(a.annotations, "summary");
  f["description"] = Get(a.annotations, "description");
  f["fired_at"] = a.fired_at ? FormatTime(a.fired_at) : "";
  f["at"] = a.at ? FormatTime(a.at) : "";
  f["url"] = msg.AlertUrl(a);
  f["grafana_url"] = msg.grafana_url;
  f["fingerprint"] = a.fingerprint;
  f["count"] = std::to_string(msg.alerts.size());
  for (auto& [k, v] : a.labels) f["label." + k] = v;
  for (auto& [k, v] : a.annotations) f["annotation." + k] = v;
  return f;
}

std::string Expand(const std::string& tmpl, const std::map<std::string, std::string>& fields) {
  std::string out;
  size_t i = 0;
  while (i < tmpl.size()) {
    size_t open = tmpl.find("{{", i);
    if (open == std::string::npos) break;
    size_t close = tmpl.find("}}", open + 2);
    if (close == std::string::npos) break;
    out += tmpl.substr(i, open - i);
    std::string name = tmpl.substr(open + 2, close - open - 2);
    size_t b = name.find_first_not_of(" .");
    size_t e = name.find_last_not_of(' ');
    name = b == std::string::npos ? "" : name.substr(b, e - b + 1);
    auto it = fields.find(name);
    if (it != fields.end()) out += it->second;
    i = close + 2;
  }
  return out + tmpl.substr(i);
}

// The facts of one alert as (label, value) lines, in reading order.
// The enterprise's figures an alert carries (rules/outcome.cc AddFigures): this period's and the
// same period's a year before, and the recent periods, oldest first.
struct RecentFigure {
  Period period;
  std::optional<double> now, year_ago;
};

std::optional<double> NumberOf(const std::string& text) {
  if (text.empty()) return std::nullopt;
  try {
    return std::stod(text);
  } catch (...) {
    return std::nullopt;
  }
}

// A numeric annotation of the alert (threshold, target, figure, ...); nullopt when absent.
std::optional<double> Annotation(const AlertNotice& a, const std::string& key) {
  return NumberOf(Get(a.annotations, key));
}

Dimension DimensionOf(const AlertNotice& a) {
  return ParseDimension(Get(a.annotations, "dimension")).value_or(Dimension::kCount);
}

std::vector<RecentFigure> RecentFigures(const AlertNotice& a) {
  std::vector<RecentFigure> out;
  std::stringstream in(Get(a.annotations, "recent"));
  std::string item;
  while (std::getline(in, item, ';')) {
    size_t eq = item.find('='), slash = item.find('/', eq == std::string::npos ? 0 : eq);
    if (eq == std::string::npos || slash == std::string::npos) continue;
    std::optional<Period> p = Period::Parse(item.substr(0, eq));
    if (!p) continue;
    out.push_back(
        {*p, NumberOf(item.substr(eq + 1, slash - eq - 1)), NumberOf(item.substr(slash + 1))});
  }
  return out;
}

// 本期 1,234.56万元，上年同期 1,478.90万元 / this period 1,234.56 ten thousand yuan, a year
// before 1,478.90 ten thousand yuan; "" when the alert carries no figures.
std::string FiguresLine(const AlertNotice& a, const std::string& lang) {
  std::optional<double> now = Annotation(a, "figure");
  std::optional<double> before = Annotation(a, "figure_year_ago");
  if (!now && !before) return "";
  const Dimension d = DimensionOf(a);
  const bool en = lang == "en";
  // An industry's months to date: 1—10月累计; totals are at current prices even when the growth
  // beside them is at comparable prices, as NBS writes them, so say so then.
  std::string span = en ? "this period " : "本期 ";
  if (Get(a.annotations, "figure_span") == "ytd" && a.period.valid() && a.period.monthly())
    span = en ? YearToDateName(a.period, Language::kEn) + " " : YearToDateName(a.period) + "累计 ";
  const bool comparable = Get(a.annotations, "prices") == "comparable";
  std::string out = span + (now ? AmountWords(*now, d, lang) : (en ? "not reported" : "未报")) +
                    (now && comparable ? (en ? " (current prices)" : "（现价）") : "");
  if (before)
    out += std::string(en ? ", same period a year before " : "，上年同期 ") +
           AmountWords(*before, d, lang);
  return out;
}

// A period in a table row of recent figures: 第19周 / 6月 (the year is in the heading).
std::string ShortPeriod(Period p, const std::string& lang) {
  if (lang == "en") return p.weekly() ? "W" + std::to_string(p.week()) : p.ToString();
  if (p.weekly()) return "第" + std::to_string(p.week()) + "周";
  if (p.is_jan_feb()) return "1—2月";
  return std::to_string(p.first_month()) + "月";
}

// The recent periods as one line for text and markdown: 近8周（万元）：第12周
// 1,234.56（同比下降3.2%）… and as a small table for HTML.
std::string RecentHeading(const AlertNotice& a, size_t n, const std::string& lang) {
  const bool weekly = a.period.weekly();
  DisplayUnit unit = DisplayUnitOf(DimensionOf(a), lang);
  std::string u(Trim(unit.Name(lang)));
  if (lang == "en")
    return "Last " + std::to_string(n) + (weekly ? " weeks" : " months") +
           (u.empty() ? "" : " (" + u + ")");
  return "近" + std::to_string(n) + (weekly ? "周" : "个月") + (u.empty() ? "" : "（" + u + "）");
}

std::string RecentCell(const std::optional<double>& v, const AlertNotice& a,
                       const std::string& lang) {
  if (!v) return "—";
  DisplayUnit unit = DisplayUnitOf(DimensionOf(a), lang);
  return Grouped(*v / unit.divisor, unit.decimals);
}

// +4.1% / -11.8%: a period's growth on a year before, or "" without both figures.
std::string SignedGrowth(const RecentFigure& r) {
  if (!r.now || !r.year_ago || *r.year_ago <= 0) return "";
  const double g = *r.now / *r.year_ago - 1;
  return (g < 0 ? "-" : "+") + Pct1(g) + "%";
}

std::string RecentLine(const AlertNotice& a, const std::vector<RecentFigure>& recent,
                       const std::string& lang) {
  std::string out;
  for (const RecentFigure& r : recent) {
    out += (out.empty()    ? ""
            : lang == "en" ? "; "
                           : "；") +
           ShortPeriod(r.period, lang) + " " + RecentCell(r.now, a, lang);
    if (std::string g = SignedGrowth(r); !g.empty())
      out += lang == "en" ? " (" + g + ")" : "（" + g + "）";
  }
  return out;
}

// For HTML mail, read on phones: four narrow columns, figures right-aligned, this period bold.
std::string RecentTable(const AlertNotice& a, const std::vector<RecentFigure>& recent,
                        const std::string& lang) {
  const bool en = lang == "en";
  std::string h =
      "<table border=\"1\" cellpadding=\"4\" style=\"border-collapse:collapse\">\n<caption>" +
      HtmlEscape(RecentHeading(a, recent.size(), lang)) + "</caption>\n";
  h += std::string("<tr><th>") + (en ? "Period" : "周期") + "</th><th>" +
       (en ? "This year" : "本期") + "</th><th>" + (en ? "A year before" : "上年同期") +
       "</th><th>" + (en ? "YoY" : "同比") + "</th></tr>\n";
  const std::string num = "<td align=\"right\">";
  for (const RecentFigure& r : recent) {
    std::string g = SignedGrowth(r);
    h += "<tr" + std::string(r.period == a.period ? " style=\"font-weight:bold\"" : "") + "><td>" +
         HtmlEscape(ShortPeriod(r.period, lang)) + "</td>" + num + RecentCell(r.now, a, lang) +
         "</td>" + num + RecentCell(r.year_ago, a, lang) + "</td>" + num + (g.empty() ? "—" : g) +
         "</td></tr>\n";
  }
  return h + "</table>\n";
}

// 共 3 条预警：红色 1 条、黄色 2 条；已恢复 1 条 — the first line of a message about several
// alerts.
std::string CountsLine(const Message& msg, const std::string& lang) {
  std::map<Severity, int> firing;
  int resolved = 0;
  for (const AlertNotice& a : msg.alerts) a.firing() ? ++firing[a.severity] : ++resolved;
  const int total = static_cast<int>(msg.alerts.size()) + msg.truncated;
  const bool en = lang == "en";
  std::string out =
      en ? std::to_string(total) + " alerts: " : "共 " + std::to_string(total) + " 条预警：";
  std::string parts;
  for (Severity s : {Severity::kRed, Severity::kOrange, Severity::kYellow, Severity::kBlue}) {
    auto it = firing.find(s);
    if (it == firing.end()) continue;
    parts +=
        (parts.empty() ? ""
         : en          ? ", "
                       : "、") +
        (en ? std::to_string(it->second) + " " + std::string(SeverityName(s))
            : std::string(SeverityChineseName(s)) + "色 " + std::to_string(it->second) + " 条");
  }
  if (resolved)
    parts += (parts.empty() ? ""
              : en          ? "; "
                            : "；") +
             (en ? std::to_string(resolved) + " resolved"
                 : "已恢复 " + std::to_string(resolved) + " 条");
  if (msg.truncated > 0)
    parts += (parts.empty() ? ""
              : en          ? "; "
                            : "；") +
             (en ? std::to_string(msg.truncated) + " more not shown"
                 : "另有 " + std::to_string(msg.truncated) + " 条未列出");
  return out + parts;
}

// fall(): what a breach needs beside the line, N of the enterprise's usual swings below its own
// course (rules/measure_words.h, as the alert page says it); empty for other rules.
Wording Condition(const AlertNotice& a) {
  auto swings = Annotation(a, "swings");
  return swings ? FallCondition(*swings, Annotation(a, "swing")) : Wording{};
}

std::vector<std::pair<std::string, std::string>> Facts(const AlertNotice& a,
                                                       const std::string& lang) {
  const Words& w = WordsFor(lang);
  std::vector<std::pair<std::string, std::string>> facts;
  auto add = [&](const char* k, const std::string& v) {
    if (!v.empty()) facts.emplace_back(k, v);
  };
  add(w.enterprise, Who(a) == Get(a.labels, "industry") ? "" : Get(a.labels, "enterprise_name"));
  add("Credit code", Get(a.labels, "enterprise"));
  add(w.industry, Get(a.labels, "industry"));
  add(w.scope, Get(a.labels, "scope"));
  add(w.period, a.period.ToString());
  if (a.value) {
    std::string v = FormatValue(*a.value);
    std::string t = Threshold(a);
    if (const Wording condition = Condition(a); !t.empty() && !condition.empty())
      t += lang == "en" ? " " + condition.en : condition.zh;
    if (!t.empty())
      v += lang == "en" ? " (" + std::string(w.threshold) + " " + t + ")"
                        : "（" + std::string(w.threshold) + " " + t + "）";
    if (a.value_at_firing && !a.firing())
      v += lang == "en" ? "; " + std::string(w.at_firing) + " " + FormatValue(*a.value_at_firing)
                        : "；" + std::string(w.at_firing) + " " + FormatValue(*a.value_at_firing);
    add(w.value, v);
  }
  add("Figures", FiguresLine(a, lang));
  if (a.fired_at) add(w.fired_at, FormatTime(a.fired_at));
  if (!a.firing() && a.at) add(w.resolved_at, FormatTime(a.at));
  return facts;
}

// Enterprises missing the same period's report, grouped into one message, read as one digest:
// "12 家企业未报 2025年第20周：甲公司、乙公司、…". Empty when msg is not such a group.
std::string MissingDigestTitle(const Message& msg, const std::string& lang) {
  if (msg.alerts.size() < 2) return "";
  const std::string period = Get(msg.alerts[0].annotations, "missing_period");
  if (period.empty()) return "";
  std::vector<std::string> names;
  for (const AlertNotice& a : msg.alerts) {
    if (!a.firing() || Get(a.annotations, "missing_period") != period) return "";
    std::string name = Get(a.labels, "enterprise_name");
    names.push_back(name.empty() ? Who(a) : name);
  }
  const size_t shown = std::min<size_t>(names.size(), 10);
  std::string list;
  for (size_t i = 0; i < shown; ++i) list += (i ? (lang == "en" ? ", " : "、") : "") + names[i];
  if (shown < names.size()) list += lang == "en" ? ", ..." : "等";
  const std::string n = std::to_string(msg.alerts.size());
  return lang == "en" ? n + " enterprises have not reported " + period + ": " + list
                      : n + " 家企业未报 " + period + "：" + list;
}

std::string Title(const Message& msg, const std::string& lang) {
  if (std::string digest = MissingDigestTitle(msg, lang); !digest.empty()) return digest;
  const AlertNotice& a = msg.Lead();
  std::string t = "【" + Headline(a, lang) + "】" + RuleTitle(a, lang);
  std::string who = Who(a);
  if (!who.empty()) t += " · " + who;
  if (a.period.valid()) t += " " + a.period.ToString();
  if (msg.alerts.size() > 1) {
    char more[64];
    std::snprintf(more, sizeof more, WordsFor(lang).more, static_cast<int>(msg.alerts.size()));
    t += lang == "en" ? std::string(more) : std::string(" ") + more;
  }
  return t;
}

// The Grafana link's label: 图表 in Chinese (a reader need not know the product).
std::string Chart(const std::string& lang) { return lang == "en" ? "Grafana" : "图表"; }

std::string Colon(const std::string& lang) { return lang == "en" ? ": " : "："; }

std::string Links(const Message& msg, const AlertNotice& a, const std::string& lang,
                  bool markdown) {
  std::string url = msg.AlertUrl(a);
  std::vector<std::string> parts;
  if (!url.empty())
    parts.push_back(markdown ? "[" + std::string(WordsFor(lang).details) + "](" + url + ")"
                             : std::string(WordsFor(lang).details) + Colon(lang) + url);
  if (!msg.grafana_url.empty())
    parts.push_back(markdown ? "[" + Chart(lang) + "](" + msg.grafana_url + ")"
                             : Chart(lang) + Colon(lang) + msg.grafana_url);
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? " | " : "") + parts[i];
  return out;
}

// ---- Chinese messages: names not codes, figures in words, periods as dates. ----

// The rule as a person reads it: 重点企业产值同比下降; the identifier only when the rule has
// no title.
std::string RuleTitle(const AlertNotice& a, const std::string& lang) {
  std::string t = lang == "en" ? "" : Get(a.annotations, "title_zh");
  if (t.empty()) t = Get(a.annotations, "title");
  return t.empty() ? a.rule : t;
}

// Whom the alert is about: the enterprise's name from the register, else its industry, else
// the park.
std::string WhoName(const AlertNotice& a) {
  std::string who = Get(a.labels, "enterprise_name");
  if (who.empty()) who = Get(a.labels, "enterprise");
  if (who.empty()) who = Get(a.labels, "industry");
  if (who.empty()) who = Get(a.labels, "set");
  if (who.empty()) who = "园区";
  return who;
}

std::string Fixed(double v, const char* fmt) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  std::string s = buf;
  // 10.0% reads as 10%: drop a trailing ".0" of one decimal.
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s;
}

std::string Pct(double ratio) { return Fixed(std::fabs(ratio) * 100, "%.1f") + "%"; }

// The measure's function name: "yoy" of "yoy(output_value)"; "" for rules without one.
std::string MeasureFn(const AlertNotice& a) {
  std::string m = Get(a.annotations, "measure");
  return m.substr(0, m.find('('));
}

bool IsGrowth(const std::string& fn) {
  return fn == "yoy" || fn == "ytd_yoy" || fn == "mom" || fn == "two_year_avg" || fn == "fall";
}

// 同比 / 累计同比 / 环比 / 两年平均 before 增长 or 下降.
std::string GrowthWord(const std::string& fn) {
  if (fn == "ytd_yoy") return "累计同比";
  if (fn == "mom") return "环比";
  if (fn == "two_year_avg") return "两年平均";
  return "同比";
}

// An amount of the measure's kind, in words: 下降10% / 增长6.2% for growth, 1.50个百分点 for
// differences of rates, plain numbers for counts and scores.
std::string AmountZh(const AlertNotice& a, double v, bool gap) {
  std::string fn = MeasureFn(a);
  // A gap to a target in words, never 低于目标-6.00个百分点.
  if (gap)
    return std::string(v < 0 ? "低于目标" : "高于目标") + Fixed(std::fabs(v) * 100, "%.2f") +
           "个百分点";
  if (fn == "pull") return Fixed(v * 100, "%.2f") + "个百分点";
  if (IsGrowth(fn)) return std::string(v < 0 ? "下降" : "增长") + Pct(v);
  if (fn == "share" || fn == "contribution") return Fixed(v * 100, "%.1f") + "%";
  if (Get(a.annotations, "rule_kind") == "anomaly") return Fixed(v, "%.1f") + "个标准差";
  if (fn == "consecutive_declines" || Get(a.annotations, "rule_kind") == "missing_report")
    return Fixed(v, "%.0f") + "期";
  return Fixed(v, "%.2f");
}

// The figure in words: 工业总产值同比下降16.5%; sep is put between the words and the amount
// (" " in a subject). For a target rule the growth itself (measured), not its gap to the target.
std::string FigureZh(const AlertNotice& a, const std::string& sep) {
  std::string kind = Get(a.annotations, "rule_kind");
  if (kind == "missing_report") return RuleTitle(a, "zh");
  if (!a.value) return RuleTitle(a, "zh");
  // An alert from a rule without a measure (an older event) says its title and raw value.
  if (Get(a.annotations, "measure").empty() && kind != "anomaly")
    return RuleTitle(a, "zh") + " " + FormatValue(*a.value);
  std::string ind = Get(a.annotations, "indicator_title");
  std::string fn = MeasureFn(a);
  auto measured = Annotation(a, "measured");
  auto target = Annotation(a, "target");
  if (kind == "anomaly") return ind + "偏离历史同期" + sep + AmountZh(a, *a.value, false);
  // fall(): the period's own growth (同比) where the alert carries it; the value against the
  // lines is the fall from its own course for an enterprise that shrinks (rules/measures.h).
  if (fn == "fall") {
    if (auto growth = Annotation(a, "growth"))
      return ind + "同比" + (*growth < 0 ? "下降" : "增长") + sep + Pct(*growth);
    return ind + "较上年同期（逐年下降的企业较其自身走势）" + (*a.value < 0 ? "下降" : "增长") +
           sep + Pct(*a.value);
  }
  if (target && measured && IsGrowth(fn))
    return ind + GrowthWord(fn) + (*measured < 0 ? "下降" : "增长") + sep + Pct(*measured) +
           "，目标" + Pct(*target);
  if (IsGrowth(fn))
    return ind + GrowthWord(fn) + (*a.value < 0 ? "下降" : "增长") + sep + Pct(*a.value);
  if (fn == "pull")
    return std::string(*a.value < 0 ? "拉低园区" : "拉动园区") + ind + "增长" + sep +
           Fixed(std::fabs(*a.value) * 100, "%.2f") + "个百分点";
  if (fn == "consecutive_declines")
    return ind + "连续" + sep + Fixed(*a.value, "%.0f") + "期同比下降";
  if (fn == "share") return ind + "占比" + sep + AmountZh(a, *a.value, false);
  if (fn == "contribution") return ind + "增长贡献率" + sep + AmountZh(a, *a.value, false);
  return ind + sep + AmountZh(a, *a.value, false);
}

// {severity: threshold} from the "levels" annotation ("blue=-0.05 yellow=-0.1 ...").
std::map<Severity, double> Levels(const AlertNotice& a) {
  std::map<Severity, double> out;
  std::istringstream in(Get(a.annotations, "levels"));
  std::string item;
  while (in >> item) {
    size_t eq = item.find('=');
    if (eq == std::string::npos) continue;
    auto sev = ParseSeverity(item.substr(0, eq));
    if (!sev) continue;
    try {
      out[*sev] = std::stod(item.substr(eq + 1));
    } catch (...) {
    }
  }
  return out;
}

// 低于黄色预警线（下降10%）: the line the value crossed.
std::string CrossedZh(const AlertNotice& a) {
  auto levels = Levels(a);
  auto it = levels.find(a.severity);
  if (it == levels.end()) return "";
  bool gap = Annotation(a, "target").has_value();
  bool below = Get(a.annotations, "direction") != "above";
  // A count or score at its line has reached it (连续6期 against 6期), not passed it.
  return std::string(below ? "低于" : "达到") + std::string(SeverityChineseName(a.severity)) +
         "色预警线（" + AmountZh(a, it->second, gap) + "）";
}

// 蓝色 下降5%；黄色 下降10%；…: every level's line.
std::string AllLevelsZh(const AlertNotice& a) {
  std::string out;
  bool gap = Annotation(a, "target").has_value();
  for (auto& [sev, v] : Levels(a))
    out += (out.empty() ? "" : "；") + std::string(SeverityChineseName(sev)) + "色 " +
           AmountZh(a, v, gap);
  return out;
}

// 黄色预警 / 已恢复 / 红色预警·升级 / 黄色预警·降级 / …·仍在持续.
std::string HeadlineZh(const AlertNotice& a) {
  if (!a.firing()) return kZh.resolved;
  std::string h = Level(a.severity, "zh");
  if (a.kind == EventKind::kEscalated) h += "·升级";
  if (a.kind == EventKind::kDeescalated) h += "·降级";
  if (a.repeat) h += "·" + std::string(kZh.repeat);
  return h;
}

// 【黄色预警】湖南德山制药 · 工业总产值同比下降 16.5%（2025年第19周）
std::string TitleZh(const Message& msg) {
  if (std::string digest = MissingDigestTitle(msg, "zh"); !digest.empty()) return digest;
  const AlertNotice& a = msg.Lead();
  std::string figure = !a.firing() && Get(a.annotations, "rule_kind") == "missing_report"
                           ? "已补报"
                           : FigureZh(a, " ");
  std::string t = "【" + HeadlineZh(a) + "】" + WhoName(a) + " · " + figure;
  if (a.period.valid()) t += "（" + PeriodName(a.period) + "）";
  if (msg.alerts.size() > 1) {
    char more[64];
    std::snprintf(more, sizeof more, kZh.more, static_cast<int>(msg.alerts.size()));
    t += std::string(" ") + more;
  }
  return t;
}

std::vector<std::pair<std::string, std::string>> FactsZh(const AlertNotice& a) {
  std::vector<std::pair<std::string, std::string>> facts;
  auto add = [&](const char* k, const std::string& v) {
    if (!v.empty()) facts.emplace_back(k, v);
  };
  std::string name = Get(a.labels, "enterprise_name");
  std::string code = Get(a.labels, "enterprise");
  if (!code.empty()) {
    add("企业", name.empty() ? code : name);
    add("统一社会信用代码", code);
  }
  add("行业", Get(a.labels, "industry"));
  if (code.empty() && Get(a.labels, "industry").empty()) add("范围", WhoName(a));
  if (a.period.valid()) add("周期", PeriodNameWithDays(a.period));
  const bool missing = Get(a.annotations, "rule_kind") == "missing_report";
  if (missing) {
    add("情况", a.firing() ? RuleTitle(a, "zh") : "已补报");
  } else if (a.value) {
    std::string v = FigureZh(a, "");
    if (a.firing()) {
      std::string crossed = CrossedZh(a);
      if (crossed.empty() && !Threshold(a).empty()) crossed = "阈值 " + Threshold(a);
      if (!crossed.empty()) v += "，" + crossed;
    }
    add("指标", v);
    if (std::string course = Get(a.annotations, "against_course_zh"); !course.empty()) {
      if (auto swing = Annotation(a, "swing"))
        course += "，其增速通常在±" + Fixed(*swing * 100, "%.1f") + "个百分点内波动";
      add("与自身走势比", course);
    }
    if (!a.firing() && a.value_at_firing) {
      AlertNotice at = a;
      at.value = a.value_at_firing;
      at.annotations.erase("growth");  // the growth of now, not of the period it fired in
      add("触发时", FigureZh(at, ""));
    }
    std::string lines = AllLevelsZh(a);
    if (const Wording condition = Condition(a); !lines.empty() && !condition.empty())
      lines += "，" + condition.zh;
    add("预警线", lines);
    std::string figure_name = Get(a.annotations, "indicator_title");
    add(figure_name.empty() ? "数值" : figure_name.c_str(), FiguresLine(a, "zh"));
  }
  if (a.fired_at) add(kZh.fired_at, FormatTime(a.fired_at));
  if (!a.firing() && a.at) add(kZh.resolved_at, FormatTime(a.at));
  return facts;
}
}  // namespace

std::string FormatValue(double v) {
  char buf[64];
  if (std::fabs(v) < 10) {
    std::snprintf(buf, sizeof buf, "%.1f%%", v * 100);
    return buf;
  }
  return Grouped(v, 1);
}

std::string FormatTime(int64_t unix_seconds) {
  time_t t = static_cast<time_t>(unix_seconds + 8 * 3600);
  std::tm tm;
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return buf;
}

RenderedMessage Render(const Message& msg, const ReceiverConfig& receiver,
                       const std::string& default_language) {
  const std::string lang = !receiver.language.empty() ? receiver.language
                           : default_language.empty() ? "zh"
                                                      : default_language;
  const bool zh = lang != "en";
  RenderedMessage out;
  out.title = receiver.title_template.empty()
                  ? (zh ? TitleZh(msg) : Title(msg, lang))
                  : Expand(receiver.title_template, Fields(msg, msg.Lead(), lang));

  const std::string sep = lang == "en" ? ": " : "：";
  out.html = "<html><body>\n<h2>" + HtmlEscape(out.title) + "</h2>\n";
  if (msg.alerts.size() > 1 && receiver.text_template.empty()) {
    std::string counts = CountsLine(msg, lang);
    out.text += counts + "\n\n";
    out.markdown += "**" + counts + "**\n\n";
    out.html += "<p><b>" + HtmlEscape(counts) + "</b></p>\n";
  }
  for (size_t i = 0; i < msg.alerts.size(); ++i) {
    const AlertNotice& a = msg.alerts[i];
    if (i) out.text += "\n", out.markdown += "\n";
    if (!receiver.text_template.empty()) {
      std::string body = Expand(receiver.text_template, Fields(msg, a, lang));
      out.text += body + "\n";
      out.markdown += body + "\n";
      out.html += "<p>" + HtmlEscape(body) + "</p>\n";
      continue;
    }
    // A missing report that cleared was received: its title (…未报送) no longer holds.
    const bool received = !a.firing() && Get(a.annotations, "rule_kind") == "missing_report";
    std::string head = Emoji(a) + " " + (zh ? HeadlineZh(a) : Headline(a, lang)) + " · " +
                       (received ? (zh ? "已补报" : "report received") : RuleTitle(a, lang));
    out.text += head + "\n";
    out.markdown += "### " + head + "\n";
    out.html += "<h3>" + HtmlEscape(head) + "</h3>\n<ul>\n";
    for (auto& [k, v] : zh ? FactsZh(a) : Facts(a, lang)) {
      out.text += k + sep + v + "\n";
      out.markdown += "- " + k + sep + v + "\n";
      out.html += "<li><b>" + HtmlEscape(k) + "</b>" + sep + HtmlEscape(v) + "</li>\n";
    }
    out.html += "</ul>\n";
    if (std::vector<RecentFigure> recent = RecentFigures(a); recent.size() > 1) {
      std::string line = RecentHeading(a, recent.size(), lang) + sep + RecentLine(a, recent, lang);
      out.text += line + "\n";
      out.markdown += "- " + line + "\n";
      out.html += RecentTable(a, recent, lang);
    }
    // A Chinese reader gets summary_zh; a resolved missing report's summary (rendered when it
    // was still missing) no longer holds.
    std::string summary = Get(a.annotations, zh ? "summary_zh" : "summary");
    if (!a.firing() && Get(a.annotations, "rule_kind") == "missing_report") summary.clear();
    if (!summary.empty()) {
      out.text += summary + "\n";
      out.markdown += "> " + summary + "\n";
      out.html += "<p>" + HtmlEscape(summary) + "</p>\n";
    }
    std::string links = Links(msg, a, lang, false);
    if (!links.empty()) {
      out.text += links + "\n";
      out.markdown += Links(msg, a, lang, true) + "\n";
      std::string url = msg.AlertUrl(a);
      out.html += "<p>";
      if (!url.empty())
        out.html += "<a href=\"" + HtmlEscape(url) + "\">" + WordsFor(lang).details + "</a>";
      if (!msg.grafana_url.empty())
        out.html += std::string(url.empty() ? "" : " | ") + "<a href=\"" +
                    HtmlEscape(msg.grafana_url) + "\">" + Chart(lang) + "</a>";
      out.html += "</p>\n";
    }
  }
  if (msg.truncated > 0) {
    std::string note = lang == "en" ? "(" + std::to_string(msg.truncated) + " more not shown)"
                                    : "（另有 " + std::to_string(msg.truncated) + " 条未列出）";
    out.text += note + "\n";
    out.markdown += note + "\n";
    out.html += "<p>" + HtmlEscape(note) + "</p>\n";
  }
  out.html += "</body></html>\n";
  return out;
}

}  // namespace parkwatch
