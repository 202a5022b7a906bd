#include "core/period.h"

#include <cctype>
#include <vector>

namespace parkwatch {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::weekday;
using std::chrono::year_month_day;

namespace {

constexpr int kMinYear = 1900;
constexpr int kMaxYear = 2999;

// Monday of ISO week 1: the week holding 4 January.
sys_days IsoYearStart(int iso_year) {
  sys_days jan4 = sys_days(std::chrono::year(iso_year) / std::chrono::January / 4);
  unsigned iso_weekday = weekday(jan4).iso_encoding();  // Monday=1 .. Sunday=7
  return jan4 - days(iso_weekday - 1);
}

bool SetError(Wording* error, std::string en, std::string zh) {
  if (error) *error = {std::move(en), std::move(zh)};
  return false;
}

// Splits text into digit groups and a record of which marker words appeared, rejecting any
// character that is not part of a period notation.
struct Tokens {
  std::vector<int> numbers;
  std::vector<size_t> widths;
  bool week_marker = false;
  bool range_marker = false;
};

bool Tokenize(std::string_view s, Tokens* out, Wording* error) {
  static constexpr std::string_view kWeekWords[] = {"周", "W", "w"};
  static constexpr std::string_view kRangeWords[] = {"—", "–", "～", "~", "至"};
  static constexpr std::string_view kNeutral[] = {"年", "月", "第", "-", "/", ".", " ", "\t"};
  size_t i = 0;
  while (i < s.size()) {
    if (std::isdigit(static_cast<unsigned char>(s[i]))) {
      size_t j = i;
      int value = 0;
      while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) {
        if (j - i >= 8) return SetError(error, "number too long", "数字过长");
        value = value * 10 + (s[j] - '0');
        ++j;
      }
      out->numbers.push_back(value);
      out->widths.push_back(j - i);
      i = j;
      continue;
    }
    auto match = [&](std::string_view word) { return s.substr(i, word.size()) == word; };
    bool matched = false;
    for (auto w : kWeekWords)
      if (!matched && match(w)) out->week_marker = matched = true, i += w.size();
    for (auto w : kRangeWords)
      if (!matched && match(w)) out->range_marker = matched = true, i += w.size();
    for (auto w : kNeutral)
      if (!matched && match(w)) matched = true, i += w.size();
    if (!matched)
      return SetError(error, "unexpected character at byte " + std::to_string(i),
                      "第" + std::to_string(i + 1) + "字节处有无法识别的字符");
  }
  return true;
}

}  // namespace

std::string_view CadenceName(Cadence c) { return c == Cadence::kWeekly ? "weekly" : "monthly"; }

std::string CadenceCode(Cadence c) { return std::string(1, static_cast<char>(c)); }

Cadence CadenceFromCode(std::string_view code) {
  return code == "W" ? Cadence::kWeekly : Cadence::kMonthly;
}

std::optional<Cadence> ParseCadence(std::string_view name) {
  if (name == "weekly" || name == "week" || name == "W") return Cadence::kWeekly;
  if (name == "monthly" || name == "month" || name == "M") return Cadence::kMonthly;
  return std::nullopt;
}

int IsoWeeksInYear(int iso_year) {
  return static_cast<int>((IsoYearStart(iso_year + 1) - IsoYearStart(iso_year)).count() / 7);
}

Period Period::Week(int iso_year, int week) {
  if (iso_year < kMinYear || iso_year > kMaxYear || week < 1 || week > IsoWeeksInYear(iso_year))
    return Period();
  return Period(Cadence::kWeekly, iso_year, week, week);
}

Period Period::Month(int year, int month) {
  if (year < kMinYear || year > kMaxYear || month < 1 || month > 12) return Period();
  return Period(Cadence::kMonthly, year, month, month);
}

Period Period::JanFeb(int year) {
  if (year < kMinYear || year > kMaxYear) return Period();
  return Period(Cadence::kMonthly, year, 1, 2);
}

std::optional<Period> Period::Parse(std::string_view text, std::string* error) {
  Wording why;
  std::optional<Period> p = Parse(text, &why);
  if (error && !p) *error = std::move(why.en);
  return p;
}

