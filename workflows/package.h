// The package aggregate (stream package-<id>): a Boost.MSM machine over the package states
// active, cancellation-requested, cancelled, expired, lapsed (SPEC section 4); renewal starts
// a new term from active or expired.
// Thread safety: not thread-safe; one thread at a time per instance. Copies are independent;
// a moved-from instance may only be assigned to or destroyed.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "workflows/events.h"
#include "workflows/replay_error.h"
#include "workflows/views.h"

namespace benefitd::workflows {

class PackageDecider;

class Package {
 public:
  Package();
  ~Package();
  Package(const Package& other);
  Package& operator=(const Package& other);
  Package(Package&& other) noexcept;
  Package& operator=(Package&& other) noexcept;

  /// Applies the next event of the stream; throws ReplayError if the machine does not allow it.
  void apply(const DomainEvent& event);
  /// status is the machine's state name ("none" before PackagePurchased).
  const PackageView& view() const;
  std::uint64_t version() const;
  bool exists() const;

  /// Runs the decider's command through a copy of the machine (see Benefit::decide).
  void decide(PackageDecider& decider) const;

  /// The package a replay of its stream up to `view.version` gives, from that view (a snapshot,
  /// workflows/snapshot_codec.h): the machine is driven through its own transitions to the state
  /// `view.status` names, and `view` becomes the view. Nothing if no path leads there.
  static std::optional<Package> restore(PackageView view);

 private:
  struct Machine;
  std::unique_ptr<Machine> machine_;
};

Package replayPackage(const std::vector<DomainEvent>& events);

}  // namespace benefitd::workflows
