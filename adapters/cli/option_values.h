#pragma once
// CLI11 validators for benefitctl's numeric options. Every number is read strictly: "1.9"
// where a whole number is asked, or "3x" where a duration is asked, is a usage error, never a
// silently truncated value. Durations are a whole number with at most one unit.
// Thread safety: the validators are values; use them from the thread that parses.

#include <cstdint>

#include <CLI/CLI.hpp>

namespace benefitd::cli {

/// Seconds, named DURATION in help: "90", "90s", "15m", "2h", "3d" or "1w" (units in either
/// case); the option's value becomes the number of seconds, "259200" for "3d". Negative
/// values are refused.
CLI::Validator duration_in_seconds();

/// Hours, named HOURS in help: "2" or "2h"; the value becomes the whole number of hours.
CLI::Validator duration_in_hours();

/// A whole number in [min, max], named N in help; "1.9" and "12abc" are refused.
CLI::Validator whole_number(std::int64_t min, std::int64_t max);

}  // namespace benefitd::cli
