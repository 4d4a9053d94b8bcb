// SPEC section 5: the benefit lifecycle shared by all categories.
#include <catch2/catch.hpp>

#include "workflows/event_codec.h"
#include "world.h"

using namespace benefitd::workflows;
using namespace benefitd::workflows::testing;

namespace {

const std::vector<std::string> kImmediateActivation{"ActivationRequested", "FulfilmentAccepted", "BenefitActivated",
                                                    "KeyRevealed"};

std::string openRequestOf(const Scenario& s, const std::string& benefitId) { return *s.benefit(benefitId).openRequestId; }

}  // namespace

TEST_CASE("R-LIFE-1 a benefit starts purchased, expired and cancelled are terminal", "[workflows][lifecycle]") {
  Scenario s;
  const std::string packageId = s.purchase("action-pack");
  const std::string software = s.benefitOf(packageId, Category::software);
  const std::string technical = s.benefitOf(packageId, Category::technical);
  CHECK(s.benefit(software).status == "purchased");
  CHECK(s.benefit(technical).status == "purchased");

  s.now = s.package(packageId).expiresAt;
  REQUIRE(outcome(s.run(ExpireBenefit{software}, Actor::system())) == "accepted");
  CHECK(s.benefit(software).status == "expired");
  const Decision again = s.runAs(s.globalAdmin, ActivateBenefit{software, "en-US", "x64", {}});
  CHECK(outcome(again) == "invalid-transition");
  CHECK(again.rejection->extra["currentStatus"] == "expired");
  CHECK(outcome(s.run(CompleteFulfilment{software, "request-1", {}, {}}, s.op())) == "invalid-transition");

  // A terminal state accepts no further lifecycle event on replay either.
  Benefit replayed = replayBenefit(s.world.streamEvents(benefitStream(software)));
  CHECK(replayed.view().status == "expired");
  CHECK_THROWS_AS(replayed.apply(ActivationRequested{software, "r", s.now, {}, {}, {}}), ReplayError);
  CHECK_THROWS_AS(replayed.apply(BenefitCancelled{software, "x", s.now}), ReplayError);
}

TEST_CASE("R-LIFE-1 cancelled is terminal", "[workflows][lifecycle]") {
  Scenario s;
  const std::string packageId = s.purchase("action-pack");
  const std::string technical = s.benefitOf(packageId, Category::technical);
  REQUIRE(outcome(s.runAs(s.globalAdmin, RequestCancellation{packageId, "not needed"})) == "accepted");
  REQUIRE(outcome(s.run(CompleteCancellation{packageId, *s.package(packageId).cancellationRequestId}, s.op())) ==
          "accepted");
  CHECK(s.benefit(technical).status == "cancelled");
  s.now = s.benefit(technical).expiresAt;
  CHECK(s.run(ExpireBenefit{technical}, Actor::system()).appends.empty());
  CHECK(s.benefit(technical).status == "cancelled");
  const Decision activate = s.runAs(s.globalAdmin, ActivateBenefit{technical, {}, {}, {}});
  CHECK(outcome(activate) == "invalid-transition");
  CHECK(activate.rejection->extra["currentStatus"] == "cancelled");
}

TEST_CASE("R-LIFE-2 activation only from purchased, by the right roles, while the package is active",
          "[workflows][lifecycle]") {
  Scenario s;
  const std::string packageId = s.purchase("action-pack");
  const std::string technical = s.benefitOf(packageId, Category::technical);
  const ActivateBenefit activate{technical, {}, {}, {}};

  CHECK(outcome(s.runAs(s.employee, activate)) == "forbidden");
  CHECK(outcome(s.runAs(s.userAdmin, activate)) == "forbidden");
  CHECK(outcome(s.runAs(s.adminAgent, activate)) == "forbidden");
  REQUIRE(outcome(s.runAs(s.mpnAdmin, activate)) == "accepted");

  const Decision twice = s.runAs(s.globalAdmin, activate);
  CHECK(outcome(twice) == "invalid-transition");
  CHECK(twice.rejection->extra["currentStatus"] == "activation-requested");

  SECTION("not while the package is cancellation-requested") {
    const std::string other = s.benefitOf(packageId, Category::cloud);
    REQUIRE(outcome(s.runAs(s.globalAdmin, RequestCancellation{packageId, "changed our mind"})) == "accepted");
    const Decision refused = s.runAs(s.globalAdmin, ActivateBenefit{other, {}, {}, {}});
    CHECK(outcome(refused) == "package-not-active");
    CHECK(refused.rejection->extra["packageStatus"] == "cancellation-requested");
  }
  SECTION("the activation depends on the package's version") {
    const std::string cloud = s.benefitOf(packageId, Category::cloud);
    const Decision decided = s.runAs(s.globalAdmin, ActivateBenefit{cloud, {}, {}, {}});
    REQUIRE(decided.dependsOn.size() == 1);
    CHECK(decided.dependsOn[0].streamId == packageStream(packageId));
    CHECK(decided.dependsOn[0].version == s.package(packageId).version);
  }
}

