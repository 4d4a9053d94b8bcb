#pragma once
// A Router over a FakeService, with helpers to build requests and read answers.
// Thread safety: one test thread.

#include <catch2/catch.hpp>

#include <optional>
#include <string>

#include "adapters/http/router.h"
#include "fake_service.h"

namespace benefitd::testing {

inline http::HttpRequest request(std::string method, std::string target, std::string body = "",
                                 std::string token = "admin-token") {
  http::HttpRequest built;
  built.method = std::move(method);
  built.target = std::move(target);
  built.body = std::move(body);
  if (!token.empty()) built.headers.emplace_back("Authorization", "Bearer " + token);
  if (!built.body.empty()) built.headers.emplace_back("Content-Type", "application/json");
  return built;
}

/// A long-poll of benefit B1: If-None-Match `etag`, Prefer: wait=`seconds`.
inline http::HttpRequest long_poll_of_benefit(const std::string& etag, int seconds) {
  auto poll = request("GET", "/v1/benefits/B1");
  poll.headers.emplace_back("If-None-Match", etag);
  poll.headers.emplace_back("Prefer", "wait=" + std::to_string(seconds));
  return poll;
}

inline nlohmann::json json_of(const http::HttpResponse& response) {
  return nlohmann::json::parse(response.body, nullptr, false);
}

/// ?minPosition= waits 50 ms rather than 10 s; the rest as benefitd has it.
inline http::RouterOptions short_waits() {
  http::RouterOptions options;
  options.min_position_wait = std::chrono::milliseconds(50);
  return options;
}

struct RouterHarness {
  FakeService service;
  http::HttpMetrics metrics;
  http::Router router{service, metrics, short_waits()};
  std::optional<http::HttpResponse> answer;
  int answers = 0;

  /// Sends `request`; the answer (if any yet) lands in `answer`.
  void start(http::HttpRequest request) {
    answer.reset();
    router.handle(std::move(request), [this](http::HttpResponse response) {
      ++answers;
      answer = std::move(response);
    });
  }
  /// Sends `request` and requires an immediate answer.
  http::HttpResponse send(http::HttpRequest request) {
    start(std::move(request));
    REQUIRE(answer.has_value());
    return *answer;
  }
};

}  // namespace benefitd::testing
