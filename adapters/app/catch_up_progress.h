#pragma once
// CatchUpProgress: how far benefitd has brought its views up to the log when it opens. After a
// layout upgrade that is a rebuild of every view, minutes on a large log; this says how far it
// is, as lines in the log every few seconds (app::PassProgress) and as gauges for /metrics.
// A catch-up of nothing (the usual start, views written with every command) logs nothing.
// Thread safety: report() and finish() from the catching-up thread; metrics_text() from any.

#include <atomic>
#include <cstdint>
#include <string>

#include "adapters/app/pass_progress.h"

namespace benefitd::app {

class CatchUpProgress {
 public:
  explicit CatchUpProgress(PassProgress::Now now = PassProgress::Clock::now);

  /// For ProjectionRunner::catch_up from position `from` (the views' checkpoint), which reports
  /// log positions: counts the events after `from`. Must not outlive this object.
  PassReport report(std::uint64_t from);
  /// Logs the summary line, if anything was caught up.
  void finish();
  /// The gauges, in the Prometheus text format.
  std::string metrics_text() const;

 private:
  PassProgress log_;
  std::atomic<std::uint64_t> done_{0};
  std::atomic<std::uint64_t> total_{0};
};

}  // namespace benefitd::app
