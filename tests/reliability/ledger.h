#pragma once
// Ledger: what the load sent and what the server said. An acknowledged command (a 2xx with
// X-Position) is a promise the checks hold the server to after every crash; a command whose
// answer never came (the server died meanwhile) is in doubt until it is retried with its
// idempotency key after the restart.
// Thread safety: every method may be called from any thread.

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "tests/reliability/api_client.h"

namespace benefitd::reliability {

/// A command of the load: who sends it (idempotency keys are scoped per caller), and the
/// stream it must leave an event in ("" for clock advances; a purchase's is known from its
/// answer).
struct PlannedCommand {
  std::string token;
  CommandRequest request;
  std::string target_stream;
  /// Teaches the load's World what the answer means (a purchase's benefits, an activation).
  std::function<void(const Answer&)> learn;
};

struct SentCommand {
  PlannedCommand planned;
  std::vector<std::string> correlation_ids;  // one per attempt: the first attempt's may be the one in the log
};

struct AcknowledgedCommand {
  SentCommand sent;
  Answer answer;
};

class Ledger {
 public:
  void acknowledged(SentCommand sent, Answer answer) {
    std::lock_guard lock(mutex_);
    acknowledged_at_.push_back(std::chrono::steady_clock::now());
    unchecked_.push_back({std::move(sent), std::move(answer)});
    ++acknowledged_total_;
  }
  void refused() {
    std::lock_guard lock(mutex_);
    ++refused_total_;
  }
  void in_doubt(SentCommand sent) {
    std::lock_guard lock(mutex_);
    in_doubt_.push_back(std::move(sent));
  }

  /// The commands acknowledged since the last call (the checks take each one once).
  std::vector<AcknowledgedCommand> take_unchecked() {
    std::lock_guard lock(mutex_);
    return std::exchange(unchecked_, {});
  }
  std::vector<SentCommand> take_in_doubt() {
    std::lock_guard lock(mutex_);
    return std::exchange(in_doubt_, {});
  }

  /// When each acknowledgement arrived, in order: the gaps between them are the load's
  /// unavailability windows.
  std::vector<std::chrono::steady_clock::time_point> acknowledgement_times() const {
    std::lock_guard lock(mutex_);
    return acknowledged_at_;
  }

  std::size_t acknowledged_total() const {
    std::lock_guard lock(mutex_);
    return acknowledged_total_;
  }
  std::size_t refused_total() const {
    std::lock_guard lock(mutex_);
    return refused_total_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<AcknowledgedCommand> unchecked_;
  std::vector<SentCommand> in_doubt_;
  std::vector<std::chrono::steady_clock::time_point> acknowledged_at_;
  std::size_t acknowledged_total_ = 0, refused_total_ = 0;
};

}  // namespace benefitd::reliability
