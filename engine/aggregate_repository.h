#pragma once
// AggregateRepository: loads an aggregate by applying its stream's events to a fresh state,
// keeping recently loaded ones so that the next load reads only the events appended since.
// Generic over the aggregate type: the owner says how an event applies, and may say how to
// read a stream's snapshot (its state as of some version, stored with the events): a load that
// finds nothing cached then starts from the snapshot and applies only the events after it.
//
// Cached states are shared and immutable: a load that finds newer events applies them to a
// copy. A full cache is dropped and refills on demand (disk still has every event).
// Thread safety: all methods are thread-safe; `apply` runs outside the lock.

#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/event_store.h"

namespace benefitd::engine {

/// How many aggregates a repository keeps unless told otherwise.
inline constexpr std::size_t kDefaultAggregateCacheCapacity = 200'000;

template <class Aggregate>
class AggregateRepository {
 public:
  /// Applies one stored event; throws (any std::exception) if the event cannot be applied,
  /// which the load reports as corruption.
  using Apply = std::function<void(Aggregate&, const store::RecordedEvent&)>;

  struct Loaded {
    std::shared_ptr<const Aggregate> state;  // never null after a successful load
    store::Version version = 0;              // 0: the stream has no events
  };

  /// The latest snapshot of `stream` into `out`, or a null state when it has none that can be
  /// used (a snapshot that does not decode is replaced by a replay, not an error). A failing
  /// read is an error.
  using ReadSnapshot = std::function<store::Status(const std::string& stream, Loaded* out)>;

  AggregateRepository(const store::EventStore& store, Apply apply,
                      std::size_t capacity = kDefaultAggregateCacheCapacity, ReadSnapshot read_snapshot = {})
      : store_(store), apply_(std::move(apply)), capacity_(capacity), read_snapshot_(std::move(read_snapshot)) {}

  /// The aggregate with the events of `stream` up to version `up_to` applied.
  store::Status load(const std::string& stream, Loaded* out,
                     store::Version up_to = std::numeric_limits<store::Version>::max()) {
    Loaded base = cached(stream);
    if (base.version > up_to) base = Loaded{};
    bool from_snapshot = false;
    if (!base.state && read_snapshot_) {
      Loaded snapshot;
      if (store::Status status = read_snapshot_(stream, &snapshot); !status.is_ok()) return status;
      from_snapshot = snapshot.state && snapshot.version <= up_to;
      if (from_snapshot) base = std::move(snapshot);
    }
    if (base.state && base.version < up_to) {
      // A head lookup is a point read; reading the stream needs an iterator over every level
      // of the store. Most loads of a cached aggregate, or of a snapshot written with the
      // stream's last events, find nothing newer.
      store::Version head = 0;
      if (store::Status status = store_.stream_version(stream, &head); !status.is_ok()) return status;
      if (head == base.version) {
        if (from_snapshot) remember(stream, base);
        *out = base;
        return store::Status::ok();
      }
    }
    std::vector<store::RecordedEvent> events;
    const std::size_t wanted =
        up_to == std::numeric_limits<store::Version>::max()
            ? std::numeric_limits<std::size_t>::max()
            : static_cast<std::size_t>(up_to - base.version);
    if (wanted > 0) {
      if (store::Status status = store_.read_stream(stream, base.version + 1, wanted, &events);
          !status.is_ok()) {
        return status;
      }
    }
    if (events.empty()) {
      *out = base.state ? base : Loaded{std::make_shared<const Aggregate>(), 0};
      return store::Status::ok();
    }
    auto state = base.state ? std::make_shared<Aggregate>(*base.state) : std::make_shared<Aggregate>();
    try {
      for (const store::RecordedEvent& event : events) apply_(*state, event);
    } catch (const std::exception& error) {
      return store::Status::corruption("stream " + stream + " cannot be replayed: " + error.what());
    }
    *out = Loaded{std::move(state), events.back().version};
    remember(stream, *out);
    return store::Status::ok();
  }

  /// `before` (the stream at event.version - 1) with `event` applied by `apply_held(Aggregate&)`,
  /// without reading the store: for a reader that follows the log and has already decoded the
  /// event. Throws from `apply_held` are reported as corruption.
  template <class ApplyHeld>
  store::Status advance(const Loaded& before, const store::RecordedEvent& event,
                        ApplyHeld&& apply_held, Loaded* out) {
    if (event.version != before.version + 1) {
      return store::Status::corruption("stream " + event.stream + " skips from version " +
                                       std::to_string(before.version) + " to " +
                                       std::to_string(event.version));
    }
    auto state = before.state ? std::make_shared<Aggregate>(*before.state) : std::make_shared<Aggregate>();
    try {
      apply_held(*state);
    } catch (const std::exception& error) {
      return store::Status::corruption("stream " + event.stream + " cannot be replayed: " + error.what());
    }
    *out = Loaded{std::move(state), event.version};
    remember(event.stream, *out);
    return store::Status::ok();
  }

  /// Keeps `loaded` as the state of `stream` at its version, unless a later one is kept: for a
  /// state its owner built from events known to be committed (a command's, once written).
  void remember(const std::string& stream, const Loaded& loaded) {
    std::lock_guard lock(mutex_);
    if (cache_.size() >= capacity_) cache_.clear();
    Loaded& slot = cache_[stream];
    if (loaded.version > slot.version) slot = loaded;
  }

  /// The cached state of `stream` if it is exactly at `version`; never reads the store.
  std::optional<Loaded> cached_at(const std::string& stream, store::Version version) const {
    Loaded found = cached(stream);
    if (!found.state || found.version != version) return std::nullopt;
    return found;
  }

 private:
  Loaded cached(const std::string& stream) const {
    std::lock_guard lock(mutex_);
    const auto found = cache_.find(stream);
    return found == cache_.end() ? Loaded{} : found->second;
  }

  const store::EventStore& store_;
  const Apply apply_;
  const std::size_t capacity_;
  const ReadSnapshot read_snapshot_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Loaded> cache_;
};

}  // namespace benefitd::engine