std::optional<Period> Period::Parse(std::string_view text, Wording* error) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  Wording why;
  auto fail = [&](std::string en, std::string zh) -> std::optional<Period> {
    const std::string quoted = "\"" + std::string(text) + "\"";
    SetError(error, "invalid period " + quoted + ": " + en, "报告期 " + quoted + " 无效：" + zh);
    return std::nullopt;
  };
  if (text.empty()) return fail("empty", "为空");
  Tokens t;
  if (!Tokenize(text, &t, &why)) return fail(why.en, why.zh);
  auto& n = t.numbers;
  // 202403 written without a separator.
  if (n.size() == 1 && t.widths[0] == 6 && !t.week_marker) {
    n = {n[0] / 100, n[0] % 100};
    t.widths = {4, 2};
  }
  if (n.empty() || t.widths[0] != 4)
    return fail("expected a four-digit year first", "应以四位年份开头");
  int year = n[0];
  if (year < kMinYear || year > kMaxYear) return fail("year out of range", "年份应在1900—2999之间");
  if (t.week_marker) {
    if (n.size() != 2)
      return fail("a week is written year and week number, e.g. 2024-W05",
                  "周应写作年份加周次，如 2024年第5周");
    if (n[1] < 1 || n[1] > IsoWeeksInYear(year))
      return fail(
          "ISO year " + std::to_string(year) + " has weeks 1.." +
              std::to_string(IsoWeeksInYear(year)),
          std::to_string(year) + "年只有第1—" + std::to_string(IsoWeeksInYear(year)) + "周");
    return Week(year, n[1]);
  }
  if (n.size() == 2) {
    if (t.range_marker)
      return fail("a range needs two months, e.g. 2024年1-2月",
                  "月份区间应写两个月份，如 2024年1-2月");
    if (n[1] < 1 || n[1] > 12) return fail("month must be 1..12", "月份应为1—12");
    return Month(year, n[1]);
  }
  if (n.size() == 3) {
    if (n[1] == 1 && n[2] == 2) return JanFeb(year);
    return fail("the only multi-month period is January–February (1-2月)", "跨月的报告期只有1—2月");
  }
  return fail("expected year and month, or year and week",
              "应写年份和月份（如 2024年3月）或年份和周次");
}

int64_t Period::key() const {
  if (weekly()) return int64_t{year_} * 100 + first_;
  return int64_t{year_} * 10000 + first_ * 100 + last_;
}

std::optional<Period> Period::FromKey(Cadence cadence, int64_t key) {
  Period p;
  if (cadence == Cadence::kWeekly) {
    p = Week(static_cast<int>(key / 100), static_cast<int>(key % 100));
  } else {
    int year = static_cast<int>(key / 10000);
    int first = static_cast<int>(key / 100 % 100), last = static_cast<int>(key % 100);
    if (first == last)
      p = Month(year, first);
    else if (first == 1 && last == 2)
      p = JanFeb(year);
  }
  if (!p.valid()) return std::nullopt;
  return p;
}

std::string Period::ToString() const {
  if (!valid()) return "invalid";
  char buf[24];
  if (weekly())
    std::snprintf(buf, sizeof buf, "%04d-W%02d", int{year_}, int{first_});
  else if (first_ != last_)
    std::snprintf(buf, sizeof buf, "%04d-%02d/%02d", int{year_}, int{first_}, int{last_});
  else
    std::snprintf(buf, sizeof buf, "%04d-%02d", int{year_}, int{first_});
  return buf;
}

Period Period::Next() const {
  if (weekly())
    return first_ < IsoWeeksInYear(year_) ? Week(year_, first_ + 1) : Week(year_ + 1, 1);
  if (last_ == 12) return Month(year_ + 1, 1);
  return Month(year_, last_ + 1);
}

Period Period::Prev() const {
  // The week before week 2..53 of a valid period is valid: no calendar arithmetic (counting
  // back over years of weeks, as a missing-report rule does, made this a third of a backtest).
  if (weekly())
    return first_ > 1 ? Period(Cadence::kWeekly, year_, first_ - 1, first_ - 1)
                      : Week(year_ - 1, IsoWeeksInYear(year_ - 1));
  if (first_ == 1) return Month(year_ - 1, 12);
  return Month(year_, first_ - 1);
}

std::optional<Period> Period::SameLastYear() const {
  Period p;
  if (weekly())
    p = Week(year_ - 1, first_);
  else
    p = Period(Cadence::kMonthly, year_ - 1, first_, last_);
  if (!p.valid() || p.year_ < kMinYear) return std::nullopt;
  return p;
}

year_month_day Period::FirstDay() const {
  if (weekly()) return year_month_day(IsoYearStart(year_) + days(7 * (first_ - 1)));
  return std::chrono::year(year_) / std::chrono::month(first_) / 1;
}

year_month_day Period::LastDay() const {
  if (weekly()) return year_month_day(IsoYearStart(year_) + days(7 * (first_ - 1) + 6));
  return year_month_day(std::chrono::year(year_) / std::chrono::month(last_) / std::chrono::last);
}

Period Period::WeekOf(year_month_day day) {
  sys_days d(day);
  int y = static_cast<int>(day.year());
  // The ISO year is the calendar year, the one before, or the one after.
  for (int iso_year : {y + 1, y, y - 1}) {
    sys_days start = IsoYearStart(iso_year);
    if (d >= start) return Week(iso_year, static_cast<int>((d - start).count() / 7) + 1);
  }
  return Period();
}

Period Period::MonthOf(year_month_day day) {
  return Month(static_cast<int>(day.year()), static_cast<int>(unsigned(day.month())));
}

}  // namespace parkwatch
