// R-ENG-9: a corpus of malformed and hostile requests. Each must be answered 4xx with a
// problem document, and none may reach the engine as a command. Also what the router and the
// listener do for hostile clients beyond one request: the words of a 503, long-polls released
// by a stop, and accept failures that back off.
#include <catch2/catch.hpp>

#include "adapters/http/accept_backoff.h"
#include "adapters/http/problem.h"
#include "router_harness.h"
#include "support/captured_log.h"

namespace benefitd::testing {
namespace {

struct Hostile {
  std::string name;
  http::HttpRequest request;
};

http::HttpRequest with_content_type(http::HttpRequest built, std::string content_type) {
  std::erase_if(built.headers, [](const auto& h) { return h.first == "Content-Type"; });
  built.headers.emplace_back("Content-Type", std::move(content_type));
  return built;
}

std::vector<Hostile> corpus() {
  const std::string deep_array = std::string(100000, '[') + std::string(100000, ']');
  const std::string deep_object = [] {
    std::string text;
    for (int i = 0; i < 5000; ++i) text += R"({"a":)";
    text += "1";
    text += std::string(5000, '}');
    return text;
  }();
  const std::string activate = "/v1/benefits/B1/activate";
  const std::string partners = "/v1/partners";
  return {
      {"truncated JSON", request("POST", activate, R"({"language":"en-US")")},
      {"trailing garbage", request("POST", activate, R"({} {})")},
      {"JSON array body", request("POST", activate, "[]")},
      {"JSON string body", request("POST", activate, R"("hello")")},
      {"JSON null body", request("POST", activate, "null")},
      {"single quotes", request("POST", activate, "{'language':'en-US'}")},
      {"comments", request("POST", activate, R"({/* hi */})")},
      {"NaN", request("POST", "/v1/clock/advance", R"({"seconds":NaN})", "operator-token")},
      {"deeply nested arrays", request("POST", activate, deep_array)},
      {"deeply nested objects", request("POST", activate, deep_object)},
      {"invalid UTF-8 in a string", request("POST", "/v1/packages/K1/cancel", "{\"reason\":\"\xff\xfe\"}")},
      {"overlong UTF-8", request("POST", "/v1/packages/K1/cancel", "{\"reason\":\"\xc0\xaf\"}")},
      {"lone surrogate escape", request("POST", "/v1/packages/K1/cancel", R"({"reason":"\ud800"})")},
      {"NUL in a string", request("POST", "/v1/packages/K1/cancel", R"({"reason":"a\u0000b"})")},
      {"number where a string goes", request("POST", "/v1/benefits/B1/seats", R"({"userId":7})")},
      {"object where a string goes", request("POST", "/v1/benefits/B1/seats", R"({"userId":{"$gt":""}})")},
      {"array where a string goes", request("POST", "/v1/benefits/B1/seats", R"({"userId":["U1"]})")},
      {"bool where an object goes", request("POST", partners, R"({"name":"n","accountEmail":"a@b.c","globalAdmin":true})", "operator-token")},
      {"roles not an array", request("POST", "/v1/partners/P1/users", R"({"email":"a@b.c","displayName":"d","roles":"global-admin"})")},
      {"unknown role", request("POST", "/v1/partners/P1/users", R"({"email":"a@b.c","displayName":"d","roles":["root"]})")},
      {"role of wrong type", request("POST", "/v1/partners/P1/users", R"({"email":"a@b.c","displayName":"d","roles":[1]})")},
      {"bad enum", request("POST", "/v1/benefits/B1/support-requests", R"({"type":"free-lunch","productFamily":"azure","summary":"s"})")},
      {"hours too many", request("POST", "/v1/benefits/B1/support-requests", R"({"type":"presales-deployment","productFamily":"cloud","summary":"s","hours":26})")},
      {"hours huge", request("POST", "/v1/benefits/B1/support-requests", R"({"type":"presales-deployment","productFamily":"cloud","summary":"s","hours":1e300})")},
      {"hours beyond int64", request("POST", "/v1/benefits/B1/support-requests", R"({"type":"presales-deployment","productFamily":"cloud","summary":"s","hours":18446744073709551615})")},
      {"seconds beyond int64", request("POST", "/v1/clock/advance", R"({"seconds":99999999999999999999999})", "operator-token")},
      {"bad time", request("POST", "/v1/clock/advance", R"({"to":"2026-02-30T00:00:00Z"})", "operator-token")},
      {"time with offset", request("POST", "/v1/clock/advance", R"({"to":"2026-02-01T00:00:00+02:00"})", "operator-token")},
      {"empty required string", request("POST", "/v1/benefits/B1/seats", R"({"userId":""})")},
      {"control characters", request("POST", "/v1/benefits/B1/seats", "{\"userId\":\"U\\u0007\"}")},
      {"very long field", request("POST", "/v1/benefits/B1/seats", R"({"userId":")" + std::string(5000, 'u') + R"("})")},
      {"over 1 MiB", request("POST", activate, R"({"x":")" + std::string(2 * 1024 * 1024, 'x') + R"("})")},
      {"XML body", with_content_type(request("POST", activate, "<activate/>"), "application/xml")},
      {"form body", with_content_type(request("POST", activate, "a=b"), "application/x-www-form-urlencoded")},
      {"dot-dot path", request("GET", "/v1/benefits/../partners/P1")},
      {"encoded dot-dot", request("GET", "/v1/benefits/%2e%2e/partners")},
      {"encoded slash", request("POST", "/v1/benefits/B1%2Factivate", "{}")},
      {"double slash", request("GET", "/v1//benefits/B1")},
      {"trailing slash", request("GET", "/v1/benefits/B1/")},
      {"NUL in path", request("GET", "/v1/benefits/B1%00")},
      {"bad percent escape", request("GET", "/v1/benefits/B1%zz")},
      {"truncated percent escape", request("GET", "/v1/benefits/B1%4")},
      {"invalid UTF-8 in path", request("GET", "/v1/benefits/%ff%fe")},
      {"absolute-form target", request("GET", "http://evil.test/v1/benefits/B1")},
      {"asterisk target", request("OPTIONS", "*")},
      {"empty target", request("GET", "")},
      {"bad query escape", request("GET", "/v1/partners/P1/benefits?status=%")},
      {"unknown method", request("BREW", "/v1/benefits/B1")},
      {"operator route by user", request("POST", "/v1/clock/advance", R"({"seconds":1})")},
      {"no token", request("POST", activate, "{}", "")},
      {"garbage token", request("POST", activate, "{}", "\x01\x02")},
      {"negative limit", request("GET", "/v1/partners/P1/users?limit=-1")},
      {"huge limit", request("GET", "/v1/partners/P1/users?limit=99999999999999999999999")},
      {"huge cursor", request("GET", "/v1/partners/P1/users?cursor=" + std::string(5000, 'c'))},
  };
}

TEST_CASE("R-ENG-9 malformed and hostile requests get 4xx problems and change nothing", "[http][router][R-ENG-9]") {
  RouterHarness h;
  for (auto& [name, hostile] : corpus()) {
    CAPTURE(name);
    const http::HttpResponse response = h.send(hostile);
    CHECK(response.status >= 400);
    CHECK(response.status < 500);
    CHECK(response.header("Content-Type") == "application/problem+json");
    const auto body = json_of(response);
    REQUIRE(body.is_object());
    CHECK(body["status"] == response.status);
  }
  CHECK(h.service.commands.empty());
  CHECK(h.service.advances.empty());
}

TEST_CASE("Hostile clients: a store failure's 503 names no file, the log keeps the store's message",
          "[http][router][hostile]") {
  const std::string store_message = "/var/lib/benefitd/data/store/000004.log: No space left on device";
  RouterHarness h;
  CapturedLog log;
  h.service.command_outcome = app::Problem{"unavailable", store_message, {}};
  h.service.query_problem = app::Problem{"unavailable", "a view cannot be read: " + store_message, {}};
  for (const auto& failing : {request("POST", "/v1/packages/K1/renew"), request("GET", "/v1/benefits/B1")}) {
    CAPTURE(failing.method);
    const http::HttpResponse response = h.send(failing);
    CHECK(response.status == 503);
    CHECK(json_of(response)["code"] == "unavailable");
    CHECK(json_of(response)["detail"] == http::kStoreFailureDetail);
    CHECK(response.body.find("000004.log") == std::string::npos);
  }
  CHECK(log.text().find(store_message) != std::string::npos);
}

TEST_CASE("Hostile clients: released long-polls answer 304 at once, and later ones do not wait",
          "[http][router][hostile]") {
  RouterHarness h;
  const auto poll = long_poll_of_benefit("\"1\"", 60);
  h.start(poll);
  CHECK_FALSE(h.answer.has_value());
  h.router.release_long_polls();
  REQUIRE(h.answer.has_value());
  CHECK(h.answer->status == 304);
  CHECK(h.answer->header("ETag") == "\"1\"");
  h.service.expire_waits();  // the Service's wait ends later: no second answer
  CHECK(h.answers == 1);

  h.start(poll);
  REQUIRE(h.answer.has_value());
  CHECK(h.answer->status == 304);
  CHECK(h.service.waiting() == 0);
}

TEST_CASE("Hostile clients: failed accepts back off to 1 s and log at most once every 10 s",
          "[http][server][hostile]") {
  using namespace std::chrono_literals;
  http::AcceptBackoff backoff;
  auto now = http::AcceptBackoff::Clock::now();
  auto step = backoff.failed(now);
  CHECK(step.delay == 10ms);
  CHECK(step.report == 1u);  // the first failure is logged at once
  std::chrono::milliseconds longest{0};
  int reports = 0;
  for (int i = 0; i < 100; ++i) {  // 100 failures over 5 s: no spinning, no flood
    now += 50ms;
    step = backoff.failed(now);
    longest = std::max(longest, step.delay);
    if (step.report) ++reports;
  }
  CHECK(longest == 1000ms);
  CHECK(step.delay == 1000ms);
  CHECK(reports == 0);
  now += 5s;
  step = backoff.failed(now);
  CHECK(step.report == 101u);  // the summary counts every failure since the last line
  backoff.succeeded();
  CHECK(backoff.failed(now + 1s).delay == 10ms);  // a new run starts short again
}

}  // namespace
}  // namespace benefitd::testing
