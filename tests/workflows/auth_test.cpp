// SPEC section 2: actors and roles, enforced by the domain.
#include <catch2/catch.hpp>

#include "workflows/event_codec.h"
#include "world.h"

using namespace benefitd::workflows;
using namespace benefitd::workflows::testing;

TEST_CASE("R-AUTH-1 any of the four roles may purchase or renew, global admin is not required", "[workflows][auth]") {
  Scenario s;
  for (const std::string& user : {s.globalAdmin, s.userAdmin, s.adminAgent, s.mpnAdmin})
    CHECK(outcome(s.runAs(user, PurchasePackage{s.partnerId, "action-pack"})) == "accepted");
  CHECK(outcome(s.runAs(s.employee, PurchasePackage{s.partnerId, "action-pack"})) == "forbidden");

  const std::string packageId = s.purchase("action-pack");
  s.now = s.package(packageId).expiresAt;
  CHECK(outcome(s.runAs(s.employee, RenewPackage{packageId})) == "forbidden");
  CHECK(outcome(s.runAs(s.adminAgent, RenewPackage{packageId})) == "accepted");
}

TEST_CASE("R-AUTH-2 global and user admins manage users, only a global admin grants or removes global-admin",
          "[workflows][auth]") {
  Scenario s;
  CHECK(outcome(s.runAs(s.userAdmin, AddUser{s.partnerId, "new@contoso.example", "New", {Role::adminAgent}})) == "accepted");
  CHECK(outcome(s.runAs(s.globalAdmin, AddUser{s.partnerId, "n2@contoso.example", "N2", {}})) == "accepted");
  CHECK(outcome(s.runAs(s.mpnAdmin, AddUser{s.partnerId, "n3@contoso.example", "N3", {}})) == "forbidden");
  CHECK(outcome(s.runAs(s.adminAgent, AddUser{s.partnerId, "n4@contoso.example", "N4", {}})) == "forbidden");
  CHECK(outcome(s.runAs(s.employee, AddUser{s.partnerId, "n5@contoso.example", "N5", {}})) == "forbidden");

  // Granting global-admin, at creation or later, and removing it: global admin only.
  CHECK(outcome(s.runAs(s.userAdmin, AddUser{s.partnerId, "boss@contoso.example", "Boss", {Role::globalAdmin}})) ==
        "forbidden");
  CHECK(outcome(s.runAs(s.userAdmin, ChangeUserRoles{s.partnerId, s.employee, {Role::globalAdmin}})) == "forbidden");
  CHECK(outcome(s.runAs(s.userAdmin, ChangeUserRoles{s.partnerId, s.globalAdmin, {Role::userAdmin}})) == "forbidden");
  CHECK(outcome(s.runAs(s.userAdmin, ChangeUserRoles{s.partnerId, s.employee, {Role::mpnPartnerAdmin}})) == "accepted");
  CHECK(s.partner().findUser(s.employee)->roles == std::vector<Role>{Role::mpnPartnerAdmin});
  CHECK(outcome(s.runAs(s.globalAdmin, ChangeUserRoles{s.partnerId, s.employee, {Role::globalAdmin}})) == "accepted");
  CHECK(outcome(s.runAs(s.globalAdmin, ChangeUserRoles{s.partnerId, s.employee, {}})) == "accepted");
  CHECK(s.partner().findUser(s.employee)->roles.empty());
  CHECK(outcome(s.runAs(s.globalAdmin, ChangeUserRoles{s.partnerId, "user-999", {}})) == "not-found");
}

