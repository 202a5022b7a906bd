#include "tools/demo_park.h"

#include <iconv.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <string_view>

#include "core/credit_code.h"
#include "core/period.h"
#include "tools/sim_random.h"

namespace parkwatch {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;
namespace fs = std::filesystem;

// -----------------------------------------------------------------------------------------------
// The park's four leading industries.

enum Industry { kPharmaChem = 0, kEquipment = 1, kLightFood = 2, kPowerElectronics = 3 };
constexpr int kIndustries = 4;

struct IndustryProfile {
  const char* name;
  double count_share;  // share of the park's enterprises
  double size_factor;  // multiplies the median annual output
  double growth;       // nominal trend growth per year
  double va_ratio;     // value added / output, typical
  double kwh_per_wan;  // electricity (万千瓦时) per 万元 of output
  const char* suffixes[8];
};

// Pharma & chemicals: fewer but bigger and power-hungry plants (the park's 原料药 base); power
// electronics: the new-energy cluster, small today and growing fastest; light industry & food:
// many small firms (米粉, paper, drinks) on thin value added.
constexpr IndustryProfile kProfiles[kIndustries] = {
    {"医药化工",
     0.26,
     1.7,
     0.07,
     0.33,
     0.075,
     {"药业有限公司", "制药有限公司", "生物医药有限公司", "化工有限公司", "精细化工有限公司",
      "新材料科技有限公司", "生物科技有限公司", "医药化工有限公司"}},
    {"装备制造",
     0.30,
     1.0,
     0.08,
     0.28,
     0.030,
     {"机械制造有限公司", "重工有限公司", "液压科技有限公司", "精密制造有限公司",
      "智能装备有限公司", "汽车零部件有限公司", "机电设备有限公司", "轻合金科技有限公司"}},
    {"轻工食品",
     0.27,
     0.75,
     0.04,
     0.26,
     0.040,
     {"食品有限公司", "米粉食品有限公司", "纸业有限公司", "茶业有限公司", "饮品有限公司",
      "纺织有限公司", "包装有限公司", "粮油有限公司"}},
    {"电力电子",
     0.17,
     1.1,
     0.15,
     0.27,
     0.035,
     {"电器有限公司", "电子科技有限公司", "新能源科技有限公司", "电气有限公司", "储能科技有限公司",
      "光电科技有限公司", "线缆有限公司", "锂电科技有限公司"}},
};

// Calendar-month seasonal index (mean 1): a soft start of the year (the Spring Festival dip
// itself is modelled day by day below), a summer lull, and the December push to meet the year's
// targets that every Chinese industrial series shows.
constexpr double kSeason[12] = {0.93, 0.88, 1.00, 0.98, 1.00, 1.04,
                                0.95, 0.96, 1.03, 0.99, 1.04, 1.20};

// Spring Festival (正月初一) dates. The festival moves by up to a month between years, which is
// why NBS publishes January and February together.
struct FestivalDate {
  int y, m, d;
};
constexpr FestivalDate kFestivals[] = {
    {2015, 2, 19}, {2016, 2, 8},  {2017, 1, 28}, {2018, 2, 16}, {2019, 2, 5},  {2020, 1, 25},
    {2021, 2, 12}, {2022, 2, 1},  {2023, 1, 22}, {2024, 2, 10}, {2025, 1, 29}, {2026, 2, 17},
    {2027, 2, 6},  {2028, 1, 26}, {2029, 2, 13}, {2030, 2, 3},  {2031, 1, 23}, {2032, 2, 11},
    {2033, 1, 31}, {2034, 2, 19}, {2035, 2, 8}};

sys_days FestivalOf(int year) {
  for (const auto& f : kFestivals)
    if (f.y == year)
      return sys_days(std::chrono::year(f.y) / std::chrono::month(f.m) / std::chrono::day(f.d));
  // Outside the table: early February is the festival's average position.
  return sys_days(std::chrono::year(year) / std::chrono::February / 5);
}

// Output relative to normal on a day `k` days after the festival (negative: before).
// Continuous-process chemical plants keep running at reduced load; assembly plants close for
// the holiday and ramp up over two weeks as migrant workers return; food plants run hot in the
// weeks before the festival to fill the shops.
double FestivalFactor(Industry industry, int k) {
  switch (industry) {
    case kPharmaChem:
      if (k >= -2 && k <= 6) return 0.55;
      if (k >= 7 && k <= 12) return 0.85;
      return 1.0;
    case kLightFood:
      if (k >= -30 && k <= -8) return 1.25;
      if (k >= -2 && k <= 7) return 0.30;
      if (k >= 8 && k <= 15) return 0.70;
      return 1.0;
    case kEquipment:
    case kPowerElectronics:
      if (k >= -7 && k <= -3) return 0.80;
      if (k >= -2 && k <= 7) return 0.15;
      if (k >= 8 && k <= 15) return 0.60;
      if (k >= 16 && k <= 22) return 0.85;
      return 1.0;
  }
  return 1.0;
}

// -----------------------------------------------------------------------------------------------
// Enterprises.

struct Enterprise {
  std::string code;
  std::string name;
  Industry industry = kPharmaChem;
  bool key = false;
  int entry_year = 0;  // 规上起始年份
  bool entrant = false;
  double annual_output = 0;  // 万元 per year at the trend level of first_year
  double growth = 0;
  double va_ratio = 0.3;
  double intensity = 0.04;  // 万千瓦时 per 万元
  // Planted stories.
  double slump_factor = 1.0;  // output multiplier from slump_from on
  sys_days slump_from = sys_days::max();
  int slump_months = 0;
  double slump_target = 0;  // the YoY the slump aims at
  bool late_week = false;
  bool late_month = false;
};

// GB 11714 organisation code check character over an 8-character body (digits and letters).
char OrgCodeCheck(std::string_view body) {
  static constexpr int kWeights[8] = {3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 8; ++i) {
    char c = body[i];
    int v = c >= '0' && c <= '9' ? c - '0' : c - 'A' + 10;
    sum += v * kWeights[i];
  }
  int check = 11 - sum % 11;
  if (check == 10) return 'X';
  if (check == 11) return '0';
  return static_cast<char>('0' + check);
}

// A valid unified social credit code: 9 (registered with market regulation) 1 (enterprise),
// a Changde area code, the organisation code with its own check, and the GB 32100 check.
// Firms registered since the 2015 reform carry "MA..." organisation codes, older ones digits.
std::string MakeCreditCode(SimRandom& rng, bool recent) {
  static constexpr const char* kAreas[] = {"430700", "430700", "430700", "430702", "430703"};
  std::string body;
  if (recent) {
    static constexpr std::string_view kLetters = "LMNPQRT";
    body = "MA4";
    body += kLetters[rng.Int(0, static_cast<int>(kLetters.size()) - 1)];
    for (int i = 0; i < 4; ++i) body += static_cast<char>('0' + rng.Int(0, 9));
  } else {
    body += static_cast<char>('1' + rng.Int(0, 8));  // old codes do not start with 0
    for (int i = 0; i < 7; ++i) body += static_cast<char>('0' + rng.Int(0, 9));
  }
  std::string code = std::string("91") + kAreas[rng.Int(0, 4)] + body + OrgCodeCheck(body);
  code += CreditCodeCheckChar(code);
  return code;
}

// Trade names from syllables that sound like Chinese firm names; none is meant to be a real firm.
std::string MakeName(SimRandom& rng, Industry industry, bool key) {
  static constexpr const char* kFirst[] = {"德", "华", "鑫", "源", "恒", "泰", "瑞", "康", "远",
                                           "盛", "宏", "嘉", "丰", "润", "科", "沅", "澧", "金",
                                           "天", "新", "长", "信", "正", "益", "昌", "隆", "安",
                                           "永", "凯", "博", "湘", "楚", "善", "桃", "柳", "武"};
  static constexpr const char* kSecond[] = {"力", "达", "丰", "源", "盛", "泰", "康", "宇", "辉",
                                            "诚", "通", "晟", "邦", "尔", "特", "威", "鸿", "联",
                                            "创", "锐", "华", "润", "信", "航", "美", "宁", "福",
                                            "禾", "峰", "川", "云", "亿", "杰", "成", "立", "和"};
  std::string first = kFirst[rng.Int(0, static_cast<int>(std::size(kFirst)) - 1)];
  std::string second = kSecond[rng.Int(0, static_cast<int>(std::size(kSecond)) - 1)];
  if (first == second) second = "兴";
  std::string brand = first + second;
  std::string suffix = kProfiles[industry].suffixes[rng.Int(0, 7)];
  if (key && rng.Chance(0.3)) {
    // Big firms are often joint-stock companies.
    suffix.replace(suffix.size() - std::string_view("有限公司").size(), std::string::npos,
                   "股份有限公司");
  }
  double form = rng.Uniform();
  if (form < 0.15) return brand + "（常德）" + suffix;  // a branch of an outside group
  if (form < 0.45) return "湖南" + brand + suffix;
  if (form < 0.55) return "常德市" + brand + suffix;
  return "常德" + brand + suffix;
}

// -----------------------------------------------------------------------------------------------
// Output helpers.

std::string Fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string MonthLabel(const Period& p) {
  if (p.is_jan_feb()) return std::to_string(p.year()) + "年1-2月";
  return std::to_string(p.year()) + "年" + std::to_string(p.first_month()) + "月";
}

std::string WeekLabel(const Period& p) {
  return std::to_string(p.year()) + "年第" + std::to_string(p.week()) + "周";
}

// Converts text between encodings with iconv(3).
bool Convert(const std::string& in, const char* to, const char* from, std::string* out,
             std::string* error) {
  iconv_t cd = iconv_open(to, from);
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    *error =
        std::string("iconv cannot convert ") + from + " to " + to + ": " + std::strerror(errno);
    return false;
  }
  out->assign(in.size() + in.size() / 2 + 16, '\0');
  char* src = const_cast<char*>(in.data());
  size_t src_left = in.size();
  char* dst = out->data();
  size_t dst_left = out->size();
  bool ok = true;
  while (src_left > 0) {
    if (iconv(cd, &src, &src_left, &dst, &dst_left) == static_cast<size_t>(-1)) {
      if (errno == E2BIG) {
        size_t used = out->size() - dst_left;
        out->resize(out->size() * 2);
        dst = out->data() + used;
        dst_left = out->size() - used;
        continue;
      }
      *error = std::string("iconv ") + from + " to " + to + " failed: " + std::strerror(errno);
      ok = false;
      break;
    }
  }
  out->resize(out->size() - dst_left);
  iconv_close(cd);
  return ok;
}

