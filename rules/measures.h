// Measures of the monitoring rules, computed as NBS (国家统计局) computes them, over in-memory
// figures (rules/figure_table.h). The README's "Rules" section lists them as rule writers see
// them; the NBS conventions they follow are stated below, where they are applied.
//
// Every measure returns a MeasureResult. Where the data does not support the measure the result
// has no value and a reason a person can act on, worded where it is decided in both languages
// (core/wording.h), periods in words: "报了2024年3月数据的企业都没有2023年3月（上年同期）的数据" /
// "no figure for March 2023 (same period last year) for any enterprise in scope that reported
// March 2024"; a missing figure is never read as zero.
//
// Growth is always same-enterprise caliber (同口径): an aggregate's growth compares this period's
// total with last period's total of the SAME enterprises, namely the scope's enterprises that have
// a figure in both. The scope is the caller's enterprise set for the year measured (typically the
// 规上 enterprises of that year, see SelectScope), so entrants bring their own prior-year figures
// and enterprises that have left are not in the base.
//
// Published rates (IndicatorKind::kRate) are used as given and never summed: growth of a rate is
// not defined, and a rate is only read for a one-enterprise scope.
//
// January–February: since 2013 NBS surveys and publishes January and February together (1—2月)
// because the Spring Festival moves. With MeasureOptions::combine_jan_feb (the default) monthly
// measures see the year as Jan–Feb, March, ..., December:
//   - a stored Jan–Feb figure of an enterprise is used as is;
//   - otherwise separate January and February LEVEL figures are summed (both must exist);
//   - separate January and February RATES cannot be merged, so they give no data;
//   - asking for January or February alone is refused.
// With combine_jan_feb false the months are used as given (a Jan–Feb period may still be asked
// for, and is read the same way).
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/period.h"
#include "core/wording.h"
#include "rules/figure_table.h"

namespace parkwatch {

// The outcome of a measure.
struct MeasureResult {
  std::optional<double> value;  // ratios for growth (0.05 = 5%), the indicator's unit for levels
  Wording no_data_reason;       // why value is empty; empty when value is set
  int enterprises = 0;          // enterprises counted in the value (the caliber)
  int excluded = 0;             // enterprises of the scope left out for lack of a figure
  // Year-on-year growth of a summed indicator (YoY, YtdYoY): the caliber's total of the period
  // (or months to date) at current prices, and of the same period a year before — the amounts a
  // reader sees beside the growth (NBS writes totals at current prices, growth at comparable).
  std::optional<double> total, total_year_ago;

  bool ok() const { return value.has_value(); }
};

// What a pull or contribution compares: the period against the same period a year before, or
// (monthly) months 1..N of the year against the same months of last year (累计拉动/累计贡献率, in
// the caliber of YtdYoY: enterprises with every month in both years).
enum class Span { kPeriod, kYearToDate };

enum class GrowthBasis {
  kYoY,  // 同比: against the same period a year before
  kMoM,  // 环比: against the previous period
};

struct MeasureOptions {
  // Treat January and February as one period (NBS practice since 2013). Per rule set.
  bool combine_jan_feb = true;

  // Comparable prices (可比价). When set, current-period values are deflated by the price index
  // of their enterprise's industry before they are summed or compared: rows of this table are
  // industry ids (EnterpriseInfo::industry), values are indices with the same period a year
  // before = 100 (e.g. PPI 104 = prices up 4%). Must have the figures' cadence.
  //   level:  V_real(t) = V_cur(t) / (PPI(t)/100), compared against last year's current-price
  //           value, so YoY gives real growth: Σ V_cur(t)/(PPI/100) / Σ V(t−1y) − 1;
  //   rate:   a published nominal rate r becomes real ≈ (1+r)/(PPI/100) − 1.
  // MoM is refused under comparable prices: a same-period-last-year index cannot deflate it.
  const FigureTable* price_index = nullptr;

  // Figures held in quarantine as suspected unit slips (store/quarantine.h), same cadence and
  // rows as the figures: no measure counts them, except UnitSlips, which reads a held figure as
  // its period's figure so that the alert saying why it is held keeps firing.
  const FigureTable* held = nullptr;

