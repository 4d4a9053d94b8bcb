#include "adapters/app/command_metrics.h"

#include <sstream>

namespace benefitd::app {

void CommandMetrics::record(std::chrono::steady_clock::duration latency, bool accepted) {
  const double seconds = std::chrono::duration<double>(latency).count();
  std::size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  total_micros_.fetch_add(
      static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(latency).count()),
      std::memory_order_relaxed);
  (accepted ? accepted_ : refused_).fetch_add(1, std::memory_order_relaxed);
}

std::string CommandMetrics::text() const {
  std::ostringstream out;
  out << "# HELP benefitd_commands_total Commands finished, by outcome.\n"
      << "# TYPE benefitd_commands_total counter\n"
      << "benefitd_commands_total{outcome=\"accepted\"} " << accepted_.load() << "\n"
      << "benefitd_commands_total{outcome=\"refused\"} " << refused_.load() << "\n"
      << "# HELP benefitd_command_duration_seconds Time from receiving a command to its durable answer.\n"
      << "# TYPE benefitd_command_duration_seconds histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    cumulative += counts_[i].load();
    out << "benefitd_command_duration_seconds_bucket{le=\"" << kBuckets[i] << "\"} " << cumulative << "\n";
  }
  cumulative += counts_[kBuckets.size()].load();
  out << "benefitd_command_duration_seconds_bucket{le=\"+Inf\"} " << cumulative << "\n"
      << "benefitd_command_duration_seconds_sum " << static_cast<double>(total_micros_.load()) / 1e6 << "\n"
      << "benefitd_command_duration_seconds_count " << cumulative << "\n";
  return out.str();
}

}  // namespace benefitd::app
