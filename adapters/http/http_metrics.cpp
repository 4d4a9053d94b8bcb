#include "adapters/http/http_metrics.h"

#include <sstream>

namespace benefitd::http {

namespace {

std::string label_value(std::string_view text) {
  std::string escaped;
  for (char c : text) {
    if (c == '\\' || c == '"') escaped.push_back('\\');
    if (c == '\n') {
      escaped += "\\n";
      continue;
    }
    escaped.push_back(c);
  }
  return escaped;
}

}  // namespace

void HttpMetrics::record(std::string_view route, int status, std::chrono::duration<double> duration) {
  const std::scoped_lock lock(mutex_);
  ++requests_[{std::string(route), status}];
  Histogram& histogram = durations_[std::string(route)];
  ++histogram.count;
  histogram.sum += duration.count();
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (duration.count() <= kBuckets[i]) {
      ++histogram.counts[i];
      break;
    }
  }
}

void HttpMetrics::connection_opened() {
  const std::scoped_lock lock(mutex_);
  ++open_connections_;
}

void HttpMetrics::connection_closed() {
  const std::scoped_lock lock(mutex_);
  --open_connections_;
}

void HttpMetrics::connection_shed() {
  const std::scoped_lock lock(mutex_);
  ++shed_connections_;
}

void HttpMetrics::connection_refused() {
  const std::scoped_lock lock(mutex_);
  ++refused_connections_;
}

std::string HttpMetrics::text() const {
  const std::scoped_lock lock(mutex_);
  std::ostringstream out;
  out << "# HELP benefitd_http_requests_total HTTP requests answered, by route and status.\n"
      << "# TYPE benefitd_http_requests_total counter\n";
  for (const auto& [key, count] : requests_)
    out << "benefitd_http_requests_total{route=\"" << label_value(key.first) << "\",status=\"" << key.second
        << "\"} " << count << "\n";
  out << "# HELP benefitd_http_request_duration_seconds Time from reading a request to its answer.\n"
      << "# TYPE benefitd_http_request_duration_seconds histogram\n";
  for (const auto& [route, histogram] : durations_) {
    const std::string label = "route=\"" + label_value(route) + "\"";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += histogram.counts[i];
      out << "benefitd_http_request_duration_seconds_bucket{" << label << ",le=\"" << kBuckets[i] << "\"} "
          << cumulative << "\n";
    }
    out << "benefitd_http_request_duration_seconds_bucket{" << label << ",le=\"+Inf\"} " << histogram.count << "\n"
        << "benefitd_http_request_duration_seconds_sum{" << label << "} " << histogram.sum << "\n"
        << "benefitd_http_request_duration_seconds_count{" << label << "} " << histogram.count << "\n";
  }
  out << "# HELP benefitd_http_connections_open Client connections open now.\n"
      << "# TYPE benefitd_http_connections_open gauge\n"
      << "benefitd_http_connections_open " << open_connections_ << "\n"
      << "# HELP benefitd_http_connections_shed_total Idle connections closed to make room for new ones.\n"
      << "# TYPE benefitd_http_connections_shed_total counter\n"
      << "benefitd_http_connections_shed_total " << shed_connections_ << "\n"
      << "# HELP benefitd_http_connections_refused_total Connections answered 503 at the limit, none being idle.\n"
      << "# TYPE benefitd_http_connections_refused_total counter\n"
      << "benefitd_http_connections_refused_total " << refused_connections_ << "\n";
  return out.str();
}

}  // namespace benefitd::http
