#pragma once
// TimerScheduler: fires durable timers (engine/timers.h) in due-time order on a thread of its
// own (R-LIFE-6, R-ENG-8).
//
// On the system clock it sleeps until the next timer is due (or until woken because an earlier
// one was scheduled). On a simulated clock it fires only when asked to advance: every timer due
// up to the new time fires, timers scheduled by those firings included, before the clock moves.
// Timers that fell due while the engine was stopped fire at start. The owner's Fire handler
// runs the timer's effects as of its due time and erases the timer in the same write, so each
// timer fires once.
//
// With several processes on one store, the system-clock thread fires timers only while its
// process holds the lease (store/lease.h) and looks again every store::kLeasePoll while it
// does not; holding a shared lease, it also looks for timers other processes scheduled every
// kLeasePoll. Advances of a simulated clock fire whatever the lease: they are asked for.
//
// Thread safety: all public methods are thread-safe.

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "engine/clock.h"
#include "engine/timers.h"
#include "store/event_store.h"
#include "store/lease.h"

namespace benefitd::engine {

class TimerScheduler {
 public:
  /// Runs `timer`'s effects (stamped with timer.due) and erases it in the same write; calls
  /// `done` once that write is durable (or failed). Runs on the scheduler's thread.
  using Fire = std::function<void(const Timer& timer, std::function<void(store::Status)> done)>;
  /// The outcome of an advance: how many timers fired, or the failure that stopped it.
  using Advanced = std::function<void(store::Status status, std::size_t fired)>;

  /// `lease` must outlive the scheduler.
  TimerScheduler(store::EventStore& store, Clock& clock, Fire fire,
                 const store::Lease& lease = store::sole_lease());
  ~TimerScheduler();
  TimerScheduler(const TimerScheduler&) = delete;
  TimerScheduler& operator=(const TimerScheduler&) = delete;

  /// Starts the thread; it first fires every timer already due (once it holds the lease).
  void start();
  /// A timer was scheduled at `due`: wake up if it is earlier than what the thread waits for.
  void scheduled(Time due);
  /// Simulated clock only: fires every timer due up to `to`, moves the clock there, then calls
  /// `done` (on the scheduler's thread).
  void advance(Time to, Advanced done);

  /// Fires, on the calling thread, every timer due up to `up_to`. For start-up and tests.
  store::Status fire_due(Time up_to, std::size_t* fired);

 private:
  struct Advance {
    Time to;
    Advanced done;
  };

  void run();

  store::EventStore& store_;
  Clock& clock_;
  const Fire fire_;
  const store::Lease& lease_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Advance> advances_;
  bool woken_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace benefitd::engine
