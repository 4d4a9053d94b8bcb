// benefitd over loopback sockets: start-up line, graceful stop, the HTTP machinery (keep-alive,
// pipelining, limits, malformed HTTP) and the headers of API.md on the real engine.
#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <thread>

#include "scenario.h"
#include "support/temp_dir.h"

namespace benefitd::testing {
namespace {

TEST_CASE("benefitd prints its port, serves health, OpenAPI and metrics, and stops on SIGTERM with 0",
          "[http][server]") {
  TempDir dir;
  ServerProcess server(dir.path() / "data");
  Caller anonymous(server, "");
  const auto health = anonymous.get("/healthz");
  CHECK(health["status"] == "ok");
  CHECK(health["store"] == "writable");
  const auto openapi = anonymous.get("/openapi.json");
  CHECK(openapi["paths"].contains("/v1/benefits/{benefitId}/activate"));
  Caller op(server, kOperatorToken);
  op.get("/v1/clock");
  const auto metrics = anonymous.send("GET", "/metrics");
  CHECK(metrics.status == 200);
  for (const char* name : {"benefitd_http_requests_total{route=\"GET /v1/clock\",status=\"200\"} 1",
                           "benefitd_http_request_duration_seconds_bucket", "benefitd_command_duration_seconds",
                           "benefitd_events_appended_total", "benefitd_projection_lag_events",
                           "benefitd_timers_pending", "benefitd_fulfilment_queue_depth"}) {
    CAPTURE(name);
    CHECK(metrics.body.find(name) != std::string::npos);
  }
  CHECK(server.stop() == 0);
}

TEST_CASE("the clock answers every authenticated caller and moves only for the operator", "[http][server]") {
  TempDir dir;
  ServerProcess server(dir.path() / "data");
  Caller op(server, kOperatorToken);
  CHECK(op.get("/v1/clock") == nlohmann::json{{"now", "2026-01-05T09:00:00Z"}, {"mode", "simulated"}});
  const auto moved = op.post("/v1/clock/advance", {{"seconds", 3600}}, 200);
  CHECK(moved["now"] == "2026-01-05T10:00:00Z");
  const auto partner = register_partner(op, "contoso");
  Caller admin(server, partner.admin_token);
  CHECK(admin.get("/v1/clock")["now"] == "2026-01-05T10:00:00Z");
  Caller::expect(admin.send("POST", "/v1/clock/advance", R"({"seconds":1})"), 403);
}

TEST_CASE("R-ENG-4 an Idempotency-Key retry returns the first answer and appends nothing", "[http][server][R-ENG-4]") {
  TempDir dir;
  ServerProcess server(dir.path() / "data");
  Caller op(server, kOperatorToken);
  const std::string body =
      R"({"name":"Fabrikam","accountEmail":"a@fabrikam.test","globalAdmin":{"email":"g@fabrikam.test","displayName":"G"}})";
  const auto first = op.send("POST", "/v1/partners", body, {{"Idempotency-Key", "register-fabrikam"}});
  REQUIRE(first.status == 201);
  const auto logged = op.get("/v1/events?limit=500")["items"].size();
  const auto again = op.send("POST", "/v1/partners", body, {{"Idempotency-Key", "register-fabrikam"}});
  CHECK(again.status == 201);
  CHECK(nlohmann::json::parse(again.body)["partnerId"] == nlohmann::json::parse(first.body)["partnerId"]);
  CHECK(op.get("/v1/events?limit=500")["items"].size() == logged);
  const auto reused = op.send("POST", "/v1/partners", R"({"name":"Other","accountEmail":"o@o.test","globalAdmin":{"email":"x@o.test","displayName":"X"}})",
                              {{"Idempotency-Key", "register-fabrikam"}});
  CHECK(reused.status == 422);
  CHECK(nlohmann::json::parse(reused.body)["code"] == "idempotency-key-reused");
}

TEST_CASE_METHOD(OnePartner, "ETag and If-Match guard a package, minPosition reads the writer's own write", "[http][server]") {
  const auto bought = admin.send("POST", "/v1/partners/" + partner.partner_id + "/packages", R"({"type":"action-pack"})");
  REQUIRE(bought.status == 201);
  const auto package = nlohmann::json::parse(bought.body);
  const std::string package_id = package["packageId"];
  REQUIRE(bought.header("X-Position"));
  const auto read = admin.send("GET", "/v1/packages/" + package_id + "?minPosition=" + *bought.header("X-Position"));
  REQUIRE(read.status == 200);
  REQUIRE(read.header("ETag"));
  CHECK(read.header("ETag") == "\"" + std::to_string(package["version"].get<int>()) + "\"");
  const auto stale = admin.send("POST", "/v1/packages/" + package_id + "/cancel", R"({"reason":"r"})",
                                {{"If-Match", "\"99\""}});
  CHECK(stale.status == 412);
  CHECK(nlohmann::json::parse(stale.body)["code"] == "version-mismatch");
  const auto cancel = admin.send("POST", "/v1/packages/" + package_id + "/cancel", R"({"reason":"r"})",
                                 {{"If-Match", *read.header("ETag")}});
  CHECK(cancel.status == 202);
  CHECK(nlohmann::json::parse(cancel.body)["status"] == "cancellation-requested");
  const auto far = admin.send("GET", "/v1/packages/" + package_id + "?minPosition=1000000");
  CHECK(far.status == 503);
}

TEST_CASE_METHOD(OnePartner, "a long-poll answers when the benefit changes and 304 when it does not", "[http][server]") {
  const auto package = buy("action-pack");
  const std::string benefit_id = benefit_of(package, "cloud", "usage-based")["benefitId"];
  const auto first = admin.send("GET", "/v1/benefits/" + benefit_id);
  REQUIRE(first.status == 200);
  REQUIRE(first.header("ETag"));
  const std::string etag = *first.header("ETag");

  const auto started = std::chrono::steady_clock::now();
  const auto quiet = admin.send("GET", "/v1/benefits/" + benefit_id, "", {{"If-None-Match", etag}, {"Prefer", "wait=1"}});
  CHECK(quiet.status == 304);
  CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(900));

