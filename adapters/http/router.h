#pragma once
// Router: the whole of API.md as a function from a request to its response, free of sockets.
// It matches the route, authenticates, checks the input's shape, calls the Service and maps
// its Outcome to HTTP (statuses, problem+json, ETag, X-Position, X-Correlation-Id).
//
// `respond` is called exactly once: inline for most requests, later from an engine thread for
// commands, ?minPosition= waits and long-polls; or never, when the request's client has gone
// and its long read was dropped (app::LongRead), in which case `respond` is destroyed uncalled. The caller must hand the response back to its
// own executor and must not block in `respond`. No client input makes the router throw or
// answer 5xx; only a failing Service (an exception, or `unavailable`) gives 503.
//
// Thread safety: handle() may be called concurrently; the Service and metrics must outlive
// every pending response.

#include <chrono>
#include <functional>

#include "adapters/app/service.h"
#include "adapters/http/auth_throttle.h"
#include "adapters/http/http_message.h"
#include "adapters/http/http_metrics.h"
#include "adapters/http/long_polls.h"
#include "adapters/http/page_assets.h"

namespace benefitd::http {

using Respond = std::function<void(HttpResponse)>;

/// Largest request body accepted (API.md: payload-too-large beyond).
inline constexpr std::size_t kMaxBodyBytes = 1024 * 1024;

struct RouterOptions {
  /// How long ?minPosition= waits for the views (API.md: 10 s, then 503).
  std::chrono::milliseconds min_position_wait{std::chrono::seconds(10)};
  /// Failed authentications per client address before 429 (docs/http.md).
  AuthThrottleOptions auth_throttle;
  /// The Benefits page, answering GETs of paths no API route has; null: no page. Must outlive
  /// the router.
  const PageAssets* page = nullptr;
};

class Router {
 public:
  Router(app::Service& service, const HttpMetrics& metrics, RouterOptions options = {});

  /// Answers `request` through `respond`.
  void handle(HttpRequest request, Respond respond);
  /// For a stopping server: answers the long-polls waiting now 304 at once, and every later
  /// long-poll without waiting.
  void release_long_polls();

 private:
  app::Service& service_;
  const HttpMetrics& metrics_;
  RouterOptions options_;
  LongPolls long_polls_;
  AuthThrottle auth_throttle_;
};

}  // namespace benefitd::http
