#include "engine/clock.h"

#include <string>

namespace benefitd::engine {

namespace {

constexpr std::string_view kClockKey = "clock/simulated";

store::KeyedWrite record(Time time) {
  return store::KeyedWrite::put(store::Table::checkpoints, std::string(kClockKey),
                                std::to_string(time.time_since_epoch().count()));
}

}  // namespace

Time SystemClock::now() const {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

store::Status SimulatedClock::open(store::EventStore& store, std::optional<Time> start,
                                   std::unique_ptr<SimulatedClock>* out) {
  std::optional<std::string> stored;
  if (store::Status status = store.get(store::Table::checkpoints, kClockKey, &stored);
      !status.is_ok()) {
    return status;
  }
  if (stored) {
    try {
      out->reset(new SimulatedClock(store, Time(std::chrono::seconds(std::stoll(*stored)))));
      return store::Status::ok();
    } catch (const std::exception&) {
      return store::Status::corruption("the simulated clock's record is not a number");
    }
  }
  const Time initial = start.value_or(SystemClock().now());
  store::WriteRequest request;
  request.writes.push_back(record(initial));
  if (store::Status status = store.append(std::move(request)).status; !status.is_ok()) {
    return status;
  }
  out->reset(new SimulatedClock(store, initial));
  return store::Status::ok();
}

Time SimulatedClock::now() const {
  std::lock_guard lock(mutex_);
  return now_;
}

store::Status SimulatedClock::advance_to(Time to) {
  std::lock_guard lock(mutex_);
  if (to <= now_) return store::Status::ok();
  store::WriteRequest request;
  request.writes.push_back(record(to));
  if (store::Status status = store_.append(std::move(request)).status; !status.is_ok()) {
    return status;
  }
  now_ = to;
  return store::Status::ok();
}

}  // namespace benefitd::engine
