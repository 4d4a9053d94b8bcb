#pragma once
// PeriodicTask: runs a task on a thread of its own every `period` until destroyed (first run
// after one period). For housekeeping such as expiring idempotency records.
// Thread safety: construct and destroy from one thread; the task runs on the task's thread.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace benefitd::engine {

class PeriodicTask {
 public:
  PeriodicTask(std::chrono::steady_clock::duration period, std::function<void()> task)
      : period_(period), task_(std::move(task)), thread_([this] { run(); }) {}

  ~PeriodicTask() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

 private:
  void run() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, period_, [this] { return stopping_; })) {
      lock.unlock();
      task_();
      lock.lock();
    }
  }

  const std::chrono::steady_clock::duration period_;
  const std::function<void()> task_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the rest exists
};

}  // namespace benefitd::engine