  // How reasons name an enterprise (甲药业（91430700MA4L000011）/ 甲药业 (91430700MA4L000011))
  // and an industry (医药化工); without them, by index (企业3 / enterprise 3).
  std::function<Wording(EnterpriseIndex)> enterprise_name;
  std::function<std::string(int32_t)> industry_name;
};

// The monthly periods of a year: Jan–Feb, March..December when combine_jan_feb, else
// January..December.
std::vector<Period> MonthlyPeriodsOfYear(int year, bool combine_jan_feb);

// Period::Prev/Next aware of Jan–Feb: with combine_jan_feb, March's predecessor is Jan–Feb and
// December's successor is next year's Jan–Feb.
Period PreviousPeriod(Period p, bool combine_jan_feb);
Period NextPeriod(Period p, bool combine_jan_feb);

// The same period k years before: ISO week w of year y−k (invalid Period if that year has no
// week 53), the same month, or Jan–Feb.
Period SamePeriodYearsBefore(Period p, int k);

// Growth at comparable prices from a published nominal rate and a price index (same period last
// year = 100): real ≈ (1 + nominal) / (index/100) − 1. E.g. nominal 10%, PPI 104 → 5.769...%.
double RealGrowthFromNominal(double nominal, double price_index);

// Gap to a growth target, both as ratios: value − target (−0.01 = one point below target).
// A result without a value stays without one, with its reason.
MeasureResult TargetDeviation(const MeasureResult& value, double target);

// Seasonal anomaly of one enterprise's figure against its own history: a robust baseline from
// the same period in at least kMinAnomalyYears earlier years, each brought to the enterprise's
// recent level (median of the three periods before, then and now), and the spread of those
// years around it (median absolute deviation of the logarithms, at least kAnomalyMinSpread).
inline constexpr int kMinAnomalyYears = 3;
// A month's normal swing: fewer than three earlier years that happen to agree must not make a
// 10% move look like many deviations.
inline constexpr double kAnomalyMinSpread = 0.10;

struct AnomalyResult {
  std::optional<double> z;      // ln(V(t) / baseline) / spread, signed; empty without history
  std::optional<double> ratio;  // V(t) / baseline
  double value = 0;             // V(t)
  double mean = 0;              // the baseline (median of the scaled earlier years)
  double stddev = 0;            // the spread (1.4826 MAD of the logarithms, at least 0.10)
  int years = 0;                // earlier years found
  Wording no_data_reason;       // why z is empty
};

// A figure that looks like a unit slip (元 reported as 万元 and the like): a factor of 10, 1 000
// or 10 000, or the inverse, of the enterprise's recent level, within a factor of two; anything
// below 1/2 000 of it, zero included, counts as 1/10 000 (a small week's slip rounds to 0.00 at
// two decimals). The one test: the unit_slip measure and the ingest's quarantine
// (rules/unit_slip_hold.h) both use it. Weekly, the Spring Festival season (core/spring_festival.h)
// is no recent level (the weeks before it are), and a festival week below its level is never a
// slip: plants close for it.
// A unit slip's recent level reads the figures of the kUnitSlipLevelPeriods periods before t,
// festival weeks skipped, looking at most kUnitSlipLookBack periods back: a figure changes the
// unit-slip outcome of the periods that far after it, and no further (rules/evaluator.h
// PeriodsToEvaluate follows it there).
inline constexpr int kUnitSlipLevelPeriods = 4;
inline constexpr int kUnitSlipLookBack = 4 * kUnitSlipLevelPeriods;

struct UnitSlip {
  std::optional<double> value;  // V(t); empty without a figure or a recent level
  double level = 0;             // recent level: median of the figures of the 4 periods before
                                //   (weekly: the 4 weeks before outside the festival season)
  int exponent = 0;             // 4 = about 10 000 times the level, -3 = about 1/1 000; 0 none
  Wording no_data_reason;
};

// fall(x): an enterprise's sudden fall, as a bureau means it — below the same period a year
// before, and, for an enterprise already in decline, below where its own course would have put
// it; and out of the swings its figures show anyway. Its known slow decline is not a fall (that
// is what consecutive_declines watches), nor is a period within its usual swings.
//   g         the period's YoY growth (同比);
//   course    its usual growth over the year before t: the mean of the middle half of the YoY
//             growths of the periods of the year before t that have both figures (weekly:
//             outside the Spring Festival season), so that the first periods of a fall under
//             way do not become the course its later periods are measured from; with fewer
//             than half a year's periods (its first months of growth) the median of at least
//             kFallMinCoursePeriods of them (one odd period is no course); none with fewer;
//   swing     its growth's usual swing: the standard deviation of the growths of the periods in
//             the three years before t, with kFallPriorPeriods periods of kFallPriorSwing added
//             in (√((8 × 6² + Σ(g − ḡ)²) / (8 + n − 1)) points): an enterprise with a few
//             periods of its own swings as an ordinary noisy one until its own show otherwise;
//             growths more than kFallOutlierSwings robust swings from their median (an earlier
//             fall and its rebound) are left out of it and of the course, so an old fall
//             neither widens the swing nor moves the course;
//   value     (1 + g) / (1 + min(course, 0)) − 1: the growth itself for an enterprise that grows
//             or holds, the fall from its own course for one that shrinks;
//   expected  the level t is expected at: the same period of up to three earlier years with a
//             figure, each brought forward by the course of every year between (of the year
//             before t: course, or 0 without one), their geometric mean over K years;
//   sudden    V(t) / expected − 1 ≤ −swings × swing × √((1 + 1/K) / 2): the fall stands out of
//             the swings of that comparison — its own figure's and a K-th of its bases' (a
//             growth against one year swings by both figures', hence the √2 in a swing) — so a
//             period low only against a high one last year is no fall, and the more earlier
//             years there are, the less their own swings hide a real fall.
inline constexpr int kFallSwingYears = 3;
inline constexpr int kFallMinCoursePeriods = 3;
// A swing over a year's periods or more is the enterprise's own; messages state it from there.
inline constexpr int kFallMinSwingPeriods = 12;
// The swing of an enterprise before its own periods show it, and how many periods of its own
// that counts as: about the park's noisier reporters (figures moving by 4 % move a growth by 6
// points), so that an enterprise not yet known is not called sudden on its ordinary swings, and
// one that is quieter earns a narrower swing within its first year. On the harness (32 parks of
// 1 000) 5 and 7 points gave other points of the same recall/precision curve, 6 its balance
// at 3 swings (bench/RESULTS.md).
inline constexpr double kFallPriorSwing = 0.06;
inline constexpr int kFallPriorPeriods = 8;
// A growth this many robust swings from the median of its years is an event (an earlier fall,
// or its rebound against the fallen base a year later), not part of the usual swing.
inline constexpr double kFallOutlierSwings = 4;

struct Fall {
  std::optional<double> value;   // empty without a growth at t (no_data_reason says why)
  double growth = 0;             // g
  std::optional<double> course;  // empty with fewer than 3 growths in the year before t
  double swing = kFallPriorSwing;
  int swing_periods = 0;  // periods with a growth the swing was measured over (events left out)
  // The expected level, the K years it was formed from and V(t) / expected − 1; empty (0)
  // without a figure at t or at the same period of an earlier year.
  std::optional<double> expected;
  int years = 0;
  std::optional<double> from_expected;
  bool sudden = false;
  Wording no_data_reason;
};

// Computes measures over one FigureTable. Holds references: the table, the enterprise vector and
// the price index table must outlive it. Cheap to construct; const methods are thread-safe.
class Measures {
 public:
  // enterprises is indexed like figures; it is needed only for comparable prices (industry).
  Measures(const FigureTable& figures, std::span<const EnterpriseInfo> enterprises,
           MeasureOptions options = {});

