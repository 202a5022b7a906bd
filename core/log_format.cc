#include "core/log_format.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <memory>

#include "core/time_text.h"

namespace parkwatch {
namespace {

// spdlog's own %z is the offset of the process's zone (TZ or /etc/localtime), which on a server
// is usually UTC: the park's offset has to be applied here.
class ParkTimeFlag final : public spdlog::custom_flag_formatter {
 public:
  explicit ParkTimeFlag(int offset) : offset_(offset) {}
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch()).count();
    std::string text = LogTimestamp(millis, offset_);
    dest.append(text.data(), text.data() + text.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<ParkTimeFlag>(offset_);
  }

 private:
  int offset_;
};

}  // namespace

std::string LogTimestamp(int64_t unix_millis, int offset) {
  using namespace std::chrono;
  sys_time<milliseconds> at{milliseconds(unix_millis + int64_t{offset} * 60'000)};
  sys_days day = floor<days>(at);
  year_month_day ymd{day};
  hh_mm_ss hms{at - day};
  int abs = offset < 0 ? -offset : offset;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03d%c%02d:%02d",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()),
                static_cast<int>(hms.subseconds().count()), offset < 0 ? '-' : '+', abs / 60,
                abs % 60);
  return buf;
}

void UseParkTimeInLogs(const std::string& zone) {
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<ParkTimeFlag>('*', UtcOffsetMinutes(zone).value_or(8 * 60))
      .set_pattern("%* %^%l%$ %v");
  spdlog::set_formatter(std::move(formatter));
}

}  // namespace parkwatch