TEST_CASE("R-AUTH-3 activation, keys and support requests need global-admin or mpn-partner-admin", "[workflows][auth]") {
  Scenario s;
  const std::string packageId = s.purchase("action-pack");
  const std::string software = s.benefitOf(packageId, Category::software);
  const ActivateBenefit activate{software, "en-US", "x64", {}};
  for (const std::string& user : {s.userAdmin, s.adminAgent, s.employee}) {
    CHECK(outcome(s.runAs(user, activate)) == "forbidden");
    CHECK(outcome(s.runAs(user, RevealKey{software, "en-US", "x64"})) == "forbidden");
  }
  CHECK(outcome(s.runAs(s.mpnAdmin, activate)) == "accepted");
  CHECK(outcome(s.runAs(s.globalAdmin, RevealKey{software, "de-DE", "x64"})) == "accepted");

  const std::string technical = s.benefitOf(packageId, Category::technical);
  REQUIRE(outcome(s.runAs(s.globalAdmin, ActivateBenefit{technical, {}, {}, {}})) == "accepted");
  REQUIRE(outcome(s.run(CompleteFulfilment{technical, *s.benefit(technical).openRequestId, {}, {}}, s.op())) == "accepted");
  const OpenSupportRequest support{technical, "product-support", "cloud", "VM will not start", {}, {}, {}};
  CHECK(outcome(s.runAs(s.userAdmin, support)) == "forbidden");
  CHECK(outcome(s.runAs(s.mpnAdmin, support)) == "accepted");

  CHECK(maySeeKeys(s.actor(s.mpnAdmin), s.partnerId));
  CHECK(maySeeKeys(s.actor(s.globalAdmin), s.partnerId));
  CHECK_FALSE(maySeeKeys(s.actor(s.userAdmin), s.partnerId));
  CHECK_FALSE(maySeeKeys(s.actor(s.employee), s.partnerId));
}

TEST_CASE("R-AUTH-4 only a global admin assigns Visual Studio seats", "[workflows][auth]") {
  Scenario s;
  const std::string vs = s.benefitOf(s.purchase("action-pack"), Category::visualStudio);
  for (const std::string& user : {s.mpnAdmin, s.userAdmin, s.adminAgent, s.employee})
    CHECK(outcome(s.runAs(user, ActivateBenefit{vs, {}, {}, s.employee})) == "forbidden");
  CHECK(outcome(s.runAs(s.globalAdmin, ActivateBenefit{vs, {}, {}, s.employee})) == "accepted");
  CHECK(outcome(s.runAs(s.mpnAdmin, AssignSeat{vs, s.mpnAdmin})) == "forbidden");
}

TEST_CASE("R-AUTH-5 marketing contact and Go-To-Market activation need global-admin or mpn-partner-admin",
          "[workflows][auth]") {
  Scenario s;
  const AssignMarketingContact contact{s.partnerId, s.employee, "mkt@contoso.example", "+1 425 555 0100", "en-US"};
  CHECK(outcome(s.runAs(s.userAdmin, contact)) == "forbidden");
  CHECK(outcome(s.runAs(s.adminAgent, contact)) == "forbidden");
  CHECK(outcome(s.runAs(s.mpnAdmin, contact)) == "accepted");
  const std::string offer = s.benefitOf(s.purchase("silver-competency"), Category::goToMarket);
  CHECK(outcome(s.runAs(s.userAdmin, ActivateBenefit{offer, {}, {}, {}})) == "forbidden");
  CHECK(outcome(s.runAs(s.employee, ActivateBenefit{offer, {}, {}, {}})) == "forbidden");
  CHECK(outcome(s.runAs(s.mpnAdmin, ActivateBenefit{offer, {}, {}, {}})) == "accepted");
}

TEST_CASE("R-AUTH-6 cancellation with refund needs global-admin or mpn-partner-admin", "[workflows][auth]") {
  Scenario s;
  const std::string packageId = s.purchase("action-pack");
  CHECK(outcome(s.runAs(s.userAdmin, RequestCancellation{packageId, "x"})) == "forbidden");
  CHECK(outcome(s.runAs(s.adminAgent, RequestCancellation{packageId, "x"})) == "forbidden");
  CHECK(outcome(s.runAs(s.employee, RequestCancellation{packageId, "x"})) == "forbidden");
  CHECK(outcome(s.runAs(s.mpnAdmin, RequestCancellation{packageId, "x"})) == "accepted");
}

