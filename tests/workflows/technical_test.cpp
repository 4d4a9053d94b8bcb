// SPEC section 6: technical benefits (R-TECH).
#include <catch2/catch.hpp>

#include "world.h"

using namespace benefitd::workflows;
using namespace benefitd::workflows::testing;

namespace {

/// Activates and completes the technical benefit of a new package of `type`.
std::string activeTechnical(Scenario& s, const std::string& type) {
  const std::string technical = s.benefitOf(s.purchase(type), Category::technical);
  REQUIRE(outcome(s.runAs(s.globalAdmin, ActivateBenefit{technical, {}, {}, {}})) == "accepted");
  REQUIRE(outcome(s.run(CompleteFulfilment{technical, *s.benefit(technical).openRequestId, {}, {}}, Actor::system())) ==
          "accepted");
  return technical;
}

OpenSupportRequest request(const std::string& benefitId, std::string type, std::string family,
                           std::optional<int> hours = {}) {
  return OpenSupportRequest{benefitId, std::move(type), std::move(family), "help", hours, {}, {}};
}

}  // namespace

TEST_CASE("R-TECH-1 activation takes 3 business days, then Access ID and Contract ID are shown",
          "[workflows][technical]") {
  Scenario s;
  s.now = at("2026-01-08T14:00:00Z");  // a Thursday
  const std::string technical = s.benefitOf(s.purchase("action-pack"), Category::technical);
  const Decision requested = s.runAs(s.mpnAdmin, ActivateBenefit{technical, {}, {}, {}});
  REQUIRE(requested.fulfilmentRequests.size() == 1);
  CHECK(requested.fulfilmentRequests[0].expectedBy == at("2026-01-13T14:00:00Z"));  // Thu + 3 = Tue
  const std::string requestId = requested.fulfilmentRequests[0].requestId;
  REQUIRE(outcome(s.run(AcceptFulfilment{technical, requestId, {}}, Actor::system())) == "accepted");
  CHECK(s.benefit(technical).expectedBy == at("2026-01-13T14:00:00Z"));
  CHECK_FALSE(s.benefit(technical).accessId);

  s.now = at("2026-01-13T14:00:00Z");
  REQUIRE(outcome(s.run(CompleteFulfilment{technical, requestId, "AID-77", "CID-88"}, Actor::system())) == "accepted");
  const nlohmann::json view = toJson(s.benefit(technical), KeyVisibility::hidden);
  CHECK(view["status"] == "active");
  CHECK(view["accessId"] == "AID-77");
  CHECK(view["contractId"] == "CID-88");
  CHECK(view["balances"] == nlohmann::json{{"productSupportIncidents", 10}, {"signatureCloudIncidents", 0}, {"advisoryHours", 5}});

  // Without identifiers from fulfilment, generated ones are recorded.
  const std::string generated = activeTechnical(s, "silver-competency");
  CHECK(s.benefit(generated).accessId);
  CHECK(s.benefit(generated).contractId);
}

TEST_CASE("R-TECH-2 support request types, signature cloud is not available on action-pack", "[workflows][technical]") {
  Scenario s;
  const std::string actionPack = activeTechnical(s, "action-pack");
  const std::string silver = activeTechnical(s, "silver-competency");
  CHECK(outcome(s.runAs(s.globalAdmin, request(actionPack, "signature-cloud", "cloud"))) == "not-available-for-package");
  CHECK(outcome(s.runAs(s.globalAdmin, request(silver, "signature-cloud", "cloud"))) == "accepted");
  CHECK(outcome(s.runAs(s.globalAdmin, request(actionPack, "product-support", "other"))) == "accepted");
  CHECK(outcome(s.runAs(s.globalAdmin, request(actionPack, "presales-deployment", "hybrid", 2))) == "accepted");
  CHECK(outcome(s.runAs(s.globalAdmin, request(actionPack, "phone-a-friend", "cloud"))) == "invalid-request");
  CHECK(outcome(s.runAs(s.globalAdmin, request(actionPack, "product-support", "mainframe"))) == "invalid-request");
  const Decision opened = s.runAs(s.globalAdmin, request(silver, "product-support", "cloud"));
  CHECK(eventTypes(opened) == std::vector<std::string>{"SupportRequestOpened"});
  CHECK(opened.result["supportRequestId"].is_string());
}

