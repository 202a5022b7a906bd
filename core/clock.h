// Clocks, in the two forms parkwatch needs: wall time for records, steady time for durations.
#pragma once

#include <chrono>
#include <cstdint>

namespace parkwatch {

// Nanoseconds of the steady clock: for measuring durations, immune to clock changes.
inline int64_t SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace parkwatch
