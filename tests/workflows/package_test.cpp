// SPEC section 4: packages, cancellation with refund, renewal.
#include <catch2/catch.hpp>

#include <algorithm>

#include "world.h"

using namespace benefitd::workflows;
using namespace benefitd::workflows::testing;

namespace {

std::string completeCancellation(Scenario& s, const std::string& packageId) {
  return outcome(s.run(CompleteCancellation{packageId, *s.package(packageId).cancellationRequestId}, Actor::system()));
}

}  // namespace

TEST_CASE("R-PKG-1 a purchase creates the package and one purchased benefit per catalog entry in one append",
          "[workflows][package]") {
  Scenario s;
  const Decision bought = s.runAs(s.globalAdmin, PurchasePackage{s.partnerId, "gold-competency"});
  REQUIRE(outcome(bought) == "accepted");
  const std::string packageId = bought.result["packageId"];
  REQUIRE(bought.appends.size() == 9);  // the package and 8 benefits
  CHECK(bought.eventCount() == 9);
  CHECK(bought.appends[0].streamId == packageStream(packageId));
  CHECK(eventTypes(bought).front() == "PackagePurchased");
  for (const StreamAppend& append : bought.appends) CHECK(append.expectedVersion == 0);
  const PackageView& package = s.package(packageId);
  CHECK(package.status == "active");
  CHECK(package.price == "4730.00");
  CHECK(package.purchasedAt == s.now);
  CHECK(package.expiresAt == s.now + days{365});
  REQUIRE(package.benefitIds.size() == 8);
  CHECK(bought.result["benefitIds"] == nlohmann::json(package.benefitIds));
  for (const std::string& id : package.benefitIds) {
    CHECK(s.benefit(id).status == "purchased");
    CHECK(s.benefit(id).packageId == packageId);
  }
  const nlohmann::json view = toJson(package);
  CHECK(view["refundableUntil"] == formatTime(s.now + days{30}));
  CHECK(view["renewalWindowEndsAt"] == formatTime(s.now + days{395}));
  CHECK(view["refund"].is_null());
  CHECK(view["term"] == "P365D");
  CHECK(s.world.package(s.purchase("action-pack"))->view().benefitIds.size() == 6);
  CHECK(outcome(s.runAs(s.globalAdmin, PurchasePackage{s.partnerId, "platinum"})) == "invalid-request");
}

TEST_CASE("R-PKG-2 refund only within 30 days of purchase and before any software activation", "[workflows][package]") {
  Scenario s;
  const std::string packageId = s.purchase("action-pack");
  const Time purchasedAt = s.now;

  SECTION("30 days exactly is allowed") {
    s.now = purchasedAt + days{30};
    CHECK(outcome(s.runAs(s.globalAdmin, RequestCancellation{packageId, "x"})) == "accepted");
  }
  SECTION("30 days and one second is too late") {
    s.now = purchasedAt + days{30} + std::chrono::seconds{1};
    const Decision late = s.runAs(s.globalAdmin, RequestCancellation{packageId, "x"});
    CHECK(outcome(late) == "refund-window-closed");
    CHECK(late.rejection->extra["refundableUntil"] == formatTime(purchasedAt + days{30}));
  }
  SECTION("a software activation forbids the refund, and wins when both apply") {
    const std::string software = s.benefitOf(packageId, Category::software, 1);
    REQUIRE(outcome(s.runAs(s.globalAdmin, ActivateBenefit{software, "fr-FR", "x86", {}})) == "accepted");
    CHECK(outcome(s.runAs(s.globalAdmin, RequestCancellation{packageId, "x"})) == "software-benefit-activated");
    s.now = purchasedAt + days{31};
    CHECK(outcome(s.runAs(s.globalAdmin, RequestCancellation{packageId, "x"})) == "software-benefit-activated");
  }
  SECTION("other activations do not") {
    REQUIRE(outcome(s.runAs(s.globalAdmin, ActivateBenefit{s.benefitOf(packageId, Category::cloud), {}, {}, {}})) ==
            "accepted");
    CHECK(outcome(s.runAs(s.globalAdmin, RequestCancellation{packageId, "x"})) == "accepted");
  }
}

