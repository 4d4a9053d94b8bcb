#include "world.h"

#include <catch2/catch.hpp>

#include "workflows/event_codec.h"

namespace benefitd::workflows::testing {

std::string SequentialIds::newId(IdKind kind) {
  static const char* const kNames[] = {"partner", "user", "package", "benefit", "seat", "support", "request", "note"};
  return std::string{kNames[static_cast<int>(kind)]} + "-" + std::to_string(++counter_);
}

std::string SequentialIds::productKey() {
  char digits[26];
  std::snprintf(digits, sizeof digits, "%025d", ++counter_);
  std::string key;
  for (int i = 0; i < 25; ++i) {
    if (i > 0 && i % 5 == 0) key += '-';
    key += digits[i];
  }
  return key;
}

Time at(const char* rfc3339) {
  const auto time = parseTime(rfc3339);
  REQUIRE(time);
  return *time;
}

const Catalog& defaultCatalog() {
  static const Catalog catalog = Catalog::fromFile(BENEFITD_CATALOG_SOURCE_PATH);
  return catalog;
}

const Partner* World::partner(const std::string& id) const {
  const auto it = partners_.find(id);
  return it == partners_.end() ? nullptr : &it->second;
}
const Package* World::package(const std::string& id) const {
  const auto it = packages_.find(id);
  return it == packages_.end() ? nullptr : &it->second;
}
const Benefit* World::benefit(const std::string& id) const {
  const auto it = benefits_.find(id);
  return it == benefits_.end() ? nullptr : &it->second;
}

std::uint64_t World::versionOf(const std::string& streamId) const {
  const auto it = streams_.find(streamId);
  return it == streams_.end() ? 0 : it->second.size();
}

std::vector<DomainEvent> World::streamEvents(const std::string& streamId) const {
  std::vector<DomainEvent> events;
  const auto it = streams_.find(streamId);
  if (it != streams_.end())
    for (const nlohmann::json& stored : it->second) events.push_back(decodeEvent(stored));
  return events;
}

void World::applyTo(const std::string& streamId, const DomainEvent& event) {
  const auto dash = streamId.find('-');
  const std::string prefix = streamId.substr(0, dash), id = streamId.substr(dash + 1);
  if (prefix == "partner") partners_[id].apply(event);
  else if (prefix == "package") packages_[id].apply(event);
  else benefits_[id].apply(event);
}

Decision World::decideOnly(const Command& command, const Actor& actor, Time now) {
  return decide(command, CommandContext{actor, now, catalog_, *this, ids_});
}

bool World::append(const Decision& decision) {
  for (const StreamAppend& append : decision.appends)
    if (versionOf(append.streamId) != append.expectedVersion) return false;
  for (const StreamDependency& dependency : decision.dependsOn)
    if (versionOf(dependency.streamId) != dependency.version) return false;
  for (const StreamAppend& append : decision.appends)
    for (const DomainEvent& event : append.events) {
      // Stored as JSON and read back, as the store does.
      const nlohmann::json stored = encodeEvent(event);
      streams_[append.streamId].push_back(stored);
      applyTo(append.streamId, decodeEvent(stored));
    }
  return true;
}

Decision World::run(const Command& command, const Actor& actor, Time now) {
  Decision decision = decideOnly(command, actor, now);
  if (!decision.refused()) REQUIRE(append(decision));
  return decision;
}

Scenario::Scenario(MembershipLocation location) {
  const Decision registered =
      world.run(RegisterPartner{"Contoso", "account@contoso.example", location, "ga@contoso.example", "Gloria Admin"},
                Actor::operatorActor(), now);
  REQUIRE(outcome(registered) == "accepted");
  partnerId = registered.result["partnerId"];
  globalAdmin = registered.result["globalAdminUserId"];
  userAdmin = addUser("ua@contoso.example", {Role::userAdmin});
  adminAgent = addUser("agent@contoso.example", {Role::adminAgent});
  mpnAdmin = addUser("mpn@contoso.example", {Role::mpnPartnerAdmin});
  employee = addUser("dev@contoso.example", {});
}

std::string Scenario::addUser(const std::string& email, std::vector<Role> roles) {
  const Decision added = world.run(AddUser{partnerId, email, "Someone", std::move(roles)}, op(), now);
  REQUIRE(outcome(added) == "accepted");
  return added.result["userId"];
}

Actor Scenario::actor(const std::string& userId) const {
  const UserView* user = partner().findUser(userId);
  REQUIRE(user);
  return Actor::user(userId, partnerId, user->roles);
}

std::string Scenario::purchase(const std::string& type) {
  const Decision bought = runAs(globalAdmin, PurchasePackage{partnerId, type});
  REQUIRE(outcome(bought) == "accepted");
  return bought.result["packageId"];
}

std::string Scenario::benefitOf(const std::string& packageId, Category category, int nth) const {
  for (const std::string& id : package(packageId).currentTermBenefitIds)
    if (benefit(id).category == category && nth-- == 0) return id;
  FAIL("no such benefit");
  return {};
}

void Scenario::assignMarketingContact() {
  REQUIRE(outcome(runAs(globalAdmin, AssignMarketingContact{partnerId, mpnAdmin, "marketing@contoso.example",
                                                            "+1 425 555 0100", "en-US"})) == "accepted");
}

std::string outcome(const Decision& decision) { return decision.refused() ? decision.rejection->code : "accepted"; }

std::vector<std::string> eventTypes(const Decision& decision) {
  std::vector<std::string> types;
  for (const StreamAppend& append : decision.appends)
    for (const DomainEvent& event : append.events) types.emplace_back(eventType(event));
  return types;
}

}  // namespace benefitd::workflows::testing
