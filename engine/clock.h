#pragma once
// The engine's clock (R-ENG-8). Everything that needs "now" asks a Clock, never the system
// directly, so that tests and demos can run on simulated time.
// Thread safety: all methods are thread-safe.

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

#include "store/event_store.h"

namespace benefitd::engine {

using Time = std::chrono::sys_seconds;

class Clock {
 public:
  virtual ~Clock() = default;
  /// The current time, whole seconds, UTC.
  virtual Time now() const = 0;
  virtual bool is_simulated() const = 0;
};

/// The machine's UTC clock.
class SystemClock final : public Clock {
 public:
  Time now() const override;
  bool is_simulated() const override { return false; }
};

/// Time that stands still until it is moved. Its time is kept in the store (table
/// checkpoints), so a restarted engine continues from where it was.
class SimulatedClock final : public Clock {
 public:
  /// Opens the clock kept in `store`; a store without one starts at `start` (or the system
  /// time when absent), recorded durably.
  static store::Status open(store::EventStore& store, std::optional<Time> start,
                            std::unique_ptr<SimulatedClock>* out);

  Time now() const override;
  bool is_simulated() const override { return true; }

  /// Moves the clock to `to` (never backwards: an earlier time is ignored), durably.
  store::Status advance_to(Time to);

 private:
  SimulatedClock(store::EventStore& store, Time now) : store_(store), now_(now) {}

  store::EventStore& store_;
  mutable std::mutex mutex_;
  Time now_;
};

}  // namespace benefitd::engine
