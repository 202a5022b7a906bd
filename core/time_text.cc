#include "core/time_text.h"

#include <array>
#include <cstdio>
#include <optional>
#include <string>

namespace parkwatch {

namespace {

const std::array<const char*, 12> kMonthsEn = {"January",   "February", "March",    "April",
                                               "May",       "June",     "July",     "August",
                                               "September", "October",  "November", "December"};
const std::array<const char*, 12> kMonthsShortEn = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::string DayZh(const std::chrono::year_month_day& d) {
  return std::to_string(static_cast<unsigned>(d.month())) + "月" +
         std::to_string(static_cast<unsigned>(d.day())) + "日";
}

std::string DayEn(const std::chrono::year_month_day& d) {
  return std::to_string(static_cast<unsigned>(d.day())) + " " +
         kMonthsShortEn[static_cast<unsigned>(d.month()) - 1];
}

// "+08:00", "+0800", "+8", "-05:30" -> minutes; nullopt if malformed or beyond ±14 h.
std::optional<int> ParseOffset(const std::string& text) {
  if (text.empty() || (text[0] != '+' && text[0] != '-')) return std::nullopt;
  int sign = text[0] == '-' ? -1 : 1;
  std::string digits;
  for (size_t i = 1; i < text.size(); ++i) {
    if (text[i] == ':') {
      if (digits.size() != 1 && digits.size() != 2) return std::nullopt;
      if (digits.size() == 1) digits = "0" + digits;
      continue;
    }
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    digits += text[i];
  }
  int hours = 0, minutes = 0;
  if (digits.size() <= 2 && !digits.empty()) {
    hours = std::stoi(digits);
  } else if (digits.size() == 3 || digits.size() == 4) {
    hours = std::stoi(digits.substr(0, digits.size() - 2));
    minutes = std::stoi(digits.substr(digits.size() - 2));
  } else {
    return std::nullopt;
  }
  if (minutes >= 60 || hours * 60 + minutes > 14 * 60) return std::nullopt;
  return sign * (hours * 60 + minutes);
}

}  // namespace

std::string PeriodName(const Period& p, Language lang) {
  if (!p.valid()) return "";
  std::string year = std::to_string(p.year());
  if (p.weekly())
    return lang == Language::kZh ? year + "年第" + std::to_string(p.week()) + "周"
                                 : "week " + std::to_string(p.week()) + " of " + year;
  if (p.first_month() != p.last_month())
    return lang == Language::kZh ? year + "年" + std::to_string(p.first_month()) + "—" +
                                       std::to_string(p.last_month()) + "月"
                                 : std::string(kMonthsEn[p.first_month() - 1]) + "–" +
                                       kMonthsEn[p.last_month() - 1] + " " + year;
  return lang == Language::kZh ? year + "年" + std::to_string(p.first_month()) + "月"
                               : std::string(kMonthsEn[p.first_month() - 1]) + " " + year;
}

std::string YearToDateName(const Period& p, Language lang) {
  if (!p.valid() || !p.monthly()) return PeriodName(p, lang);
  std::string year = std::to_string(p.year());
  return lang == Language::kZh
             ? year + "年1—" + std::to_string(p.last_month()) + "月"
             : std::string("January–") + kMonthsEn[p.last_month() - 1] + " " + year;
}

Wording PeriodWording(const Period& p) {
  return {PeriodName(p, Language::kEn), PeriodName(p, Language::kZh)};
}

Wording YearToDateWording(const Period& p) {
  return {YearToDateName(p, Language::kEn), YearToDateName(p, Language::kZh)};
}

std::string PeriodDays(const Period& p, Language lang) {
  if (!p.valid()) return "";
  return lang == Language::kZh ? DayZh(p.FirstDay()) + "—" + DayZh(p.LastDay())
                               : DayEn(p.FirstDay()) + " – " + DayEn(p.LastDay());
}

std::string PeriodNameWithDays(const Period& p, Language lang) {
  if (!p.valid() || !p.weekly()) return PeriodName(p, lang);
  return lang == Language::kZh ? PeriodName(p, lang) + "（" + PeriodDays(p, lang) + "）"
                               : PeriodName(p, lang) + " (" + PeriodDays(p, lang) + ")";
}

std::string LocalRfc3339(int64_t unix_seconds, int offset) {
  using namespace std::chrono;
  sys_seconds at{seconds(unix_seconds + int64_t{offset} * 60)};
  sys_days day = floor<days>(at);
  year_month_day ymd{day};
  hh_mm_ss hms{at - day};
  char buf[40];
  int off = offset < 0 ? -offset : offset;
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d%c%02d:%02d", IsoDate(ymd).c_str(),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()), offset < 0 ? '-' : '+', off / 60,
                off % 60);
  return buf;
}

std::string IsoDate(const std::chrono::year_month_day& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

std::optional<int> UtcOffsetMinutes(const std::string& zone) {
  // Regions on UTC+8 all year (no DST since 1991 in China, none in the others).
  static const char* kUtc8[] = {"Asia/Shanghai", "Asia/Chongqing", "Asia/Chungking",
                                "Asia/Harbin",   "Asia/Hong_Kong", "Asia/Macau",
                                "Asia/Taipei",   "Asia/Singapore", "PRC"};
  for (const char* name : kUtc8)
    if (zone == name) return 8 * 60;
  for (const char* utc : {"UTC", "GMT", "Etc/UTC", "Etc/GMT", "Z"}) {
    std::string prefix(utc);
    if (zone == prefix) return 0;
    if (prefix.size() >= 3 && zone.rfind(prefix, 0) == 0 && prefix != "Etc/GMT")
      return ParseOffset(zone.substr(prefix.size()));
  }
  return ParseOffset(zone);
}

}  // namespace parkwatch
