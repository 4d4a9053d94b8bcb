#pragma once
// LogMirror: the crash loop's own copy of the server's global log, read over HTTP
// (GET /v1/events) and extended after every restart. Reading it checks what a reader must
// always see (R-ENG-2, R-ENG-6): positions 1, 2, 3... without a gap, each stream's versions
// 1..n, each event's prevHash equal to its stream's previous hash, and every event read before
// a crash still there, unchanged, after it.
// Thread safety: one thread.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/reliability/api_client.h"

namespace benefitd::reliability {

struct LoggedEvent {
  std::uint64_t position = 0;
  std::string stream, type, occurred_at, correlation_id, hash;
  nlohmann::json data;
};

class LogMirror {
 public:
  /// Reads the events appended since the last call. Throws CheckFailed on any violation.
  void catch_up(ApiClient& operator_client);

  std::uint64_t last_position() const { return events_.size(); }
  const LoggedEvent& at(std::uint64_t position) const { return events_.at(position - 1); }
  /// Positions of the events a request with this correlation id appended, in log order.
  const std::vector<std::uint64_t>& by_correlation(const std::string& correlation_id) const;
  const std::vector<LoggedEvent>& events() const { return events_; }

 private:
  struct StreamHead {
    std::uint64_t version = 0;
    std::string hash;
  };
  void add(const nlohmann::json& item);

  std::vector<LoggedEvent> events_;
  std::unordered_map<std::string, StreamHead> heads_;
  std::unordered_map<std::string, std::vector<std::uint64_t>> by_correlation_;
};

}  // namespace benefitd::reliability
