#include <catch2/catch.hpp>

#include "workflows/actor.h"
#include "workflows/commands.h"
#include "workflows/decision.h"

using namespace benefitd::workflows;

TEST_CASE("commands name the stream they address", "[workflows][commands]") {
  CHECK(targetStream(ActivateBenefit{"b-1", {}, {}, {}}) == "benefit-b-1");
  CHECK(targetStream(ExpireBenefit{"b-2"}) == "benefit-b-2");
  CHECK(targetStream(RequestCancellation{"k-1", "x"}) == "package-k-1");
  CHECK(targetStream(PurchasePackage{"p-1", "action-pack"}) == "partner-p-1");
  CHECK(targetStream(AddUser{"p-2", "e", "d", {}}) == "partner-p-2");
  CHECK(targetStream(RegisterPartner{}).empty());
}

TEST_CASE("timer commands round-trip through JSON and bad ones are refused clearly", "[workflows][commands]") {
  const Time due = *parseTime("2027-01-05T09:00:00Z");
  const TimerEffect lapse = timerFor(LapsePackage{"k-1"}, due);
  CHECK(lapse.timerId == "lapse-package:k-1:2027-01-05T09:00:00Z");
  CHECK(encodeTimerCommand(lapse.command) == nlohmann::json{{"command", "lapse-package"}, {"packageId", "k-1"}});
  CHECK(std::holds_alternative<LapsePackage>(decodeTimerCommand(encodeTimerCommand(lapse.command))));
  CHECK(std::get<ExpireBenefit>(decodeTimerCommand({{"command", "expire-benefit"}, {"benefitId", "b-9"}})).benefitId == "b-9");
  CHECK_THROWS_WITH(decodeTimerCommand({{"command", "expire-package"}}), Catch::Contains("packageId"));
  CHECK_THROWS_WITH(decodeTimerCommand(nlohmann::json::array()), Catch::Contains("JSON object"));
  CHECK(std::holds_alternative<ExpirePackage>(toCommand(ExpirePackage{"k-2"})));
}

TEST_CASE("actors name their kind as the audit log does", "[workflows][auth]") {
  CHECK(Actor::operatorActor().kindName() == "operator");
  CHECK(Actor::system().kindName() == "system");
  CHECK(Actor::user("u", "p", {}).kindName() == "user");
  CHECK(Actor::user("u", "p", {Role::adminAgent}).hasRole(Role::adminAgent));
  CHECK_FALSE(Actor::user("u", "p", {Role::adminAgent}).hasRole(Role::globalAdmin));
}