TEST_CASE("R-AUTH-7 the partner's audit history needs global-admin or mpn-partner-admin", "[workflows][auth]") {
  Scenario s;
  CHECK_FALSE(authorize(s.actor(s.globalAdmin), s.partnerId, Permission::audit));
  CHECK_FALSE(authorize(s.actor(s.mpnAdmin), s.partnerId, Permission::audit));
  CHECK_FALSE(authorize(Actor::operatorActor(), s.partnerId, Permission::audit));
  CHECK(authorize(s.actor(s.userAdmin), s.partnerId, Permission::audit)->code == "forbidden");
  CHECK(authorize(s.actor(s.adminAgent), s.partnerId, Permission::audit)->code == "forbidden");
  CHECK(authorize(s.actor(s.employee), s.partnerId, Permission::audit)->code == "forbidden");
  CHECK(authorize(s.actor(s.globalAdmin), "partner-other", Permission::audit)->code == "not-found");
  // Viewing needs any of the four roles; an employee without roles sees nothing.
  CHECK_FALSE(authorize(s.actor(s.adminAgent), s.partnerId, Permission::view));
  CHECK(authorize(s.actor(s.employee), s.partnerId, Permission::view)->code == "forbidden");
}

TEST_CASE("R-AUTH-8 another partner's resources answer not-found, exactly like missing ones", "[workflows][auth]") {
  Scenario s;
  const std::string packageId = s.purchase("action-pack");
  const std::string software = s.benefitOf(packageId, Category::software);
  const Decision other = s.world.run(RegisterPartner{"Fabrikam", "account@fabrikam.example", MembershipLocation::partnerCenter,
                                                     "ga@fabrikam.example", "Fabrice"},
                                     s.op(), s.now);
  const Actor intruder = Actor::user(other.result["globalAdminUserId"], other.result["partnerId"], {Role::globalAdmin});

  const auto refused = [&](const Command& command) { return outcome(s.world.run(command, intruder, s.now)); };
  CHECK(refused(ActivateBenefit{software, "en-US", "x64", {}}) == "not-found");
  CHECK(refused(RevealKey{software, "en-US", "x64"}) == "not-found");
  CHECK(refused(RequestCancellation{packageId, "x"}) == "not-found");
  CHECK(refused(RenewPackage{packageId}) == "not-found");
  CHECK(refused(PurchasePackage{s.partnerId, "action-pack"}) == "not-found");
  CHECK(refused(AddUser{s.partnerId, "x@fabrikam.example", "X", {}}) == "not-found");
  CHECK(refused(AssignMarketingContact{s.partnerId, s.employee, "m@fabrikam.example", "1", "en"}) == "not-found");
  CHECK(authorize(intruder, s.partnerId, Permission::view)->code == "not-found");
  CHECK_FALSE(maySeeKeys(intruder, s.partnerId));

  // The same answer as for resources that do not exist.
  CHECK(refused(ActivateBenefit{"benefit-404", "en-US", "x64", {}}) == "not-found");
  CHECK(refused(RequestCancellation{"package-404", "x"}) == "not-found");
  CHECK(refused(AddUser{"partner-404", "x@fabrikam.example", "X", {}}) == "not-found");
  CHECK(s.benefit(software).status == "purchased");
}

TEST_CASE("R-AUTH-9 the event log never holds a token", "[workflows][auth]") {
  Scenario s;
  s.purchase("action-pack");
  std::size_t checked = 0;
  for (const auto& [stream, events] : s.world.streams())
    for (const nlohmann::json& event : events) {
      ++checked;
      CHECK(event.dump().find("token") == std::string::npos);
      CHECK(event.dump().find("Token") == std::string::npos);
    }
  CHECK(checked > 10);
  // User creation events carry exactly the user's public fields.
  const nlohmann::json added = encodeEventData(UserAdded{"p", "u", "e@x.example", "E", {}, s.now});
  std::vector<std::string> keys;
  for (const auto& [key, value] : added.items()) keys.push_back(key);
  CHECK(keys == std::vector<std::string>{"addedAt", "displayName", "email", "partnerId", "roles", "userId"});
}

