#pragma once
// Exchange: one request in the router and the promise to answer it exactly once, stamped with
// its route label and correlation id; plus the mapping of Service Outcomes to responses.
// Internal to the router.
// Thread safety: finish() may race with itself (from an engine thread and a guard); the
// first call wins and the others are dropped.

#include <atomic>
#include <memory>
#include <exception>
#include <string>
#include <string_view>

#include "adapters/app/service.h"
#include "adapters/http/http_message.h"
#include "adapters/http/router.h"

namespace benefitd::http {

class Exchange {
 public:
  Exchange(HttpRequest request, Respond respond);

  const HttpRequest& request() const { return request_; }
  const std::string& correlation_id() const { return correlation_id_; }
  void set_route(std::string label) { route_ = std::move(label); }

  /// Sends `response` unless one was sent already.
  void finish(HttpResponse response);

 private:
  HttpRequest request_;
  Respond respond_;
  std::string correlation_id_;
  std::string route_ = "unmatched";
  std::atomic<bool> finished_{false};
};

/// The ETag of a reply: its resource version, or for lists and other documents a digest of
/// the body, so that it changes exactly when the answer does.
std::string etag_of(const app::Reply& reply);

/// 200/201/202 with the body, ETag and X-Position; or the problem.
HttpResponse outcome_response(const app::Outcome& outcome);

/// 503 `unavailable` for a Service that failed unexpectedly (an exception); logs `what`.
HttpResponse service_failure_response(std::string_view what);

/// Runs `step`; an exception in it answers 503 instead of escaping into an engine thread.
template <class Step>
void guarded(const std::shared_ptr<Exchange>& exchange, Step&& step) {
  try {
    step();
  } catch (const std::exception& error) {
    exchange->finish(service_failure_response(error.what()));
  } catch (...) {
    exchange->finish(service_failure_response("an unknown exception"));
  }
}

}  // namespace benefitd::http
