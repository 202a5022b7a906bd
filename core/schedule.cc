#include "core/schedule.h"

#include <charconv>
#include <sstream>

namespace parkwatch {
namespace {

constexpr int64_t kMinuteMs = 60'000;
constexpr int64_t kDayMs = 1440 * kMinuteMs;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

// ISO weekday (1 = Monday) of a day counted from 1970-01-01, a Thursday.
int Weekday(int64_t day) { return static_cast<int>(((day % 7) + 7 + 3) % 7) + 1; }

bool Matches(const PullSchedule& s, int64_t day) {
  return s.weekday == 0 || Weekday(day) == s.weekday;
}

}  // namespace

bool ParsePullSchedule(const std::string& text, int64_t (*parse_duration)(const std::string&),
                       PullSchedule* out, std::string* error) {
  static const char* kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  static const char* kForms = "write \"every 15m\", \"daily 06:30\" or \"mon 09:00\" (park time)";
  std::istringstream in(text);
  std::string word, rest, extra;
  in >> word >> rest >> extra;
  PullSchedule s;
  if (word == "every") {
    int64_t ms = rest.empty() ? -1 : parse_duration(rest);
    if (ms < 1000 || !extra.empty()) {
      *error = "\"every\" needs a duration of at least 1s; " + std::string(kForms);
      return false;
    }
    s.every_ms = ms;
    *out = s;
    return true;
  }
  if (word != "daily") {
    for (int i = 0; i < 7; ++i)
      if (word == kDays[i]) s.weekday = i + 1;
    if (!s.weekday) {
      *error = kForms;
      return false;
    }
  }
  int hh = -1, mm = -1;
  const char* b = rest.data();
  const char* e = b + rest.size();
  auto h = std::from_chars(b, e, hh);
  auto m = h.ec == std::errc() && h.ptr < e && *h.ptr == ':'
               ? std::from_chars(h.ptr + 1, e, mm)
               : std::from_chars_result{b, std::errc::invalid_argument};
  if (m.ec != std::errc() || m.ptr != e || hh < 0 || hh > 23 || mm < 0 || mm > 59 ||
      !extra.empty()) {
    *error = "the time of day must be HH:MM (00:00 to 23:59); " + std::string(kForms);
    return false;
  }
  s.minute_of_day = hh * 60 + mm;
  *out = s;
  return true;
}

int64_t NextPullAt(const PullSchedule& s, int64_t after_ms, int utc_offset_minutes) {
  if (s.every_ms > 0) return after_ms + s.every_ms;
  const int64_t offset_ms = utc_offset_minutes * kMinuteMs;
  const int64_t local = after_ms + offset_ms;
  for (int64_t day = FloorDiv(local, kDayMs);; ++day) {
    int64_t at = day * kDayMs + s.minute_of_day * kMinuteMs;
    if (at > local && Matches(s, day)) return at - offset_ms;
  }
}

int64_t PreviousPullAt(const PullSchedule& s, int64_t at_ms, int utc_offset_minutes) {
  if (s.every_ms > 0) return at_ms - s.every_ms;
  const int64_t offset_ms = utc_offset_minutes * kMinuteMs;
  const int64_t local = at_ms + offset_ms;
  for (int64_t day = FloorDiv(local, kDayMs);; --day) {
    int64_t at = day * kDayMs + s.minute_of_day * kMinuteMs;
    if (at <= local && Matches(s, day)) return at - offset_ms;
  }
}

}  // namespace parkwatch
