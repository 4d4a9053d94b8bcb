// How a decision reads the aggregates it needs besides its target: the engine implements this
// over its aggregate cache (replaying streams on a miss). Every read is recorded in the
// decision as a dependency or an expected version, so the engine can append atomically.
// Thread safety: used by one decision at a time; returned pointers stay valid for it.
#pragma once

#include <string>

#include "workflows/benefit.h"
#include "workflows/package.h"
#include "workflows/partner.h"

namespace benefitd::workflows {

class AggregateSource {
 public:
  virtual ~AggregateSource() = default;
  /// nullptr when the stream has no events (the aggregate does not exist).
  virtual const Partner* partner(const std::string& partnerId) const = 0;
  virtual const Package* package(const std::string& packageId) const = 0;
  virtual const Benefit* benefit(const std::string& benefitId) const = 0;
};

}  // namespace benefitd::workflows
