#include "adapters/http/auth_throttle.h"

#include <algorithm>

#include "store/event.h"
#include "store/sha256.h"

namespace benefitd::http {

namespace {

std::string digest(std::string_view token) { return store::to_hex(store::sha256(token)); }

}  // namespace

bool AuthThrottle::idle(const Address& address, Clock::time_point now) const {
  return now >= address.locked_until && now - address.window_start >= options_.window &&
         now - address.last_success >= options_.window;
}

AuthThrottle::Address* AuthThrottle::track(std::string_view address, Clock::time_point now) {
  if (auto found = addresses_.find(std::string(address)); found != addresses_.end()) return &found->second;
  if (addresses_.size() >= options_.max_addresses) {
    std::erase_if(addresses_, [&](const auto& entry) { return idle(entry.second, now); });
    if (addresses_.size() >= options_.max_addresses) return nullptr;
  }
  Address& entry = addresses_[std::string(address)];
  entry.window_start = now;
  return &entry;
}

std::optional<std::chrono::seconds> AuthThrottle::refusal(std::string_view address, std::string_view token,
                                                          Clock::time_point now) {
  std::lock_guard lock(mutex_);
  const auto found = addresses_.find(std::string(address));
  if (found == addresses_.end() || now >= found->second.locked_until) return std::nullopt;
  const Address& entry = found->second;
  if (std::find(entry.known.begin(), entry.known.end(), digest(token)) != entry.known.end()) return std::nullopt;
  // Rounded up, so that a client that waits as told is let through.
  return std::chrono::ceil<std::chrono::seconds>(entry.locked_until - now);
}

void AuthThrottle::failed(std::string_view address, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  Address* entry = track(address, now);
  if (entry == nullptr) return;
  if (now - entry->window_start >= options_.window) {
    entry->window_start = now;
    entry->failures = 0;
  }
  if (++entry->failures >= options_.max_failures) entry->locked_until = now + options_.lockout;
}

void AuthThrottle::succeeded(std::string_view address, std::string_view token, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  Address* entry = track(address, now);
  if (entry == nullptr) return;
  entry->last_success = now;
  std::deque<std::string>& known = entry->known;
  const std::string key = digest(token);
  if (std::find(known.begin(), known.end(), key) != known.end()) return;
  known.push_back(key);
  if (known.size() > options_.known_per_address) known.pop_front();
}

}  // namespace benefitd::http