bool WriteFile(const fs::path& path, const std::string& bytes, std::string* error) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  f.close();
  if (!f) {
    *error = "cannot write " + path.string();
    return false;
  }
  return true;
}

// -----------------------------------------------------------------------------------------------
// The generator.

class ParkGenerator {
 public:
  explicit ParkGenerator(const DemoParkOptions& o) : o_(o) {}

  std::vector<std::string> Run(std::string* error);

 private:
  bool PlanCalendar(std::string* error);
  void MakeEnterprises();
  void PlantStories();
  void Simulate();
  std::string RegisterCsv() const;
  std::string MonthlyCsv(int year, const char* eol) const;
  std::string WeeklyCsv(int iso_year) const;
  std::string PpiCsv() const;
  std::string Readme() const;

  int DayIndex(sys_days d) const { return static_cast<int>((d - start_).count()); }
  size_t MonthIndex(const Period& p) const {
    return static_cast<size_t>(std::find(months_.begin(), months_.end(), p) - months_.begin());
  }
  // Output YoY of one enterprise (or, with e < 0, of an industry's same-enterprise set) for
  // months_[mi]; NaN when there is no base.
  double MonthYoY(int e, Industry industry, size_t mi) const;
  bool Reports(const Enterprise& e, const Period& p) const;

