// R-ENG-4 for POST /v1/clock/advance: an advance sent again with its Idempotency-Key (a
// client retrying after a lost answer, e.g. across a server crash) gets the first reply and
// neither moves the clock again nor fires more timers.
#include <catch2/catch.hpp>

#include <future>

#include "service_fixture.h"

using namespace benefitd;
using namespace benefitd::testing;
using namespace std::chrono_literals;

namespace {

app::Outcome advance_with_key(ServiceFixture& fixture, std::chrono::seconds by, const std::string& key) {
  app::RequestContext context{workflows::Actor::operatorActor(), "corr-clock", key,
                              "POST /v1/clock/advance {\"seconds\":" + std::to_string(by.count()) + "}", std::nullopt};
  std::promise<app::Outcome> outcome;
  fixture.service->advance_clock(context, app::ClockAdvance{by.count(), std::nullopt},
                                 [&outcome](app::Outcome done) { outcome.set_value(std::move(done)); });
  return outcome.get_future().get();
}

std::string clock_now(ServiceFixture& fixture) {
  return fixture.body(fixture.service->clock(workflows::Actor::operatorActor()))["now"];
}

}  // namespace

TEST_CASE("R-ENG-4 a clock advance retried with its key returns the first reply and moves the clock once",
          "[service]") {
  ServiceFixture fixture;
  auto [partner, admin] = fixture.register_partner();
  fixture.ok(admin, workflows::PurchasePackage{partner, "action-pack"});
  const std::chrono::seconds year_and_a_day = std::chrono::hours(24 * 366);

  const nlohmann::json first = fixture.body(advance_with_key(fixture, year_and_a_day, "advance-1"));
  CHECK(first["now"] == "2027-01-06T09:00:00Z");
  CHECK(first["timersFired"].get<int>() > 0);  // the package and its benefits expired

  const nlohmann::json retried = fixture.body(advance_with_key(fixture, year_and_a_day, "advance-1"));
  CHECK(retried == first);
  CHECK(clock_now(fixture) == "2027-01-06T09:00:00Z");

  // The reply is durable: after a restart the key still gets it.
  fixture.reopen();
  CHECK(fixture.body(advance_with_key(fixture, year_and_a_day, "advance-1")) == first);
  CHECK(clock_now(fixture) == "2027-01-06T09:00:00Z");

  const app::Outcome reused = advance_with_key(fixture, 1h, "advance-1");
  REQUIRE(std::holds_alternative<app::Problem>(reused));
  CHECK(std::get<app::Problem>(reused).code == "idempotency-key-reused");

  // Without a key every advance moves the clock.
  fixture.advance(1h);
  CHECK(clock_now(fixture) == "2027-01-06T10:00:00Z");
}
