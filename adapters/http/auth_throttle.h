#pragma once
// AuthThrottle: failed authentications counted per client address. After `max_failures` wrong
// bearer tokens from one address within `window`, that address is locked out for `lockout`:
// a token it has not used successfully before is answered 429 `too-many-requests` without
// being checked, so guessing learns nothing while locked. Tokens that authenticated from the
// address before keep working (only their SHA-256 is kept, at most `known_per_address`), so a
// guesser behind the same address (a NAT, a shared proxy) does not lock out its clients.
// At most `max_addresses` addresses are tracked; beyond that, addresses with no failure window,
// lockout or success within `window` are forgotten first, and a new address is not tracked
// while none is.
// Thread safety: every member function may be called from any thread.

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace benefitd::http {

struct AuthThrottleOptions {
  std::size_t max_failures = 10;
  std::chrono::seconds window{60};
  std::chrono::seconds lockout{60};
  std::size_t known_per_address = 16;
  std::size_t max_addresses = 10000;
};

class AuthThrottle {
 public:
  using Clock = std::chrono::steady_clock;

  explicit AuthThrottle(AuthThrottleOptions options = {}) : options_(options) {}

  /// Seconds to wait (for Retry-After) when `address` is locked out and `token` is not one it
  /// used successfully; nullopt when the token may be checked.
  std::optional<std::chrono::seconds> refusal(std::string_view address, std::string_view token,
                                              Clock::time_point now = Clock::now());
  /// A wrong token from `address`.
  void failed(std::string_view address, Clock::time_point now = Clock::now());
  /// `token` authenticated from `address`.
  void succeeded(std::string_view address, std::string_view token, Clock::time_point now = Clock::now());

 private:
  struct Address {
    Clock::time_point window_start, locked_until, last_success;
    std::size_t failures = 0;
    std::deque<std::string> known;  // token digests, the most recent last
  };

  bool idle(const Address& address, Clock::time_point now) const;
  /// The entry for `address`, made if there is room; nullptr if there is none.
  Address* track(std::string_view address, Clock::time_point now);

  const AuthThrottleOptions options_;
  std::mutex mutex_;
  std::unordered_map<std::string, Address> addresses_;
};

}  // namespace benefitd::http
