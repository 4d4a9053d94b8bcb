// Test support: an in-memory world that plays the engine's part mechanically. It decides a
// command, checks expected versions and dependencies like the store would, appends the
// events (through the JSON codec, as the store holds them) and applies them to aggregates.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "workflows/decide.h"

namespace benefitd::workflows::testing {

/// Deterministic ids: "<kind>-<n>", keys derived from a counter.
class SequentialIds : public IdSource {
 public:
  std::string newId(IdKind kind) override;
  std::string productKey() override;
  std::string accessId() override { return "ACCESS-" + std::to_string(++counter_); }
  std::string contractId() override { return "CONTRACT-" + std::to_string(++counter_); }

 private:
  int counter_ = 0;
};

Time at(const char* rfc3339);
const Catalog& defaultCatalog();

class World : public AggregateSource {
 public:
  World() = default;
  explicit World(Catalog catalog) : catalog_(std::move(catalog)) {}

  /// Decides and, when accepted, appends and applies. Fails the test if the decision
  /// violates expected versions or dependencies (it cannot: nothing else runs).
  Decision run(const Command& command, const Actor& actor, Time now);
  /// Decides only, changing nothing.
  Decision decideOnly(const Command& command, const Actor& actor, Time now);
  /// Appends a decision made earlier; false (and nothing changed) if a version moved since.
  bool append(const Decision& decision);

  const Partner* partner(const std::string& partnerId) const override;
  const Package* package(const std::string& packageId) const override;
  const Benefit* benefit(const std::string& benefitId) const override;

  const std::map<std::string, std::vector<nlohmann::json>>& streams() const { return streams_; }
  std::vector<DomainEvent> streamEvents(const std::string& streamId) const;
  const Catalog& catalog() const { return catalog_; }
  /// Decides from now on with `catalog`, as a server restarted with another --catalog does.
  void useCatalog(Catalog catalog) { catalog_ = std::move(catalog); }
  SequentialIds& ids() { return ids_; }

 private:
  void applyTo(const std::string& streamId, const DomainEvent& event);
  std::uint64_t versionOf(const std::string& streamId) const;

  Catalog catalog_ = defaultCatalog();
  SequentialIds ids_;
  std::map<std::string, std::vector<nlohmann::json>> streams_;
  std::map<std::string, Partner> partners_;
  std::map<std::string, Package> packages_;
  std::map<std::string, Benefit> benefits_;
};

/// A registered partner in partner-center with one user per role and an employee.
struct Scenario {
  World world;
  Time now = at("2026-01-05T09:00:00Z");  // a Monday
  std::string partnerId, globalAdmin, userAdmin, adminAgent, mpnAdmin, employee;

  explicit Scenario(MembershipLocation location = MembershipLocation::partnerCenter);

  Actor actor(const std::string& userId) const;
  Actor op() const { return Actor::operatorActor(); }
  Decision run(const Command& command, const Actor& actor) { return world.run(command, actor, now); }
  Decision runAs(const std::string& userId, const Command& command) { return world.run(command, actor(userId), now); }
  /// Decides as the global admin without appending.
  Decision decideOnly(const Command& command) { return world.decideOnly(command, actor(globalAdmin), now); }
  /// Purchases a package as the global admin; returns its id.
  std::string purchase(const std::string& type);
  /// The n-th benefit of a category in a package (catalog order).
  std::string benefitOf(const std::string& packageId, Category category, int nth = 0) const;
  const BenefitView& benefit(const std::string& benefitId) const { return world.benefit(benefitId)->view(); }
  const PackageView& package(const std::string& packageId) const { return world.package(packageId)->view(); }
  const PartnerView& partner() const { return world.partner(partnerId)->view(); }
  std::string addUser(const std::string& email, std::vector<Role> roles);
  void assignMarketingContact();
};

/// The code of a refused decision, or "accepted".
std::string outcome(const Decision& decision);
/// Event type names of a decision, in append order.
std::vector<std::string> eventTypes(const Decision& decision);

}  // namespace benefitd::workflows::testing
