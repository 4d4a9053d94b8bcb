#include "adapters/http/accept_backoff.h"

#include <algorithm>

namespace benefitd::http {

AcceptBackoff::Step AcceptBackoff::failed(Clock::time_point now) {
  delay_ = delay_.count() == 0 ? kFirstDelay : std::min(delay_ * 2, kLongestDelay);
  ++unreported_;
  Step step{delay_, std::nullopt};
  if (!last_report_ || now - *last_report_ >= kReportInterval) {
    step.report = unreported_;
    unreported_ = 0;
    last_report_ = now;
  }
  return step;
}

void AcceptBackoff::succeeded() { delay_ = std::chrono::milliseconds(0); }

}  // namespace benefitd::http
