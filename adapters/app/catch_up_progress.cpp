#include "adapters/app/catch_up_progress.h"

#include <spdlog/spdlog.h>

namespace benefitd::app {

CatchUpProgress::CatchUpProgress(PassProgress::Now now)
    : log_([](std::string_view line) { spdlog::info("{}", line); }, "views: catching up with the log", std::move(now)) {}

PassReport CatchUpProgress::report(std::uint64_t from) {
  return [this, from](std::uint64_t position, std::uint64_t last) {
    const std::uint64_t done = position > from ? position - from : 0;
    const std::uint64_t total = last > from ? last - from : 0;
    done_.store(done, std::memory_order_relaxed);
    total_.store(total, std::memory_order_relaxed);
    log_.update(done, total);
  };
}

void CatchUpProgress::finish() {
  if (total_.load(std::memory_order_relaxed) > 0) log_.finish();
}

std::string CatchUpProgress::metrics_text() const {
  return "# HELP benefitd_views_catch_up_events_done Events the views caught up with since benefitd opened "
         "(all of them after a layout upgrade, which rebuilds every view).\n"
         "# TYPE benefitd_views_catch_up_events_done gauge\n"
         "benefitd_views_catch_up_events_done " +
         std::to_string(done_.load(std::memory_order_relaxed)) +
         "\n# HELP benefitd_views_catch_up_events_total Events the views had to catch up with when benefitd opened.\n"
         "# TYPE benefitd_views_catch_up_events_total gauge\n"
         "benefitd_views_catch_up_events_total " +
         std::to_string(total_.load(std::memory_order_relaxed)) + "\n";
}

}  // namespace benefitd::app