  const DemoParkOptions& o_;
  sys_days jan1_;               // 1 January of first_year: t = 0 of the trends
  sys_days start_;              // Monday of the ISO week holding jan1_, the first simulated day
  sys_days end_;                // today: the first day not simulated
  std::vector<Period> months_;  // ended before today, in order
  std::vector<Period> weeks_;
  int industry_slow_months_ = 5;
  sys_days industry_slow_from_ = sys_days::max();
  std::vector<Enterprise> ents_;
  // Per enterprise, per period: output, value added, electricity; NaN where nothing is reported.
  std::vector<std::vector<std::array<double, 3>>> monthly_;
  std::vector<std::vector<std::array<double, 2>>> weekly_;
};

bool ParkGenerator::PlanCalendar(std::string* error) {
  if (o_.first_year < 2000 || o_.first_year > 2100 || o_.last_year < o_.first_year) {
    *error = "demo years must satisfy 2000 <= first_year <= last_year <= 2100";
    return false;
  }
  if (o_.enterprises < 20 || o_.key_enterprises < 3 || o_.key_enterprises > o_.enterprises / 2) {
    *error = "demo needs at least 20 enterprises and 3..enterprises/2 key enterprises";
    return false;
  }
  jan1_ = sys_days(std::chrono::year(o_.first_year) / std::chrono::January / 1);
  start_ = sys_days(Period::WeekOf(year_month_day(jan1_)).FirstDay());
  end_ = o_.today.ok() ? sys_days(o_.today)
                       : sys_days(std::chrono::year(o_.last_year + 1) / std::chrono::January / 1);
  for (int y = o_.first_year;; ++y) {
    Period p = Period::JanFeb(y);
    bool any = false;
    while (p.valid() && p.year() == y && sys_days(p.LastDay()) < end_) {
      months_.push_back(p);
      any = true;
      p = p.Next();
    }
    if (!any) break;
  }
  for (Period w = Period::Week(o_.first_year, 1); sys_days(w.LastDay()) < end_; w = w.Next())
    weeks_.push_back(w);
  if (months_.size() < 2 || weeks_.empty()) {
    *error = "demo today must be after 31 March of first_year (Jan–Feb and March ended)";
    return false;
  }
  return true;
}

