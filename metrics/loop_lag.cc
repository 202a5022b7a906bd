#include "metrics/loop_lag.h"

#include <boost/asio/steady_timer.hpp>

#include "metrics/metrics.h"

namespace parkwatch {

// Shared with the pending timer handler, so that a handler still queued after the probe is
// destroyed finds the stopped flag instead of freed memory.
struct LoopLagProbe::State : std::enable_shared_from_this<State> {
  State(boost::asio::io_context& io, Metrics& m, std::chrono::steady_clock::duration i)
      : timer(io), metrics(&m), interval(i) {}

  void Schedule() {
    // Deadlines are relative to when the previous tick ran, not a fixed grid, so one long stall
    // is reported once rather than as a burst of late ticks catching up.
    deadline = std::chrono::steady_clock::now() + interval;
    timer.expires_at(deadline);
    timer.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (ec || self->stopped) return;
      std::chrono::duration<double> late = std::chrono::steady_clock::now() - self->deadline;
      self->metrics->SetEventLoopLag(late.count() > 0 ? late.count() : 0.0);
      self->Schedule();
    });
  }

  boost::asio::steady_timer timer;
  Metrics* metrics;
  std::chrono::steady_clock::duration interval;
  std::chrono::steady_clock::time_point deadline;
  bool stopped = true;
};

LoopLagProbe::LoopLagProbe(boost::asio::io_context& io, Metrics& metrics,
                           std::chrono::steady_clock::duration interval)
    : state_(std::make_shared<State>(io, metrics, interval)) {}

LoopLagProbe::~LoopLagProbe() { Stop(); }

void LoopLagProbe::Start() {
  if (!state_->stopped) return;
  state_->stopped = false;
  state_->Schedule();
}

void LoopLagProbe::Stop() {
  state_->stopped = true;
  state_->timer.cancel();
}

}  // namespace parkwatch
