// Thrown when an event cannot be applied to an aggregate: the stream is corrupt or belongs
// to another aggregate. Replaying valid streams never throws.
// Thread safety: an exception value.
#pragma once

#include <stdexcept>

namespace benefitd::workflows {

class ReplayError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace benefitd::workflows
