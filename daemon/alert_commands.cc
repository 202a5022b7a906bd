#include "daemon/alert_commands.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "alerts/alert_store.h"
#include "api/answers.h"
#include "config/config.h"
#include "core/number_text.h"
#include "core/severity.h"
#include "core/time_text.h"
#include "notifiers/delivery_store.h"
#include "rules/measure_words.h"
#include "rules/rule_config.h"
#include "store/store.h"

namespace parkwatch {

using nlohmann::json;

namespace {

// The sources an answer reads, opened from --config.file.
struct Opened {
  Config config;
  RuleSet rules;
  std::unique_ptr<Store> store;
  std::unique_ptr<AlertStore> alerts;
  std::unique_ptr<DeliveryStore> deliveries;
  AnswerSources sources() { return {*store, *alerts, *deliveries, config, rules}; }
};

bool Open(const Flags& flags, Opened* o) {
  std::vector<Diagnostic> diagnostics;
  if (!LoadConfig(flags.Get("config.file", "parkwatch.yml"), &o->config, &diagnostics) ||
      !LoadRuleFiles(o->config.rule_files, &o->rules, &diagnostics)) {
    std::fputs(JoinDiagnostics(diagnostics).c_str(), stderr);
    return false;
  }
  o->store = Store::Open(o->config.storage_path);
  o->alerts = std::make_unique<AlertStore>(o->store.get());
  o->deliveries = std::make_unique<DeliveryStore>(o->store.get());
  return true;
}

bool English(const Flags& flags) { return flags.Get("lang", "zh") == "en"; }

std::string S(const json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

// A value of the rule's unit as a person reads it: -16.5%, 1234.56万元, 3 个百分点, 2 期.
std::string Amount(const json& v, const std::string& unit, bool en) {
  if (!v.is_number()) return "—";
  return ValueInUnit(v.get<double>(), unit, en ? Language::kEn : Language::kZh);
}

std::string LevelWord(const std::string& severity, bool en) {
  if (en) return severity;
  auto level = ParseSeverity(severity);
  return level && *level != Severity::kNone ? std::string(SeverityChineseName(*level)) + "色"
                                            : "无";
}

// "2026-11-30T20:15:00+08:00" as "2026-11-30 20:15".
std::string Minute(const json& at) {
  if (!at.is_object()) return "—";
  std::string local = S(at, "local");
  return local.size() >= 16 ? local.substr(0, 10) + " " + local.substr(11, 5) : local;
}

// Display width of UTF-8 text: CJK characters take two columns.
size_t Width(const std::string& s) {
  size_t w = 0;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    w += len >= 3 ? 2 : 1;
    i += len;
  }
  return w;
}

void PrintTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows)
    for (size_t i = 0; i < row.size(); ++i) {
      if (widths.size() <= i) widths.push_back(0);
      widths[i] = std::max(widths[i], Width(row[i]));
    }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - Width(row[i]) + 2, ' ');
    }
    std::printf("%s\n", line.c_str());
  }
}

// Whom an alert is about: the enterprise's name, the industry, the set or the park.
std::string Subject(const json& labels, bool en) {
  if (labels.contains("enterprise_name")) return S(labels, "enterprise_name");
  if (labels.contains("enterprise")) return S(labels, "enterprise");
  if (S(labels, "scope") == "industry") return S(labels, "industry");
  if (labels.contains("set")) return S(labels, "set");
  return en ? "the park" : "全园区";
}

std::string Title(const json& a, bool en) {
  std::string t = S(a, en ? "title" : "title_zh");
  if (t.empty()) t = S(a, "title");
  return t.empty() ? S(a, "rule") : t;
}

}  // namespace

