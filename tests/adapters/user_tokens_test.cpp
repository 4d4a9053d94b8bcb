// R-AUTH-10 through the real server: a rotated token is refused at once and its successor
// works; a removed user's token answers 401, its seats are released with events; a user
// without a role reads nothing. And the throttle of failed authentications per address.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "scenario.h"

namespace benefitd::testing {
namespace {

std::string users_path(const PartnerAccess& partner) { return "/v1/partners/" + partner.partner_id + "/users"; }

/// The benefitd_timers_pending gauge of GET /metrics.
int timers_pending(const ServerProcess& server) {
  const std::string text = Caller(server, "").send("GET", "/metrics").body;
  const std::string name = "\nbenefitd_timers_pending ";
  const std::size_t at = text.find(name);
  REQUIRE(at != std::string::npos);
  return std::stoi(text.substr(at + name.size()));
}

TEST_CASE_METHOD(OnePartner, "R-AUTH-10 a rotated token is refused at once, the new one shown once works",
                 "[http][server][R-AUTH-10]") {
  const UserAccess agent = add_user(admin, partner.partner_id, "agent@contoso.test", {"admin-agent"});
  Caller before(server, agent.token);
  before.get("/v1/partners/" + partner.partner_id);

  const std::string rotate = users_path(partner) + "/" + agent.user_id + "/token";
  const auto first = admin.send("POST", rotate, "", {{"Idempotency-Key", "rotate-agent"}});
  const auto rotated = Caller::expect(first, 200);
  CHECK(rotated["userId"] == agent.user_id);
  const std::string fresh = rotated["token"];
  CHECK(fresh != agent.token);

  Caller::expect(before.send("GET", "/v1/partners/" + partner.partner_id), 401);
  Caller after(server, fresh);
  after.get("/v1/partners/" + partner.partner_id);
  // Shown once: a retry of the same request gets the answer without the token.
  const auto again = Caller::expect(admin.send("POST", rotate, "", {{"Idempotency-Key", "rotate-agent"}}), 200);
  CHECK_FALSE(again.contains("token"));
  after.get("/v1/partners/" + partner.partner_id);

  // Users rotate their own token; the event is in the log, the token is not.
  const std::string own = after.post(rotate, nlohmann::json::object(), 200)["token"];
  Caller::expect(after.send("GET", "/v1/partners/" + partner.partner_id), 401);
  Caller(server, own).get("/v1/partners/" + partner.partner_id);
  const auto events = op.get("/v1/streams/partner-" + partner.partner_id + "/events")["items"];
  int rotations = 0;
  for (const auto& event : events) {
    CHECK(event.dump().find(fresh) == std::string::npos);
    CHECK(event.dump().find(own) == std::string::npos);
    if (event["type"] == "UserTokenRotated") ++rotations;
  }
  CHECK(rotations == 2);
}

TEST_CASE_METHOD(OnePartner, "R-AUTH-10 a removed user's token answers 401 and its seats are released with events",
                 "[http][server][R-AUTH-10]") {
  const UserAccess employee = add_user(admin, partner.partner_id, "dev@contoso.test", {"admin-agent"});
  const auto package = buy("action-pack");
  const std::string vs = benefit_of(package, "visual-studio")["benefitId"];
  admin.post("/v1/benefits/" + vs + "/activate", {{"userId", employee.user_id}}, 200);
  admin.post("/v1/benefits/" + vs + "/seats", {{"userId", partner.admin_user_id}}, 200);

  Caller removed(server, employee.token);
  removed.get("/v1/partners/" + partner.partner_id);
  const int timers_before = timers_pending(server);
  const auto answer = admin.send("DELETE", users_path(partner) + "/" + employee.user_id);
  CHECK(answer.status == 204);
  CHECK(answer.body.empty());
  // The removal's release timer is due at once, so it fires right after it (the simulated clock
  // need not move); with the seat released already, it finds nothing more to release.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (timers_pending(server) != timers_before && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(timers_pending(server) == timers_before);

  Caller::expect(removed.send("GET", "/v1/partners/" + partner.partner_id), 401);
  Caller::expect(removed.send("GET", "/v1/clock"), 401);
  const auto benefit = admin.get("/v1/benefits/" + vs);
  CHECK(benefit["status"] == "active");
  REQUIRE(benefit["seats"].size() == 1);
  CHECK(benefit["seats"][0]["userId"] == partner.admin_user_id);
  const auto events = op.get("/v1/streams/benefit-" + vs + "/events")["items"];
  CHECK(events.back()["type"] == "SeatReleased");
  CHECK(events.back()["data"]["userId"] == employee.user_id);
  const auto partner_events = op.get("/v1/streams/partner-" + partner.partner_id + "/events")["items"];
  CHECK(partner_events.back()["type"] == "UserRemoved");
  const auto users = admin.get(users_path(partner));
  for (const auto& user : users["items"]) CHECK(user["userId"] != employee.user_id);

  // The last global admin stays; a second one can go.
  Caller::expect(admin.send("DELETE", users_path(partner) + "/" + partner.admin_user_id), 409);
  Caller::expect(admin.send("DELETE", users_path(partner) + "/" + employee.user_id), 404);
}

TEST_CASE_METHOD(OnePartner, "R-AUTH-10 a user stripped of every role reads neither the clock nor the catalog",
                 "[http][server][R-AUTH-10]") {
  const UserAccess user = add_user(admin, partner.partner_id, "agent@contoso.test", {"admin-agent"});
  Caller agent(server, user.token);
  agent.get("/v1/clock");
  admin.put(users_path(partner) + "/" + user.user_id + "/roles", {{"roles", nlohmann::json::array()}}, 200);
  for (const char* path : {"/v1/clock", "/v1/catalog"}) Caller::expect(agent.send("GET", path), 403);
  Caller::expect(agent.send("GET", "/v1/partners/" + partner.partner_id), 403);
  // It may still replace its own token, and nothing else.
  agent.post(users_path(partner) + "/" + user.user_id + "/token", nlohmann::json::object(), 200);
}

TEST_CASE_METHOD(OnePartner,
                 "Unlimited guessing: after 10 wrong tokens from one address the next gets 429 with Retry-After, a "
                 "valid token from it keeps working",
                 "[http][server][hostile]") {
  admin.get("/v1/clock");  // the admin's token has worked from this address
  Caller guesser(server, "not-a-token-of-anyone");
  for (int attempt = 0; attempt < 10; ++attempt) {
    CAPTURE(attempt);
    Caller::expect(guesser.send("GET", "/v1/clock"), 401);
  }
  const auto refused = guesser.send("GET", "/v1/clock");
  CHECK(refused.status == 429);
  const auto retry_after = refused.header("Retry-After");
  REQUIRE(retry_after);
  CHECK(std::stoi(std::string(*retry_after)) > 0);
  CHECK(nlohmann::json::parse(refused.body)["code"] == "too-many-requests");
  Caller other_guess(server, "another-wrong-token");
  CHECK(other_guess.send("GET", "/v1/partners/" + partner.partner_id).status == 429);

  CHECK(admin.get("/v1/clock")["mode"] == "simulated");
  CHECK(op.get("/v1/clock")["mode"] == "simulated");
  // Routes that need no token are not throttled.
  CHECK(Caller(server, "").send("GET", "/healthz").status == 200);
}

}  // namespace
}  // namespace benefitd::testing