TEST_CASE("R-PKG-3 the service request completes into cancellation, full refund and cancelled benefits in one append",
          "[workflows][package]") {
  Scenario s;
  s.now = at("2026-01-09T16:00:00Z");  // a Friday
  const std::string packageId = s.purchase("action-pack");
  const std::string cloud = s.benefitOf(packageId, Category::cloud);
  const std::string technical = s.benefitOf(packageId, Category::technical);
  REQUIRE(outcome(s.runAs(s.globalAdmin, ActivateBenefit{cloud, {}, {}, {}})) == "accepted");
  REQUIRE(outcome(s.runAs(s.globalAdmin, ActivateBenefit{technical, {}, {}, {}})) == "accepted");

  const Decision requested = s.runAs(s.mpnAdmin, RequestCancellation{packageId, "bought by mistake"});
  REQUIRE(outcome(requested) == "accepted");
  CHECK(s.package(packageId).status == "cancellation-requested");
  REQUIRE(requested.fulfilmentRequests.size() == 1);
  CHECK(requested.fulfilmentRequests[0].kind == "cancellation");
  CHECK(requested.fulfilmentRequests[0].subjectStream == packageStream(packageId));
  CHECK(requested.fulfilmentRequests[0].expectedBy == at("2026-01-13T16:00:00Z"));  // 2 business days: Tuesday

  const std::string software = s.benefitOf(packageId, Category::software);
  CHECK(outcome(s.runAs(s.globalAdmin, ActivateBenefit{software, "en-US", "x64", {}})) == "package-not-active");
  CHECK(outcome(s.runAs(s.globalAdmin, RequestCancellation{packageId, "again"})) == "invalid-transition");

  s.now = requested.fulfilmentRequests[0].expectedBy;
  CHECK(outcome(s.run(CompleteCancellation{packageId, "request-0"}, Actor::system())) == "invalid-transition");
  const Decision completed = s.run(CompleteCancellation{packageId, requested.fulfilmentRequests[0].requestId}, Actor::system());
  REQUIRE(outcome(completed) == "accepted");
  CHECK(completed.appends.size() == 7);  // the package and its 6 benefits
  CHECK(completed.appends[0].events.size() == 2);
  CHECK(s.package(packageId).status == "cancelled");
  REQUIRE(s.package(packageId).refund);
  CHECK(s.package(packageId).refund->amount == "530.00");
  CHECK(toJson(s.package(packageId))["refund"]["issuedAt"] == formatTime(s.now));
  for (const std::string& id : s.package(packageId).benefitIds) {
    CHECK(s.benefit(id).status == "cancelled");
    CHECK(s.benefit(id).cancelledAt == s.now);
  }
  CHECK(completeCancellation(s, packageId) == "invalid-transition");
}

TEST_CASE("R-PKG-3 benefits already ended are left alone at cancellation", "[workflows][package]") {
  Scenario s;
  const std::string packageId = s.purchase("action-pack");
  const std::string technical = s.benefitOf(packageId, Category::technical);
  const std::uint64_t version = s.world.benefit(technical)->version();
  REQUIRE(outcome(s.runAs(s.globalAdmin, RequestCancellation{packageId, "x"})) == "accepted");
  // An expiry recorded in between (as if the package had been shorter) keeps that benefit expired.
  s.world.append([&] {
    Decision expiry;
    expiry.appends.push_back(StreamAppend{benefitStream(technical), version, {BenefitExpired{technical, s.now}}});
    return expiry;
  }());
  const Decision completed = s.run(CompleteCancellation{packageId, *s.package(packageId).cancellationRequestId}, s.op());
  CHECK(completed.appends.size() == 6);
  CHECK(s.benefit(technical).status == "expired");
}

TEST_CASE("R-PKG-4 a racing software activation and cancellation: exactly one wins", "[workflows][package]") {
  Scenario s;
  const std::string packageId = s.purchase("action-pack");
  const std::string software = s.benefitOf(packageId, Category::software);
  const Actor admin = s.actor(s.globalAdmin);
  // Both decided on the same state, as two concurrent requests would be.
  const Decision activation = s.world.decideOnly(ActivateBenefit{software, "en-US", "x64", {}}, admin, s.now);
  const Decision cancellation = s.world.decideOnly(RequestCancellation{packageId, "x"}, admin, s.now);
  REQUIRE(outcome(activation) == "accepted");
  REQUIRE(outcome(cancellation) == "accepted");

  SECTION("activation first: the cancellation loses and, retried, is refused") {
    REQUIRE(s.world.append(activation));
    CHECK_FALSE(s.world.append(cancellation));
    CHECK(outcome(s.run(RequestCancellation{packageId, "x"}, admin)) == "software-benefit-activated");
    CHECK(s.package(packageId).status == "active");
  }
  SECTION("cancellation first: the activation loses and, retried, is refused") {
    REQUIRE(s.world.append(cancellation));
    CHECK_FALSE(s.world.append(activation));
    CHECK(outcome(s.run(ActivateBenefit{software, "en-US", "x64", {}}, admin)) == "package-not-active");
    CHECK(s.benefit(software).keys.empty());
  }
}

