// SPEC section 6: Visual Studio subscriptions (R-VS).
#include <catch2/catch.hpp>

#include "world.h"

using namespace benefitd::workflows;
using namespace benefitd::workflows::testing;

TEST_CASE("R-VS-1 activation assigns a seat to a user of the partner, one seat per user, no free seat refused",
          "[workflows][visual-studio]") {
  Scenario s;
  const std::string vs = s.benefitOf(s.purchase("action-pack"), Category::visualStudio);  // 3 seats
  const Decision unknown = s.runAs(s.globalAdmin, ActivateBenefit{vs, {}, {}, "user-404"});
  CHECK(outcome(unknown) == "unknown-user");
  CHECK_THAT(unknown.rejection->detail, Catch::Contains("account settings"));
  CHECK(outcome(s.runAs(s.globalAdmin, ActivateBenefit{vs, {}, {}, {}})) == "invalid-request");

  const Decision first = s.runAs(s.globalAdmin, ActivateBenefit{vs, {}, {}, s.employee});
  CHECK(eventTypes(first) ==
        std::vector<std::string>{"ActivationRequested", "FulfilmentAccepted", "BenefitActivated", "SeatAssigned"});
  CHECK(s.benefit(vs).status == "active");
  REQUIRE(s.benefit(vs).seats.size() == 1);
  CHECK(s.benefit(vs).seats[0].userId == s.employee);
  CHECK(first.result["seatId"] == s.benefit(vs).seats[0].seatId);

  // Assigning reads the partner's users, so the append depends on the partner's version.
  const Decision decided = s.world.decideOnly(AssignSeat{vs, s.mpnAdmin}, s.actor(s.globalAdmin), s.now);
  REQUIRE(decided.dependsOn.size() == 1);
  CHECK(decided.dependsOn[0].streamId == partnerStream(s.partnerId));

  CHECK(outcome(s.runAs(s.globalAdmin, AssignSeat{vs, s.employee})) == "user-already-assigned");
  CHECK(outcome(s.runAs(s.globalAdmin, AssignSeat{vs, "user-404"})) == "unknown-user");
  CHECK(outcome(s.runAs(s.globalAdmin, AssignSeat{vs, s.mpnAdmin})) == "accepted");
  CHECK(outcome(s.runAs(s.globalAdmin, AssignSeat{vs, s.userAdmin})) == "accepted");
  const Decision full = s.runAs(s.globalAdmin, AssignSeat{vs, s.adminAgent});
  CHECK(outcome(full) == "no-seats-available");
  CHECK(full.rejection->extra["seatsTotal"] == 3);
  // Both refusals apply to an assigned user once seats run out: the user's own seat is named.
  CHECK(outcome(s.runAs(s.globalAdmin, AssignSeat{vs, s.employee})) == "user-already-assigned");

  const nlohmann::json view = toJson(s.benefit(vs), KeyVisibility::shown);
  CHECK(view["seatsTotal"] == 3);
  CHECK(view["seats"].size() == 3);
  CHECK(view["seats"][0]["reassignableAt"] == formatTime(s.now + days{90}));
}

TEST_CASE("R-VS-2 reassignment only after 90 days", "[workflows][visual-studio]") {
  Scenario s;
  const std::string vs = s.benefitOf(s.purchase("action-pack"), Category::visualStudio);
  REQUIRE(outcome(s.runAs(s.globalAdmin, ActivateBenefit{vs, {}, {}, s.employee})) == "accepted");
  const std::string seat = s.benefit(vs).seats[0].seatId;
  const Time assignedAt = s.now;

  s.now = assignedAt + days{90} - std::chrono::seconds{1};  // day 89 and the last second of it
  const Decision early = s.runAs(s.globalAdmin, ReassignSeat{vs, seat, s.mpnAdmin});
  CHECK(outcome(early) == "reassignment-too-early");
  CHECK(early.rejection->extra["reassignableAt"] == formatTime(assignedAt + days{90}));

  s.now = assignedAt + days{90};
  const Decision moved = s.runAs(s.globalAdmin, ReassignSeat{vs, seat, s.mpnAdmin});
  CHECK(eventTypes(moved) == std::vector<std::string>{"SeatReassigned"});
  CHECK(s.benefit(vs).seats[0].userId == s.mpnAdmin);
  CHECK(s.benefit(vs).seats[0].assignedAt == s.now);  // the clock restarts

  s.now += days{1};
  CHECK(outcome(s.runAs(s.globalAdmin, ReassignSeat{vs, seat, s.employee})) == "reassignment-too-early");
  s.now = assignedAt + days{180};
  CHECK(outcome(s.runAs(s.globalAdmin, ReassignSeat{vs, seat, s.mpnAdmin})) == "user-already-assigned");
  CHECK(outcome(s.runAs(s.globalAdmin, ReassignSeat{vs, seat, "user-404"})) == "unknown-user");
  CHECK(outcome(s.runAs(s.globalAdmin, ReassignSeat{vs, "seat-404", s.employee})) == "not-found");
  CHECK(outcome(s.runAs(s.globalAdmin, ReassignSeat{vs, seat, s.employee})) == "accepted");
}

TEST_CASE("R-VS-3 assigning and reassigning seats are global-admin only", "[workflows][visual-studio]") {
  Scenario s;
  const std::string vs = s.benefitOf(s.purchase("silver-competency"), Category::visualStudio);
  CHECK(outcome(s.runAs(s.mpnAdmin, ActivateBenefit{vs, {}, {}, s.employee})) == "forbidden");
  REQUIRE(outcome(s.runAs(s.globalAdmin, ActivateBenefit{vs, {}, {}, s.employee})) == "accepted");
  for (const std::string& user : {s.mpnAdmin, s.userAdmin, s.adminAgent, s.employee})
    CHECK(outcome(s.runAs(user, AssignSeat{vs, s.adminAgent})) == "forbidden");
  s.now += days{90};
  const std::string seat = s.benefit(vs).seats[0].seatId;
  for (const std::string& user : {s.mpnAdmin, s.userAdmin, s.adminAgent, s.employee})
    CHECK(outcome(s.runAs(user, ReassignSeat{vs, seat, s.adminAgent})) == "forbidden");
  CHECK(outcome(s.runAs(s.globalAdmin, ReassignSeat{vs, seat, s.adminAgent})) == "accepted");
  CHECK(outcome(s.run(AssignSeat{vs, s.employee}, s.op())) == "accepted");
}
