#pragma once
// The timer check (R-LIFE-5, R-LIFE-6, R-ENG-8) over the mirrored log: every package and
// benefit has at most one expiry per term (BenefitExpired, PackageExpired, PackageLapsed),
// stamped with its due time; and once the clock has passed a due time, the expiry is there.
// Thread safety: pure function.

#include <cstddef>

#include "tests/reliability/log_mirror.h"
#include "workflows/time.h"

namespace benefitd::reliability {

struct ExpiryTally {
  std::size_t benefits_expired = 0, packages_expired = 0, packages_lapsed = 0;
  std::size_t still_running = 0;  // packages and benefits whose due time is after `now`
};

/// Throws CheckFailed on a timer that fired twice, fired at the wrong time, or is overdue at
/// `now` (the server's clock, after every timer due up to it has fired).
ExpiryTally check_expiries(const LogMirror& log, workflows::Time now);

}  // namespace benefitd::reliability
