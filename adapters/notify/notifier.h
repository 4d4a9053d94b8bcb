#pragma once
// Notifier: delivers the outbox (R-GTM-3). Notification rows are written to the store's outbox
// table in the same write as the events that cause them; the notifier hands each row to a
// sink and erases it only once the sink has it. A crash between the two delivers the row again,
// so delivery is at least once; every notification carries a unique id for receivers to drop
// duplicates.
// Thread safety: all public methods are thread-safe; the sink runs on the notifier's thread.

#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "store/event_store.h"

namespace benefitd::notify {

/// Takes one notification; false if it could not (it will be offered again later).
using Sink = std::function<bool(const nlohmann::json& notification)>;

class Notifier {
 public:
  Notifier(store::EventStore& store, Sink sink);
  ~Notifier();
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  /// Delivers whatever is in the outbox now and whenever woken, on a thread of its own.
  void start();
  /// Something was queued: deliver soon.
  void wake();
  /// Delivers every queued notification on the calling thread, oldest first.
  store::Status deliver_pending(std::size_t* delivered);

 private:
  void run();

  store::EventStore& store_;
  const Sink sink_;
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