void ParkGenerator::MakeEnterprises() {
  SimRandom rng(o_.seed, 1);
  int n = o_.enterprises;
  ents_.resize(n);
  // Industries by share; the remainder goes to the largest group.
  int assigned = 0;
  for (int i = kIndustries - 1; i >= 1; --i) {
    int count = static_cast<int>(std::lround(n * kProfiles[i].count_share));
    for (int j = 0; j < count; ++j) ents_[assigned++].industry = static_cast<Industry>(i);
  }
  while (assigned < n) ents_[assigned++].industry = kPharmaChem;

  // Log-normal sizes above the 规上 threshold (2 000 万元 of revenue; output tracks revenue).
  for (auto& e : ents_) {
    const auto& prof = kProfiles[e.industry];
    double x = 0;
    for (int tries = 0; tries < 100; ++tries) {
      x = std::exp(std::log(6500.0 * prof.size_factor) + 1.05 * rng.Normal());
      if (x >= 2100) break;
    }
    e.annual_output = std::clamp(x, 2100.0, 450000.0);
    e.growth = std::clamp(prof.growth + rng.Normal(0, 0.035), -0.04, 0.30);
    e.va_ratio = std::clamp(prof.va_ratio + rng.Uniform(-0.03, 0.03), 0.25, 0.35);
    e.intensity = prof.kwh_per_wan * std::exp(rng.Normal(0, 0.25));
  }
  // A sample of a few hundred rarely draws a park's anchor firms: make the largest plant of
  // pharma & chemicals (the 原料药 base), equipment and power electronics 15–30 亿元 a year, the
  // size of the real park's leaders, so pharma & chemicals is the biggest industry by output.
  constexpr double kAnchor[kIndustries] = {300000, 200000, 0, 160000};
  for (int i = 0; i < kIndustries; ++i) {
    Enterprise* largest = nullptr;
    for (auto& e : ents_)
      if (e.industry == i && (!largest || e.annual_output > largest->annual_output)) largest = &e;
    if (largest) largest->annual_output = std::max(largest->annual_output, kAnchor[i]);
  }
  // The largest are the key enterprises; the files list enterprises biggest first.
  std::stable_sort(ents_.begin(), ents_.end(), [](const Enterprise& a, const Enterprise& b) {
    return a.annual_output > b.annual_output;
  });
  for (int i = 0; i < o_.key_enterprises; ++i) ents_[i].key = true;

  // Entrants: small non-key firms that crossed the threshold in the second or third year.
  int years_with_data = months_.back().year() - o_.first_year + 1;
  std::vector<int> entrants;
  if (years_with_data >= 2) {
    for (int i = n - 1; i >= o_.key_enterprises && entrants.size() < 6; i -= 7)
      entrants.push_back(i);
  }
  for (size_t j = 0; j < entrants.size(); ++j) {
    auto& e = ents_[entrants[j]];
    e.entrant = true;
    int offset = (j < 4 || years_with_data < 3) ? 1 : 2;
    e.entry_year = o_.first_year + offset;
    e.growth = rng.Uniform(0.20, 0.30);
    // Just over the threshold in the entry year, (about) below it the year before.
    e.annual_output = rng.Uniform(2150, 2500) / std::pow(1 + e.growth, offset);
  }
  for (auto& e : ents_)
    if (!e.entrant) e.entry_year = o_.first_year - (e.key ? rng.Int(4, 18) : rng.Int(1, 12));

  std::set<std::string> codes, names;
  for (auto& e : ents_) {
    do e.code = MakeCreditCode(rng, e.entry_year >= 2016);
    while (!codes.insert(e.code).second);
    do e.name = MakeName(rng, e.industry, e.key);
    while (!names.insert(e.name).second);
  }
}

