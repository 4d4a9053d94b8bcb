// Replay determinism: random but seeded command sequences, run the way the engine runs them
// (timers and fulfilment fired in due-time order), then every stream is replayed from its
// stored JSON through fresh machines and must give exactly the live views.
#include <catch2/catch.hpp>

#include <random>
#include <set>

#include "workflows/event_codec.h"
#include "world.h"

using namespace benefitd::workflows;
using namespace benefitd::workflows::testing;

namespace {

class Simulation {
 public:
  explicit Simulation(std::uint32_t seed) : rng_(seed) {}

  void run(int steps) {
    for (int i = 0; i < steps; ++i) step();
  }
  const World& world() const { return world_; }

 private:
  struct Due {
    Time at;
    std::uint64_t order;
    Command command;
  };

  template <class T>
  const T& pick(const std::vector<T>& items) {
    return items[std::uniform_int_distribution<std::size_t>{0, items.size() - 1}(rng_)];
  }
  bool chance(int percent) { return std::uniform_int_distribution<int>{1, 100}(rng_) <= percent; }

  void execute(const Command& command, const Actor& actor) {
    const Decision decision = world_.run(command, actor, now_);
    if (decision.refused()) return;
    for (const TimerEffect& timer : decision.timers) schedule(timer.dueAt, toCommand(timer.command));
    for (const FulfilmentRequestEffect& request : decision.fulfilmentRequests) answerLater(request);
    if (std::holds_alternative<RegisterPartner>(command)) partners_.push_back(decision.result["partnerId"]);
    if (std::holds_alternative<PurchasePackage>(command)) packages_.push_back(decision.result["packageId"]);
  }

  /// Every benefit of the partner's packages, as the service lists them for a removal.
  std::vector<std::string> benefitsOf(const std::string& partnerId) const {
    std::vector<std::string> benefitIds;
    for (const std::string& packageId : packages_) {
      const PackageView& package = world_.package(packageId)->view();
      if (package.partnerId == partnerId)
        benefitIds.insert(benefitIds.end(), package.benefitIds.begin(), package.benefitIds.end());
    }
    return benefitIds;
  }

  void schedule(Time at, Command command) { agenda_.push_back(Due{at, nextOrder_++, std::move(command)}); }

  /// The back office answers at expectedBy: mostly completes, sometimes rejects.
  void answerLater(const FulfilmentRequestEffect& request) {
    const std::string subject = request.subjectStream.substr(request.subjectStream.find('-') + 1);
    if (request.kind == kCancellationFulfilment) {
      schedule(request.expectedBy, CompleteCancellation{subject, request.requestId});
    } else if (chance(20)) {
      schedule(request.expectedBy, RejectFulfilment{subject, request.requestId, "back office refused"});
    } else {
      schedule(request.requestedAt + std::chrono::minutes{5}, AcceptFulfilment{subject, request.requestId, {}});
      schedule(request.expectedBy, CompleteFulfilment{subject, request.requestId, {}, {}});
    }
  }

  /// Moves the clock, firing everything due on the way in due-time order, stamped with its due time.
  void advance(std::chrono::seconds by) {
    const Time until = now_ + by;
    for (;;) {
      auto next = std::min_element(agenda_.begin(), agenda_.end(), [](const Due& a, const Due& b) {
        return a.at != b.at ? a.at < b.at : a.order < b.order;
      });
      if (next == agenda_.end() || next->at > until) break;
      Due due = *next;
      agenda_.erase(next);
      now_ = std::max(now_, due.at);
      // As the engine does, the release after a removal learns the partner's benefits when it fires.
      if (auto* release = std::get_if<ReleaseRemovedUserSeats>(&due.command))
        release->benefitIds = benefitsOf(release->partnerId);
      execute(due.command, Actor::system());
    }
    now_ = until;
  }

  Actor someone(const std::string& partnerId) {
    const PartnerView& partner = world_.partner(partnerId)->view();
    // Removals can leave a partner without users (its last global admin demoted itself first).
    if (partner.users.empty() || chance(10)) return Actor::operatorActor();
    const UserView& user = chance(50) ? partner.users.front() : pick(partner.users);
    return Actor::user(user.userId, partnerId, user.roles);
  }

  std::vector<Role> someRoles() {
    static const std::vector<Role> kAll{Role::globalAdmin, Role::userAdmin, Role::adminAgent, Role::mpnPartnerAdmin};
    std::vector<Role> roles;
    for (const Role role : kAll)
      if (chance(30)) roles.push_back(role);
    return roles;
  }

  std::string someUserOf(const std::string& partnerId) {
    const std::vector<UserView>& users = world_.partner(partnerId)->view().users;
    return users.empty() ? "user-gone" : pick(users).userId;
  }