TEST_CASE("R-TECH-3 requests need an active benefit and consume incidents or hours from the balance",
          "[workflows][technical]") {
  Scenario s;
  const std::string pending = s.benefitOf(s.purchase("action-pack"), Category::technical);
  CHECK(outcome(s.runAs(s.globalAdmin, request(pending, "product-support", "cloud"))) == "benefit-not-active");
  REQUIRE(outcome(s.runAs(s.globalAdmin, ActivateBenefit{pending, {}, {}, {}})) == "accepted");
  const Decision waiting = s.runAs(s.globalAdmin, request(pending, "product-support", "cloud"));
  CHECK(outcome(waiting) == "benefit-not-active");
  CHECK(waiting.rejection->extra["currentStatus"] == "activation-requested");

  const std::string gold = activeTechnical(s, "gold-competency");  // 20 incidents, 10 signature, 50 hours
  CHECK(outcome(s.runAs(s.globalAdmin, request(gold, "presales-deployment", "cloud", 26))) == "invalid-request");
  CHECK(outcome(s.runAs(s.globalAdmin, request(gold, "presales-deployment", "cloud", 0))) == "invalid-request");
  CHECK(outcome(s.runAs(s.globalAdmin, request(gold, "presales-deployment", "cloud"))) == "invalid-request");
  CHECK(outcome(s.runAs(s.globalAdmin, request(gold, "presales-deployment", "cloud", 25))) == "accepted");
  CHECK(outcome(s.runAs(s.globalAdmin, request(gold, "presales-deployment", "cloud", 1))) == "accepted");
  CHECK(s.benefit(gold).balances.advisoryHours == 24);
  CHECK(outcome(s.runAs(s.globalAdmin, request(gold, "presales-deployment", "cloud", 25))) == "insufficient-balance");
  CHECK(outcome(s.runAs(s.globalAdmin, request(gold, "presales-deployment", "cloud", 24))) == "accepted");
  CHECK(s.benefit(gold).balances.advisoryHours == 0);

  for (int i = 0; i < 20; ++i) REQUIRE(outcome(s.runAs(s.mpnAdmin, request(gold, "product-support", "cloud"))) == "accepted");
  CHECK(s.benefit(gold).balances.productSupportIncidents == 0);
  const Decision empty = s.runAs(s.mpnAdmin, request(gold, "product-support", "cloud"));
  CHECK(outcome(empty) == "insufficient-balance");
  CHECK(empty.rejection->extra["balance"] == 0);
  CHECK(s.benefit(gold).balances.signatureCloudIncidents == 10);

  // After expiresAt the benefit can no longer be used.
  s.now = s.benefit(gold).expiresAt + std::chrono::seconds{1};
  CHECK(outcome(s.runAs(s.mpnAdmin, request(gold, "signature-cloud", "cloud"))) == "benefit-not-active");
}

TEST_CASE("R-TECH-4 on-premises, Azure and Dynamics requests carry the Access ID and Contract ID",
          "[workflows][technical]") {
  Scenario s;
  const std::string technical = activeTechnical(s, "silver-competency");
  const std::string accessId = *s.benefit(technical).accessId, contractId = *s.benefit(technical).contractId;
  for (const std::string family : {"on-premises", "azure", "dynamics"}) {
    OpenSupportRequest r = request(technical, "product-support", family);
    CHECK(outcome(s.runAs(s.globalAdmin, r)) == "access-id-required");
    r.accessId = accessId;
    CHECK(outcome(s.runAs(s.globalAdmin, r)) == "access-id-required");
    r.contractId = "CONTRACT-wrong";
    CHECK(outcome(s.runAs(s.globalAdmin, r)) == "access-id-required");
    r.contractId = contractId;
    CHECK(outcome(s.runAs(s.globalAdmin, r)) == "accepted");
  }
  CHECK(outcome(s.runAs(s.globalAdmin, request(technical, "product-support", "cloud"))) == "accepted");
  CHECK(outcome(s.runAs(s.globalAdmin, request(technical, "presales-deployment", "hybrid", 3))) == "accepted");
}
