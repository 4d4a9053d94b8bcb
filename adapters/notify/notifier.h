#pragma once
// Notifier: delivers the outbox (R-GTM-3). Notification rows are written to the store's outbox
// table in the same write as the events that cause them; the notifier hands each row to a
// sink and erases it only once the sink has it. A crash between the two delivers the row again,
// so delivery is at least once; every notification carries a unique id for receivers to drop
// duplicates.
//
// Rows go out oldest first, one at a time. A failed attempt is retried after an exponential
// back-off with jitter (options.first_retry doubling up to options.max_retry, each wait drawn
// between half and all of that, so that many servers do not retry in step). After
// options.max_attempts failed attempts the row is parked: moved, in one write, from the outbox
// to the dead_letters table under the notification's id, as
//   {"notification": {...}, "outboxKey": "...", "attempts": N, "failedAt": "RFC 3339"}
// and the rows behind it go on. retry() puts a parked row back where it was in the outbox.
// Attempts are counted in memory: a restart gives the oldest row a fresh count.
//
// With several processes on one store, the notifier's thread delivers only while its process
// holds the lease (store/lease.h), looking again every store::kLeasePoll while it does not;
// holding a shared lease, it looks for notifications other processes queued as often.
//
// Thread safety: all public methods are thread-safe; the sink runs on the notifier's thread
// (or on the caller's, in deliver_pending), one delivery at a time.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <thread>

#include <nlohmann/json.hpp>

#include "store/event_store.h"
#include "store/lease.h"

namespace benefitd::notify {

/// Takes one notification; false if it could not (it will be offered again later).
using Sink = std::function<bool(const nlohmann::json& notification)>;

struct NotifierOptions {
  /// Attempts at one notification before it is parked in the dead letters (at least 1).
  std::uint32_t max_attempts = 10;
  std::chrono::milliseconds first_retry{200};
  std::chrono::milliseconds max_retry{std::chrono::seconds(30)};
};

class Notifier {
 public:
  /// `lease` must outlive the notifier.
  Notifier(store::EventStore& store, Sink sink, NotifierOptions options = {},
           const store::Lease& lease = store::sole_lease());
  ~Notifier();
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  /// Delivers whatever is in the outbox now and whenever woken, on a thread of its own.
  void start();
  /// Something was queued: deliver soon (unless a failed attempt is being waited out).
  void wake();
  /// Delivers every queued notification on the calling thread, oldest first, parking those
  /// that reach max_attempts; stops at the first failed attempt that does not.
  store::Status deliver_pending(std::size_t* delivered);
  /// Moves the parked notification `id` back to the outbox and wakes the delivery; `found`
  /// tells whether there was one.
  store::Status retry(std::string_view id, bool* found);
  /// Prometheus text: deliveries, failed attempts, parked and retried notifications, and how
  /// many are parked now.
  std::string metrics_text() const;

 private:
  void run();
  /// Moves the outbox row to the dead letters after `attempts` failed attempts.
  store::Status park(const store::KeyValue& row, const nlohmann::json& notification, std::uint32_t attempts);
  /// The wait before the next attempt at a row that failed `attempts` times, with jitter.
  std::chrono::milliseconds retry_delay(std::uint32_t attempts);

  store::EventStore& store_;
  const Sink sink_;
  const NotifierOptions options_;
  const store::Lease& lease_;

  std::mutex delivery_mutex_;  // one delivery pass at a time; guards the fields below it
  std::string head_key_;       // the outbox row being retried, if any
  std::uint32_t head_attempts_ = 0;
  std::mt19937_64 jitter_{std::random_device{}()};

  std::mutex retry_mutex_;  // one retry() at a time

  std::atomic<std::uint64_t> delivered_{0}, failed_attempts_{0}, parked_{0}, retried_{0};

  std::mutex mutex_;
  std::condition_variable wake_;
  bool woken_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

/// A sink appending each notification as one JSON line to `path`, fsync'd before it reports
/// success.
Sink spool_file_sink(std::filesystem::path path);

}  // namespace benefitd::notify