TEST_CASE("R-LIFE-3 activation-requested, pending with expectedBy, then active", "[workflows][lifecycle]") {
  Scenario s;
  const std::string packageId = s.purchase("action-pack");
  const std::string technical = s.benefitOf(packageId, Category::technical);

  const Decision requested = s.runAs(s.globalAdmin, ActivateBenefit{technical, {}, {}, {}});
  CHECK(eventTypes(requested) == std::vector<std::string>{"ActivationRequested"});
  CHECK(s.benefit(technical).status == "activation-requested");
  CHECK(s.benefit(technical).activationRequestedAt == s.now);
  REQUIRE(requested.fulfilmentRequests.size() == 1);
  const FulfilmentRequestEffect& request = requested.fulfilmentRequests[0];
  CHECK(request.kind == "technical");
  CHECK(request.subjectStream == benefitStream(technical));
  CHECK(request.expectedBy == at("2026-01-08T09:00:00Z"));  // 3 business days from Monday

  s.now += std::chrono::hours{1};
  REQUIRE(outcome(s.run(AcceptFulfilment{technical, request.requestId, {}}, Actor::system())) == "accepted");
  CHECK(s.benefit(technical).status == "pending");
  CHECK(s.benefit(technical).pendingSince == s.now);
  CHECK(s.benefit(technical).expectedBy == at("2026-01-08T09:00:00Z"));

  s.now = at("2026-01-08T09:00:00Z");
  const Decision completed = s.run(CompleteFulfilment{technical, request.requestId, "A-1", "C-1"}, Actor::system());
  CHECK(eventTypes(completed) == std::vector<std::string>{"BenefitActivated"});
  CHECK(s.benefit(technical).status == "active");
  CHECK(s.benefit(technical).activatedAt == s.now);

  SECTION("immediate categories pass through all three in one command, same timestamp") {
    const std::string software = s.benefitOf(packageId, Category::software);
    const Decision immediate = s.runAs(s.globalAdmin, ActivateBenefit{software, "en-US", "x64", {}});
    CHECK(eventTypes(immediate) == kImmediateActivation);
    CHECK(immediate.fulfilmentRequests.empty());
    const BenefitView& view = s.benefit(software);
    CHECK(view.status == "active");
    CHECK(view.activationRequestedAt == s.now);
    CHECK(view.pendingSince == s.now);
    CHECK(view.activatedAt == s.now);
  }
}

TEST_CASE("R-LIFE-3 a fulfilment completed without acceptance still records pending first", "[workflows][lifecycle]") {
  Scenario s;
  const std::string technical = s.benefitOf(s.purchase("action-pack"), Category::technical);
  const Decision requested = s.runAs(s.globalAdmin, ActivateBenefit{technical, {}, {}, {}});
  const Decision completed = s.run(CompleteFulfilment{technical, requested.fulfilmentRequests[0].requestId, {}, {}}, s.op());
  CHECK(eventTypes(completed) == std::vector<std::string>{"FulfilmentAccepted", "BenefitActivated"});
  CHECK(s.benefit(technical).status == "active");
}

TEST_CASE("R-LIFE-4 a rejected fulfilment returns the benefit to purchased with lastError", "[workflows][lifecycle]") {
  Scenario s;
  const std::string technical = s.benefitOf(s.purchase("action-pack"), Category::technical);
  REQUIRE(outcome(s.runAs(s.globalAdmin, ActivateBenefit{technical, {}, {}, {}})) == "accepted");
  const std::string first = openRequestOf(s, technical);

  SECTION("from activation-requested") {
    REQUIRE(outcome(s.run(RejectFulfilment{technical, first, "contract not found"}, s.op())) == "accepted");
  }
  SECTION("from pending") {
    REQUIRE(outcome(s.run(AcceptFulfilment{technical, first, {}}, s.op())) == "accepted");
    REQUIRE(outcome(s.run(RejectFulfilment{technical, first, "contract not found"}, s.op())) == "accepted");
  }
  CHECK(s.benefit(technical).status == "purchased");
  CHECK(s.benefit(technical).lastError == "contract not found");
  CHECK(outcome(s.run(CompleteFulfilment{technical, first, {}, {}}, s.op())) == "invalid-transition");

  // It may be activated again; the old request id is stale, the new one works.
  REQUIRE(outcome(s.runAs(s.globalAdmin, ActivateBenefit{technical, {}, {}, {}})) == "accepted");
  const std::string second = openRequestOf(s, technical);
  CHECK(second != first);
  CHECK_FALSE(s.benefit(technical).lastError);
  CHECK(outcome(s.run(AcceptFulfilment{technical, first, {}}, s.op())) == "invalid-transition");
  CHECK(outcome(s.run(AcceptFulfilment{technical, second, {}}, s.op())) == "accepted");
  // Only the back office answers fulfilment requests.
  CHECK(outcome(s.runAs(s.globalAdmin, CompleteFulfilment{technical, second, {}, {}})) == "forbidden");
}

