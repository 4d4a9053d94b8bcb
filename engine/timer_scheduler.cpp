#include "engine/timer_scheduler.h"

#include <future>

namespace benefitd::engine {

namespace {

// With nothing scheduled, the system-clock thread still looks again this often.
constexpr auto kIdleWait = std::chrono::minutes(1);
// After a failed firing (a store error), wait this long before trying again.
constexpr auto kRetryWait = std::chrono::seconds(1);

}  // namespace

TimerScheduler::TimerScheduler(store::EventStore& store, Clock& clock, Fire fire, const store::Lease& lease)
    : store_(store), clock_(clock), fire_(std::move(fire)), lease_(lease) {}

TimerScheduler::~TimerScheduler() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  for (Advance& pending : advances_) {
    pending.done(store::Status::io_error("the engine is stopping"), 0);
  }
}

void TimerScheduler::start() { thread_ = std::thread([this] { run(); }); }

void TimerScheduler::scheduled(Time) {
  // Waking costs one scan of the timers table's head, so any new timer simply wakes the thread.
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

void TimerScheduler::advance(Time to, Advanced done) {
  {
    std::lock_guard lock(mutex_);
    advances_.push_back({to, std::move(done)});
  }
  wake_.notify_all();
}

store::Status TimerScheduler::fire_due(Time up_to, std::size_t* fired) {
  *fired = 0;
  for (;;) {
    std::vector<Timer> due;
    if (store::Status status = due_timers(store_, up_to, 1, &due); !status.is_ok()) return status;
    if (due.empty()) return store::Status::ok();
    std::promise<store::Status> outcome;
    fire_(due.front(), [&outcome](store::Status status) { outcome.set_value(std::move(status)); });
    if (store::Status status = outcome.get_future().get(); !status.is_ok()) return status;
    ++*fired;
  }
}

void TimerScheduler::run() {
  for (;;) {
    std::optional<Advance> advance;
    {
      std::unique_lock lock(mutex_);
      if (stopping_) return;
      if (!advances_.empty()) {
        advance = std::move(advances_.front());
        advances_.pop_front();
      }
    }

    if (advance) {
      std::size_t fired = 0;
      store::Status status = fire_due(advance->to, &fired);
      auto* simulated = dynamic_cast<SimulatedClock*>(&clock_);
      if (status.is_ok() && simulated != nullptr) status = simulated->advance_to(advance->to);
      advance->done(std::move(status), fired);
      continue;
    }
    if (!lease_.held()) {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, store::kLeasePoll, [this] { return stopping_ || !advances_.empty(); });
      continue;
    }

    std::size_t fired = 0;
    const store::Status status = fire_due(clock_.now(), &fired);

    std::unique_lock lock(mutex_);
    if (stopping_) return;
    if (!advances_.empty() || woken_) {
      woken_ = false;
      continue;
    }
    if (!status.is_ok()) {
      wake_.wait_for(lock, kRetryWait);
      continue;
    }
    if (clock_.is_simulated()) {
      const auto woken = [this] { return stopping_ || woken_ || !advances_.empty(); };
      if (lease_.shared()) {
        wake_.wait_for(lock, store::kLeasePoll, woken);
      } else {
        wake_.wait(lock, woken);
      }
      woken_ = false;
      continue;
    }
    std::optional<Timer> next;
    lock.unlock();
    const bool known = next_timer(store_, &next).is_ok();
    lock.lock();
    if (woken_ || !advances_.empty() || stopping_) {
      woken_ = false;
      continue;
    }
    const auto wait = known && next ? std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                          next->due - clock_.now())
                                    : std::chrono::duration_cast<std::chrono::steady_clock::duration>(kIdleWait);
    const std::chrono::steady_clock::duration longest = lease_.shared() ? store::kLeasePoll : kIdleWait;
    wake_.wait_for(lock, std::min<std::chrono::steady_clock::duration>(
                             std::max<std::chrono::steady_clock::duration>(wait, std::chrono::milliseconds(1)), longest));
    woken_ = false;
  }
}

}  // namespace benefitd::engine
