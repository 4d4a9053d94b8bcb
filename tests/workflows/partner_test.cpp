// SPEC section 3: partner and membership location.
#include <catch2/catch.hpp>

#include "world.h"

using namespace benefitd::workflows;
using namespace benefitd::workflows::testing;

TEST_CASE("R-PART-1 a partner has a name, account email, location, users and at most one marketing contact",
          "[workflows][partner]") {
  Scenario s;
  const nlohmann::json view = toJson(s.partner());
  CHECK(view["name"] == "Contoso");
  CHECK(view["accountEmail"] == "account@contoso.example");
  CHECK(view["membershipLocation"] == "partner-center");
  CHECK(view["marketingContact"].is_null());
  CHECK(view["version"] == 6);
  CHECK(s.partner().users.size() == 5);
  CHECK(s.partner().findUser(s.globalAdmin)->roles == std::vector<Role>{Role::globalAdmin});
  CHECK(toJson(*s.partner().findUser(s.mpnAdmin))["roles"] == nlohmann::json::array({"mpn-partner-admin"}));

  s.assignMarketingContact();
  REQUIRE(outcome(s.runAs(s.globalAdmin, AssignMarketingContact{s.partnerId, s.employee, "dev.mkt@contoso.example",
                                                                "+48 22 555 0100", "pl-PL"})) == "accepted");
  const nlohmann::json contact = toJson(s.partner())["marketingContact"];
  CHECK(contact["userId"] == s.employee);
  CHECK(contact["email"] == "dev.mkt@contoso.example");
  CHECK(contact["phone"] == "+48 22 555 0100");
  CHECK(contact["preferredLanguage"] == "pl-PL");

  CHECK(outcome(s.run(RegisterPartner{"", "a@b.example", MembershipLocation::pmc, "c@d.example", "C"}, s.op())) ==
        "invalid-request");
  CHECK(outcome(s.run(RegisterPartner{"X", "not-an-email", MembershipLocation::pmc, "c@d.example", "C"}, s.op())) ==
        "invalid-request");
  CHECK(outcome(s.runAs(s.globalAdmin, RegisterPartner{"X", "a@b.example", MembershipLocation::pmc, "c@d.example", "C"})) ==
        "forbidden");
}

TEST_CASE("R-PART-2 while in PMC every benefit command is refused, reads work, migration is one-way",
          "[workflows][partner]") {
  Scenario s{MembershipLocation::pmc};
  CHECK(s.partner().membershipLocation == "pmc");
  const Decision purchase = s.runAs(s.globalAdmin, PurchasePackage{s.partnerId, "action-pack"});
  CHECK(outcome(purchase) == "membership-in-pmc");
  CHECK_THAT(purchase.rejection->detail, Catch::Contains("Partner Membership Center"));
  CHECK(outcome(s.runAs(s.globalAdmin, AssignMarketingContact{s.partnerId, s.employee, "m@contoso.example", "1", "en-US"})) ==
        "membership-in-pmc");
  // Managing users is not a benefit command, and reads still work.
  CHECK(outcome(s.runAs(s.globalAdmin, AddUser{s.partnerId, "x@contoso.example", "X", {}})) == "accepted");
  CHECK(toJson(s.partner())["membershipLocation"] == "pmc");

  SECTION("benefit commands on a PMC partner's benefits; technical ones point to Partner Frontline") {
    World& w = s.world;
    Benefit technical;
    technical.apply(BenefitGranted{"b-t", s.partnerId, "k-1", "action-pack", Category::technical, "Technical support", "", 1,
                                   {}, {}, {"product-support"}, Balances{10, 0, 5}, s.now, s.now + days{365}});
    Package package;
    package.apply(PackagePurchased{"k-1", s.partnerId, "action-pack", "530.00", 365, s.now, s.now + days{365}, {"b-t"}});
    struct Source : AggregateSource {
      const Partner* p;
      const Package* k;
      const Benefit* b;
      const Partner* partner(const std::string&) const override { return p; }
      const Package* package(const std::string&) const override { return k; }
      const Benefit* benefit(const std::string&) const override { return b; }
    } source;
    source.p = w.partner(s.partnerId);
    source.k = &package;
    source.b = &technical;
    const Actor admin = s.actor(s.globalAdmin);
    const auto run = [&](const Command& command) {
      return decide(command, CommandContext{admin, s.now, w.catalog(), source, w.ids()});
    };
    const Decision activation = run(ActivateBenefit{"b-t", {}, {}, {}});
    CHECK(outcome(activation) == "membership-in-pmc");
    CHECK_THAT(activation.rejection->detail, Catch::Contains("Partner Frontline"));
    CHECK(outcome(run(OpenSupportRequest{"b-t", "product-support", "cloud", "x", {}, {}, {}})) == "membership-in-pmc");
    CHECK(outcome(run(RequestCancellation{"k-1", "x"})) == "membership-in-pmc");
    CHECK(outcome(run(RenewPackage{"k-1"})) == "membership-in-pmc");
    CHECK(outcome(run(AssignSeat{"b-t", s.employee})) == "membership-in-pmc");
    CHECK(outcome(run(RevealKey{"b-t", "en-US", "x64"})) == "membership-in-pmc");
  }

  CHECK(outcome(s.runAs(s.globalAdmin, MigratePartner{s.partnerId})) == "forbidden");
  REQUIRE(outcome(s.run(MigratePartner{s.partnerId}, s.op())) == "accepted");
  CHECK(s.partner().membershipLocation == "partner-center");
  const Decision again = s.run(MigratePartner{s.partnerId}, s.op());
  CHECK(outcome(again) == "invalid-transition");
  CHECK(again.rejection->extra["currentStatus"] == "partner-center");
  CHECK(outcome(s.runAs(s.globalAdmin, PurchasePackage{s.partnerId, "action-pack"})) == "accepted");
}

TEST_CASE("R-PART-3 the marketing contact is a user with a different email, a phone and a BCP 47 language",
          "[workflows][partner]") {
  Scenario s;
  const auto assign = [&](std::string userId, std::string email, std::string phone, std::string language) {
    return outcome(s.runAs(s.globalAdmin, AssignMarketingContact{s.partnerId, std::move(userId), std::move(email),
                                                                 std::move(phone), std::move(language)}));
  };
  CHECK(assign("user-999", "m@contoso.example", "1", "en-US") == "unknown-user");
  CHECK(assign(s.employee, "account@contoso.example", "1", "en-US") == "marketing-email-same-as-account");
  CHECK(assign(s.employee, "ACCOUNT@Contoso.Example", "1", "en-US") == "marketing-email-same-as-account");
  CHECK(assign(s.employee, "m@contoso.example", "", "en-US") == "invalid-request");
  CHECK(assign(s.employee, "m@contoso.example", "1", "English please") == "invalid-request");
  CHECK(assign(s.employee, "not-an-email", "1", "en-US") == "invalid-request");
  CHECK_FALSE(s.partner().marketingContact);
  CHECK(assign(s.employee, "account2@contoso.example", "+1 425", "en") == "accepted");
  CHECK(assign(s.mpnAdmin, "m@contoso.example", "+1 425", "zh-Hant-TW") == "accepted");  // replaces
  CHECK(s.partner().marketingContact->userId == s.mpnAdmin);
  CHECK(s.partner().marketingContact->preferredLanguage == "zh-Hant-TW");
}