void ParkGenerator::PlantStories() {
  SimRandom rng(o_.seed, 2);
  // Three key enterprises in three different industries slump over the last 3–6 months. The
  // equipment industry is left out: it has its own, industry-wide slowdown.
  const Industry slump_industries[] = {kPharmaChem, kPowerElectronics, kLightFood};
  for (Industry ind : slump_industries) {
    // From the smaller half of the industry's key enterprises: a slump at its anchor firm would
    // sink the whole industry and hide the industry-level stories.
    std::vector<int> candidates;
    for (int i = 0; i < o_.key_enterprises; ++i)
      if (ents_[i].industry == ind) candidates.push_back(i);
    if (candidates.size() < 2) continue;
    int lo = static_cast<int>(candidates.size()) / 2;
    auto& e = ents_[candidates[rng.Int(lo, static_cast<int>(candidates.size()) - 1)]];
    e.slump_months = std::min<int>(rng.Int(3, 6), static_cast<int>(months_.size()));
    Period from = months_[months_.size() - e.slump_months];
    e.slump_from = sys_days(from.FirstDay());
    e.slump_target = -rng.Uniform(0.24, 0.35);
    // The factor cancels the enterprise's trend growth, so YoY lands near the target.
    e.slump_factor = (1 + e.slump_target) / (1 + e.growth);
  }
  // 装备制造 slows for the last months: orders dry up, so output bends down over two months to
  // about 12% under trend, taking the industry's YoY from about +8% to about -5%.
  industry_slow_months_ = std::min<int>(5, static_cast<int>(months_.size()));
  industry_slow_from_ = sys_days(months_[months_.size() - industry_slow_months_].FirstDay());

  // Late reports: one key and four other enterprises, none of them carrying another story.
  // The first three miss the latest week, the other two the latest month.
  auto free = [&](int i) {
    const auto& e = ents_[i];
    return !e.slump_months && !e.entrant && e.industry != kEquipment;
  };
  std::vector<int> late;
  for (int i = 3; i < o_.key_enterprises && late.empty(); ++i)
    if (free(i)) late.push_back(i);
  // Spread over the size ranks; the second pass fills up if the spread one fell short.
  for (int i = o_.key_enterprises + 5; i < o_.enterprises && late.size() < 5; i += 29)
    if (free(i)) late.push_back(i);
  for (int i = o_.key_enterprises; i < o_.enterprises && late.size() < 5; ++i)
    if (free(i) && std::find(late.begin(), late.end(), i) == late.end()) late.push_back(i);
  for (size_t j = 0; j < late.size(); ++j) {
    if (j < 3)
      ents_[late[j]].late_week = true;
    else
      ents_[late[j]].late_month = true;
  }
}

bool ParkGenerator::Reports(const Enterprise& e, const Period& p) const {
  if (p.year() < e.entry_year) return false;
  if (e.late_week && p == weeks_.back()) return false;
  if (e.late_month && p == months_.back()) return false;
  return true;
}

void ParkGenerator::Simulate() {
  const int ndays = DayIndex(end_);
  const int nweeks = ndays / 7 + 1;
  std::vector<sys_days> festivals;
  for (int y = o_.first_year - 1; y <= year_month_day(end_).year().operator int() + 1; ++y)
    festivals.push_back(FestivalOf(y));
  // Day-of-run tables shared by all enterprises.
  std::vector<int> month_of_day(ndays), festival_offset(ndays);
  for (int d = 0; d < ndays; ++d) {
    sys_days day = start_ + days(d);
    year_month_day ymd(day);
    month_of_day[d] = (static_cast<int>(ymd.year()) - o_.first_year + 1) * 12 +
                      static_cast<int>(static_cast<unsigned>(ymd.month())) - 1;
    int best = 1000;
    for (auto f : festivals) {
      int k = static_cast<int>((day - f).count());
      if (std::abs(k) < std::abs(best)) best = k;
    }
    festival_offset[d] = best;
  }
  const int nmonth_slots = month_of_day.back() + 1;
  const int slow_from =
      industry_slow_from_ == sys_days::max() ? ndays : DayIndex(industry_slow_from_);

  monthly_.assign(ents_.size(), {});
  weekly_.assign(ents_.size(), {});
  std::vector<double> out(ndays), elec(ndays);
  for (size_t ei = 0; ei < ents_.size(); ++ei) {
    const auto& e = ents_[ei];
    SimRandom rng(o_.seed, 1000 + ei);
    // Month-level drift (orders come in lumps) as AR(1), week-level jitter on top.
    std::vector<double> month_noise(nmonth_slots), week_noise(nweeks), elec_noise(nweeks);
    double prev = 0;
    for (auto& m : month_noise) prev = m = 0.5 * prev + rng.Normal(0, 0.025);
    for (auto& w : week_noise) w = rng.Normal(0, 0.03);
    for (auto& w : elec_noise) w = rng.Normal(0, 0.03);
    const int slump_from = e.slump_from == sys_days::max() ? ndays : DayIndex(e.slump_from);
    for (int d = 0; d < ndays; ++d) {
      double t = (d - DayIndex(jan1_)) / 365.25;  // years since 1 January of first_year
      double trend = e.annual_output / 365.25 * std::pow(1 + e.growth, t);
      double planted = d >= slump_from ? e.slump_factor : 1.0;
      if (e.industry == kEquipment && d >= slow_from)
        planted *= 1.0 - 0.12 * std::min(1.0, (d - slow_from) / 61.0);
      int m = month_of_day[d];
      double season = kSeason[m % 12] * FestivalFactor(e.industry, festival_offset[d]);
      double noise = std::exp(month_noise[m] + week_noise[d / 7]);
      out[d] = trend * planted * season * noise;
      // Electricity has a base load (lighting, HVAC, furnaces kept warm) that does not stop with
      // production, so it falls less than output at the festival.
      elec[d] = e.intensity * (0.8 * out[d] + 0.2 * trend * planted) * std::exp(elec_noise[d / 7]);
    }
    auto sum = [&](const Period& p, const std::vector<double>& v) {
      int a = std::max(0, DayIndex(sys_days(p.FirstDay())));
      int b = DayIndex(sys_days(p.LastDay()));
      double s = 0;
      for (int d = a; d <= b; ++d) s += v[d];
      return s;
    };
    constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    for (const auto& p : months_) {
      // Monthly returns are compiled from the books, weekly ones from the shop floor: they agree
      // to within a percent, not to the yuan.
      double output = sum(p, out) * std::exp(rng.Normal(0, 0.006));
      double va = output * e.va_ratio * std::exp(rng.Normal(0, 0.015));
      double kwh = sum(p, elec);
      if (Reports(e, p))
        monthly_[ei].push_back({output, va, kwh});
      else
        monthly_[ei].push_back({kNaN, kNaN, kNaN});
    }
    for (const auto& p : weeks_) {
      if (Reports(e, p))
        weekly_[ei].push_back({sum(p, out), sum(p, elec)});
      else
        weekly_[ei].push_back({kNaN, kNaN});
    }
  }
}

