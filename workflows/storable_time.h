// R-ENG-11: every time the engine stores lies within years 0001..9999, the range RFC 3339 text
// (and so the event decoder) can carry. A decision whose times would leave it, the times the
// rules derive from them included (refund and renewal windows, a seat's reassignment date,
// timers), is refused before anything is written: a stored time that cannot be read back
// would keep the engine from opening its own log.
// Thread safety: pure functions, safe from any thread.
#pragma once

#include <optional>
#include <string>

#include "workflows/decision.h"
#include "workflows/time.h"

namespace benefitd::workflows {

/// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
Time earliestStorableTime();
Time latestStorableTime();
bool isStorable(Time t);

/// Why `decision` cannot be stored (its first time outside the range, in words), or nullopt.
std::optional<std::string> unstorableTime(const Decision& decision);

}  // namespace benefitd::workflows
