// AuthThrottle on its own, with the time given: the lockout starts at the tenth failure within
// the window, ends after the lockout, spares tokens that worked from the address, and is per
// address (docs/reliability.md, "Unlimited guessing").
#include <catch2/catch.hpp>

#include "adapters/http/auth_throttle.h"

namespace benefitd::http {
namespace {

using std::chrono::seconds;
using Clock = AuthThrottle::Clock;

TEST_CASE("Unlimited guessing: the throttle locks an address out at the tenth failure within a minute, for a minute",
          "[http][hostile]") {
  AuthThrottle throttle;
  const Clock::time_point start = Clock::now();
  throttle.succeeded("10.0.0.1", "valid-token", start);
  for (int failure = 1; failure <= 9; ++failure) throttle.failed("10.0.0.1", start + seconds(failure));
  CHECK_FALSE(throttle.refusal("10.0.0.1", "guess", start + seconds(9)));

  throttle.failed("10.0.0.1", start + seconds(10));
  const auto wait = throttle.refusal("10.0.0.1", "guess", start + seconds(10));
  REQUIRE(wait);
  CHECK(*wait == seconds(60));
  CHECK(throttle.refusal("10.0.0.1", "another-guess", start + seconds(40)) == seconds(30));
  // A token that worked from the address is still checked; other addresses are not affected.
  CHECK_FALSE(throttle.refusal("10.0.0.1", "valid-token", start + seconds(40)));
  CHECK_FALSE(throttle.refusal("10.0.0.2", "guess", start + seconds(40)));
  // The lockout ends.
  CHECK_FALSE(throttle.refusal("10.0.0.1", "guess", start + seconds(70)));
}

TEST_CASE("Unlimited guessing: failures spread wider than the window never lock an address out", "[http][hostile]") {
  AuthThrottle throttle;
  const Clock::time_point start = Clock::now();
  for (int failure = 0; failure < 30; ++failure) {
    const Clock::time_point at = start + seconds(7 * failure);  // about 8 a minute
    throttle.failed("10.0.0.1", at);
    CAPTURE(failure);
    CHECK_FALSE(throttle.refusal("10.0.0.1", "guess", at));
  }
}

TEST_CASE("Unlimited guessing: a full throttle forgets idle addresses first and keeps counting busy ones",
          "[http][hostile]") {
  AuthThrottleOptions options;
  options.max_addresses = 2;
  AuthThrottle throttle(options);
  const Clock::time_point start = Clock::now();
  throttle.failed("10.0.0.1", start);
  for (int failure = 0; failure < 10; ++failure) throttle.failed("10.0.0.2", start + seconds(100));
  // 10.0.0.1 has been idle for over a window: it makes room for a third address.
  for (int failure = 0; failure < 10; ++failure) throttle.failed("10.0.0.3", start + seconds(110));
  CHECK(throttle.refusal("10.0.0.3", "guess", start + seconds(110)));
  CHECK(throttle.refusal("10.0.0.2", "guess", start + seconds(110)));
}

}  // namespace
}  // namespace benefitd::http