  std::thread activator([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    Caller other(server, partner.admin_token);
    other.post("/v1/benefits/" + benefit_id + "/activate", nlohmann::json::object(), 200);
  });
  const auto changed =
      admin.send("GET", "/v1/benefits/" + benefit_id, "", {{"If-None-Match", etag}, {"Prefer", "wait=20"}});
  activator.join();
  CHECK(changed.status == 200);
  CHECK(nlohmann::json::parse(changed.body)["status"] == "active");
  CHECK(changed.header("ETag") != etag);
}

TEST_CASE_METHOD(OnePartner, "lists page with limit and nextCursor", "[http][server]") {
  const auto package = buy("silver-competency");
  const std::string base = "/v1/partners/" + partner.partner_id + "/benefits?minPosition=" +
                           std::to_string(op.get("/v1/events?limit=500")["items"].size()) + "&limit=2";
  std::vector<std::string> seen;
  std::string target = base;
  for (int page = 0; page < 20; ++page) {
    const auto answer = admin.get(target);
    CHECK(answer["items"].size() <= 2);
    for (const auto& item : answer["items"]) seen.push_back(item["benefitId"]);
    if (answer["nextCursor"].is_null()) break;
    target = base + "&cursor=" + answer["nextCursor"].get<std::string>();
  }
  CHECK(seen.size() == package["benefits"].size());
  CHECK(std::is_sorted(seen.begin(), seen.end()));
  CHECK(std::set<std::string>(seen.begin(), seen.end()).size() == seen.size());
}

TEST_CASE("keep-alive pipelining answers in order, bodies over 1 MiB get 413, malformed HTTP 400",
          "[http][server][R-ENG-9]") {
  TempDir dir;
  ServerProcess server(dir.path() / "data");
  const std::string health = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string missing = "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n";
  CHECK(statuses_in(raw_exchange(server.port(), health + missing + health)) == std::vector{200, 404, 200});

  const std::string huge = "POST /v1/partners HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                           std::string(kOperatorToken) + "\r\nContent-Type: application/json\r\nContent-Length: " +
                           std::to_string(2 * 1024 * 1024) + "\r\n\r\n" + std::string(2 * 1024 * 1024, ' ');
  const std::string answer = raw_exchange(server.port(), huge);
  CHECK(statuses_in(answer) == std::vector{413});
  CHECK(answer.find("payload-too-large") != std::string::npos);

  CHECK(statuses_in(raw_exchange(server.port(), "GARBAGE\r\n\r\n")) == std::vector{400});
  CHECK(statuses_in(raw_exchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n")) ==
        std::vector{400});
  CHECK(statuses_in(raw_exchange(server.port(), "GET /healthz HTTP/1.1\r\nX-Big: " + std::string(64 * 1024, 'b') +
                                                    "\r\n\r\n")) == std::vector{431});
  Caller anonymous(server, "");
  CHECK(anonymous.get("/healthz")["status"] == "ok");
}

TEST_CASE("R-ENG-3 kill -9 and restart keeps every acknowledged command", "[http][server][R-ENG-3]") {
  TempDir dir;
  ServerProcess server(dir.path() / "data");
  std::vector<std::string> acknowledged;
  std::string admin_token;
  {
    Caller op(server, kOperatorToken);
    const auto partner = register_partner(op, "contoso");
    admin_token = partner.admin_token;
    Caller admin(server, admin_token);
    for (int i = 0; i < 5; ++i) {
      const auto user = add_user(admin, partner.partner_id, "user" + std::to_string(i) + "@contoso.test", {});
      acknowledged.push_back(user.user_id);
    }
  }
  server.kill9();
  server.restart();
  Caller op(server, kOperatorToken);
  const auto clock = op.get("/v1/clock");
  CHECK(clock["now"] == "2026-01-05T09:00:00Z");
  const auto events = op.get("/v1/events?limit=500");
  std::set<std::string> users_in_log;
  for (const auto& event : events["items"])
    if (event["type"] == "UserAdded") users_in_log.insert(event["data"].value("userId", ""));
  for (const auto& user : acknowledged) CHECK(users_in_log.count(user) == 1);
  // The admin's token was stored as a hash and still works after the restart.
  Caller admin(server, admin_token);
  CHECK(admin.get("/v1/clock")["mode"] == "simulated");
  CHECK(op.post("/v1/audit/verify", nlohmann::json::object(), 200)["ok"] == true);
  CHECK(server.stop() == 0);
}

TEST_CASE("SIGTERM answers the requests in flight before the server exits 0", "[http][server]") {
  TempDir dir;
  ServerProcess server(dir.path() / "data");
  Caller op(server, kOperatorToken);
  const auto clock = op.send("GET", "/v1/clock");
  REQUIRE(clock.header("ETag"));
  cli::ClientResponse polled;
  std::thread poller([&] {
    Caller waiting(server, kOperatorToken);
    polled = waiting.send("GET", "/v1/clock", "", {{"If-None-Match", *clock.header("ETag")}, {"Prefer", "wait=3"}});
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  server.send_signal(SIGTERM);
  poller.join();
  CHECK(polled.status == 304);
  CHECK(server.wait_exit() == 0);
}

TEST_CASE("JSON logs (log format json) hold one object per line with the request's fields", "[http][server]") {
  TempDir dir;
  ServerProcess server(dir.path() / "data", {"--log-format", "json"});
  Caller op(server, kOperatorToken);
  op.send("GET", "/v1/clock", "", {{"X-Correlation-Id", "trace-42"}});
  REQUIRE(server.stop() == 0);
  std::ifstream log(server.log_path());
  std::string line;
  int requests = 0;
  while (std::getline(log, line)) {
    CAPTURE(line);
    const auto entry = nlohmann::json::parse(line, nullptr, false);
    REQUIRE(entry.is_object());
    CHECK(entry["time"].is_string());
    CHECK(entry["level"].is_string());
    if (entry.value("correlationId", "") != "trace-42") continue;
    ++requests;
    CHECK(entry["method"] == "GET");
    CHECK(entry["path"] == "/v1/clock");
    CHECK(entry["status"] == 200);
    CHECK(entry["durationMs"].is_number());
  }
  CHECK(requests == 1);
}

}  // namespace
}  // namespace benefitd::testing
