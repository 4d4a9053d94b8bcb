#pragma once
// Filler rows for the benchmarks that write without the product's code: JSON text that
// compresses about as much as the product's rows. Shared by the benchmark programs.

#include <cstdint>
#include <cstdio>
#include <string>

namespace benefitd::bench {

/// JSON text of about `bytes` bytes (at least a few dozen), half field names and half hex
/// digits drawn from `seed`, so that rows written with different seeds differ.
inline std::string json_text(std::size_t bytes, std::uint64_t seed) {
  std::string text = "{";
  while (text.size() + 40 < bytes) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    char digits[17];
    std::snprintf(digits, sizeof digits, "%016llx", static_cast<unsigned long long>(seed));
    text += R"("fieldNameOfSomeLength":")" + std::string(digits) + R"(",)";
  }
  text += R"("end":true})";
  return text;
}

}  // namespace benefitd::bench
