#pragma once
// HttpMetrics: what the HTTP layer counts for GET /metrics (Prometheus text format):
// requests by route and status, and request duration by route as a histogram. The engine's
// own metrics (events appended, projection lag, timers, fulfilment queue, command latency)
// come from Service::metrics_text and are appended after these.
// Thread safety: all methods may be called concurrently.

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace benefitd::http {

class HttpMetrics {
 public:
  /// Counts one answered request.
  void record(std::string_view route, int status, std::chrono::duration<double> duration);
  /// Counts connections as they open and close.
  void connection_opened();
  void connection_closed();
  /// Counts a connection closed to make room for another (--max-connections), and one refused
  /// because no connection was idle.
  void connection_shed();
  void connection_refused();
  /// The metrics in Prometheus text exposition format.
  std::string text() const;

 private:
  static constexpr std::array<double, 12> kBuckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                   0.1,   0.25,   0.5,   1.0,  2.5,   10.0};
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> counts{};  // per bucket, not cumulative
    std::uint64_t count = 0;
    double sum = 0;
  };

  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> durations_;
  std::int64_t open_connections_ = 0;
  std::uint64_t shed_connections_ = 0, refused_connections_ = 0;
};

}  // namespace benefitd::http