  const MeasureOptions& options() const { return options_; }

  // The "value" measure. Levels: ΣV over the scope's enterprises with a figure at t.
  // Rates: the published rate of a one-enterprise scope; more than one enterprise is no data.
  MeasureResult Level(Scope scope, Period t) const;

  // 当月同比 / 当周同比: Σ_{e∈S} V_e(t) / Σ_{e∈S} V_e(t−1y) − 1, S = enterprises of scope with a
  // figure at t and at t−1y. Weeks compare ISO week w with week w of the year before; week 53
  // without a partner is no data. Not defined for rates.
  MeasureResult YoY(Scope scope, Period t) const;

  // 累计同比 (monthly): Σ_{e∈S} Σ_{m≤t} V_e(m) / Σ_{e∈S} Σ_{m≤t} V_e(m−1y) − 1 over the months
  // 1..N of t's year (Jan–Feb, Mar..N when combined), S = enterprises with every one of those
  // months in both years. A ratio of sums, i.e. a base-weighted mean of the monthly rates,
  // never their simple average.
  MeasureResult YtdYoY(Scope scope, Period t) const;

  // 环比: Σ_S V(t) / Σ_S V(t−1) − 1, S = enterprises with both. Refused for Jan–Feb and, when
  // combined, for March (a two-month period against a one-month one), for rates, and under
  // comparable prices. Unadjusted MoM mostly measures seasons; do not make it a default trigger.
  MeasureResult MoM(Scope scope, Period t) const;

  // 两年平均增速: √((1+g_t)(1+g_{t−1y})) − 1 with g the YoY of t and of the same period a year
  // before (each in its own caliber). For a rate indicator and one enterprise the published
  // rates are g.
  MeasureResult TwoYearAverage(Scope scope, Period t) const;

