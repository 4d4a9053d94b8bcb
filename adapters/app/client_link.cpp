#include "adapters/app/client_link.h"

namespace benefitd::app {

void ClientLink::closed() {
  std::unique_lock lock(mutex_);
  gone_ = true;
  changed(std::move(lock));
}

void ClientLink::answers_held(std::size_t bytes, bool sending) {
  std::unique_lock lock(mutex_);
  if (held_ == bytes && sending_ == sending) return;
  held_ = bytes;
  sending_ = sending;
  changed(std::move(lock));
}

bool ClientLink::gone() const {
  std::lock_guard lock(mutex_);
  return gone_;
}

bool ClientLink::saturated() const {
  std::lock_guard lock(mutex_);
  return sending_ && held_ > budget_;
}

void ClientLink::on_change(std::function<void()> listener) {
  std::lock_guard lock(mutex_);
  listener_ = std::move(listener);
}

void ClientLink::changed(std::unique_lock<std::mutex> lock) {
  // The listener takes its owner's lock, which is held while this link is read: call it unlocked.
  const std::function<void()> listener = listener_;
  lock.unlock();
  if (listener) listener();
}

}  // namespace benefitd::app
