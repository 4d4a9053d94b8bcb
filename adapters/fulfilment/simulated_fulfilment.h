#pragma once
// The simulated fulfilment back office (R-LIFE-3, R-LIFE-4): it accepts every request at once
// and completes it when the catalog's processing time is over. It works through durable
// timers scheduled in the same write as the request, so a stop or a crash delays the work but
// never loses it. (The external back office is the operator's fulfilment endpoints, which need
// nothing here.)
// Thread safety: pure functions.

#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/timers.h"
#include "workflows/commands.h"
#include "workflows/decision.h"

namespace benefitd::fulfilment {

/// The timers that carry out `request`: accept now, complete at its expectedBy (a
/// cancellation service request has no acceptance step).
std::vector<engine::Timer> simulated_timers(const workflows::FulfilmentRequestEffect& request);

/// The command a timer of simulated_timers stands for, or nullopt if `payload` is not one.
std::optional<workflows::Command> command_of(const nlohmann::json& payload);

}  // namespace benefitd::fulfilment
