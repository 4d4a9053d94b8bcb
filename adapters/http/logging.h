#pragma once
// Server logs through spdlog to stderr, as text or as JSON lines (--log-format), plus one
// access line per answered request with method, path, status, duration and correlation id.
// Thread safety: configure_logging once at start-up, before other threads log; log_request
// from any thread.

#include <chrono>
#include <string_view>

namespace benefitd::http {

enum class LogFormat { text, json };

/// Sets up the loggers at `level`, one of spdlog's names ("info", "debug"...); false for an
/// unknown level.
bool configure_logging(LogFormat format, std::string_view level);

struct RequestRecord {
  std::string_view method, path;
  int status = 0;
  std::chrono::duration<double> duration{};
  std::string_view correlation_id, route;
};

/// Writes the access line of one request.
void log_request(const RequestRecord& record);

}  // namespace benefitd::http