TEST_CASE("R-AUTH-10 a token is rotated by the user itself, a user admin or a global admin, a global admin's by a global admin",
          "[workflows][auth][R-AUTH-10]") {
  Scenario s;
  const Decision own = s.runAs(s.employee, RotateUserToken{s.partnerId, s.employee});  // no role needed
  CHECK(eventTypes(own) == std::vector<std::string>{"UserTokenRotated"});
  CHECK(s.partner().findUser(s.employee)->tokenGeneration == 1);
  CHECK(own.result["tokenGeneration"] == 1);
  CHECK(outcome(s.runAs(s.userAdmin, RotateUserToken{s.partnerId, s.employee})) == "accepted");
  CHECK(s.partner().findUser(s.employee)->tokenGeneration == 2);

  CHECK(outcome(s.runAs(s.mpnAdmin, RotateUserToken{s.partnerId, s.employee})) == "forbidden");
  CHECK(outcome(s.runAs(s.employee, RotateUserToken{s.partnerId, s.adminAgent})) == "forbidden");
  // Whoever is shown the new token acts as its user: a user admin cannot take a global admin's.
  CHECK(outcome(s.runAs(s.userAdmin, RotateUserToken{s.partnerId, s.globalAdmin})) == "forbidden");
  CHECK(outcome(s.runAs(s.globalAdmin, RotateUserToken{s.partnerId, s.globalAdmin})) == "accepted");
  CHECK(outcome(s.run(RotateUserToken{s.partnerId, s.userAdmin}, s.op())) == "accepted");
  CHECK(outcome(s.runAs(s.globalAdmin, RotateUserToken{s.partnerId, "user-404"})) == "not-found");

  // The log never holds a token (R-AUTH-9): the event carries the generation only.
  for (const nlohmann::json& event : s.world.streams().at(partnerStream(s.partnerId)))
    if (event["type"] == "UserTokenRotated")
      CHECK(event["data"].size() == 4);  // partnerId, userId, generation, rotatedAt
}

TEST_CASE("R-AUTH-10 a user is removed by a user admin or global admin, a global admin by a global admin, never the last",
          "[workflows][auth][R-AUTH-10]") {
  Scenario s;
  CHECK(outcome(s.runAs(s.mpnAdmin, RemoveUser{s.partnerId, s.employee, {}})) == "forbidden");
  CHECK(outcome(s.runAs(s.employee, RemoveUser{s.partnerId, s.adminAgent, {}})) == "forbidden");
  const Decision removed = s.runAs(s.userAdmin, RemoveUser{s.partnerId, s.adminAgent, {}});
  CHECK(eventTypes(removed) == std::vector<std::string>{"UserRemoved"});
  CHECK(s.partner().findUser(s.adminAgent) == nullptr);
  CHECK(outcome(s.runAs(s.userAdmin, RemoveUser{s.partnerId, s.adminAgent, {}})) == "not-found");

  const Decision last = s.runAs(s.globalAdmin, RemoveUser{s.partnerId, s.globalAdmin, {}});
  CHECK(outcome(last) == "last-global-admin");
  CHECK(outcome(s.run(RemoveUser{s.partnerId, s.globalAdmin, {}}, s.op())) == "last-global-admin");

  const std::string second = s.addUser("second@contoso.example", {Role::globalAdmin});
  CHECK(outcome(s.runAs(s.userAdmin, RemoveUser{s.partnerId, second, {}})) == "forbidden");
  CHECK(outcome(s.runAs(second, RemoveUser{s.partnerId, s.globalAdmin, {}})) == "accepted");
  CHECK(s.partner().globalAdminCount() == 1);
  // The marketing contact is a user of the partner (R-PART-3): another one is chosen first.
  REQUIRE(outcome(s.runAs(second, AssignMarketingContact{s.partnerId, s.employee, "mkt@contoso.example", "+1 555",
                                                         "en-US"})) == "accepted");
  CHECK(outcome(s.runAs(second, RemoveUser{s.partnerId, s.employee, {}})) == "user-is-marketing-contact");
  REQUIRE(outcome(s.runAs(second, AssignMarketingContact{s.partnerId, s.mpnAdmin, "mkt@contoso.example", "+1 555",
                                                         "en-US"})) == "accepted");
  CHECK(outcome(s.runAs(second, RemoveUser{s.partnerId, s.employee, {}})) == "accepted");
  // Another partner's user is not found (R-AUTH-8).
  const Actor stranger = Actor::user("user-elsewhere", "partner-elsewhere", {Role::globalAdmin});
  CHECK(outcome(s.run(RemoveUser{s.partnerId, s.userAdmin, {}}, stranger)) == "not-found");
  CHECK(outcome(s.run(RotateUserToken{s.partnerId, s.userAdmin}, stranger)) == "not-found");
}

