#pragma once
// Command counters and a latency histogram, rendered as Prometheus text.
// Thread safety: lock-free counters; safe from any thread.

#include <array>
#include <atomic>
#include <chrono>
#include <string>

namespace benefitd::app {

class CommandMetrics {
 public:
  /// Records one finished command: its latency and whether it was accepted.
  void record(std::chrono::steady_clock::duration latency, bool accepted);
  /// benefitd_command_duration_seconds (histogram) and benefitd_commands_total.
  std::string text() const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.002, 0.005, 0.01, 0.02,
                                                      0.05,   0.1,   0.2,   0.5,   1.0,  5.0};
  std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> counts_{};
  std::atomic<std::uint64_t> total_micros_{0};
  std::atomic<std::uint64_t> accepted_{0};
  std::atomic<std::uint64_t> refused_{0};
};

}  // namespace benefitd::app