std::string ParkGenerator::RegisterCsv() const {
  std::string s = "\xEF\xBB\xBF";  // Excel's "CSV UTF-8" writes a BOM
  s += "统一社会信用代码,企业名称,行业,重点企业,规上起始年份\n";
  for (const auto& e : ents_)
    s += e.code + "," + e.name + "," + kProfiles[e.industry].name + "," + (e.key ? "是" : "否") +
         "," + std::to_string(e.entry_year) + "\n";
  return s;
}

std::string ParkGenerator::MonthlyCsv(int year, const char* eol) const {
  std::string s =
      "统一社会信用代码,企业名称,报告期,工业总产值(万元),工业增加值(万元),用电量(万千瓦时)";
  s += eol;
  for (size_t mi = 0; mi < months_.size(); ++mi) {
    if (months_[mi].year() != year) continue;
    for (size_t ei = 0; ei < ents_.size(); ++ei) {
      const auto& v = monthly_[ei][mi];
      if (std::isnan(v[0])) continue;
      s += ents_[ei].code + "," + ents_[ei].name + "," + MonthLabel(months_[mi]) + "," +
           Fixed(v[0], 1) + "," + Fixed(v[1], 1) + "," + Fixed(v[2], 2) + eol;
    }
  }
  return s;
}

// Producer price indices per industry (same period last year = 100), as the statistics bureau
// publishes them: the deflator of comparable-price (可比价) value added. No credit code column:
// the table is industry-level. Drifts are plausible, not real: chemicals up with raw materials,
// power electronics down as panels and inverters get cheaper.
std::string ParkGenerator::PpiCsv() const {
  static constexpr double kDrift[kIndustries] = {1.8, -0.4, 0.9, -2.6};
  std::string s = "行业,报告期,PPI\n";
  for (size_t mi = 0; mi < months_.size(); ++mi) {
    for (int i = 0; i < kIndustries; ++i) {
      double wiggle = 0.8 * std::sin(0.5 * static_cast<double>(mi) + i);
      s += std::string(kProfiles[i].name) + "," + MonthLabel(months_[mi]) + "," +
           Fixed(100 + kDrift[i] + wiggle, 1) + "\n";
    }
  }
  return s;
}

std::string ParkGenerator::WeeklyCsv(int iso_year) const {
  std::string s = "统一社会信用代码,报告期,工业总产值(万元),用电量(万千瓦时)\n";
  for (size_t wi = 0; wi < weeks_.size(); ++wi) {
    if (weeks_[wi].year() != iso_year) continue;
    for (size_t ei = 0; ei < ents_.size(); ++ei) {
      const auto& v = weekly_[ei][wi];
      if (std::isnan(v[0])) continue;
      s += ents_[ei].code + "," + WeekLabel(weeks_[wi]) + "," + Fixed(v[0], 2) + "," +
           Fixed(v[1], 2) + "\n";
    }
  }
  return s;
}