  void step() {
    if (partners_.empty() || chance(3)) {
      const auto location = chance(40) ? MembershipLocation::pmc : MembershipLocation::partnerCenter;
      execute(RegisterPartner{"Partner", "account@p.example", location, "ga@p.example", "Admin"}, Actor::operatorActor());
      return;
    }
    const std::string partnerId = pick(partners_);
    const Actor actor = someone(partnerId);
    switch (std::uniform_int_distribution<int>{0, 14}(rng_)) {
      case 0: execute(MigratePartner{partnerId}, Actor::operatorActor()); return;
      case 1: execute(AddUser{partnerId, "u@p.example", "User", someRoles()}, actor); return;
      case 2: execute(ChangeUserRoles{partnerId, someUserOf(partnerId), someRoles()}, actor); return;
      case 3:
        execute(AssignMarketingContact{partnerId, someUserOf(partnerId), "mkt@p.example", "+1 555", "en-US"}, actor);
        return;
      case 4: {
        static const std::vector<std::string> kTypes{"action-pack", "silver-competency", "gold-competency"};
        execute(PurchasePackage{partnerId, pick(kTypes)}, actor);
        return;
      }
      case 5:
      case 6: advance(std::chrono::seconds{std::uniform_int_distribution<int>{0, 20 * 86400}(rng_)}); return;
      case 7: execute(RotateUserToken{partnerId, someUserOf(partnerId)}, actor); return;
      case 8:
        // Rarely, or the partners run out of the users that hold seats.
        if (chance(30)) execute(RemoveUser{partnerId, someUserOf(partnerId), benefitsOf(partnerId)}, actor);
        return;
      default: break;
    }
    if (packages_.empty()) return;
    const std::string packageId = pick(packages_);
    const PackageView& package = world_.package(packageId)->view();
    const Actor owner = someone(package.partnerId);
    if (chance(8)) {
      execute(RequestCancellation{packageId, "reason"}, owner);
      return;
    }
    if (chance(8)) {
      execute(RenewPackage{packageId}, owner);
      return;
    }
    const BenefitView& benefit = world_.benefit(pick(package.benefitIds))->view();
    const std::string& id = benefit.benefitId;
    const std::string user = someUserOf(package.partnerId);
    switch (benefit.category) {
      case Category::software:
        if (chance(50))
          execute(ActivateBenefit{id, pick(benefit.languages), pick(benefit.osTypes), {}}, owner);
        else
          execute(RevealKey{id, pick(benefit.languages), pick(benefit.osTypes)}, owner);
        return;
      case Category::cloud:
        execute(chance(50) ? Command{ActivateBenefit{id, {}, {}, {}}} : Command{RevealKey{id, {}, {}}}, owner);
        return;
      case Category::visualStudio:
        if (benefit.seats.empty() || chance(40))
          execute(benefit.status == "purchased" ? Command{ActivateBenefit{id, {}, {}, user}} : Command{AssignSeat{id, user}},
                  owner);
        else
          execute(ReassignSeat{id, pick(benefit.seats).seatId, user}, owner);
        return;
      case Category::technical: {
        static const std::vector<std::string> kTypes{"signature-cloud", "product-support", "presales-deployment"};
        static const std::vector<std::string> kFamilies{"on-premises", "azure", "cloud", "hybrid"};
        if (benefit.status == "purchased") {
          execute(ActivateBenefit{id, {}, {}, {}}, owner);
          return;
        }
        execute(OpenSupportRequest{id, pick(kTypes), pick(kFamilies), "help", std::uniform_int_distribution<int>{1, 6}(rng_),
                                   benefit.accessId, benefit.contractId},
                owner);
        return;
      }
      case Category::goToMarket: execute(ActivateBenefit{id, {}, {}, {}}, owner); return;
    }
  }

  std::mt19937 rng_;
  World world_;
  Time now_ = at("2026-01-05T09:00:00Z");
  std::vector<Due> agenda_;
  std::uint64_t nextOrder_ = 0;
  std::vector<std::string> partners_, packages_;
};

/// A user as rendered, plus its token generation, which views never show but tokens are checked against.
nlohmann::json userState(const UserView& user) {
  nlohmann::json state = toJson(user);
  state["tokenGeneration"] = user.tokenGeneration;
  return state;
}

/// A fresh aggregate of the stream's kind, replayed from the stored JSON, rendered as JSON.
nlohmann::json replayedView(const World& world, const std::string& streamId) {
  const std::vector<DomainEvent> events = world.streamEvents(streamId);
  const std::string prefix = streamId.substr(0, streamId.find('-'));
  if (prefix == "partner") {
    const Partner partner = replayPartner(events);
    nlohmann::json view = toJson(partner.view());
    for (const UserView& user : partner.view().users) view["users"].push_back(userState(user));
    return view;
  }
  if (prefix == "package") return toJson(replayPackage(events).view());
  return toJson(replayBenefit(events).view(), KeyVisibility::shown);
}

nlohmann::json liveView(const World& world, const std::string& streamId) {
  const std::string prefix = streamId.substr(0, streamId.find('-')), id = streamId.substr(streamId.find('-') + 1);
  if (prefix == "partner") {
    nlohmann::json view = toJson(world.partner(id)->view());
    for (const UserView& user : world.partner(id)->view().users) view["users"].push_back(userState(user));
    return view;
  }
  if (prefix == "package") return toJson(world.package(id)->view());
  return toJson(world.benefit(id)->view(), KeyVisibility::shown);
}

}  // namespace