TEST_CASE("R-PKG-5 renewal only from expiry to 30 days after, then the package lapses", "[workflows][package]") {
  Scenario s;
  const std::string packageId = s.purchase("action-pack");
  const Time expiresAt = s.package(packageId).expiresAt;

  s.now = expiresAt - std::chrono::seconds{1};
  const Decision early = s.runAs(s.globalAdmin, RenewPackage{packageId});
  CHECK(outcome(early) == "renewal-not-open");
  CHECK(early.rejection->extra["renewalOpensAt"] == formatTime(expiresAt));
  CHECK(s.run(ExpirePackage{packageId}, Actor::system()).appends.empty());

  s.now = expiresAt;
  REQUIRE(eventTypes(s.run(ExpirePackage{packageId}, Actor::system())) == std::vector<std::string>{"PackageExpired"});
  CHECK(s.package(packageId).status == "expired");

  SECTION("on the last second of the window") {
    s.now = expiresAt + days{30};
    const Decision renewed = s.runAs(s.userAdmin, RenewPackage{packageId});
    REQUIRE(outcome(renewed) == "accepted");
    CHECK(s.package(packageId).status == "active");
    CHECK(s.package(packageId).expiresAt == expiresAt + days{365});
    CHECK(s.package(packageId).currentTermBenefitIds.size() == 6);
    CHECK(s.package(packageId).benefitIds.size() == 12);
    for (const std::string& id : s.package(packageId).currentTermBenefitIds) {
      CHECK(s.benefit(id).expiresAt >= expiresAt + days{365});
      CHECK(s.benefit(id).purchasedAt == s.now);
    }
    // The old term's lapse timer finds nothing to do.
    CHECK(s.run(LapsePackage{packageId}, Actor::system()).appends.empty());
  }
  SECTION("one second after the window") {
    s.now = expiresAt + days{30} + std::chrono::seconds{1};
    const Decision late = s.runAs(s.globalAdmin, RenewPackage{packageId});
    CHECK(outcome(late) == "renewal-window-closed");
    CHECK(late.rejection->extra["renewalWindowEndsAt"] == formatTime(expiresAt + days{30}));
  }
  SECTION("the package lapses at the end of the window, and stays closed") {
    s.now = expiresAt + days{30} - std::chrono::seconds{1};
    CHECK(s.run(LapsePackage{packageId}, Actor::system()).appends.empty());
    s.now = expiresAt + days{30};
    REQUIRE(eventTypes(s.run(LapsePackage{packageId}, Actor::system())) == std::vector<std::string>{"PackageLapsed"});
    CHECK(s.package(packageId).status == "lapsed");
    CHECK(outcome(s.runAs(s.globalAdmin, RenewPackage{packageId})) == "renewal-window-closed");
  }
}

TEST_CASE("R-PKG-5 Visual Studio seats carry over to the new term with their assignment dates", "[workflows][package]") {
  Scenario s;
  const std::string packageId = s.purchase("action-pack");
  const std::string vs = s.benefitOf(packageId, Category::visualStudio);
  REQUIRE(outcome(s.runAs(s.globalAdmin, ActivateBenefit{vs, {}, {}, s.employee})) == "accepted");
  const Time firstAssignment = s.now;
  s.now += days{100};
  REQUIRE(outcome(s.runAs(s.globalAdmin, AssignSeat{vs, s.mpnAdmin})) == "accepted");
  const Time secondAssignment = s.now;

  s.now = s.package(packageId).expiresAt + days{3};  // renewal before the expiry timer ran
  const Decision renewed = s.runAs(s.globalAdmin, RenewPackage{packageId});
  REQUIRE(outcome(renewed) == "accepted");
  CHECK(renewed.dependsOn.size() == 1);
  const std::string next = s.benefitOf(packageId, Category::visualStudio);
  REQUIRE(next != vs);
  const BenefitView& carried = s.benefit(next);
  CHECK(carried.status == "active");
  REQUIRE(carried.seats.size() == 2);
  CHECK(carried.seats[0].userId == s.employee);
  CHECK(carried.seats[0].assignedAt == firstAssignment);
  CHECK(carried.seats[1].userId == s.mpnAdmin);
  CHECK(carried.seats[1].assignedAt == secondAssignment);
  // No reassignment was needed, and the 90 days still count from the original assignment.
  CHECK(outcome(s.runAs(s.globalAdmin, ReassignSeat{next, carried.seats[0].seatId, s.userAdmin})) == "accepted");
  CHECK(s.benefit(next).expiresAt == s.package(packageId).expiresAt + days{30});
}

