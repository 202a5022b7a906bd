// The words of the report: periods, growth, differences of rates, money, and the headline
// paragraph written from the numbers, in the statistics bureaus' phrasing (DESIGN.md §7):
// 同比增长6.2% / 同比下降3.1% (never 增长-3.1%), differences in 个百分点, money in 万元 or 亿元.
#include <cmath>
#include <cstdio>

#include "core/number_text.h"
#include "report/monthly_report.h"
#include "rules/measures.h"

namespace parkwatch {

namespace {

const char* const kMonthsEn[] = {"",        "January",  "February", "March",  "April",
                                 "May",     "June",     "July",     "August", "September",
                                 "October", "November", "December"};

}  // namespace

std::string MonthWords(Period p, const std::string& lang) {
  if (lang == "en") {
    if (p.is_jan_feb()) return "January–February " + std::to_string(p.year());
    return std::string(kMonthsEn[p.first_month()]) + " " + std::to_string(p.year());
  }
  if (p.is_jan_feb()) return std::to_string(p.year()) + "年1—2月";
  return std::to_string(p.year()) + "年" + std::to_string(p.first_month()) + "月";
}

std::string YtdWords(Period p, const std::string& lang) {
  if (lang == "en") return std::string("January–") + kMonthsEn[p.last_month()];
  return "1—" + std::to_string(p.last_month()) + "月";
}

namespace {

// "1—6月，园区规模以上工业增加值同比增长6.2%，比1—5月回落0.4个百分点，较上年同期加快1.7个
// 百分点，低于年度目标1.8个百分点" for one indicator; "" without a cumulative growth.
std::string IndicatorSentence(const MonthlyReport& r, const IndicatorSection& s, bool first,
                              const std::string& lang) {
  const ScopeGrowth& g = s.park;
  const bool en = lang == "en";
  std::string out;
  if (!g.ytd) return out;
  std::string ytd = YtdWords(r.period, lang);
  if (en) {
    out += (first ? ytd + ", the value added of the park's above-size industry" : "Output value");
    if (!first && g.ytd_level) out += " reached " + MoneyWords(*g.ytd_level, lang) + ",";
    out += " " + GrowthWords(*g.ytd, lang);
    if (s.comparable) out += " at comparable prices";
    if (g.ytd_previous)
      out += ", " + PointsWords(*g.ytd - *g.ytd_previous, lang) + " on " +
             YtdWords(PreviousPeriod(r.period, true), lang);
    if (g.ytd_last_year)
      out += ", " + PointsWords(*g.ytd - *g.ytd_last_year, lang) + " on the same period last year";
    if (g.target) {
      double gap = *g.ytd - *g.target;
      out += RoundsToZero(gap)
                 ? ", on the annual target"
                 : std::string(", ") + Pct1(gap) + " points " + (gap > 0 ? "above" : "below") +
                       " the annual target of " + Pct1(*g.target) + "%";
    }
    if (g.yoy) out += "; " + MonthWords(r.period, lang) + " alone " + GrowthWords(*g.yoy, lang);
    return out + ".";
  }
  if (first) {
    out += ytd + "，园区规模以上工业增加值" + GrowthWords(*g.ytd, lang);
    if (s.comparable) out += "（可比价）";
  } else {
    out += "规模以上工业总产值";
    if (g.ytd_level) out += MoneyWords(*g.ytd_level, lang) + "，";
    out += GrowthWords(*g.ytd, lang);
  }
  if (g.ytd_previous) {
    double d = *g.ytd - *g.ytd_previous;
    out += std::string(RoundsToZero(d) ? "，与" : "，比") +
           YtdWords(PreviousPeriod(r.period, true), lang) + PointsWords(d, lang);
  }
  if (g.ytd_last_year) {
    double d = *g.ytd - *g.ytd_last_year;
    out += "，" + std::string(RoundsToZero(d) ? "与上年同期" : "较上年同期") + PointsWords(d, lang);
  }
  if (g.target) {
    double gap = *g.ytd - *g.target;
    out += RoundsToZero(gap) ? "，与年度目标持平"
                             : std::string("，") + (gap > 0 ? "高于" : "低于") + "年度目标" +
                                   Pct1(gap) + "个百分点";
  }
  if (g.yoy && !r.period.is_jan_feb()) {
    std::string month = std::to_string(r.period.first_month()) + "月当月";
    out += "；" + month +
           (RoundsToZero(*g.yoy) ? "与上年同期持平" : GrowthWords(*g.yoy, lang).substr(6));
    // GrowthWords begins with 同比 (6 bytes): 当月增长5.1%
  }
  return out + "。";
}

}  // namespace

std::string Headline(const MonthlyReport& r, const std::string& lang) {
  if (!r.ok) return r.message;
  const bool en = lang == "en";
  std::string out;
  for (size_t i = 0; i < r.sections.size(); ++i) {
    std::string s = IndicatorSentence(r, r.sections[i], i == 0, lang);
    if (!s.empty()) out += (out.empty() || en ? (out.empty() ? "" : " ") : "") + s;
  }
  if (out.empty())
    out = en ? "No year-to-date growth can be computed for " + MonthWords(r.period, lang) +
                   (r.sections.empty() ? std::string() : ": " + r.sections[0].park.no_data.en) + "."
             : MonthWords(r.period, lang) + "无法计算累计增速：" +
                   (r.sections.empty() ? std::string() : r.sections[0].park.no_data.zh) + "。";

  // 增长面 and the movements of the industries.
  const Breadth& b = r.breadth;
  if (b.industries > 0) {
    char pct[32];
    std::snprintf(pct, sizeof pct, "%.1f", 100.0 * b.industries_growing / b.industries);
    if (en) {
      out += " " + std::to_string(b.industries_growing) + " of " + std::to_string(b.industries) +
             " industries grew (breadth " + pct + "%)";
    } else {
      out += std::to_string(b.industries) + "个行业中" + std::to_string(b.industries_growing) +
             "个增长，增长面" + pct + "%";
    }
    std::string moves;
    const Movement order[] = {
        Movement::kWidened,  Movement::kTurnedPositive, Movement::kNarrowed, Movement::kSlowed,
        Movement::kDeepened, Movement::kTurnedNegative, Movement::kFlat};
    for (Movement m : order) {
      int n = b.movement[static_cast<int>(m)];
      if (!n) continue;
      if (en)
        moves += (moves.empty() ? "" : ", ") + std::to_string(n) + " " + MovementNameEn(m);
      else
        moves +=
            (moves.empty() ? "" : "、") + std::string(MovementNameZh(m)) + std::to_string(n) + "个";
    }
    if (!moves.empty() && !r.period.is_jan_feb())
      out += en ? "; since " + YtdWords(PreviousPeriod(r.period, true), lang) + ": " + moves
                : "；与" + YtdWords(PreviousPeriod(r.period, true), lang) + "相比，" + moves;
    if (b.enterprises > 0) {
      std::snprintf(pct, sizeof pct, "%.1f", 100.0 * b.enterprises_growing / b.enterprises);
      out += en ? "; " + std::to_string(b.enterprises_growing) + " of " +
                      std::to_string(b.enterprises) + " enterprises grew (" + pct + "%)."
                : "；" + std::to_string(b.enterprises) + "家企业中" +
                      std::to_string(b.enterprises_growing) + "家增长，企业增长面" + pct + "%。";
    } else {
      out += en ? "." : "。";
    }
  }

  // The industry that pulled most and the one that dragged most.
  if (!r.sections.empty()) {
    const IndicatorSection& s = r.sections[0];
    const IndustryFigures* best = nullptr;
    const IndustryFigures* worst = nullptr;
    for (const auto& f : s.industries) {
      if (!f.ytd_pull) continue;
      if (!best || *f.ytd_pull > *best->ytd_pull) best = &f;
      if (!worst || *f.ytd_pull < *worst->ytd_pull) worst = &f;
    }
    auto pp = [](double v) { return Fixed(std::fabs(v) * 100, 1); };
    if (best && *best->ytd_pull > 0) {
      if (en)
        out += " " + best->name + " pulled the park's growth up most, by " + pp(*best->ytd_pull) +
               " points" +
               (best->ytd_contribution
                    ? " (" + Fixed(*best->ytd_contribution * 100, 1) + "% of the growth)"
                    : "") +
               ".";
      else
        out += "分行业看，" + best->name + "拉动园区增长" + pp(*best->ytd_pull) + "个百分点" +
               (best->ytd_contribution ? "，贡献率" + Fixed(*best->ytd_contribution * 100, 1) + "%"
                                       : "") +
               "。";
    }
    if (worst && worst != best && *worst->ytd_pull < 0 && worst->growth.ytd) {
      if (en)
        out += " " + worst->name + " was " + GrowthWords(*worst->growth.ytd, lang) +
               " and pulled the park down " + pp(*worst->ytd_pull) + " points.";
      else
        out += worst->name + GrowthWords(*worst->growth.ytd, lang) + "，下拉园区增速" +
               pp(*worst->ytd_pull) + "个百分点。";
    }
  }
  if (!r.missing.empty())
    out += en ? " " + std::to_string(r.missing.size()) + " enterprises had not reported."
              : "本月尚有" + std::to_string(r.missing.size()) + "家企业未报。";
  return out;
}

}  // namespace parkwatch
