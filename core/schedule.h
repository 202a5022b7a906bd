// When a scheduled pull runs: every interval, or at a time of day (every day or one weekday) in
// the park's time zone, as a bureau says it: "every 15m", "daily 06:30", "mon 09:00".
#pragma once

#include <cstdint>
#include <string>

namespace parkwatch {

struct PullSchedule {
  int64_t every_ms = 0;   // > 0: every interval, counted from the previous pull's start
  int weekday = 0;        // at a time of day: 0 every day, 1..7 Monday..Sunday
  int minute_of_day = 0;  // local time, 0..1439
};

// Parses "every DURATION" (the duration already in ms: parse_duration turns "15m" into it, or
// returns a negative number for a malformed one), "daily HH:MM" or "mon HH:MM" .. "sun HH:MM".
// False with *error saying what is accepted.
bool ParsePullSchedule(const std::string& text, int64_t (*parse_duration)(const std::string&),
                       PullSchedule* out, std::string* error);

// The first scheduled instant strictly after after_ms (unix ms), in a zone utc_offset_minutes
// east of UTC. For an interval: after_ms + every_ms.
int64_t NextPullAt(const PullSchedule& schedule, int64_t after_ms, int utc_offset_minutes);

// The last scheduled instant at or before at_ms, for times of day (a pull missed while the
// daemon was down runs at start); for an interval, at_ms - every_ms.
int64_t PreviousPullAt(const PullSchedule& schedule, int64_t at_ms, int utc_offset_minutes);

}  // namespace parkwatch
