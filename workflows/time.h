// Time in the domain: whole seconds since the Unix epoch, UTC. Time always comes in from the
// caller (the engine's clock); nothing here reads a clock. RFC 3339 text uses a trailing `Z`.
// Thread safety: pure functions, safe from any thread.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace benefitd::workflows {

using Time = std::chrono::sys_seconds;
using std::chrono::days;

/// "2026-01-05T09:00:00Z".
std::string formatTime(Time t);

/// Parses RFC 3339 UTC with a `Z` ("2026-01-05T09:00:00Z", fractional seconds dropped);
/// nullopt for anything else, including offsets other than Z and impossible dates.
std::optional<Time> parseTime(std::string_view text);

/// Moves forward `count` business days (Monday to Friday, UTC), keeping the time of day:
/// each day stepped onto counts only if it is a weekday, so Friday 10:00 + 1 = Monday 10:00
/// and Saturday 10:00 + 1 = Monday 10:00.
Time addBusinessDays(Time start, int count);

}  // namespace benefitd::workflows