TEST_CASE("R-AUTH-10 removing a user releases its seats on active Visual Studio benefits, in the same decision",
          "[workflows][auth][R-AUTH-10]") {
  Scenario s;
  const std::string package = s.purchase("action-pack");
  const std::string vs = s.benefitOf(package, Category::visualStudio);
  REQUIRE(outcome(s.runAs(s.globalAdmin, ActivateBenefit{vs, {}, {}, s.employee})) == "accepted");
  REQUIRE(outcome(s.runAs(s.globalAdmin, AssignSeat{vs, s.mpnAdmin})) == "accepted");
  const std::string seat = s.benefit(vs).findSeatOf(s.employee)->seatId;

  const std::vector<std::string> benefits = s.package(package).benefitIds;
  const Decision removed = s.runAs(s.globalAdmin, RemoveUser{s.partnerId, s.employee, benefits});
  CHECK(eventTypes(removed) == std::vector<std::string>{"SeatReleased", "UserRemoved"});
  CHECK(s.benefit(vs).findSeatOf(s.employee) == nullptr);
  CHECK(s.benefit(vs).seats.size() == 1);
  CHECK(s.benefit(vs).status == "active");
  const auto released = s.world.streams().at(benefitStream(vs)).back();
  CHECK(released["type"] == "SeatReleased");
  CHECK(released["data"]["seatId"] == seat);
  CHECK(released["data"]["userId"] == s.employee);
  // The freed seat can be given to someone else at once.
  CHECK(outcome(s.runAs(s.globalAdmin, AssignSeat{vs, s.adminAgent})) == "accepted");
  // A removed user cannot be given a seat (R-VS-1).
  CHECK(outcome(s.runAs(s.globalAdmin, AssignSeat{vs, s.employee})) == "unknown-user");

  // A benefit the removal read but did not write is a dependency: a seat assigned meanwhile
  // makes the removal decide again.
  const Decision decided = s.world.decideOnly(RemoveUser{s.partnerId, s.userAdmin, benefits}, s.actor(s.globalAdmin), s.now);
  bool dependsOnSeats = false;
  for (const StreamDependency& dependency : decided.dependsOn) dependsOnSeats |= dependency.streamId == benefitStream(vs);
  CHECK(dependsOnSeats);
}

