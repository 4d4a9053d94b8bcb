// The benefit aggregate (stream benefit-<id>): a Boost.MSM machine for the lifecycle
//   purchased -> activation-requested -> pending -> active -> expired | cancelled
// shared by every category, plus the category rules its guards consult. State is rebuilt by
// applying the stream's events to a fresh Benefit; commands are decided through decide.h.
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

class BenefitDecider;

class Benefit {
 public:
  Benefit();
  ~Benefit();
  Benefit(const Benefit& other);
  Benefit& operator=(const Benefit& other);
  Benefit(Benefit&& other) noexcept;
  Benefit& operator=(Benefit&& other) noexcept;

  /// Applies the next event of the stream; throws ReplayError if the machine does not allow
  /// it in the current state (or it is not a benefit event). The version counts the events.
  void apply(const DomainEvent& event);
  /// The current view; `status` is the machine's state name ("none" before BenefitGranted).
  const BenefitView& view() const;
  std::uint64_t version() const;
  bool exists() const;

  /// Runs the decider's command through a copy of the machine: guards consult the decider's
  /// rules, actions make it emit events. Used by the deciding code; state is unchanged.
  void decide(BenefitDecider& decider) const;

  /// The benefit a replay of its stream up to `view.version` gives, from that view (a snapshot,
  /// workflows/snapshot_codec.h): the machine is driven through its own transitions to the state
  /// `view.status` names, and `view` becomes the view. Nothing if no path leads there.
  static std::optional<Benefit> restore(BenefitView view);

 private:
  struct Machine;
  std::unique_ptr<Machine> machine_;
};

/// A fresh Benefit with every event applied in order.
Benefit replayBenefit(const std::vector<DomainEvent>& events);

}  // namespace benefitd::workflows