  // change(x): the change of a rate in ratio points (×100 = percentage points, 个百分点) against
  // the same period a year before, or with against_previous the period before: a published
  // rate as given, a level's YoY growth otherwise. "Growth 3 points below last year's" is
  // change(x) <= -0.03.
  MeasureResult Change(Scope scope, Period t, bool against_previous) const;

  // V_part(t) / V_whole(t). Levels only.
  MeasureResult Share(Scope part, Scope whole, Period t) const;

  // 贡献率: ΔV_part / ΔV_whole, Δ against the same period last year in same-enterprise caliber.
  // Contributions of a partition of whole sum to 1.
  MeasureResult Contribution(Scope part, Scope whole, Period t, Span span = Span::kPeriod) const;

  // 拉动: ΔV_part / V_whole(t−1y), as a ratio (×100 = percentage points) = g_part × w_part with
  // w_part the part's base-period share. Pulls of a partition sum to whole's YoY.
  MeasureResult Pull(Scope part, Scope whole, Period t, Span span = Span::kPeriod) const;

  // Pull and contribution of every enterprise of whole on whole's YoY at t, in one pass (one
  // Pull per enterprise would re-sum the whole each time). Only enterprises in the caliber
  // (figures at t and t−1y) are listed, in scope order. Empty with *no_data_reason set when
  // whole's growth has no data; contribution is empty when whole did not change.
  struct EnterprisePull {
    EnterpriseIndex enterprise;
    double pull;                         // ΔV_e / V_whole(t−1y)
    std::optional<double> contribution;  // ΔV_e / ΔV_whole
  };
  std::vector<EnterprisePull> PullsByEnterprise(Scope whole, Period t,
                                                Wording* no_data_reason = nullptr,
                                                Span span = Span::kPeriod) const;

  // How many periods in a row, ending at t, had negative growth on basis (YoY by default).
  // 0 when t's growth is not negative; no data when t's growth is. The run stops at the first
  // period with growth ≥ 0 or without growth; under YoY, a week 53 without a partner is skipped
  // (it neither breaks nor extends the run). Looks back at most ten years.
  // With by > 0 a period counts only when its growth is −by or lower (a fall of at least by):
  // an enterprise that holds its level has a negative growth half the time by chance.
  MeasureResult ConsecutiveDeclines(Scope scope, Period t, GrowthBasis basis = GrowthBasis::kYoY,
                                    double by = 0) const;

  // Robust seasonal score and ratio of enterprise's V(t) against the same period in its previous
  // `years` years (AnomalyResult). Needs kMinAnomalyYears of them. Nominal values.
  AnomalyResult Anomaly(EnterpriseIndex enterprise, Period t, int years) const;
  // Anomaly() of every enterprise of scope, in scope order, finding the periods once for all of
  // them (a park-wide rule asks for 20k enterprises at one period).
  std::vector<AnomalyResult> Anomalies(Scope scope, Period t, int years) const;

  // Unit-slip check of every enterprise of scope at t (UnitSlip), in scope order.
  std::vector<UnitSlip> UnitSlips(Scope scope, Period t) const;

  // fall(x) of every enterprise of scope at t (Fall), in scope order, with `swings` the number
  // of usual swings a fall must reach to be sudden. Reads each period's column once for all of
  // them. Current prices; levels only.
  std::vector<Fall> Falls(Scope scope, Period t, double swings) const;

 private:
  struct Sums;
  Sums Compare(Scope scope, std::span<const Period> current, std::span<const Period> base,
               const Wording& base_label,
               std::vector<std::pair<EnterpriseIndex, double>>* deltas = nullptr) const;
  MeasureResult Growth(Scope scope, Period t, GrowthBasis basis) const;
  static MeasureResult GrowthResult(const Sums& s);
  // Sums of part and whole at t and a year before, for contribution and pull; empty or why not.
  Wording PartWholeChange(Scope part, Scope whole, Period t, Span span, const Wording& measure,
                          Sums* p, Sums* w, Wording* base) const;
  // The current and base periods of a span at t; empty or why there are none.
  Wording Window(Period t, Span span, std::vector<Period>* current,
                 std::vector<Period>* base) const;
  Wording CheckPeriod(Period t) const;
  Wording EnterpriseText(EnterpriseIndex e) const;
  std::string IndustryText(int32_t industry) const;
  int32_t IndustryOf(EnterpriseIndex e) const;  // -1 if unknown
  bool is_rate() const;

  const FigureTable& figures_;
  std::span<const EnterpriseInfo> enterprises_;
  MeasureOptions options_;
};

}  // namespace parkwatch