TEST_CASE("R-AUTH-10 a seat given to a removed user on a benefit the removal could not list is released by its timer",
          "[workflows][auth][R-AUTH-10]") {
  Scenario s;
  const std::string known = s.purchase("action-pack");
  const std::vector<std::string> listed = s.package(known).benefitIds;  // what the views showed the removal
  // Bought and given to the user while the removal ran, too late to be listed.
  const std::string late = s.purchase("action-pack");
  const std::string vs = s.benefitOf(late, Category::visualStudio);
  REQUIRE(outcome(s.runAs(s.globalAdmin, ActivateBenefit{vs, {}, {}, s.employee})) == "accepted");

  const Decision removed = s.runAs(s.globalAdmin, RemoveUser{s.partnerId, s.employee, listed});
  REQUIRE(outcome(removed) == "accepted");
  CHECK(s.benefit(vs).findSeatOf(s.employee) != nullptr);
  REQUIRE(removed.timers.size() == 1);
  CHECK(removed.timers[0].dueAt == s.now);
  auto release = std::get<ReleaseRemovedUserSeats>(toCommand(removed.timers[0].command));
  CHECK(release.userId == s.employee);
  // The engine fills in every benefit the views list by the time the timer fires.
  release.benefitIds = listed;
  const std::vector<std::string> lateBenefits = s.package(late).benefitIds;
  release.benefitIds.insert(release.benefitIds.end(), lateBenefits.begin(), lateBenefits.end());

  CHECK(outcome(s.runAs(s.globalAdmin, release)) == "forbidden");  // the engine's, not a user's
  const Decision released = s.run(release, Actor::system());
  CHECK(eventTypes(released) == std::vector<std::string>{"SeatReleased"});
  CHECK(s.benefit(vs).seats.empty());
  CHECK(s.benefit(vs).status == "active");
  CHECK(eventTypes(s.run(release, Actor::system())).empty());  // firing again changes nothing
  // Only a removed user's seats are released this way.
  CHECK(outcome(s.run(ReleaseRemovedUserSeats{s.partnerId, s.mpnAdmin, release.benefitIds}, Actor::system())) ==
        "invalid-transition");
}

TEST_CASE("R-AUTH-10 a seat decided before a removal and stored after it is refused, as it depends on the partner",
          "[workflows][auth][R-AUTH-10]") {
  Scenario s;
  const std::string package = s.purchase("action-pack");
  const std::string vs = s.benefitOf(package, Category::visualStudio);
  REQUIRE(outcome(s.runAs(s.globalAdmin, ActivateBenefit{vs, {}, {}, s.mpnAdmin})) == "accepted");
  const Decision seat = s.world.decideOnly(AssignSeat{vs, s.employee}, s.actor(s.globalAdmin), s.now);
  REQUIRE(outcome(seat) == "accepted");
  REQUIRE(outcome(s.runAs(s.globalAdmin, RemoveUser{s.partnerId, s.employee, s.package(package).benefitIds})) ==
          "accepted");
  CHECK_FALSE(s.world.append(seat));
  CHECK(s.benefit(vs).findSeatOf(s.employee) == nullptr);
}

TEST_CASE("R-AUTH-10 the release timer a removal sets is stored as JSON and read back", "[workflows][auth][R-AUTH-10]") {
  const TimerEffect timer = timerFor(ReleaseRemovedUserSeats{"partner-1", "user-7", {"b-1"}}, at("2026-01-05T09:00:00Z"));
  const nlohmann::json stored = encodeTimerCommand(timer.command);
  CHECK(stored == nlohmann::json{{"command", "release-removed-user-seats"}, {"partnerId", "partner-1"}, {"userId", "user-7"}});
  const auto read = std::get<ReleaseRemovedUserSeats>(decodeTimerCommand(stored));
  CHECK(read.partnerId == "partner-1");
  CHECK(read.userId == "user-7");
  CHECK(read.benefitIds.empty());  // listed afresh when it fires
  CHECK(timer.timerId == "release-removed-user-seats:user-7:2026-01-05T09:00:00Z");
  CHECK_THROWS_WITH(decodeTimerCommand({{"command", "release-removed-user-seats"}, {"partnerId", "partner-1"}}),
                    Catch::Contains("userId"));
}