int AlertsCommand(const Flags& flags) {
  Opened o;
  if (!Open(flags, &o)) return 1;
  const bool en = English(flags);
  AlertQuery q;
  q.industry = flags.Get("industry");
  q.enterprise = flags.Get("enterprise");
  q.scope = flags.Get("scope");
  q.rule = flags.Get("rule");
  q.state = flags.Get("state");
  q.severity = flags.Get("severity");
  std::string error;
  json list = AlertList(o.sources(), q, &error);
  if (!error.empty()) {
    std::fprintf(stderr, "parkwatch alerts: --%s\n", error.c_str());
    return 2;
  }
  if (list.empty()) {
    std::printf("%s\n", en ? "no active alerts" : "当前没有预警");
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  if (en)
    rows.push_back(
        {"level", "state", "who", "industry", "rule", "value", "period", "since", "fingerprint"});
  else
    rows.push_back({"级别", "状态", "对象", "行业", "规则", "数值", "期间", "触发时间", "指纹"});
  for (const json& a : list) {
    const json& labels = a["labels"];
    const RuleConfig* rule = o.rules.FindRule(S(a, "rule"));
    std::string unit = "ratio";
    if (auto answer = AlertAnswer(o.sources(), S(a, "fingerprint"))) unit = S(*answer, "unit");
    std::string state = S(a, "state");
    if (!en) state = state == "firing" ? "已触发" : state == "pending" ? "待定" : state;
    std::string period = S(a, "period_name");
    if (auto p = Period::Parse(S(a, "period")); p && en) period = PeriodName(*p, Language::kEn);
    rows.push_back({LevelWord(S(a, "severity"), en), state, Subject(labels, en),
                    S(labels, "industry").empty() ? "—" : S(labels, "industry"),
                    rule ? Title(a, en) : S(a, "rule"), Amount(a["value"], unit, en), period,
                    Minute(a["fired_at_local"]), S(a, "fingerprint").substr(0, 12)});
  }
  PrintTable(rows);
  return 0;
}

int ExplainCommand(const Flags& flags) {
  if (flags.positional().size() != 1) {
    std::fputs("parkwatch explain: give one FINGERPRINT (see parkwatch alerts)\n", stderr);
    return 2;
  }
  Opened o;
  if (!Open(flags, &o)) return 1;
  const bool en = English(flags);
  std::string fingerprint = flags.positional()[0];
  auto answer = AlertAnswer(o.sources(), fingerprint);
  if (!answer) {
    // A prefix as `alerts` shows it.
    std::string error;
    for (const json& a : AlertList(o.sources(), {}, &error))
      if (S(a, "fingerprint").rfind(flags.positional()[0], 0) == 0)
        answer = AlertAnswer(o.sources(), S(a, "fingerprint"));
  }
  if (!answer) {
    std::fprintf(stderr, "parkwatch explain: no alert %s\n", flags.positional()[0].c_str());
    return 1;
  }
  const json& a = *answer;
  const json& labels = a["labels"];
  const std::string unit = S(a, "unit");
  const std::string severity = S(a, "severity");
  const json& th = a["thresholds"];
  const bool below = th.is_object() && S(th, "direction") == "below";
  std::string who = Subject(labels, en);
  if (labels.contains("enterprise") && labels.contains("enterprise_name"))
    who += (en ? " (" : "（") + S(labels, "enterprise") + (en ? ")" : "）");
  if (labels.contains("industry") && S(labels, "scope") != "industry")
    who += (en ? ", " : " · ") + S(labels, "industry");
  std::string period = a["period"].is_object() ? S(a["period"], en ? "name_en" : "name") : "—";
  std::string days = a["period"].is_object() ? S(a["period"], en ? "days_en" : "days") : "";
  // A week's days say which week it is; a month's add nothing.
  if (!en && S(a["period"], "period").find('W') != std::string::npos) period += "（" + days + "）";
  std::string measure = S(a, en ? "measure_words_en" : "measure_words");
  // A year-to-date measure covers 1—10月, not the month alone.
  const auto at = Period::Parse(a["period"].is_object() ? S(a["period"], "period") : "");
  if (at && at->monthly() && S(a, "measure").rfind("ytd_", 0) == 0) {
    period = YearToDateName(*at, en ? Language::kEn : Language::kZh);
    days.clear();
  }
  // A gap to a target, with what it is the gap between: 累计增长2.3%，目标9.0%.
  std::string gap_of;
  const json& notes = a["annotations"];
  if (notes.is_object() && notes.contains("measured") && notes.contains("target")) {
    const double measured = std::atof(S(notes, "measured").c_str());
    const double target = std::atof(S(notes, "target").c_str());
    gap_of =
        en ? " (growth " + Fixed(measured * 100, 1) + "%, target " + Fixed(target * 100, 1) + "%)"
           : std::string("（") + (measured < 0 ? "下降" : "增长") +
                 Fixed(std::fabs(measured) * 100, 1) + "%，目标" + Fixed(target * 100, 1) + "%）";
  }

  if (en) {
    std::printf("%s alert: %s — %s\n", LevelWord(severity, true).c_str(), who.c_str(),
                Title(a, true).c_str());
    std::printf("Why: %s was %s%s in %s%s", measure.c_str(), Amount(a["value"], unit, true).c_str(),
                gap_of.c_str(), period.c_str(), days.empty() ? "" : (" (" + days + ")").c_str());
  } else {
    std::printf("【%s预警】%s — %s\n", LevelWord(severity, false).c_str(), who.c_str(),
                Title(a, false).c_str());
    std::printf("原因：%s %s为 %s%s", period.c_str(), measure.c_str(),
                Amount(a["value"], unit, false).c_str(), gap_of.c_str());
  }
  if (th.is_object() && th["crossed"].is_string()) {
    std::string crossed = S(th, "crossed");
    std::string line = Amount(th["levels"][crossed], unit, en);
    if (en)
      std::printf(", %s the %s line of %s.\n", below ? "below" : "above",
                  LevelWord(crossed, true).c_str(), line.c_str());
    else
      std::printf("，%s%s预警线 %s。\n", below ? "低于" : "高于", LevelWord(crossed, false).c_str(),
                  line.c_str());
  } else {
    std::printf("%s\n", en ? "." : "。");
  }
  // fall(): the period against the enterprise's own course and swings (rules/outcome.h).
  if (notes.is_object() && notes.contains("against_course_zh")) {
    std::string swing;
    if (notes.contains("swing"))
      swing = en ? ", its growth usually moving within ±" +
                       Fixed(std::atof(S(notes, "swing").c_str()) * 100, 1) + " pp"
                 : "，其增速通常在±" + Fixed(std::atof(S(notes, "swing").c_str()) * 100, 1) +
                       "个百分点内波动";
    std::printf(en ? "Against its own course: %s%s.\n" : "与自身走势比：%s%s。\n",
                S(notes, en ? "against_course" : "against_course_zh").c_str(), swing.c_str());
  }
  if (th.is_object()) {
    std::string levels;
    for (const char* s : {"blue", "yellow", "orange", "red"})
      if (th["levels"].contains(s))
        levels += std::string(levels.empty() ? ""
                              : en           ? ", "
                                             : "，") +
                  LevelWord(s, en) + (en ? " " : "") + Amount(th["levels"][s], unit, en);
    // fall(): a line is crossed only N usual swings below its own course (alert_detail.cc).
    const std::string condition = S(th, en ? "condition" : "condition_zh");
    if (!condition.empty()) levels += (en ? ", " : "，") + condition;
    if (th["clear"].is_number())
      levels += std::string(en ? "; clears past " : "；解除线 ") + Amount(th["clear"], unit, en);
    std::printf(en ? "Lines (%s fires): %s\n" : "预警线（%s即预警）：%s\n",
                en ? (below ? "at or below" : "at or above") : (below ? "低于" : "高于"),
                levels.c_str());
  }
  std::string cadence = S(a, "cadence");
  if (!en) cadence = cadence == "weekly" ? "周监测" : "月度";
  std::printf(en ? "Rule: %s (%s), measure %s, %s\n" : "规则：%s（%s），度量 %s，%s\n",
              Title(a, en).c_str(), S(a, "rule").c_str(), S(a, "measure").c_str(), cadence.c_str());
  std::string state = S(a, "state");
  std::printf(
      en ? "State: %s since %s; fired at %s\n" : "状态：%s，自%s起；触发于 %s\n",
      en ? state.c_str()
         : (state == "firing"    ? "已触发"
            : state == "pending" ? "待定"
                                 : "已解除"),
      a["active_since"].is_object() ? S(a["active_since"], en ? "name_en" : "name").c_str() : "—",
      Minute(a["fired_at"]).c_str());

  // The last periods of the figure behind it (an enterprise's series).
  if (a["series"].is_array() && !a["series"].empty()) {
    const json& series = a["series"];
    size_t start = series.size() > 8 ? series.size() - 8 : 0;
    std::vector<std::vector<std::string>> rows;
    rows.push_back({en ? "period" : "期间", en ? "figure" : "数值"});
    for (size_t i = start; i < series.size(); ++i) {
      std::string name = S(series[i], "period");
      if (auto p = Period::Parse(name)) name = PeriodName(*p, en ? Language::kEn : Language::kZh);
      rows.push_back({name, Amount(series[i]["value"], S(a, "series_unit"), en)});
    }
    std::printf("%s\n", en ? "Last periods:" : "近期数值：");
    PrintTable(rows);
  }
  for (const json& ack : a["acknowledgements"])
    std::printf(en ? "Acknowledged by %s at %s: %s\n" : "已由%s于 %s 确认：%s\n",
                S(ack, "author").c_str(), Minute(ack["at"]).c_str(), S(ack, "note").c_str());
  for (const json& s : a["silences"])
    std::printf(en ? "Silenced until %s by %s: %s\n" : "已静默至 %s（%s：%s）\n",
                Minute(s["ends_at"]).c_str(), S(s, "author").c_str(), S(s, "comment").c_str());
  return 0;
}

int AckCommand(const Flags& flags) {
  if (flags.positional().size() != 1 || flags.Get("author").empty()) {
    std::fputs("parkwatch ack: give FINGERPRINT --author=NAME [--note=TEXT]\n", stderr);
    return 2;
  }
  Opened o;
  if (!Open(flags, &o)) return 1;
  const bool en = English(flags);
  const std::string& fingerprint = flags.positional()[0];
  if (!o.deliveries->Acknowledge(fingerprint, flags.Get("author"), flags.Get("note"), UnixNow())) {
    std::fprintf(stderr,
                 en ? "parkwatch ack: no firing alert %s\n" : "parkwatch ack: 没有正在预警的 %s\n",
                 fingerprint.c_str());
    return 1;
  }
  std::printf(en ? "acknowledged %s\n" : "已确认 %s\n", fingerprint.c_str());
  return 0;
}

}  // namespace parkwatch
