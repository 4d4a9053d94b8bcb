// The partner aggregate (stream partner-<id>): a Boost.MSM machine whose states are the
// membership location (pmc -> partner-center, one-way, R-PART-2), holding the users and
// their roles and the marketing contact (R-PART-1, R-PART-3).
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

class PartnerDecider;

class Partner {
 public:
  Partner();
  ~Partner();
  Partner(const Partner& other);
  Partner& operator=(const Partner& other);
  Partner(Partner&& other) noexcept;
  Partner& operator=(Partner&& other) noexcept;

  /// Applies the next event of the stream; throws ReplayError if the machine does not allow it.
  void apply(const DomainEvent& event);
  /// membershipLocation is the machine's state name ("none" before PartnerRegistered).
  const PartnerView& view() const;
  std::uint64_t version() const;
  bool exists() const;

  /// Runs the decider's command through a copy of the machine (see Benefit::decide).
  void decide(PartnerDecider& decider) const;

  /// The partner a replay of its stream up to `view.version` gives, from that view (a snapshot,
  /// workflows/snapshot_codec.h): the machine is driven through its own transitions to the state
  /// `view.membershipLocation` names, and `view` becomes the view. Nothing if no path leads there.
  static std::optional<Partner> restore(PartnerView view);

 private:
  struct Machine;
  std::unique_ptr<Machine> machine_;
};

Partner replayPartner(const std::vector<DomainEvent>& events);

}  // namespace benefitd::workflows
