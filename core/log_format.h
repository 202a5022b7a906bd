// The daemon's log line: `2026-11-30T15:04:05.123+08:00 info message`, the time in the park's
// time zone (parkwatch.yml global.timezone) with its offset, whatever the host's zone or TZ is.
// The bureau reads logs beside reports and alerts that are all in park time; the offset keeps
// every line unambiguous for a log collector.
#pragma once

#include <cstdint>
#include <string>

namespace parkwatch {

// Gives the default spdlog logger the line format above, times in zone (a name UtcOffsetMinutes
// knows, as the configuration checked; any other keeps UTC+8, the default zone). Thread: any
// (spdlog serialises the formatter change with its sinks' writes). main calls it before the
// configuration is read, and again with the zone of each configuration loaded or reloaded.
void UseParkTimeInLogs(const std::string& zone);

// `2026-11-30T15:04:05.123+08:00`: unix milliseconds as the log line's timestamp. Thread: any.
std::string LogTimestamp(int64_t unix_millis, int utc_offset_minutes);

}  // namespace parkwatch