double ParkGenerator::MonthYoY(int e, Industry industry, size_t mi) const {
  auto base = months_[mi].SameLastYear();
  if (!base) return std::nan("");
  size_t bi = MonthIndex(*base);
  if (bi >= months_.size()) return std::nan("");
  double now = 0, before = 0;
  for (size_t i = 0; i < ents_.size(); ++i) {
    if (e >= 0 ? static_cast<int>(i) != e : ents_[i].industry != industry) continue;
    double a = monthly_[i][mi][0], b = monthly_[i][bi][0];
    if (std::isnan(a) || std::isnan(b)) continue;  // same-enterprise caliber
    now += a;
    before += b;
  }
  return before > 0 ? now / before - 1 : std::nan("");
}

std::string Pct(double g) {
  if (std::isnan(g)) return "n/a";
  return (g >= 0 ? "+" : "") + Fixed(100 * g, 1) + "%";
}

std::string ParkGenerator::Readme() const {
  std::string s;
  s += "parkwatch demo park\n===================\n\n";
  s += "A synthetic park modelled on the Changde economic and technological development zone\n"
       "(常德经济技术开发区, Hunan). All enterprises, names and credit codes are invented; the\n"
       "codes pass the GB 32100 and GB 11714 checks but belong to no one.\n\n";
  year_month_day today(end_);
  char today_text[32];
  std::snprintf(today_text, sizeof today_text, "%04d-%02u-%02u", static_cast<int>(today.year()),
                static_cast<unsigned>(today.month()), static_cast<unsigned>(today.day()));
  s += "Seed " + std::to_string(o_.seed) + "; data from " + months_.front().ToString() +
       " to the last month and ISO week that ended before " + today_text + ":\n  latest month " +
       months_.back().ToString() + ", latest week " + weeks_.back().ToString() + ".\n\n";

  s += "Files (ingest in this order)\n----------------------------\n";
  s += "  inbox/enterprises.csv   register, UTF-8 with BOM\n";
  s += "  inbox/monthly-" + std::to_string(o_.first_year) +
       ".csv  GB18030 with CRLF line ends, as Excel on Chinese Windows saves it\n";
  s += "  inbox/monthly-YYYY.csv  other years, UTF-8; January and February as one row (1-2月)\n";
  s += "  inbox/weekly-YYYY.csv   ISO weeks of ISO year YYYY, UTF-8\n\n";

  // Output over the last twelve months (eleven periods, Jan–Feb being one), or all there is.
  const Period& last = months_.back();
  size_t window = 0;
  if (auto base = last.SameLastYear(); base && MonthIndex(*base) < months_.size())
    window = MonthIndex(*base) + 1;
  s += "The park (output over " + months_[window].ToString() + ".." + last.ToString() +
       ")\n-------------------------------------------\n";
  for (int i = 0; i < kIndustries; ++i) {
    int count = 0, keys = 0;
    double out = 0;
    for (size_t ei = 0; ei < ents_.size(); ++ei) {
      if (ents_[ei].industry != i) continue;
      ++count;
      keys += ents_[ei].key;
      for (size_t mi = window; mi < months_.size(); ++mi)
        if (!std::isnan(monthly_[ei][mi][0])) out += monthly_[ei][mi][0];
    }
    s += std::string("  ") + kProfiles[i].name + ": " + std::to_string(count) + " enterprises (" +
         std::to_string(keys) + " key), output " + Fixed(out / 10000, 1) +
         " 亿元, trend growth about " + Fixed(100 * kProfiles[i].growth, 0) + "%/yr, " +
         last.ToString() + " YoY " +
         Pct(MonthYoY(-1, static_cast<Industry>(i), months_.size() - 1)) + "\n";
  }
  s += "  Key enterprises (重点企业): the " + std::to_string(o_.key_enterprises) +
       " largest by output.\n";
  s += "  Seasons: weak January-February around the Spring Festival, strong December. The weekly\n"
       "  files dip in the festival weeks (Spring Festival";
  for (int y = o_.first_year; y <= year_month_day(end_).year().operator int(); ++y) {
    year_month_day f(FestivalOf(y));
    if (sys_days(f) >= end_) break;
    s += " " + Period::WeekOf(f).ToString();
  }
  s += "):\n  weekly YoY there compares a holiday week with a working week, so weekly YoY rules\n"
       "  should skip those weeks; monthly data combine January and February for the same "
       "reason.\n\n";

  s += "Planted: key enterprises that slump (output YoY down 20-40%)\n"
       "------------------------------------------------------------\n";
  for (size_t ei = 0; ei < ents_.size(); ++ei) {
    const auto& e = ents_[ei];
    if (!e.slump_months) continue;
    s += "  " + e.code + " " + e.name + " (" + kProfiles[e.industry].name + ")\n";
    s += "    from " + months_[months_.size() - e.slump_months].ToString() + " (last " +
         std::to_string(e.slump_months) + " months and their weeks), target YoY " +
         Pct(e.slump_target) + "; monthly YoY:";
    for (size_t mi = months_.size() - e.slump_months; mi < months_.size(); ++mi)
      s +=
          " " + months_[mi].ToString() + " " + Pct(MonthYoY(static_cast<int>(ei), kPharmaChem, mi));
    s += "\n";
  }
  s += "\nPlanted: an industry that slows\n-------------------------------\n";
  s += "  装备制造 (equipment manufacturing) bends down from " +
       months_[months_.size() - industry_slow_months_].ToString() +
       " on, about 12% under trend within two months; industry output YoY:";
  for (size_t mi = months_.size() - industry_slow_months_; mi < months_.size(); ++mi)
    s += " " + months_[mi].ToString() + " " + Pct(MonthYoY(-1, kEquipment, mi));
  s += "\n\nPlanted: late reports (未报)\n---------------------------\n";
  for (const auto& e : ents_) {
    if (e.late_week)
      s += "  " + e.code + " " + e.name + (e.key ? " (key)" : "") + ": no row for week " +
           weeks_.back().ToString() + "\n";
    if (e.late_month)
      s += "  " + e.code + " " + e.name + (e.key ? " (key)" : "") + ": no row for month " +
           months_.back().ToString() + "\n";
  }
  s += "\nPlanted: entered 规上 after " + std::to_string(o_.first_year) +
       " (rows start in January of 规上起始年份)\n"
       "--------------------------------------------------------------------\n";
  for (const auto& e : ents_)
    if (e.entrant)
      s += "  " + e.code + " " + e.name + " (" + kProfiles[e.industry].name + "): from " +
           std::to_string(e.entry_year) + "\n";
  s += "\nEverything else is trend, season and noise: a few blue (蓝) alerts at ordinary\n"
       "enterprises are to be expected; orange and red ones should be the planted stories.\n";
  return s;
}

