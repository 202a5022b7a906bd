#include "report/monthly_report.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "alerts/alert_store.h"
#include "metrics/park_figures.h"
#include "rules/measures.h"

namespace parkwatch {

namespace {

const char* const kDeflator = "ppi";
// Changes of rates smaller than this (0.05 percentage points) are 持平: the figures are
// published to one decimal.
constexpr double kFlat = 0.0005;

std::optional<double> Value(const MeasureResult& r) {
  if (r.ok() && std::isfinite(*r.value)) return r.value;
  return std::nullopt;
}

// A level over a scope where nobody reported is no figure, not zero (as ParkFigures).
std::optional<double> LevelValue(const MeasureResult& r) {
  if (r.ok() && r.enterprises > 0) return r.value;
  return std::nullopt;
}

Movement Move(std::optional<double> now, std::optional<double> before) {
  if (!now || !before) return Movement::kUnknown;
  double n = *now, b = *before;
  if (std::fabs(n - b) < kFlat) return Movement::kFlat;
  if (b >= 0 && n >= 0) return n > b ? Movement::kWidened : Movement::kSlowed;
  if (b < 0 && n >= 0) return Movement::kTurnedPositive;
  if (b >= 0 && n < 0) return Movement::kTurnedNegative;
  return n > b ? Movement::kNarrowed : Movement::kDeepened;
}

// The months 1..N of t's year, combined Jan–Feb first.
std::vector<Period> MonthsToDate(Period t) {
  std::vector<Period> out;
  for (Period p : MonthlyPeriodsOfYear(t.year(), true))
    if (p.last_month() <= t.last_month()) out.push_back(p);
  return out;
}

// Everything needed to measure one indicator over the report's scopes.
struct IndicatorContext {
  const FigureTable* table = nullptr;
  std::optional<Measures> current;  // current prices: levels, and growth without a deflator
  std::optional<Measures> growth;   // growth (comparable prices where they are used)
};

ScopeGrowth Measure(const IndicatorContext& c, Scope scope, Period t) {
  ScopeGrowth g;
  g.level = LevelValue(c.current->Level(scope, t));
  double ytd_level = 0;
  bool any = false;
  for (Period m : MonthsToDate(t))
    if (auto v = LevelValue(c.current->Level(scope, m))) {
      ytd_level += *v;
      any = true;
    }
  if (any) g.ytd_level = ytd_level;
  g.yoy = Value(c.growth->YoY(scope, t));
  MeasureResult ytd = c.growth->YtdYoY(scope, t);
  g.ytd = Value(ytd);
  g.enterprises = ytd.enterprises;
  g.no_data = ytd.no_data_reason;
  if (!t.is_jan_feb()) g.ytd_previous = Value(c.growth->YtdYoY(scope, PreviousPeriod(t, true)));
  g.ytd_last_year = Value(c.growth->YtdYoY(scope, SamePeriodYearsBefore(t, 1)));
  return g;
}

}  // namespace

const char* MovementNameZh(Movement m) {
  switch (m) {
    case Movement::kWidened:
      return "增幅扩大";
    case Movement::kTurnedPositive:
      return "由负转正";
    case Movement::kNarrowed:
      return "降幅收窄";
    case Movement::kDeepened:
      return "降幅扩大";
    case Movement::kTurnedNegative:
      return "由正转负";
    case Movement::kFlat:
      return "持平";
    case Movement::kSlowed:
      return "增幅回落";
    case Movement::kUnknown:
      break;
  }
  return "—";
}

const char* MovementNameEn(Movement m) {
  switch (m) {
    case Movement::kWidened:
      return "growth widened";
    case Movement::kTurnedPositive:
      return "turned positive";
    case Movement::kNarrowed:
      return "decline narrowed";
    case Movement::kDeepened:
      return "decline deepened";
    case Movement::kTurnedNegative:
      return "turned negative";
    case Movement::kFlat:
      return "flat";
    case Movement::kSlowed:
      return "growth slowed";
    case Movement::kUnknown:
      break;
  }
  return "—";
}

void LoadReportData(Store& store, const Config& config, const RuleSet& rules, RuleData* data) {
  data->KeepTables(FigureTables(), FigurePriceIndices());
  data->Load(store, config, rules);
}

std::optional<Period> LatestReportMonth(const RuleData& data, const Config& config) {
  return ParkFigures(data, config).LatestComplete(Cadence::kMonthly);
}

MonthlyReport BuildMonthlyReport(const RuleData& data, const Config& config, const RuleSet& rules,
                                 AlertStore* alerts, Period month,
                                 const MonthlyReportOptions& options) {
  MonthlyReport r;
  if (month.monthly() && month.first_month() <= 2) month = Period::JanFeb(month.year());
  r.period = month;
  r.park_name = config.park_name;
  r.generated_at = options.now;
  const Period t = month;

  const FigureTable* va = data.Figures("value_added", Cadence::kMonthly);
  const FigureTable* ov = data.Figures("output_value", Cadence::kMonthly);
  if (!va || !ov) {
    r.message = "value added and output value (monthly) are not loaded";
    return r;
  }

  // Who should have reported, and who did (any of the two indicators, Jan–Feb read as 1—2月).
  std::vector<EnterpriseIndex> park =
      SelectScope(data.infos(), ScopeFilter{.above_size_in = t.year()});
  Measures va_current(*va, data.infos()), ov_current(*ov, data.infos());
  std::vector<char> reported(data.size(), 0);
  for (EnterpriseIndex e : park) {
    Scope one(&e, 1);
    if (LevelValue(va_current.Level(one, t)) || LevelValue(ov_current.Level(one, t)))
      reported[static_cast<size_t>(e)] = 1;
  }
  r.expected = static_cast<int>(park.size());
  for (EnterpriseIndex e : park) r.reported += reported[static_cast<size_t>(e)];
  const double share = r.expected ? double(r.reported) / r.expected : 0;
  char share_text[64];
  std::snprintf(share_text, sizeof share_text, "%d/%d，%.1f%%", r.reported, r.expected,
                100 * share);
  std::optional<Period> first;
  for (const FigureTable* table : {va, ov}) {
    auto periods = table->Periods();
    if (!periods.empty() && (!first || periods.front() < *first)) first = periods.front();
  }
  if (!first) {
    r.message = "园区尚无任何月度数据（" + std::string(share_text) + "）";
    return r;
  }
  if (t.LastDay() < first->FirstDay()) {
    r.message = MonthWords(t, "zh") + "早于最早的数据（" + MonthWords(*first, "zh") +
                "），无法分析（已报 " + share_text + "）";
    return r;
  }
  if (r.reported == 0) {
    r.message = MonthWords(t, "zh") + "没有企业上报数据（已报 " + share_text + "）";
    return r;
  }
  if (share < options.min_reported_share) {
    char need[32];
    std::snprintf(need, sizeof need, "%.0f%%", 100 * options.min_reported_share);
    r.message = MonthWords(t, "zh") + "上报企业过少：已报 " + share_text + "，不足 " + need +
                "，数据不足以分析";
    return r;
  }
  r.ok = true;

  // Industries: as /metrics lists them (the configured ones first).
  ParkFigures figures(data, config);
  std::vector<std::pair<std::string, std::vector<EnterpriseIndex>>> industries;
  for (const auto& labels : figures.Members(FigureScope::kIndustry)) {
    const std::string& name = labels.at("industry");
    int32_t index = data.IndustryIndex(name);
    if (index < 0) continue;
    auto members =
        SelectScope(data.infos(), ScopeFilter{.industry = index, .above_size_in = t.year()});
    if (!members.empty()) industries.emplace_back(name, std::move(members));
  }

  // Comparable prices for value added where the price index covers the park this year.
  MeasureOptions comparable;
  comparable.price_index = data.PriceIndex(kDeflator, Cadence::kMonthly);
  IndicatorContext contexts[2];
  const char* names[2] = {"value_added", "output_value"};
  const FigureTable* tables[2] = {va, ov};
  for (int i = 0; i < 2; ++i) {
    contexts[i].table = tables[i];
    contexts[i].current.emplace(*tables[i], data.infos());
    contexts[i].growth.emplace(*tables[i], data.infos());
  }
  bool va_comparable = false;
  if (comparable.price_index) {
    Measures real(*va, data.infos(), comparable);
    if (real.YtdYoY(park, t).ok()) {
      contexts[0].growth.emplace(*va, data.infos(), comparable);
      va_comparable = true;
    }
  }

  for (int i = 0; i < 2; ++i) {
    const IndicatorContext& c = contexts[i];
    IndicatorSection s;
    s.indicator = names[i];
    const IndicatorConfig* ind = config.FindIndicator(names[i]);
    s.title = ind ? ind->title : names[i];
    s.comparable = i == 0 && va_comparable;
    s.target_name = s.indicator + "_growth";
    s.park = Measure(c, park, t);
    s.park.target = rules.Target(s.target_name, "park");
    for (const auto& [name, members] : industries) {
      IndustryFigures f;
      f.name = name;
      f.growth = Measure(c, members, t);
      f.growth.target = rules.Target(s.target_name, "industry:" + name);
      if (f.growth.ytd_level && s.park.ytd_level && *s.park.ytd_level > 0)
        f.share = *f.growth.ytd_level / *s.park.ytd_level;
      f.pull = Value(c.growth->Pull(members, park, t));
      f.ytd_pull = Value(c.growth->Pull(members, park, t, Span::kYearToDate));
      f.contribution = Value(c.growth->Contribution(members, park, t));
      f.ytd_contribution = Value(c.growth->Contribution(members, park, t, Span::kYearToDate));
      f.movement = Move(f.growth.ytd, f.growth.ytd_previous);
      s.industries.push_back(std::move(f));
    }
    r.sections.push_back(std::move(s));
  }

  // 增长面 of value added's cumulative growth: industries, then enterprises one by one.
  const IndicatorSection& head = r.sections[0];
  for (const IndustryFigures& f : head.industries) {
    if (!f.growth.ytd) continue;
    ++r.breadth.industries;
    if (*f.growth.ytd > 0) ++r.breadth.industries_growing;
    ++r.breadth.movement[static_cast<int>(f.movement)];
  }
  for (EnterpriseIndex e : park) {
    if (!reported[static_cast<size_t>(e)]) continue;
    if (auto g = Value(contexts[0].growth->YtdYoY(Scope(&e, 1), t))) {
      ++r.breadth.enterprises;
      if (*g > 0) ++r.breadth.enterprises_growing;
    }
  }

  // Enterprises: pulls on the park's output value, as the rules (KeyEnterpriseDragsPark) and
  // /metrics (parkwatch_enterprise_output_value_pull_ratio) have them.
  std::map<std::string, Severity> colour;  // credit code -> highest active level
  if (alerts) {
    for (const AlertRow& a : alerts->Active({.state = AlertState::kFiring})) {
      auto it = a.labels.find("enterprise");
      if (it == a.labels.end()) continue;
      Severity& s = colour[it->second];
      s = std::max(s, a.status.severity);
    }
  }
  const Measures& output = *contexts[1].growth;
  auto describe = [&](EnterpriseIndex e) {
    EnterpriseFigures f;
    const EnterpriseRow& row = data.row(e);
    f.credit_code = row.credit_code;
    f.name = row.name;
    f.industry = row.industry;
    f.key = data.info(e).key;
    Scope one(&e, 1);
    f.level = LevelValue(contexts[1].current->Level(one, t));
    f.yoy = Value(output.YoY(one, t));
    f.ytd = Value(output.YtdYoY(one, t));
    if (auto it = colour.find(row.credit_code); it != colour.end()) f.colour = it->second;
    return f;
  };
  std::vector<Measures::EnterprisePull> pulls = output.PullsByEnterprise(park, t);
  std::map<EnterpriseIndex, const Measures::EnterprisePull*> pull_of;
  for (const auto& p : pulls) pull_of[p.enterprise] = &p;
  auto with_pull = [&](EnterpriseIndex e) {
    EnterpriseFigures f = describe(e);
    if (auto it = pull_of.find(e); it != pull_of.end()) {
      f.pull = it->second->pull;
      f.contribution = it->second->contribution;
    }
    return f;
  };
  std::vector<Measures::EnterprisePull> sorted = pulls;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.pull > b.pull; });
  for (size_t i = 0; i < sorted.size() && r.top.size() < 10 && sorted[i].pull > 0; ++i)
    r.top.push_back(with_pull(sorted[i].enterprise));
  for (size_t i = sorted.size(); i-- > 0 && r.bottom.size() < 10 && sorted[i].pull < 0;)
    r.bottom.push_back(with_pull(sorted[i].enterprise));

  for (EnterpriseIndex e : park) {
    if (data.info(e).key) r.key.push_back(with_pull(e));
    if (!reported[static_cast<size_t>(e)]) continue;
    MeasureResult declines = output.ConsecutiveDeclines(Scope(&e, 1), t);
    if (declines.ok() && *declines.value >= 3) {
      EnterpriseFigures f = with_pull(e);
      f.declines = static_cast<int>(*declines.value);
      r.declining.push_back(std::move(f));
    }
  }
  std::stable_sort(r.key.begin(), r.key.end(), [](const auto& a, const auto& b) {
    return a.level.value_or(-1) > b.level.value_or(-1);
  });
  std::stable_sort(r.declining.begin(), r.declining.end(),
                   [](const auto& a, const auto& b) { return a.declines > b.declines; });
  for (EnterpriseIndex e : park) {
    if (reported[static_cast<size_t>(e)]) continue;
    const EnterpriseRow& row = data.row(e);
    std::optional<Period> last = data.LastReported(e, Cadence::kMonthly);
    r.missing.push_back({row.credit_code, row.name, row.industry, data.info(e).key,
                         last ? MonthWords(*last, "zh") : ""});
  }

  // The month's alert events: monthly rules at this month, weekly rules at its weeks.
  if (alerts) {
    Period first_week = Period::WeekOf(t.FirstDay());
    Period last_week = Period::WeekOf(t.LastDay());
    std::vector<AlertEventRow> events = alerts->EventsInPeriods(t, t);
    for (auto& w : alerts->EventsInPeriods(first_week, last_week)) events.push_back(std::move(w));
    for (const AlertEventRow& row : events) {
      const AlertEvent& e = row.event;
      int kind = e.kind == EventKind::kFiring      ? 0
                 : e.kind == EventKind::kEscalated ? 1
                 : e.kind == EventKind::kResolved  ? 2
                                                   : -1;
      if (kind < 0) continue;
      // A week counts in the month its Thursday falls in (ISO weeks belong to that month).
      if (e.period.weekly()) {
        auto thursday = std::chrono::sys_days(e.period.FirstDay()) + std::chrono::days(3);
        Period in = Period::MonthOf(std::chrono::year_month_day(thursday));
        if (in.year() != t.year() || in.first_month() < t.first_month() ||
            in.first_month() > t.last_month())
          continue;
      }
      ++r.alert_counts[kind][static_cast<int>(e.severity)];
      AlertLine line;
      line.kind = std::string(EventKindName(e.kind));
      line.severity = e.severity;
      line.rule = row.rule;
      if (auto it = row.labels.find("enterprise"); it != row.labels.end()) {
        auto index = data.IndexOfCode(it->second);
        line.subject = index ? data.row(*index).name : it->second;
      } else if (auto ind = row.labels.find("industry"); ind != row.labels.end()) {
        line.subject = ind->second;
      } else {
        line.subject = "园区";
      }
      line.period = e.period.ToString();
      if (auto it = e.annotations.find("summary_zh"); it != e.annotations.end())
        line.summary = it->second;
      else if (auto s = e.annotations.find("summary"); s != e.annotations.end())
        line.summary = s->second;
      r.alerts.push_back(std::move(line));
    }
    std::stable_sort(r.alerts.begin(), r.alerts.end(), [](const AlertLine& a, const AlertLine& b) {
      return a.severity > b.severity;
    });
  }

  // 24 months of value added growth, park and industries.
  std::vector<Period> months;
  for (Period p = t; static_cast<int>(months.size()) < options.history_months;
       p = PreviousPeriod(p, true)) {
    if (p.LastDay() < first->FirstDay()) break;
    months.push_back(p);
  }
  std::reverse(months.begin(), months.end());
  for (Period p : months) {
    HistoryPoint h;
    h.period = p;
    std::vector<EnterpriseIndex> scope_park =
        SelectScope(data.infos(), ScopeFilter{.above_size_in = p.year()});
    h.yoy.push_back(Value(contexts[0].growth->YoY(scope_park, p)));
    h.ytd.push_back(Value(contexts[0].growth->YtdYoY(scope_park, p)));
    for (const auto& [name, members] : industries) {
      auto scope = SelectScope(data.infos(), ScopeFilter{.industry = data.IndustryIndex(name),
                                                         .above_size_in = p.year()});
      h.yoy.push_back(Value(contexts[0].growth->YoY(scope, p)));
      h.ytd.push_back(Value(contexts[0].growth->YtdYoY(scope, p)));
    }
    r.history.push_back(std::move(h));
  }

  // 数据说明.
  r.notes.push_back("统计范围：" + std::to_string(t.year()) + "年规模以上工业企业" +
                    std::to_string(r.expected) + "家，本月已报" + std::to_string(r.reported) +
                    "家（" + share_text + "）；增速按同口径计算（本期与上年同期均有数据的企业）。");
  r.notes.push_back(
      va_comparable ? "工业增加值增速按可比价格计算（以各行业价格指数 PPI 平减，上年同期=100）；"
                      "总量与工业总产值按现价计算。"
                    : "未取得覆盖全园区的价格指数，工业增加值增速按现价计算（未剔除价格因素）。");
  r.notes.push_back("1—2月合并为一个报告期（国家统计局惯例），不单独计算1月、2月增速。");
  r.notes.push_back("企业拉动、贡献率按工业总产值当月同比计算，与预警规则及 /metrics 一致。");
  if (!r.missing.empty())
    r.notes.push_back("未报企业" + std::to_string(r.missing.size()) +
                      "家未计入本月合计；其上年同期数据也不进入增速基数。");
  if (alerts) r.notes.push_back("重点企业预警色为报告生成时的当前预警级别。");
  return r;
}

}  // namespace parkwatch
