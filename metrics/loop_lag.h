// A probe that measures event-loop lag: a timer asks to fire every interval on the io_context
// and records how late it actually ran. A handler that blocks the loop (a big parse done
// inline, a slow SQLite call) shows up as lag, in parkwatch_event_loop_lag_seconds.
#pragma once

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <memory>

namespace parkwatch {

class Metrics;

class LoopLagProbe {
 public:
  // Nothing runs until Start(). metrics must outlive the probe's running (until Stop() or
  // destruction); io must outlive the probe.
  LoopLagProbe(boost::asio::io_context& io, Metrics& metrics,
               std::chrono::steady_clock::duration interval = std::chrono::seconds(1));
  ~LoopLagProbe();  // Stops.

  LoopLagProbe(const LoopLagProbe&) = delete;
  LoopLagProbe& operator=(const LoopLagProbe&) = delete;

  // Schedules the first tick. Call on the io_context's thread or before it runs.
  void Start();
  // Cancels the timer; no tick touches metrics afterwards. Same thread rule as Start().
  void Stop();

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace parkwatch
