#pragma once
// FaultInjectingStore: an EventStore that forwards to another one until told to fail, as a
// full disk or a failing device would. A failed append reports an I/O error and writes
// nothing, exactly as RocksDbEventStore does when its WriteBatch is refused; a failed read
// reports an I/O error. A slow device holds each append for a while before it reaches the
// target (in the order queued). Faults are switched at any time from any thread.
//
// Thread safety: as EventStore; the switches are atomics.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include "store/event_store.h"

namespace benefitd::testing {

class FaultInjectingStore final : public store::EventStore {
 public:
  /// The switches, shared so a test keeps them after handing the store to its owner.
  struct Faults {
    std::atomic<bool> writes{false};
    std::atomic<bool> reads{false};
    std::atomic<int> appends_refused{0};
    std::atomic<int> append_delay_ms{0};
  };

  FaultInjectingStore(std::unique_ptr<store::EventStore> target, std::shared_ptr<Faults> faults)
      : target_(std::move(target)), faults_(std::move(faults)), forwarder_([this] { forward_delayed(); }) {}

  /// Forwards every delayed append before the target goes.
  ~FaultInjectingStore() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    forwarder_.join();
  }

  store::WriteHealth write_health() const override {
    if (!faults_->writes) return target_->write_health();
    store::WriteHealth health;
    health.fault = store::WriteHealth::Fault::write_failed;
    health.reason = "injected: no space left on device";
    return health;
  }

  void append_async(store::WriteRequest request, AppendCallback done) override {
    if (faults_->writes) {
      ++faults_->appends_refused;
      store::AppendResult result;
      result.status = store::Status::io_error("injected: no space left on device");
      done(std::move(result));
      return;
    }
    {
      std::lock_guard lock(mutex_);
      if (const int delay = faults_->append_delay_ms; delay > 0 || !delayed_.empty()) {
        delayed_.push_back({std::chrono::steady_clock::now() + std::chrono::milliseconds(delay),
                            std::move(request), std::move(done)});
        wake_.notify_all();
        return;
      }
    }
    target_->append_async(std::move(request), std::move(done));
  }

  store::Status read_stream(std::string_view stream, store::Version from, std::size_t max_count,
                            std::vector<store::RecordedEvent>* out) const override {
    if (faults_->reads) return read_failure();
    return target_->read_stream(stream, from, max_count, out);
  }

  store::Status read_all(store::Position from, std::size_t max_count,
                         std::vector<store::RecordedEvent>* out) const override {
    if (faults_->reads) return read_failure();
    return target_->read_all(from, max_count, out);
  }

  store::Status read_at(const std::vector<store::Position>& positions,
                        std::vector<store::RecordedEvent>* out) const override {
    if (faults_->reads) return read_failure();
    return target_->read_at(positions, out);
  }

  store::Status stream_version(std::string_view stream, store::Version* out) const override {
    if (faults_->reads) return read_failure();
    return target_->stream_version(stream, out);
  }

  store::Position last_position() const override { return target_->last_position(); }

  store::Status get(store::Table table, std::string_view key,
                    std::optional<std::string>* out) const override {
    if (faults_->reads) return read_failure();
    return target_->get(table, key, out);
  }

  store::Status scan(store::Table table, std::string_view from_key, std::string_view to_key,
                     std::size_t max_count, std::vector<store::KeyValue>* out) const override {
    if (faults_->reads) return read_failure();
    return target_->scan(table, from_key, to_key, max_count, out);
  }

  std::optional<std::size_t> row_count(store::Table table) const override { return target_->row_count(table); }

  void add_commit_observer(CommitObserver observer) override {
    target_->add_commit_observer(std::move(observer));
  }

 private:
  struct Delayed {
    std::chrono::steady_clock::time_point due;
    store::WriteRequest request;
    AppendCallback done;
  };

  void forward_delayed() {
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [this] { return stopping_ || !delayed_.empty(); });
      if (delayed_.empty()) return;
      if (!stopping_) wake_.wait_until(lock, delayed_.front().due, [this] { return stopping_; });
      Delayed next = std::move(delayed_.front());
      delayed_.pop_front();
      lock.unlock();
      target_->append_async(std::move(next.request), std::move(next.done));
      lock.lock();
    }
  }

  static store::Status read_failure() { return store::Status::io_error("injected: read failed"); }

  std::unique_ptr<store::EventStore> target_;
  std::shared_ptr<Faults> faults_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Delayed> delayed_;  // in the order queued
  bool stopping_ = false;
  std::thread forwarder_;  // last: starts once the rest is ready
};

}  // namespace benefitd::testing
