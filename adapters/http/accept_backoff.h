#pragma once
// AcceptBackoff: what the listener does when accepting a connection fails (out of
// descriptors, EMFILE, most often): wait longer after each failure in a row, 10 ms doubling to
// 1 s, so that a full process does not spin; and log at most one line every 10 s (the first
// failure at once, then how many failed since), so that the log does not fill up either.
// Thread safety: none; the listener uses it on its strand.

#include <chrono>
#include <cstdint>
#include <optional>

namespace benefitd::http {

class AcceptBackoff {
 public:
  using Clock = std::chrono::steady_clock;

  static constexpr std::chrono::milliseconds kFirstDelay{10};
  static constexpr std::chrono::milliseconds kLongestDelay{1000};
  static constexpr std::chrono::seconds kReportInterval{10};

  struct Step {
    std::chrono::milliseconds delay;  // before accepting again
    /// Failures to report now (this one included), or nullopt: stay quiet.
    std::optional<std::uint64_t> report;
  };

  /// An accept failed at `now`.
  Step failed(Clock::time_point now);
  /// An accept succeeded: the next failure starts a new run.
  void succeeded();

 private:
  std::chrono::milliseconds delay_{0};
  std::uint64_t unreported_ = 0;
  std::optional<Clock::time_point> last_report_;
};

}  // namespace benefitd::http