TEST_CASE("R-PKG-6 a renewal opens the new term's refund window, counts only its software, refunds its price",
          "[workflows][package]") {
  Scenario s;
  const std::string packageId = s.purchase("action-pack");
  // The old term's software was activated: it forbade the first term's refund, not the new one's.
  REQUIRE(outcome(s.runAs(s.globalAdmin, ActivateBenefit{s.benefitOf(packageId, Category::software, 1), "fr-FR", "x86",
                                                         {}})) == "accepted");
  const Time expiresAt = s.package(packageId).expiresAt;
  s.now = expiresAt;
  REQUIRE(outcome(s.run(ExpirePackage{packageId}, Actor::system())) == "accepted");
  // A catalog whose action pack now costs more: the renewal is bought at the new price.
  nlohmann::json document = s.world.catalog().document();
  for (auto& offer : document["packages"])
    if (offer["type"] == "action-pack") offer["price"] = "600.00";
  s.world.useCatalog(Catalog::fromJson(document));
  s.now = expiresAt + days{10};
  const Time renewedAt = s.now;
  REQUIRE(outcome(s.runAs(s.globalAdmin, RenewPackage{packageId})) == "accepted");

  const nlohmann::json view = toJson(s.package(packageId));
  CHECK(view["refundableUntil"] == formatTime(renewedAt + days{30}));
  CHECK(view["refundWindow"] == nlohmann::json{{"term", 2}, {"opensAt", formatTime(renewedAt)},
                                               {"until", formatTime(renewedAt + days{30})}});
  CHECK(view["price"] == "600.00");

  SECTION("one second past the renewal's 30 days is too late") {
    s.now = renewedAt + days{30} + std::chrono::seconds{1};
    const Decision late = s.runAs(s.globalAdmin, RequestCancellation{packageId, "x"});
    CHECK(outcome(late) == "refund-window-closed");
    CHECK(late.rejection->extra["refundableUntil"] == formatTime(renewedAt + days{30}));
  }
  SECTION("the new term's software activation forbids the refund") {
    REQUIRE(outcome(s.runAs(s.globalAdmin, ActivateBenefit{s.benefitOf(packageId, Category::software, 1), "fr-FR", "x86",
                                                           {}})) == "accepted");
    CHECK(outcome(s.runAs(s.globalAdmin, RequestCancellation{packageId, "x"})) == "software-benefit-activated");
  }
  SECTION("on the renewal's 30th day the refund is the renewal's price") {
    s.now = renewedAt + days{30};
    const Decision cancelled = s.runAs(s.globalAdmin, RequestCancellation{packageId, "x"});
    REQUIRE(outcome(cancelled) == "accepted");
    // Only the running term's software benefits are read (R-PKG-4's version check).
    const auto& current = s.package(packageId).currentTermBenefitIds;
    CHECK(cancelled.dependsOn.size() == 2);
    for (const StreamDependency& dependency : cancelled.dependsOn)
      CHECK(std::any_of(current.begin(), current.end(),
                        [&](const std::string& id) { return benefitStream(id) == dependency.streamId; }));
    REQUIRE(completeCancellation(s, packageId) == "accepted");
    REQUIRE(s.package(packageId).refund);
    CHECK(s.package(packageId).refund->amount == "600.00");
  }
}

TEST_CASE("R-PKG-6 the first term's view names term 1 and its purchase as the refund window's opening",
          "[workflows][package]") {
  Scenario s;
  const std::string packageId = s.purchase("gold-competency");
  const nlohmann::json view = toJson(s.package(packageId));
  CHECK(view["refundWindow"] ==
        nlohmann::json{{"term", 1}, {"opensAt", formatTime(s.now)}, {"until", formatTime(s.now + days{30})}});
}
