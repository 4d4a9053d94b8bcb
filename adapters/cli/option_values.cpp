#include "adapters/cli/option_values.h"

#include <cctype>
#include <charconv>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace benefitd::cli {

namespace {

// CLI11's own number reading (strtoll with base 0) takes "010" as 8 and saturates on overflow,
// so whole numbers are read here with std::from_chars: decimal digits only, all of them.
std::optional<std::int64_t> decimal(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

/// A transform reading "N" or "N<unit>" into N times the unit's factor (`units` in lower case).
CLI::Validator with_units(std::map<std::string, std::int64_t> units, std::string name) {
  auto read = [units = std::move(units)](std::string& input) -> std::string {
    std::size_t digits_end = input.size();
    while (digits_end > 0 && std::isalpha(static_cast<unsigned char>(input[digits_end - 1]))) --digits_end;
    std::string unit = input.substr(digits_end);
    for (char& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::int64_t factor = 1;
    if (!unit.empty()) {
      const auto known = units.find(unit);
      if (known == units.end()) return "'" + input + "': unknown unit '" + unit + "'";
      factor = known->second;
    }
    const auto number = decimal(std::string_view(input).substr(0, digits_end));
    if (!number || *number < 0) return "'" + input + "' is not a whole number, optionally with a unit";
    if (*number > std::numeric_limits<std::int64_t>::max() / factor) return "'" + input + "' is too large";
    input = std::to_string(*number * factor);
    return {};
  };
  return CLI::Validator(std::move(read), "", std::move(name));
}

}  // namespace

CLI::Validator duration_in_seconds() {
  return with_units({{"s", 1}, {"m", 60}, {"h", 3600}, {"d", 86400}, {"w", 604800}}, "DURATION");
}

CLI::Validator duration_in_hours() { return with_units({{"h", 1}}, "HOURS"); }

CLI::Validator whole_number(std::int64_t min, std::int64_t max) {
  return CLI::Validator(
      [min, max](std::string& input) -> std::string {
        const auto value = decimal(input);
        if (!value) return "'" + input + "' is not a whole number";
        if (*value < min || *value > max)
          return input + " is out of range " + std::to_string(min) + ".." + std::to_string(max);
        return {};
      },
      "", "N");
}

}  // namespace benefitd::cli
