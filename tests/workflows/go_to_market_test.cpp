// SPEC section 6: Go-To-Market offers (R-GTM).
#include <catch2/catch.hpp>

#include "world.h"

using namespace benefitd::workflows;
using namespace benefitd::workflows::testing;

TEST_CASE("R-GTM-1 activating an offer requires a marketing contact", "[workflows][go-to-market]") {
  Scenario s;
  const std::string offer = s.benefitOf(s.purchase("silver-competency"), Category::goToMarket);
  CHECK(s.benefit(offer).kind == "Silver Core");
  CHECK(outcome(s.runAs(s.globalAdmin, ActivateBenefit{offer, {}, {}, {}})) == "marketing-contact-required");
  CHECK(s.benefit(offer).status == "purchased");
  s.assignMarketingContact();
  const Decision activated = s.runAs(s.globalAdmin, ActivateBenefit{offer, {}, {}, {}});
  CHECK(outcome(activated) == "accepted");
  // The decision read the contact: it depends on the partner's version.
  bool dependsOnPartner = false;
  for (const StreamDependency& dependency : activated.dependsOn)
    dependsOnPartner = dependsOnPartner || dependency.streamId == partnerStream(s.partnerId);
  CHECK(dependsOnPartner);
}

TEST_CASE("R-GTM-2 activation takes 5 days, the active offer expires 365 days after activation",
          "[workflows][go-to-market]") {
  Scenario s;
  s.now = at("2026-01-09T12:00:00Z");  // a Friday: 5 calendar days, weekends included
  const std::string packageId = s.purchase("gold-competency");
  const std::string offer = s.benefitOf(packageId, Category::goToMarket, 1);
  CHECK(s.benefit(offer).kind == "ISV Co-sell ready");
  s.assignMarketingContact();
  const Decision requested = s.runAs(s.mpnAdmin, ActivateBenefit{offer, {}, {}, {}});
  REQUIRE(requested.fulfilmentRequests.size() == 1);
  CHECK(requested.fulfilmentRequests[0].kind == "go-to-market");
  CHECK(requested.fulfilmentRequests[0].expectedBy == at("2026-01-14T12:00:00Z"));

  s.now = at("2026-01-14T12:00:00Z");
  const Decision completed =
      s.run(CompleteFulfilment{offer, requested.fulfilmentRequests[0].requestId, {}, {}}, Actor::system());
  REQUIRE(outcome(completed) == "accepted");
  CHECK(s.benefit(offer).status == "active");
  CHECK(s.benefit(offer).expiresAt == s.now + days{365});
  REQUIRE(completed.timers.size() == 1);
  CHECK(completed.timers[0].dueAt == s.now + days{365});

  // The package's expiry no longer ends the active offer; its own expiry does.
  const Time packageExpiry = s.package(packageId).expiresAt;
  s.now = packageExpiry;
  CHECK(s.run(ExpireBenefit{offer}, Actor::system()).appends.empty());
  CHECK(s.benefit(offer).status == "active");
  s.now = at("2026-01-14T12:00:00Z") + days{365};
  CHECK(eventTypes(s.run(ExpireBenefit{offer}, Actor::system())) == std::vector<std::string>{"BenefitExpired"});

  // An offer never activated ends with its package.
  const std::string other = s.benefitOf(packageId, Category::goToMarket, 0);
  CHECK(s.benefit(other).expiresAt == packageExpiry);
}

TEST_CASE("R-GTM-3 activation request and activation each queue a notification to the marketing contact",
          "[workflows][go-to-market]") {
  Scenario s;
  const std::string offer = s.benefitOf(s.purchase("silver-competency"), Category::goToMarket);
  s.assignMarketingContact();
  const Decision requested = s.runAs(s.globalAdmin, ActivateBenefit{offer, {}, {}, {}});
  CHECK(eventTypes(requested) == std::vector<std::string>{"ActivationRequested", "NotificationQueued"});
  REQUIRE(requested.notifications.size() == 1);
  CHECK(requested.notifications[0].to == "marketing@contoso.example");
  CHECK(requested.notifications[0].subject == "activation-requested");
  const auto& queued = std::get<NotificationQueued>(requested.appends[0].events[1]);
  CHECK(queued.notificationId == requested.notifications[0].notificationId);

  const Decision completed =
      s.run(CompleteFulfilment{offer, requested.fulfilmentRequests[0].requestId, {}, {}}, Actor::system());
  CHECK(eventTypes(completed) == std::vector<std::string>{"FulfilmentAccepted", "BenefitActivated", "NotificationQueued"});
  REQUIRE(completed.notifications.size() == 1);
  CHECK(completed.notifications[0].to == "marketing@contoso.example");
  CHECK(completed.notifications[0].subject == "activated");
  CHECK(completed.notifications[0].notificationId != requested.notifications[0].notificationId);
  CHECK(completed.notifications[0].body["offer"] == "Silver Core");
}