TEST_CASE("R-LIFE-5 benefits expire at the package's expiry, Visual Studio 30 days later", "[workflows][lifecycle]") {
  Scenario s;
  const Decision bought = s.runAs(s.globalAdmin, PurchasePackage{s.partnerId, "action-pack"});
  const std::string packageId = bought.result["packageId"];
  const Time packageExpiry = s.package(packageId).expiresAt;
  const std::string software = s.benefitOf(packageId, Category::software);
  const std::string vs = s.benefitOf(packageId, Category::visualStudio);
  CHECK(s.benefit(software).expiresAt == packageExpiry);
  CHECK(s.benefit(vs).expiresAt == packageExpiry + days{30});

  // Timers are scheduled for each benefit at its expiresAt.
  int benefitTimers = 0;
  for (const TimerEffect& timer : bought.timers)
    if (const auto* expire = std::get_if<ExpireBenefit>(&timer.command)) {
      ++benefitTimers;
      CHECK(timer.dueAt == s.benefit(expire->benefitId).expiresAt);
    }
  CHECK(benefitTimers == 6);

  // expiresAt is the last moment the benefit can be activated.
  s.now = packageExpiry + std::chrono::seconds{1};
  CHECK(outcome(s.runAs(s.globalAdmin, ActivateBenefit{software, "en-US", "x64", {}})) == "invalid-transition");
  s.now = packageExpiry;
  CHECK(outcome(s.decideOnly(ActivateBenefit{software, "en-US", "x64", {}})) == "accepted");

  // One second early the timer has nothing to do; at expiresAt it expires the benefit.
  s.now = packageExpiry - std::chrono::seconds{1};
  CHECK(s.run(ExpireBenefit{software}, Actor::system()).appends.empty());
  s.now = packageExpiry;
  CHECK(eventTypes(s.run(ExpireBenefit{software}, Actor::system())) == std::vector<std::string>{"BenefitExpired"});
  CHECK(s.benefit(software).expiredAt == packageExpiry);
  CHECK(s.run(ExpireBenefit{vs}, Actor::system()).appends.empty());
  CHECK(s.benefit(vs).status == "purchased");
  s.now = packageExpiry + days{30};
  CHECK(eventTypes(s.run(ExpireBenefit{vs}, Actor::system())) == std::vector<std::string>{"BenefitExpired"});
}

TEST_CASE("R-LIFE-6 a timer fires once, stamped with its due time", "[workflows][lifecycle]") {
  Scenario s;
  const Decision bought = s.runAs(s.globalAdmin, PurchasePackage{s.partnerId, "action-pack"});
  const TimerEffect& timer = bought.timers.front();
  // The id is derived from the content, so scheduling it again is recognisable.
  CHECK(timer.timerId == timerFor(timer.command, timer.dueAt).timerId);
  CHECK(encodeTimerCommand(decodeTimerCommand(encodeTimerCommand(timer.command))) == encodeTimerCommand(timer.command));

  // A server that was down fires it later with the due time as "now"; firing it again is a no-op.
  s.now = timer.dueAt;
  const Decision fired = s.run(toCommand(timer.command), Actor::system());
  REQUIRE_FALSE(fired.appends.empty());
  for (const StreamAppend& append : fired.appends)
    for (const DomainEvent& event : append.events) CHECK(encodeEventData(event).dump().find(formatTime(timer.dueAt)) != std::string::npos);
  const Decision twice = s.run(toCommand(timer.command), Actor::system());
  CHECK_FALSE(twice.refused());
  CHECK(twice.appends.empty());
  CHECK_THROWS_AS(decodeTimerCommand(nlohmann::json{{"command", "explode"}}), std::invalid_argument);
}

TEST_CASE("R-LIFE-7 every event records the time of the command that caused it", "[workflows][lifecycle]") {
  // Who, correlation and causation ids travel in the engine's envelope; the data carries the
  // time, so replay and as-of reads never depend on the envelope.
  Scenario s;
  s.now = at("2026-03-02T10:15:30Z");
  const Decision bought = s.runAs(s.globalAdmin, PurchasePackage{s.partnerId, "gold-competency"});
  const std::string stamp = formatTime(s.now);
  for (const StreamAppend& append : bought.appends)
    for (const DomainEvent& event : append.events) {
      const nlohmann::json data = encodeEventData(event);
      const bool stamped = data.value("purchasedAt", "") == stamp || data.value("grantedAt", "") == stamp;
      CHECK(stamped);
    }
}
