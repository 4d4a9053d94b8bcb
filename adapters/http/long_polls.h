#pragma once
// LongPolls: the long-polls waiting for their resource to change, so that a stopping server
// answers them at once (304, nothing changed) instead of holding them to their deadline and
// dropping them unanswered; and their counts for GET /metrics. Internal to the router.
// Thread safety: all methods may be called concurrently.

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "adapters/http/http_message.h"

namespace benefitd::http {

class Exchange;

/// 304 Not Modified with the resource's ETag.
HttpResponse not_modified(const std::string& etag);

class LongPolls {
 public:
  /// A long-poll on a resource whose ETag is `etag` begins (or resumes) waiting. False once
  /// release() was called: the caller answers 304 at once instead of waiting.
  bool enter(const std::shared_ptr<Exchange>& exchange, const std::string& etag);
  /// The long-poll stopped waiting (its resource may have changed, or its deadline came).
  void leave(const Exchange* exchange);
  /// Answers every waiting long-poll 304 now, and makes later ones answer at once.
  void release();
  /// A waiting long-poll runs its query again (a view it reads changed, or its deadline came).
  void count_rerun();
  /// Prometheus text: long-polls waiting now, and how often they ran their query again.
  std::string metrics_text() const;

 private:
  mutable std::mutex mutex_;
  std::uint64_t reruns_ = 0;
  bool released_ = false;
  std::unordered_map<const Exchange*, std::pair<std::weak_ptr<Exchange>, std::string>> waiting_;
};

}  // namespace benefitd::http
