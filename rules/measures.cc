#include "rules/measures.h"

#include <algorithm>
#include <array>

#include <cmath>
#include <span>

#include "core/spring_festival.h"
#include "core/time_text.h"

namespace parkwatch {

namespace {

const Wording kSeparateRates{
    "separate January and February rates cannot be combined: NBS publishes only 1—2月",
    "1月和2月的比率不能合并：国家统计局只公布1—2月的"};

// Reads one enterprise's figure for one period under the Jan–Feb convention. For a Jan–Feb
// period it prefers the stored Jan–Feb figure and otherwise sums separate January and February
// figures when the values are summable (levels); rates and price indices are not.
class PeriodReader {
 public:
  PeriodReader(const FigureTable& table, Period p, bool summable)
      : summable_(summable), main_(table.At(p)) {
    if (p.is_jan_feb()) {
      jan_ = table.At(Period::Month(p.year(), 1));
      feb_ = table.At(Period::Month(p.year(), 2));
      split_ = !jan_.empty() || !feb_.empty();
    }
  }

  // The figure, or nullopt; *why (if given) explains a Jan–Feb figure that cannot be formed.
  // Small so that it inlines into the loops over a scope; the rare split case is a call.
  std::optional<double> Get(EnterpriseIndex e, Wording* why = nullptr) const {
    if (auto v = main_.Get(e)) return v;
    if (!split_) return std::nullopt;
    return FromMonths(e, why);
  }

 private:
  std::optional<double> FromMonths(EnterpriseIndex e, Wording* why) const {
    auto jan = jan_.Get(e), feb = feb_.Get(e);
    if (!jan && !feb) return std::nullopt;
    if (!summable_) {
      if (why) *why = kSeparateRates;
      return std::nullopt;
    }
    if (jan && feb) return *jan + *feb;  // 1—2月 = January + February for levels
    if (why)
      *why = jan ? Wording{"a January figure without February, so no 1—2月 total",
                           "有1月数据而没有2月数据，合计不出1—2月"}
                 : Wording{"a February figure without January, so no 1—2月 total",
                           "有2月数据而没有1月数据，合计不出1—2月"};
    return std::nullopt;
  }