TEST_CASE("replaying the emitted events reproduces every aggregate's state", "[workflows][replay]") {
  std::set<std::string> typesSeen;
  std::size_t events = 0;
  for (std::uint32_t seed = 1; seed <= 12; ++seed) {
    Simulation simulation{seed};
    simulation.run(400);
    for (const auto& [streamId, stored] : simulation.world().streams()) {
      INFO("seed " << seed << ", stream " << streamId);
      CHECK(replayedView(simulation.world(), streamId) == liveView(simulation.world(), streamId));
      for (const nlohmann::json& event : stored) typesSeen.insert(event["type"].get<std::string>());
      events += stored.size();
    }
  }
  // The sequences exercise the whole contract, so the comparison above means something.
  CHECK(events > 5000);
  const std::set<std::string> allTypes{
      "PartnerRegistered", "PartnerMigrated",      "UserAdded",          "UserRolesChanged",   "MarketingContactAssigned",
      "PackagePurchased",  "BenefitGranted",       "ActivationRequested", "FulfilmentAccepted", "FulfilmentRejected",
      "BenefitActivated",  "KeyRevealed",          "SeatAssigned",        "SeatReassigned",     "SupportRequestOpened",
      "CancellationRequested", "PackageCancelled", "RefundIssued",        "BenefitCancelled",   "BenefitExpired",
      "PackageExpired",    "PackageRenewed",       "PackageLapsed",       "NotificationQueued",
      "UserTokenRotated",  "UserRemoved",          "SeatReleased"};
  std::vector<std::string> missing;
  for (const std::string& type : allTypes)
    if (!typesSeen.count(type)) missing.push_back(type);
  CHECK(missing.empty());
}

TEST_CASE("the same seed gives the same event log", "[workflows][replay]") {
  Simulation first{42}, second{42};
  first.run(300);
  second.run(300);
  CHECK(first.world().streams() == second.world().streams());
  Simulation other{43};
  other.run(300);
  CHECK(first.world().streams() != other.world().streams());
}

TEST_CASE("an event of another aggregate or out of order is a replay error, not a crash", "[workflows][replay]") {
  const Time t = at("2026-01-05T09:00:00Z");
  Benefit benefit;
  CHECK_THROWS_WITH(benefit.apply(PackageExpired{"k-1", t}), Catch::Contains("not allowed in state 'none'"));
  CHECK_THROWS_AS(benefit.apply(BenefitActivated{"b-1", "r", t, t, {}, {}, {}}), ReplayError);
  CHECK(benefit.version() == 0);
  CHECK_FALSE(benefit.exists());
  Package package;
  CHECK_THROWS_AS(package.apply(PackageRenewed{"k-1", t, t, {}, {}}), ReplayError);
  Partner partner;
  CHECK_THROWS_AS(partner.apply(PartnerMigrated{"p-1", t}), ReplayError);
  partner.apply(PartnerRegistered{"p-1", "n", "a@b.example", MembershipLocation::partnerCenter, t});
  CHECK_THROWS_WITH(partner.apply(PartnerMigrated{"p-1", t}), Catch::Contains("'partner-center'"));
  CHECK(partner.version() == 1);
  CHECK(partner.exists());
}

TEST_CASE("aggregates are values: a copy evolves independently of its original", "[workflows][replay]") {
  const Time t = at("2026-01-05T09:00:00Z");
  Benefit original;
  original.apply(BenefitGranted{"b-1", "p-1", "k-1", "action-pack", Category::technical, "Technical support", "", 1, {}, {},
                                {"product-support"}, Balances{10, 0, 5}, t, t + days{365}});
  Benefit copy = original;
  copy.apply(ActivationRequested{"b-1", "r-1", t, {}, {}, {}});
  CHECK(original.view().status == "purchased");
  CHECK(copy.view().status == "activation-requested");
  Benefit assigned;
  assigned = copy;
  assigned.apply(FulfilmentAccepted{"b-1", "r-1", t, t});
  CHECK(copy.view().status == "activation-requested");
  CHECK(assigned.view().status == "pending");
  // The original's machine did not move either: it still accepts what only purchased accepts.
  CHECK_NOTHROW(original.apply(ActivationRequested{"b-1", "r-2", t, {}, {}, {}}));
  CHECK_THROWS_AS(copy.apply(ActivationRequested{"b-1", "r-2", t, {}, {}, {}}), ReplayError);
}
