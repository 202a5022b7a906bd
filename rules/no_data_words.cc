#include "rules/no_data_words.h"

#include <regex>
#include <vector>

namespace parkwatch {
namespace {

// A period as the measures write it (2025-08, 2025-W19, 2025-01/02), or a range "A to B".
const std::string kPeriod = R"((\d{4}-(?:W\d{2}|\d{2}(?:/\d{2})?)))";
const std::string kPeriods = kPeriod + "(?: to " + kPeriod + ")?";

std::string Words(const std::string& text) {
  auto p = Period::Parse(text);
  return p ? PeriodName(*p) : text;
}

// "2025年8月" or "2025年3月至2025年8月" from the two groups of kPeriods at m[i], m[i + 1].
std::string PeriodsWords(const std::smatch& m, size_t i) {
  return m[i + 1].matched ? Words(m[i]) + "至" + Words(m[i + 1]) : Words(m[i]);
}

// "enterprise 91430700MA4L000011 常德甲药业" names the enterprise by its register name (its credit
// code without one; "enterprise 3", an index, as 企业3).
std::string Who(const std::string& text) {
  std::string s = text.rfind("enterprise ", 0) == 0 ? text.substr(11) : text;
  size_t space = s.find(' ');
  if (space != std::string::npos) return s.substr(space + 1);
  if (!s.empty() && s.size() < 6) return "企业" + s;
  return s;
}

std::string Basis(const std::string& label) {
  if (label == "same period last year") return "上年同期";
  if (label == "same months last year") return "上年同期各月";
  if (label == "previous period") return "上期";
  return label;
}

struct Form {
  std::regex pattern;
  std::string (*say)(const std::smatch&);
};

const std::vector<Form>& Forms() {
  static const std::vector<Form> forms = [] {
    std::vector<Form> f;
    auto add = [&](const std::string& pattern, std::string (*say)(const std::smatch&)) {
      f.push_back({std::regex("^" + pattern + "$"), say});
    };
    add("(.+) has no figure for " + kPeriods,
        [](const std::smatch& m) { return Who(m[1]) + " " + PeriodsWords(m, 2) + "没有数据"; });
    add("no figure for " + kPeriods + " for any of the (\\d+) enterprises in scope",
        [](const std::smatch& m) {
          return "范围内" + m[3].str() + "家企业" + PeriodsWords(m, 1) + "都没有数据";
        });
    add("no figure for " + kPeriods + " \\((.+?)\\) for any enterprise in scope that reported " +
            kPeriods,
        [](const std::smatch& m) {
          return "报了" + PeriodsWords(m, 4) + "的企业都没有" + PeriodsWords(m, 1) + "（" +
                 Basis(m[3]) + "）的数据";
        });
    add("no figure for " + kPeriods + " \\((.+?)\\) for (.+)", [](const std::smatch& m) {
      return Who(m[4]) + "没有" + PeriodsWords(m, 1) + "（" + Basis(m[3]) + "）的数据";
    });
    add("no figure for " + kPeriod +
            " or the same period last year, so the enterprise is not in the caliber of the growth",
        [](const std::smatch& m) {
          return Words(m[1]) + "或上年同期没有数据，不在增速的同口径企业之内";
        });
    add("(.+) has fewer than 2 figures in the (\\d+) periods before " + kPeriod +
            ", so no recent level",
        [](const std::smatch& m) {
          return Who(m[1]) + " " + Words(m[3]) + "之前" + m[2].str() +
                 "期中不足2期有数据，尚无近期水平可比";
        });
    add("a seasonal baseline needs the same period in at least (\\d+) earlier years; (.+) has "
        "(\\d+)(?: \\((.+)\\))?",
        [](const std::smatch& m) {
          std::string list;
          if (m[4].matched) {
            std::string rest = m[4];
            for (size_t at = 0; at <= rest.size();) {
              size_t comma = rest.find(", ", at);
              std::string one = rest.substr(at, comma == std::string::npos ? comma : comma - at);
              list += (list.empty() ? "" : "、") + Words(one);
              if (comma == std::string::npos) break;
              at = comma + 2;
            }
          }
          return "历史同期基准至少要此前" + m[1].str() + "年的同期数据，" + Who(m[2]) + "只有" +
                 m[3].str() + "年" + (list.empty() ? "" : "（" + list + "）");
        });
    add("no period a year before " + kPeriod,
        [](const std::smatch& m) { return Words(m[1]) + "没有上年同期"; });
    add(kPeriod + " has no (?:same period a year before|same period last year)",
        [](const std::smatch& m) { return Words(m[1]) + "没有上年同期"; });
    add(kPeriod + " has no partner: ISO year (\\d+) has (\\d+) weeks", [](const std::smatch& m) {
      return Words(m[1]) + "没有上年同期：" + m[2].str() + "年只有" + m[3].str() + "周";
    });
    add("base total for " + kPeriods +
            " is (.+): growth from a zero or negative base is not defined",
        [](const std::smatch& m) {
          return PeriodsWords(m, 1) + "的基数合计为" + m[3].str() + "，零或负的基数没有增速";
        });
    add("no usable price index for industry (.+) at " + kPeriod + "(?: \\((.+)\\))?",
        [](const std::smatch& m) {
          return "行业“" + m[1].str() + "”" + Words(m[2]) + "没有可用的价格指数";
        });
    add("(.+) has no industry, so no price index to deflate with",
        [](const std::smatch& m) { return Who(m[1]) + "没有所属行业，无法按价格指数折算可比价"; });
    add("no target \"(.+)\" for (.+) in the targets table", [](const std::smatch& m) {
      return "目标表中没有" + m[2].str() + "的目标“" + m[1].str() + "”";
    });
    add("no enterprise of the park is in scope in (\\d+)",
        [](const std::smatch& m) { return m[1].str() + "年园区没有在范围内的企业"; });
    add("no enterprise of set (.+) is above designated size in (\\d+)",
        [](const std::smatch& m) { return m[2].str() + "年“" + m[1].str() + "”中没有规上企业"; });
    add("the whole did not change(?: from .+)?, so contributions are undefined",
        [](const std::smatch&) { return std::string("整体没有变化，贡献率无从计算"); });
    add("a figure of 0 has no ratio to its baseline",
        [](const std::smatch&) { return std::string("数值为0，无法与基准相比"); });
    add("the scope has no enterprises",
        [](const std::smatch&) { return std::string("范围内没有企业"); });
    add("indicator (.+) is not loaded for the rules",
        [](const std::smatch& m) { return "规则没有载入指标 " + m[1].str(); });
    return f;
  }();
  return forms;
}

std::string Zh(const std::string& reason);

// One sentence: a prefix that puts a reason in context ("growth for 2025-08: …", "part: …"),
// or one of the forms; else as it is.
std::string ZhSentence(const std::string& s, bool* said) {
  static const std::regex growth("^(growth|rate) for " + kPeriod + ": (.+)$");
  static const std::regex part("^(part|whole|industry|park): (.+)$");
  std::smatch m;
  *said = true;
  if (std::regex_match(s, m, growth))
    return Words(m[2]) + (m[1] == "growth" ? "增速：" : "比率：") + Zh(m[3]);
  if (std::regex_match(s, m, part)) {
    const std::string which = m[1];
    std::string zh = which == "part"       ? "部分："
                     : which == "whole"    ? "整体："
                     : which == "industry" ? "行业："
                                           : "园区：";
    return zh + Zh(m[2]);
  }
  for (const Form& f : Forms())
    if (std::regex_match(s, m, f.pattern)) return f.say(m);
  *said = false;
  return s;
}

// A reason may be sentences joined by "; " (a fact, then why): each is said on its own, unless
// the whole is one sentence (a form may contain "; " itself: the seasonal baseline).
std::string Zh(const std::string& reason) {
  bool said = false;
  std::string whole = ZhSentence(reason, &said);
  if (said || reason.find("; ") == std::string::npos) return whole;
  std::string out;
  for (size_t at = 0; at <= reason.size();) {
    size_t end = reason.find("; ", at);
    std::string one = reason.substr(at, end == std::string::npos ? end : end - at);
    out += (out.empty() ? "" : "；") + ZhSentence(one, &said);
    if (end == std::string::npos) break;
    at = end + 2;
  }
  return out;
}

}  // namespace

std::string NoDataWords(const std::string& reason, Language lang) {
  return lang == Language::kZh ? Zh(reason) : reason;
}

}  // namespace parkwatch