std::vector<std::string> ParkGenerator::Run(std::string* error) {
  if (!PlanCalendar(error)) return {};
  MakeEnterprises();
  PlantStories();
  Simulate();

  std::error_code ec;
  fs::path dir(o_.dir), inbox = fs::path(o_.dir) / "inbox";
  fs::create_directories(inbox, ec);
  if (ec) {
    *error = "cannot create " + inbox.string() + ": " + ec.message();
    return {};
  }
  std::vector<std::string> files;
  auto emit = [&](const fs::path& path, const std::string& bytes) {
    if (!WriteFile(path, bytes, error)) return false;
    files.push_back(path.string());
    return true;
  };
  if (!emit(inbox / "enterprises.csv", RegisterCsv())) return {};
  if (!emit(inbox / "industry-ppi.csv", PpiCsv())) return {};
  const int last_year = std::max(months_.back().year(), weeks_.back().year());
  for (int y = o_.first_year; y <= last_year; ++y) {
    fs::path monthly = inbox / ("monthly-" + std::to_string(y) + ".csv");
    if (std::any_of(months_.begin(), months_.end(),
                    [y](const Period& p) { return p.year() == y; })) {
      if (y == o_.first_year) {
        std::string gb;
        if (!Convert(MonthlyCsv(y, "\r\n"), "GB18030", "UTF-8", &gb, error)) return {};
        if (!emit(monthly, gb)) return {};
      } else if (!emit(monthly, MonthlyCsv(y, "\n"))) {
        return {};
      }
    }
    fs::path weekly = inbox / ("weekly-" + std::to_string(y) + ".csv");
    if (std::any_of(weeks_.begin(), weeks_.end(), [y](const Period& p) { return p.year() == y; }))
      if (!emit(weekly, WeeklyCsv(y))) return {};
  }
  if (!WriteFile(dir / "README.txt", Readme(), error)) return {};
  return files;
}

}  // namespace

std::vector<std::string> WriteDemoPark(const DemoParkOptions& options, std::string* error) {
  std::string ignored;
  if (!error) error = &ignored;
  ParkGenerator generator(options);
  return generator.Run(error);
}

}  // namespace parkwatch
