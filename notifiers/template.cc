#include "notifiers/template.h"

#include "core/text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>

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
  std::string who = Get(a.labels, "enterprise");
  if (who.empty()) who = Get(a.labels, "industry");
  if (who.empty()) who = Get(a.labels, "scope");
  return who;
}

// Fields for user templates.
std::map<std::string, std::string> Fields(const Message& msg, const AlertNotice& a,
                                          const std::string& lang) {
  std::map<std::string, std::string> f;
  f["status"] = a.StatusName();
  f["kind"] = EventKindName(a.kind);
  f["severity"] = SeverityName(a.severity);
  f["level"] = Level(a.severity, lang);
  f["rule"] = a.rule;
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
std::vector<std::pair<std::string, std::string>> Facts(const AlertNotice& a,
                                                       const std::string& lang) {
  const Words& w = WordsFor(lang);
  std::vector<std::pair<std::string, std::string>> facts;
  auto add = [&](const char* k, const std::string& v) {
    if (!v.empty()) facts.emplace_back(k, v);
  };
  add(w.enterprise, Get(a.labels, "enterprise"));
  add(w.industry, Get(a.labels, "industry"));
  add(w.scope, Get(a.labels, "scope"));
  add(w.period, a.period.ToString());
  if (a.value) {
    std::string v = FormatValue(*a.value);
    std::string t = Threshold(a);
    if (!t.empty())
      v += lang == "en" ? " (" + std::string(w.threshold) + " " + t + ")"
                        : "（" + std::string(w.threshold) + " " + t + "）";
    if (a.value_at_firing && !a.firing())
      v += lang == "en" ? "; " + std::string(w.at_firing) + " " + FormatValue(*a.value_at_firing)
                        : "；" + std::string(w.at_firing) + " " + FormatValue(*a.value_at_firing);
    add(w.value, v);
  }
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
  std::string t = "【" + Headline(a, lang) + "】" + a.rule;
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

std::string Links(const Message& msg, const AlertNotice& a, const std::string& lang,
                  bool markdown) {
  std::string url = msg.AlertUrl(a);
  std::vector<std::string> parts;
  if (!url.empty())
    parts.push_back(markdown ? "[" + std::string(WordsFor(lang).details) + "](" + url + ")"
                             : std::string(WordsFor(lang).details) + ": " + url);
  if (!msg.grafana_url.empty())
    parts.push_back(markdown ? "[Grafana](" + msg.grafana_url + ")"
                             : "Grafana: " + msg.grafana_url);
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? " | " : "") + parts[i];
  return out;
}

}  // namespace

std::string FormatValue(double v) {
  char buf[64];
  if (std::fabs(v) < 10) {
    std::snprintf(buf, sizeof buf, "%.1f%%", v * 100);
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%.1f", v);
  std::string s = buf;
  size_t dot = s.find('.');
  size_t start = s[0] == '-' ? 1 : 0;
  for (int i = static_cast<int>(dot) - 3; i > static_cast<int>(start); i -= 3) s.insert(i, ",");
  return s;
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
  RenderedMessage out;
  out.title = receiver.title_template.empty()
                  ? Title(msg, lang)
                  : Expand(receiver.title_template, Fields(msg, msg.Lead(), lang));

  const std::string sep = lang == "en" ? ": " : "：";
  out.html = "<html><body>\n<h2>" + HtmlEscape(out.title) + "</h2>\n";
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
    std::string head = Emoji(a) + " " + Headline(a, lang) + " · " + a.rule;
    out.text += head + "\n";
    out.markdown += "### " + head + "\n";
    out.html += "<h3>" + HtmlEscape(head) + "</h3>\n<ul>\n";
    for (auto& [k, v] : Facts(a, lang)) {
      out.text += k + sep + v + "\n";
      out.markdown += "- " + k + sep + v + "\n";
      out.html += "<li><b>" + HtmlEscape(k) + "</b>" + sep + HtmlEscape(v) + "</li>\n";
    }
    out.html += "</ul>\n";
    const std::string summary = Get(a.annotations, "summary");
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
                    HtmlEscape(msg.grafana_url) + "\">Grafana</a>";
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
