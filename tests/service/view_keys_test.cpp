// Keys of the views table: numbers inside keys sort in numeric order.

#include <catch2/catch.hpp>

#include "adapters/app/view_keys.h"

using namespace benefitd;

TEST_CASE("numbers in view keys are 20 zero-padded digits, so key order is numeric order", "[views]") {
  CHECK(app::view_keys::padded(std::uint64_t{0}) == "00000000000000000000");
  CHECK(app::view_keys::padded(std::uint64_t{42}) == "00000000000000000042");
  CHECK(app::view_keys::padded(std::numeric_limits<std::uint64_t>::max()) == "18446744073709551615");
  CHECK(app::view_keys::padded(std::uint64_t{9}) < app::view_keys::padded(std::uint64_t{10}));
  CHECK(app::view_keys::log_entry("p", 7) == "partner-log/p/00000000000000000007");
  // Times before the epoch sort first rather than wrap around.
  CHECK(app::view_keys::padded(workflows::Time{} - std::chrono::seconds(1)) == app::view_keys::padded(std::uint64_t{0}));
}
