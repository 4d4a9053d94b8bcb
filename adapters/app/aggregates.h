#pragma once
// The domain's three aggregates loaded from their streams through the engine's repositories,
// starting from their snapshots in the views where there are some, and the AggregateSource a
// decision reads them through.
// Thread safety: Aggregates is thread-safe; a DecisionSource serves one decision on one thread.

#include <map>
#include <memory>
#include <string>

#include "engine/aggregate_repository.h"
#include "store/event_store.h"
#include "workflows/aggregate_source.h"
#include "workflows/benefit.h"
#include "workflows/package.h"
#include "workflows/partner.h"

namespace benefitd::app {

class Aggregates {
 public:
  /// Whether a load that finds nothing cached starts from the stream's snapshot.
  enum class Snapshots { read, ignored };

  /// Each kind keeps up to `capacity` aggregates.
  explicit Aggregates(const store::EventStore& store,
                      std::size_t capacity = engine::kDefaultAggregateCacheCapacity,
                      Snapshots snapshots = Snapshots::read);

  engine::AggregateRepository<workflows::Partner>& partners() { return partners_; }
  engine::AggregateRepository<workflows::Package>& packages() { return packages_; }
  engine::AggregateRepository<workflows::Benefit>& benefits() { return benefits_; }

 private:
  engine::AggregateRepository<workflows::Partner> partners_;
  engine::AggregateRepository<workflows::Package> packages_;
  engine::AggregateRepository<workflows::Benefit> benefits_;
};

/// Thrown when an aggregate cannot be loaded (a store failure or an undecodable stream);
/// the command fails as unavailable and changes nothing.
class LoadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Loads each aggregate at most once per decision, so that the decision sees one state of it.
class DecisionSource final : public workflows::AggregateSource {
 public:
  explicit DecisionSource(Aggregates& aggregates) : aggregates_(aggregates) {}

  const workflows::Partner* partner(const std::string& partnerId) const override;
  const workflows::Package* package(const std::string& packageId) const override;
  const workflows::Benefit* benefit(const std::string& benefitId) const override;

  /// The version of an existing stream as this decision sees it (0 if it has no events).
  std::uint64_t version_of(const std::string& stream) const;

  /// The state of a stream as this decision sees it (loaded now if the decision did not read
  /// it), existing or not: what the views of the decision's events start from.
  std::shared_ptr<const workflows::Partner> partner_state(const std::string& stream) const;
  std::shared_ptr<const workflows::Package> package_state(const std::string& stream) const;
  std::shared_ptr<const workflows::Benefit> benefit_state(const std::string& stream) const;

 private:
  template <class Aggregate>
  const std::shared_ptr<const Aggregate>& load(engine::AggregateRepository<Aggregate>& repository,
                                               const std::string& stream,
                                               std::map<std::string, std::shared_ptr<const Aggregate>>& loaded) const;
  template <class Aggregate>
  static const Aggregate* existing(const std::shared_ptr<const Aggregate>& state) {
    return state->exists() ? state.get() : nullptr;
  }

  Aggregates& aggregates_;
  mutable std::map<std::string, std::shared_ptr<const workflows::Partner>> partners_;
  mutable std::map<std::string, std::shared_ptr<const workflows::Package>> packages_;
  mutable std::map<std::string, std::shared_ptr<const workflows::Benefit>> benefits_;
};

}  // namespace benefitd::app