  bool summable_;
  FigureTable::Column main_, jan_, feb_;
  bool split_ = false;
};

// The periods a measure reads, in words: one period, or a year's months to date (2025年1—8月).
Wording Describe(std::span<const Period> periods) {
  if (periods.empty()) return {};
  if (periods.size() == 1) return PeriodWording(periods.front());
  return YearToDateWording(periods.back());
}

MeasureResult NoData(Wording reason) {
  MeasureResult r;
  r.no_data_reason = std::move(reason);
  return r;
}

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

std::vector<Period> MonthlyPeriodsOfYear(int year, bool combine_jan_feb) {
  std::vector<Period> out;
  if (combine_jan_feb) {
    out.push_back(Period::JanFeb(year));
  } else {
    out.push_back(Period::Month(year, 1));
    out.push_back(Period::Month(year, 2));
  }
  for (int m = 3; m <= 12; ++m) out.push_back(Period::Month(year, m));
  return out;
}

Period PreviousPeriod(Period p, bool combine_jan_feb) {
  if (combine_jan_feb && p.monthly() && p.first_month() == 3) return Period::JanFeb(p.year());
  return p.Prev();  // Jan–Feb and January step back to December
}

Period NextPeriod(Period p, bool combine_jan_feb) {
  if (combine_jan_feb && p.monthly() && p.last_month() == 12) return Period::JanFeb(p.year() + 1);
  return p.Next();  // Jan–Feb steps to March
}

Period SamePeriodYearsBefore(Period p, int k) {
  if (!p.valid()) return Period();
  if (p.weekly()) return Period::Week(p.year() - k, p.week());  // invalid if no week 53 then
  if (p.is_jan_feb()) return Period::JanFeb(p.year() - k);
  return Period::Month(p.year() - k, p.first_month());
}

double RealGrowthFromNominal(double nominal, double price_index) {
  // Real volume index = nominal value index / price index (both against last year = 1).
  return (1 + nominal) / (price_index / 100) - 1;
}

MeasureResult TargetDeviation(const MeasureResult& value, double target) {
  MeasureResult r = value;
  if (r.value) r.value = *r.value - target;
  return r;
}

namespace {

// What a growth's base is, in a reason: "no figure for March 2023 (same period last year)".
const Wording kSamePeriodLastYear{"same period last year", "上年同期"};
const Wording kSameMonthsLastYear{"same months last year", "上年同期各月"};
const Wording kPreviousPeriod{"previous period", "上期"};

// "甲药业（9143…）2025年8月没有数据" / "甲药业 (9143…) has no figure for August 2025".
Wording NoFigure(const Wording& who, Period t) {
  const Wording at = PeriodWording(t);
  return {who.en + " has no figure for " + at.en, who.zh + at.zh + "没有数据"};
}

Wording BaseNotPositive(const Wording& base, double total) {
  return {"base total for " + base.en + " is " + Number(total) +
              ": growth from a zero or negative base is not defined",
          base.zh + "的基数合计为" + Number(total) + "，零或负的基数算不出增速"};
}

Wording RateNotDefined(const char* en, const char* zh) {
  return {std::string(en) + " of a published rate is not defined",
          std::string("公布的比率不能算") + zh};
}

}  // namespace

// What Compare found: totals of the current and base periods over the enterprises having all of
// them, or why there are none.
struct Measures::Sums {
  double current = 0;          // deflated when a price index is set
  double current_nominal = 0;  // at current prices whatever the index
  double base = 0;
  int counted = 0;
  int excluded = 0;
  Wording error;  // set when nothing could be counted, or the inputs are unusable
};

Measures::Measures(const FigureTable& figures, std::span<const EnterpriseInfo> enterprises,
                   MeasureOptions options)
    : figures_(figures), enterprises_(enterprises), options_(options) {}

bool Measures::is_rate() const { return figures_.kind() == IndicatorKind::kRate; }

namespace {

const char* CadenceZh(Cadence c) { return c == Cadence::kWeekly ? "周度" : "月度"; }

}  // namespace

Wording Measures::CheckPeriod(Period t) const {
  if (!t.valid()) return {"invalid period", "期间无效"};
  const Cadence cadence = figures_.cadence();
  if (t.cadence() != cadence)
    return {PeriodName(t, Language::kEn) + " is not " + std::string(CadenceName(cadence)),
            PeriodName(t) + "不是" + CadenceZh(cadence) + "期间"};
  if (options_.combine_jan_feb && t.monthly() && !t.is_jan_feb() && t.first_month() <= 2)
    return {"January and February are one period (" +
                PeriodName(Period::JanFeb(t.year()), Language::kEn) + ", NBS 1—2月); " +
                PeriodName(t, Language::kEn) + " is not a period of its own",
            "1月和2月合为一期（" + PeriodName(Period::JanFeb(t.year())) + "），" + PeriodName(t) +
                "不单独成期"};
  if (options_.price_index && options_.price_index->cadence() != cadence)
    return {"the price index is " + std::string(CadenceName(options_.price_index->cadence())) +
                " but the figures are " + std::string(CadenceName(cadence)),
            std::string("价格指数是") + CadenceZh(options_.price_index->cadence()) + "的，数据是" +
                CadenceZh(cadence) + "的"};
  return {};
}

// The heart of every growth measure: sums V over the current periods and over the base periods
// for the enterprises of scope that have a figure in every one of them (same-enterprise
// caliber). With comparable prices, each current value is deflated by its industry's index.
//
// Period by period: each period's column is read in one sweep over the scope, and every
// enterprise's sums are kept until all periods are read. Reading every period of one enterprise
// before the next jumps between two dozen columns at once (a year to date is 22 months), and at
// 20k enterprises nearly every such read missed the cache. Each enterprise's sums still add its
// periods in order and the totals add enterprises in scope order, so the values are the same
// to the last bit; the messages name the same enterprise and period as well.
Measures::Sums Measures::Compare(Scope scope, std::span<const Period> current,
                                 std::span<const Period> base, const Wording& base_label,
                                 std::vector<std::pair<EnterpriseIndex, double>>* deltas) const {
  Sums s;
  if (scope.empty()) {
    s.error = {"the scope has no enterprises", "范围内没有企业"};
    return s;
  }
  const bool summable = !is_rate();
  const size_t periods = current.size() + base.size();
  auto period = [&](size_t j) {
    return j < current.size() ? current[j] : base[j - current.size()];
  };
  // Period j of current then base; "none" = every period had a figure.
  constexpr size_t kNone = static_cast<size_t>(-1);
  struct Member {
    double current = 0;
    double current_nominal = 0;
    double base = 0;
    size_t missing = kNone;   // the first period without a figure
    size_t unpriced = kNone;  // the first current period without a usable price index
  };
  std::vector<Member> members(scope.size());
  for (size_t j = 0; j < periods; ++j) {
    const bool is_current = j < current.size();
    const PeriodReader reader(figures_, period(j), summable);
    std::optional<PeriodReader> price;
    if (is_current && options_.price_index)
      price.emplace(*options_.price_index, period(j), /*summable=*/false);
    for (size_t k = 0; k < scope.size(); ++k) {
      Member& m = members[k];
      if (m.missing != kNone) continue;  // out of the caliber already
      auto v = reader.Get(scope[k]);
      if (!v) {
        m.missing = j;
      } else if (!is_current) {
        m.base += *v;
      } else if (m.current_nominal += *v; !price) {
        m.current += *v;
      } else if (m.unpriced == kNone) {
        // Deflating only part of an aggregate would mix prices, so a missing index is fatal
        // (below, if the enterprise turns out to be in the caliber).
        auto index = price->Get(IndustryOf(scope[k]));
        if (!index || *index <= 0) {
          m.unpriced = j;
        } else {
          // V_real = V_cur / (PPI/100); a rate becomes real ≈ (1+r)/(PPI/100) − 1.
          m.current += summable ? *v / (*index / 100) : RealGrowthFromNominal(*v, *index);
        }
      }
    }
  }

  int without_current = 0;
  for (size_t k = 0; k < scope.size(); ++k) {
    const Member& m = members[k];
    const EnterpriseIndex e = scope[k];
    if (m.missing != kNone) {
      // An enterprise missing a current period is "did not report", not "no base".
      if (m.missing < current.size()) ++without_current;
      continue;
    }
    if (m.unpriced != kNone) {
      int32_t industry = IndustryOf(e);
      if (industry < 0) {
        const Wording who = EnterpriseText(e);
        s.error = {who.en + " has no industry, so no price index to deflate with",
                   who.zh + "没有所属行业，无法按价格指数折算可比价"};
        return s;
      }
      Wording why;
      PeriodReader(*options_.price_index, current[m.unpriced], false).Get(industry, &why);
      const Wording at = PeriodWording(current[m.unpriced]);
      s.error = {"no usable price index for industry " + IndustryText(industry) + " in " + at.en +
                     (why.empty() ? "" : " (" + why.en + ")"),
                 "“" + IndustryText(industry) + "”行业" + at.zh + "没有可用的价格指数" +
                     (why.empty() ? "" : "（" + why.zh + "）")};
      return s;
    }
    if (deltas) deltas->emplace_back(e, m.current - m.base);
    s.current += m.current;
    s.current_nominal += m.current_nominal;
    s.base += m.base;
    ++s.counted;
  }
  s.excluded = static_cast<int>(scope.size()) - s.counted;
  if (s.counted > 0) return s;

  const Wording what = Describe(current);
  const std::string count = std::to_string(scope.size());
  if (without_current == static_cast<int>(scope.size())) {
    if (scope.size() == 1) {
      const Wording who = EnterpriseText(scope[0]);
      s.error = {who.en + " has no figure for " + what.en, who.zh + what.zh + "没有数据"};
    } else {
      s.error = {"no figure for " + what.en + " for any of the " + count + " enterprises in scope",
                 "范围内" + count + "家企业" + what.zh + "都没有数据"};
    }
  } else {
    const Wording before = Describe(base);
    if (scope.size() == 1) {
      const Wording who = EnterpriseText(scope[0]);
      s.error = {"no figure for " + before.en + " (" + base_label.en + ") for " + who.en,
                 who.zh + "没有" + before.zh + "（" + base_label.zh + "）的数据"};
    } else {
      s.error = {
          "no figure for " + before.en + " (" + base_label.en +
              ") for any enterprise in scope that reported " + what.en,
          "报了" + what.zh + "数据的企业都没有" + before.zh + "（" + base_label.zh + "）的数据"};
    }
  }
  // The first enterprise whose first missing figure is an unusable Jan–Feb one says why.
  for (size_t k = 0; k < scope.size(); ++k) {
    if (members[k].missing == kNone) continue;
    Wording why;
    PeriodReader(figures_, period(members[k].missing), summable).Get(scope[k], &why);
    if (!why.empty()) {
      const Wording who = EnterpriseText(scope[k]);
      s.error += Wording{"; " + who.en + ": " + why.en, "；" + who.zh + "：" + why.zh};
      break;
    }
  }
  return s;
}

int32_t Measures::IndustryOf(EnterpriseIndex e) const {
  return static_cast<size_t>(e) < enterprises_.size()
             ? enterprises_[static_cast<size_t>(e)].industry
             : -1;
}

MeasureResult Measures::Level(Scope scope, Period t) const {
  if (auto e = CheckPeriod(t); !e.empty()) return NoData(e);
  if (is_rate() && scope.size() != 1) {
    const std::string n = std::to_string(scope.size());
    return NoData(
        {"a published rate is not summed: the rate of " + n +
             " enterprises is undefined; use the aggregate's own published rate",
         "公布的比率不能相加：" + n + "家企业合起来的比率没有定义，请用汇总后公布的比率"});
  }
  Sums s = Compare(scope, std::span<const Period>(&t, 1), {}, {});
  if (!s.error.empty()) return NoData(s.error);
  MeasureResult r;
  r.value = s.current;
  r.enterprises = s.counted;
  r.excluded = s.excluded;
  return r;
}

// Growth of the caliber's sums with the totals behind it.
MeasureResult Measures::GrowthResult(const Sums& s) {
  MeasureResult r;
  r.value = s.current / s.base - 1;
  r.enterprises = s.counted;
  r.excluded = s.excluded;
  r.total = s.current_nominal;
  r.total_year_ago = s.base;
  return r;
}

MeasureResult Measures::Growth(Scope scope, Period t, GrowthBasis basis) const {
  return basis == GrowthBasis::kYoY ? YoY(scope, t) : MoM(scope, t);
}

namespace {

// t has no same period a year before: week 53 in a year after one of 52 weeks.
Wording NoYearBefore(Period t) {
  const Wording at = PeriodWording(t);
  if (t.weekly()) {
    const std::string year = std::to_string(t.year() - 1);
    const std::string weeks = std::to_string(IsoWeeksInYear(t.year() - 1));
    return {
        at.en + " has no same week a year before: ISO year " + year + " has " + weeks + " weeks",
        at.zh + "没有上年同期：" + year + "年只有" + weeks + "周"};
  }
  return {at.en + " has no same period a year before", at.zh + "没有上年同期"};
}

}  // namespace

MeasureResult Measures::YoY(Scope scope, Period t) const {
  if (auto e = CheckPeriod(t); !e.empty()) return NoData(e);
  if (is_rate())
    return NoData(
        {"year-on-year growth of a published rate is not defined; the rate is used as "
         "given",
         "公布的比率不算同比增速，按公布的数值使用"});
  std::optional<Period> base = t.SameLastYear();
  if (!base) return NoData(NoYearBefore(t));
  Sums s = Compare(scope, std::span<const Period>(&t, 1), std::span<const Period>(&*base, 1),
                   kSamePeriodLastYear);
  if (!s.error.empty()) return NoData(s.error);
  if (s.base <= 0) return NoData(BaseNotPositive(PeriodWording(*base), s.base));
  return GrowthResult(s);
}

MeasureResult Measures::YtdYoY(Scope scope, Period t) const {
  if (auto e = CheckPeriod(t); !e.empty()) return NoData(e);
  if (!t.monthly())
    return NoData(
        {"year-to-date growth (累计同比) is a monthly measure", "累计同比只用于月度数据"});
  if (is_rate())
    return NoData({"year-to-date growth of a published rate is not defined; rates are not summed",
                   "公布的比率不能累计，没有累计同比"});
  std::vector<Period> months;
  if (t.is_jan_feb()) {
    months.push_back(t);
  } else {
    for (Period p : MonthlyPeriodsOfYear(t.year(), options_.combine_jan_feb))
      if (p.last_month() <= t.last_month()) months.push_back(p);
  }
  std::vector<Period> base;
  for (Period p : months) base.push_back(SamePeriodYearsBefore(p, 1));
  Sums s = Compare(scope, months, base, kSameMonthsLastYear);
  if (!s.error.empty()) return NoData(s.error);
  if (s.base <= 0) return NoData(BaseNotPositive(Describe(base), s.base));
  return GrowthResult(s);
}

MeasureResult Measures::MoM(Scope scope, Period t) const {
  if (auto e = CheckPeriod(t); !e.empty()) return NoData(e);
  if (is_rate()) return NoData(RateNotDefined("month-on-month growth", "环比增速"));
  if (options_.price_index)
    return NoData(
        {"month-on-month growth at comparable prices needs a month-on-month price "
         "index; the price index is against the same period last year",
         "可比价环比需要环比价格指数，而现有价格指数以上年同期为基期"});
  if (t.is_jan_feb() || (options_.combine_jan_feb && t.monthly() && t.first_month() == 3)) {
    const Wording at = PeriodWording(t);
    return NoData({"no month-on-month growth for " + at.en +
                       ": Jan–Feb spans two months and its neighbour one",
                   at.zh + "没有环比：1—2月是两个月，相邻的月份只有一个月"});
  }
  Period prev = PreviousPeriod(t, options_.combine_jan_feb);
  Sums s = Compare(scope, std::span<const Period>(&t, 1), std::span<const Period>(&prev, 1),
                   kPreviousPeriod);
  if (!s.error.empty()) return NoData(s.error);
  if (s.base <= 0) return NoData(BaseNotPositive(PeriodWording(prev), s.base));
  MeasureResult r = GrowthResult(s);
  r.total_year_ago.reset();  // its base is the period before, not a year before
  r.total.reset();
  return r;
}

namespace {

// A reason about one of the growths a measure combines: "growth for June 2025: …" /
// "2025年6月的增速：…".
Wording GrowthOf(Period p, bool rate, const Wording& why) {
  const Wording at = PeriodWording(p);
  return Wording{(rate ? "rate for " : "growth for ") + at.en + ": ",
                 at.zh + (rate ? "的比率：" : "的增速：")} +
         why;
}

}  // namespace

MeasureResult Measures::TwoYearAverage(Scope scope, Period t) const {
  if (auto e = CheckPeriod(t); !e.empty()) return NoData(e);
  Period before = SamePeriodYearsBefore(t, 1);
  if (!before.valid()) return NoData(NoYearBefore(t));
  // For a published rate the rates themselves are the growths; for levels compute them.
  MeasureResult now = is_rate() ? Level(scope, t) : YoY(scope, t);
  if (!now.ok()) return NoData(GrowthOf(t, is_rate(), now.no_data_reason));
  MeasureResult then = is_rate() ? Level(scope, before) : YoY(scope, before);
  if (!then.ok()) return NoData(GrowthOf(before, is_rate(), then.no_data_reason));
  double product = (1 + *now.value) * (1 + *then.value);
  if (product < 0)
    return NoData({"two-year growth factor is negative; no two-year average",
                   "两年的增长系数相乘为负，算不出两年平均增速"});
  MeasureResult r = now;
  r.value = std::sqrt(product) - 1;
  return r;
}

Wording Measures::EnterpriseText(EnterpriseIndex e) const {
  if (options_.enterprise_name) return options_.enterprise_name(e);
  return {"enterprise " + std::to_string(e), "企业" + std::to_string(e)};
}

std::string Measures::IndustryText(int32_t industry) const {
  if (options_.industry_name) return options_.industry_name(industry);
  return std::to_string(industry);
}

MeasureResult Measures::Change(Scope scope, Period t, bool against_previous) const {
  if (auto e = CheckPeriod(t); !e.empty()) return NoData(e);
  Period before =
      against_previous ? PreviousPeriod(t, options_.combine_jan_feb) : SamePeriodYearsBefore(t, 1);
  if (!before.valid()) {
    const Wording at = PeriodWording(t);
    return NoData({at.en + " has no period to compare with", at.zh + "没有可比的期间"});
  }
  // A published rate is compared as given; a level by its YoY growth.
  MeasureResult now = is_rate() ? Level(scope, t) : YoY(scope, t);
  if (!now.ok()) return NoData(GrowthOf(t, is_rate(), now.no_data_reason));
  MeasureResult then = is_rate() ? Level(scope, before) : YoY(scope, before);
  if (!then.ok()) return NoData(GrowthOf(before, is_rate(), then.no_data_reason));
  MeasureResult r = now;
  r.value = *now.value - *then.value;
  return r;
}

namespace {

const Wording kPart{"part: ", "部分："};
const Wording kWhole{"whole: ", "整体："};

}  // namespace

MeasureResult Measures::Share(Scope part, Scope whole, Period t) const {
  if (is_rate()) return NoData(RateNotDefined("a share", "占比"));
  MeasureResult p = Level(part, t);
  if (!p.ok()) return NoData(kPart + p.no_data_reason);
  MeasureResult w = Level(whole, t);
  if (!w.ok()) return NoData(kWhole + w.no_data_reason);
  if (*w.value <= 0) {
    const Wording at = PeriodWording(t);
    return NoData({"whole total for " + at.en + " is " + Number(*w.value),
                   at.zh + "整体合计为" + Number(*w.value) + "，算不出占比"});
  }
  MeasureResult r = p;
  r.value = *p.value / *w.value;
  return r;
}

Wording Measures::Window(Period t, Span span, std::vector<Period>* current,
                         std::vector<Period>* base) const {
  if (span == Span::kYearToDate) {
    if (!t.monthly())
      return {"year-to-date pulls and contributions are monthly measures",
              "累计拉动和累计贡献率只用于月度数据"};
    if (t.is_jan_feb()) {
      current->push_back(t);
    } else {
      for (Period p : MonthlyPeriodsOfYear(t.year(), options_.combine_jan_feb))
        if (p.last_month() <= t.last_month()) current->push_back(p);
    }
    for (Period p : *current) base->push_back(SamePeriodYearsBefore(p, 1));
    return {};
  }
  std::optional<Period> last_year = t.SameLastYear();
  if (!last_year) return NoYearBefore(t);
  current->push_back(t);
  base->push_back(*last_year);
  return {};
}

Wording Measures::PartWholeChange(Scope part, Scope whole, Period t, Span span,
                                  const Wording& measure, Sums* p, Sums* w,
                                  Wording* base_text) const {
  if (auto e = CheckPeriod(t); !e.empty()) return e;
  if (is_rate()) return RateNotDefined(measure.en.c_str(), measure.zh.c_str());
  std::vector<Period> cur, prev;
  if (auto e = Window(t, span, &cur, &prev); !e.empty()) return e;
  *base_text = Describe(prev);
  *p = Compare(part, cur, prev, kSamePeriodLastYear);
  if (!p->error.empty()) return kPart + p->error;
  *w = Compare(whole, cur, prev, kSamePeriodLastYear);
  if (!w->error.empty()) return kWhole + w->error;
  return {};
}

MeasureResult Measures::Contribution(Scope part, Scope whole, Period t, Span span) const {
  Sums p, w;
  Wording base;
  if (auto e = PartWholeChange(part, whole, t, span, {"a contribution", "贡献率"}, &p, &w, &base);
      !e.empty())
    return NoData(e);
  double delta_whole = w.current - w.base;
  if (delta_whole == 0) {
    const Wording at = PeriodWording(t);
    return NoData({"the whole did not change from " + base.en + " to " + at.en +
                       ", so contributions are undefined",
                   "整体从" + base.zh + "到" + at.zh + "没有变化，算不出贡献率"});
  }
  MeasureResult r;
  r.value = (p.current - p.base) / delta_whole;
  r.enterprises = p.counted;
  r.excluded = p.excluded;
  return r;
}

MeasureResult Measures::Pull(Scope part, Scope whole, Period t, Span span) const {
  Sums p, w;
  Wording base;
  if (auto e = PartWholeChange(part, whole, t, span, {"a pull", "拉动"}, &p, &w, &base); !e.empty())
    return NoData(e);
  if (w.base <= 0) return NoData(BaseNotPositive(base, w.base));
  MeasureResult r;
  r.value = (p.current - p.base) / w.base;
  r.enterprises = p.counted;
  r.excluded = p.excluded;
  return r;
}

std::vector<Measures::EnterprisePull> Measures::PullsByEnterprise(Scope whole, Period t,
                                                                  Wording* no_data_reason,
                                                                  Span span) const {
  std::vector<EnterprisePull> out;
  auto fail = [&](Wording reason) {
    if (no_data_reason) *no_data_reason = std::move(reason);
    return std::vector<EnterprisePull>();
  };
  if (auto e = CheckPeriod(t); !e.empty()) return fail(e);
  if (is_rate()) return fail(RateNotDefined("a pull", "拉动"));
  std::vector<Period> cur, base;
  if (auto e = Window(t, span, &cur, &base); !e.empty()) return fail(e);
  std::vector<std::pair<EnterpriseIndex, double>> deltas;
  Sums w = Compare(whole, cur, base, kSamePeriodLastYear, &deltas);
  if (!w.error.empty()) return fail(w.error);
  if (w.base <= 0) return fail(BaseNotPositive(Describe(base), w.base));
  double delta_whole = w.current - w.base;
  out.reserve(deltas.size());
  for (auto [e, delta] : deltas) {
    EnterprisePull p{e, delta / w.base, std::nullopt};
    if (delta_whole != 0) p.contribution = delta / delta_whole;
    out.push_back(p);
  }
  if (no_data_reason) *no_data_reason = {};
  return out;
}

MeasureResult Measures::ConsecutiveDeclines(Scope scope, Period t, GrowthBasis basis,
                                            double by) const {
  MeasureResult first = Growth(scope, t, basis);
  if (!first.ok()) return first;
  MeasureResult r = first;
  int count = 0;
  const int limit = t.weekly() ? 10 * 53 : 10 * 12;
  Period p = t;
  for (int step = 0; step < limit && p.valid();
       ++step, p = PreviousPeriod(p, options_.combine_jan_feb)) {
    if (basis == GrowthBasis::kYoY && p.weekly() && !p.SameLastYear()) continue;  // lone W53
    MeasureResult g = step == 0 ? first : Growth(scope, p, basis);
    if (!g.ok() || *g.value >= 0 || (by > 0 && *g.value > -by)) break;
    ++count;
  }
  r.value = count;
  return r;
}

AnomalyResult Measures::Anomaly(EnterpriseIndex enterprise, Period t, int years) const {
  return std::move(Anomalies(Scope(&enterprise, 1), t, years)[0]);
}

namespace {

// Sorts v in place: the callers' scratch, not a copy per enterprise.
double Median(std::span<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// The enterprise's level just before a period: the median of its figures in the kRecent periods
// before it (at least two of them), or nullopt.
constexpr int kRecent = 3;

// readers: the periods before (kRecent of them, kUnitSlipLevelPeriods for a unit slip's level).
std::optional<double> RecentLevel(const std::vector<PeriodReader>& readers, EnterpriseIndex e) {
  static_assert(kUnitSlipLevelPeriods >= kRecent);
  // On the stack: the ingest's quarantine asks this for every figure of a bulk load.
  std::array<double, kUnitSlipLevelPeriods> values;
  size_t n = 0;
  for (const PeriodReader& r : readers)
    if (auto v = r.Get(e); v && *v > 0 && n < values.size()) values[n++] = *v;
  if (n < 2) return std::nullopt;
  return Median(std::span<double>(values.data(), n));
}

}  // namespace

std::vector<AnomalyResult> Measures::Anomalies(Scope scope, Period t, int years) const {
  std::vector<AnomalyResult> out(scope.size());
  if (auto e = CheckPeriod(t); !e.empty()) {
    for (AnomalyResult& r : out) r.no_data_reason = e;
    return out;
  }
  const bool summable = !is_rate();
  const bool combine = options_.combine_jan_feb;
  // The same period k years before (k = 0: t itself), and the periods just before each.
  struct Year {
    Period period;
    PeriodReader same;
    std::vector<PeriodReader> recent;
  };
  std::vector<Year> by_year;
  for (int k = 0; k <= years; ++k) {
    Period p = k == 0 ? t : SamePeriodYearsBefore(t, k);
    if (!p.valid()) continue;  // e.g. no week 53 that year
    Year y{p, PeriodReader(figures_, p, summable), {}};
    Period q = p;
    for (int j = 0; j < kRecent;) {
      q = PreviousPeriod(q, combine);
      // Jan–Feb is two months: its level is not a month's, so the months before it stand in
      // (March's level is last October to December's; stopping there left March and April
      // with no level, compared with their raw earlier years: a fast grower was an anomaly).
      if (q.is_jan_feb()) continue;
      y.recent.emplace_back(figures_, q, summable);
      ++j;
    }
    by_year.push_back(std::move(y));
  }
  std::vector<double> scaled, deviations;  // per enterprise, reused
  std::vector<size_t> found;               // the years of scaled (by_year indices)
  for (size_t i = 0; i < scope.size(); ++i) {
    const EnterpriseIndex enterprise = scope[i];
    AnomalyResult& r = out[i];
    Wording why;
    auto now = by_year[0].same.Get(enterprise, &why);
    if (!now) {
      r.no_data_reason = NoFigure(EnterpriseText(enterprise), t);
      if (!why.empty()) r.no_data_reason += Wording{"; " + why.en, "；" + why.zh};
      continue;
    }
    r.value = *now;
    const std::optional<double> level_now = RecentLevel(by_year[0].recent, enterprise);
    // Each earlier year's same period, brought to the recent level: a business that grew by a
    // fifth since then is compared with its old month plus a fifth.
    scaled.clear();
    found.clear();
    for (size_t k = 1; k < by_year.size(); ++k) {
      auto v = by_year[k].same.Get(enterprise);
      if (!v || *v <= 0) continue;
      found.push_back(k);
      double factor = 1;
      if (auto level_then = RecentLevel(by_year[k].recent, enterprise); level_then && level_now)
        factor = *level_now / *level_then;
      scaled.push_back(*v * factor);
    }
    r.years = static_cast<int>(scaled.size());
    if (scaled.size() < static_cast<size_t>(kMinAnomalyYears)) {
      Wording list;
      for (size_t k : found) {
        if (!list.empty()) list += Wording{", ", "、"};
        list += PeriodWording(by_year[k].period);
      }
      const Wording who = EnterpriseText(enterprise);
      const std::string need = std::to_string(kMinAnomalyYears);
      const std::string has = std::to_string(scaled.size());
      r.no_data_reason = {"a seasonal baseline needs the same period in at least " + need +
                              " earlier years; " + who.en + " has " + has +
                              (list.empty() ? "" : " (" + list.en + ")"),
                          "历史同期基准至少要此前" + need + "年的同期数据，" + who.zh + "只有" +
                              has + "年" + (list.empty() ? "" : "（" + list.zh + "）")};
      continue;
    }
    // Median and median absolute deviation, in logarithms: robust to one odd year, and a
    // doubling weighs as much as a halving.
    r.mean = Median(scaled);
    deviations.clear();
    for (double v : scaled) deviations.push_back(std::fabs(std::log(v / r.mean)));
    r.stddev = std::max(1.4826 * Median(deviations), kAnomalyMinSpread);
    if (r.value <= 0 || r.mean <= 0) {
      r.no_data_reason = {"a figure of 0 has no ratio to its baseline", "数值为0，无法与基准相比"};
      continue;
    }
    r.ratio = r.value / r.mean;
    r.z = std::log(r.value / r.mean) / r.stddev;
  }
  return out;
}

std::vector<UnitSlip> Measures::UnitSlips(Scope scope, Period t) const {
  std::vector<UnitSlip> out(scope.size());
  if (auto e = CheckPeriod(t); !e.empty()) {
    for (UnitSlip& r : out) r.no_data_reason = e;
    return out;
  }
  const bool summable = !is_rate();
  const PeriodReader current(figures_, t, summable);
  // The Spring Festival stops assembly plants for a week or more (a festival week at a seventh of
  // normal is ordinary): the weeks of its season are no recent level, which is taken from the
  // weeks before it, and a festival week below its level is the festival, not a unit.
  const bool festival = t.weekly() && IsSpringFestivalWeek(t);
  std::vector<PeriodReader> recent;
  Period q = t;
  for (int j = 0, looked = 0; j < kUnitSlipLevelPeriods && looked < kUnitSlipLookBack; ++looked) {
    q = PreviousPeriod(q, options_.combine_jan_feb);
    if (q.weekly() && IsSpringFestivalWeek(q)) continue;
    recent.emplace_back(figures_, q, summable);
    ++j;
  }
  const FigureTable::Column held = options_.held ? options_.held->At(t) : FigureTable::Column();
  for (size_t i = 0; i < scope.size(); ++i) {
    const EnterpriseIndex e = scope[i];
    UnitSlip& r = out[i];
    auto now = current.Get(e);
    if (!now) now = held.Get(e);
    if (!now) {
      r.no_data_reason = NoFigure(EnterpriseText(e), t);
      continue;
    }
    auto level = RecentLevel(recent, e);
    if (!level) {
      const Wording who = EnterpriseText(e), at = PeriodWording(t);
      const std::string n = std::to_string(kUnitSlipLevelPeriods);
      r.no_data_reason = {who.en + " has fewer than 2 figures in the " + n + " periods before " +
                              at.en + ", so no recent level",
                          who.zh + at.zh + "之前" + n + "期中不足2期有数据，尚无近期水平可比"};
      continue;
    }
    r.value = *now;
    r.level = *level;
    r.exponent = 0;
    if (*now < 0) continue;
    // 元/千元/万元/亿元 confused: a factor of 10, 1 000 or 10 000 either way, within a factor of
    // two (a month's real swing and Jan–Feb's two months stay far from 10×).
    if (*now > 0) {
      const double l = std::log10(*now / *level);
      for (int k : {1, 3, 4})
        for (int sign : {1, -1})
          if (std::fabs(l - sign * k) <= std::log10(2.0) && !(festival && sign < 0))
            r.exponent = sign * k;
    }
    // Below the 1/1 000 band, zero included, is the 1/10 000 slip: a small week typed in the
    // unit 10 000 times larger (47 万元 in 亿元 is 0.0047) reads 0.00 or 0.01 at a file's two
    // decimals, so its ratio no longer says which factor it was, only that it is far below. A
    // real standstill reads 0 too and is held the same way until confirmed: a week without
    // output outside the festival is worth the call either way.
    if (r.exponent == 0 && *now < *level / 2000 && !festival) r.exponent = -4;
  }
  return out;
}

namespace {

// One year's course of growths g (sorted in place): the mean of its middle half, or for the year
// just before t (first_year) short of half a year's periods, the median of at least
// kFallMinCoursePeriods; none otherwise.
std::optional<double> CourseOfYear(std::vector<double>& g, int per_year, bool first_year) {
  if (static_cast<int>(g.size()) >= per_year / 2) {
    std::sort(g.begin(), g.end());
    const size_t n = g.size(), cut = n / 4;
    double sum = 0;
    for (size_t k = cut; k < n - cut; ++k) sum += g[k];
    return sum / static_cast<double>(n - 2 * cut);
  }
  if (first_year && static_cast<int>(g.size()) >= kFallMinCoursePeriods)
    return Median(std::span<double>(g));
  return std::nullopt;
}

// The standard deviation of growths with kFallPriorPeriods periods of kFallPriorSwing added in.
double SwingWithPrior(std::span<const double> growths) {
  double squares = 0;
  if (growths.size() >= 2) {
    double mean = 0;
    for (double g : growths) mean += g;
    mean /= static_cast<double>(growths.size());
    for (double g : growths) squares += (g - mean) * (g - mean);
  }
  const int own = std::max(static_cast<int>(growths.size()) - 1, 0);
  return std::sqrt((kFallPriorPeriods * kFallPriorSwing * kFallPriorSwing + squares) /
                   (kFallPriorPeriods + own));
}

}  // namespace

std::vector<Fall> Measures::Falls(Scope scope, Period t, double swings) const {
  std::vector<Fall> out(scope.size());
  if (auto e = CheckPeriod(t); !e.empty()) {
    for (Fall& f : out) f.no_data_reason = e;
    return out;
  }
  if (is_rate()) {
    for (Fall& f : out) f.no_data_reason = RateNotDefined("fall()", "较自身走势的降幅");
    return out;
  }
  // The periods of the three years before t with their same period a year before, newest first,
  // each with the year before t it lies in (0: the year just before t, whose growths make the
  // course). Weekly, the festival season is left out as the weekly rules leave it out: it
  // measures the calendar, not the enterprise's course.
  const int per_year = t.weekly() ? 52 : (options_.combine_jan_feb ? 11 : 12);
  struct Pair {
    PeriodReader now, base;
    int year;
  };
  std::vector<Pair> pairs;
  Period q = t;
  for (int k = 0; k < kFallSwingYears * per_year; ++k) {
    q = PreviousPeriod(q, options_.combine_jan_feb);
    if (!q.valid()) break;
    std::optional<Period> base = q.SameLastYear();
    if (!base) continue;  // week 53 without a partner
    if (q.weekly() && (IsSpringFestivalWeek(q) || IsSpringFestivalWeek(*base))) continue;
    pairs.push_back(
        {PeriodReader(figures_, q, true), PeriodReader(figures_, *base, true), k / per_year});
  }
  // The same period 1, 2 and 3 years before t: the level t is expected at. A year without that
  // period (week 53) or whose week falls in the festival season has none.
  std::vector<std::optional<PeriodReader>> same;
  for (int k = 1; k <= kFallSwingYears; ++k) {
    const Period p = SamePeriodYearsBefore(t, k);
    if (p.valid() && !(p.weekly() && IsSpringFestivalWeek(p)))
      same.emplace_back(PeriodReader(figures_, p, true));
    else
      same.emplace_back(std::nullopt);
  }
  const PeriodReader now_reader(figures_, t, true);
  // Reused for every enterprise.
  std::array<std::vector<double>, kFallSwingYears> by_year;
  std::vector<double> growths, sorted;
  std::vector<int> years_of;
  for (size_t i = 0; i < scope.size(); ++i) {
    const EnterpriseIndex e = scope[i];
    Fall& f = out[i];
    MeasureResult now = YoY(Scope(&e, 1), t);
    if (!now.ok()) {
      f.no_data_reason = now.no_data_reason;
      continue;
    }
    f.growth = *now.value;
    growths.clear();
    years_of.clear();
    for (const Pair& p : pairs) {
      auto v = p.now.Get(e), b = p.base.Get(e);
      if (!v || !b || *b <= 0) continue;
      growths.push_back(*v / *b - 1);
      years_of.push_back(p.year);
    }
    // An earlier fall's periods, and their rebound a year later against the fallen base, are
    // events, not the enterprise's course or usual swing: growths more than kFallOutlierSwings
    // robust swings (1.4826 × their median distance from their median, at least a point) from
    // their median are left out of both.
    double median = 0, robust = 0;
    if (growths.size() >= 3) {
      sorted.assign(growths.begin(), growths.end());
      median = Median(std::span<double>(sorted));
      for (size_t k = 0; k < growths.size(); ++k) sorted[k] = std::fabs(growths[k] - median);
      robust = std::max(1.4826 * Median(std::span<double>(sorted)), 0.01);
    }
    for (auto& y : by_year) y.clear();
    size_t kept = 0;
    for (size_t k = 0; k < growths.size(); ++k) {
      if (robust > 0 && std::fabs(growths[k] - median) > kFallOutlierSwings * robust) continue;
      by_year[years_of[k]].push_back(growths[k]);
      growths[kept++] = growths[k];
    }
    growths.resize(kept);
    // Each year's course: the mean of the middle half of its growths, not the year's total: the
    // periods of a fall under way are in the year before its later periods and must not make the
    // fall its own course (a quarter of the year's periods at either end are left out); steadier
    // than the median. A year needs half its periods for a course; the year just before t,
    // short of that (an enterprise's first months of growth), takes the median of what it has
    // if that is kFallMinCoursePeriods or more (so that one odd period is not the course).
    std::array<std::optional<double>, kFallSwingYears> courses;
    for (int y = 0; y < kFallSwingYears; ++y)
      courses[y] = CourseOfYear(by_year[y], per_year, y == 0);
    f.course = courses[0];
    // The swing: the standard deviation of the growths, with kFallPriorPeriods periods of
    // kFallPriorSwing added in: an enterprise with few periods of its own is taken to swing as
    // an ordinary noisy one does, and its own swing takes over as its periods accumulate.
    f.swing = SwingWithPrior(growths);
    f.swing_periods = static_cast<int>(growths.size());
    const double course = f.course.value_or(0);
    f.value = (1 + f.growth) / (1 + std::min(course, 0.0)) - 1;
    // The expected level: the same period of each earlier year with a figure, brought forward by
    // the courses of the years between (geometric mean). Against one year, a period low only
    // because last year's was high looks like a fall; against three, that year's swing weighs a
    // third. The deviation from the expected level swings by √((1 + 1/K)/2) of a growth's swing
    // (its own figure's swing and 1/K of the K bases'), so that is the swing it is held to.
    double log_sum = 0, forward = 0;
    int years = 0;
    for (int k = 1; k <= kFallSwingYears; ++k) {
      const std::optional<double> c = k == 1 ? std::optional<double>(course) : courses[k - 1];
      if (!c || *c <= -1) break;  // no course to bring that year forward by
      forward += std::log1p(*c);
      if (!same[k - 1]) continue;
      auto b = same[k - 1]->Get(e);
      if (!b || *b <= 0) continue;
      log_sum += std::log(*b) + forward;
      ++years;
    }
    auto v = now_reader.Get(e);
    if (years > 0 && v && *v > 0) {
      f.expected = std::exp(log_sum / years);
      f.years = years;
      f.from_expected = *v / *f.expected - 1;
      f.sudden = *f.from_expected <= -swings * f.swing * std::sqrt((1 + 1.0 / years) / 2);
    }
  }
  return out;
}

}  // namespace parkwatch
