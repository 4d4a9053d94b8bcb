#pragma once
// ViewWatches: readers waiting for particular view keys to change (long-polls), woken by the
// keys each committed chunk of views wrote rather than by every advance of the views.
//
// A watch names exact keys and key prefixes; a watch naming neither waits for any change. The
// projection runner reports each commit's position and the view keys it wrote (changed()); a
// watch is woken when one of its keys, or a key under one of its prefixes, is among them, or
// at its deadline. Matching a commit costs a hash lookup per written key and per '/' in it,
// plus one call per watch of any change: watches whose keys did not change cost nothing.
//
// A watch also says which position its reader saw (`since`): if a commit after it was already
// reported when the watch arrives, the watch is woken at once, since that commit may have
// changed what the reader saw. Wake-ups may be spurious; a change is never missed.
//
// Thread safety: all methods may be called concurrently. `done` runs outside the lock: on the
// thread that reports the commit, that expires deadlines, or that calls watch().

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "store/event.h"

namespace benefitd::engine {

class ViewWatches {
 public:
  using Clock = std::chrono::steady_clock;
  /// `done(true)`: a watched key may have changed; `done(false)`: the deadline came first.
  using Done = std::function<void(bool changed)>;

  struct Keys {
    std::vector<std::string> exact;
    /// Each ends in '/': a key is under a prefix when it starts with it.
    std::vector<std::string> prefixes;
  };

  /// Waits for a change to `keys` (any change, if both lists are empty) after position `since`,
  /// until `deadline`. Returns true if this watch now has the earliest deadline (the caller
  /// that expires deadlines may need to wake sooner).
  bool watch(Keys keys, store::Position since, Clock::time_point deadline, Done done);
  /// A commit made the views include `position`, writing `keys` (view keys, in any order).
  void changed(store::Position position, const std::vector<std::string>& keys);
  /// A commit replaced every view (a reset): wakes every watch.
  void changed_all(store::Position position);
  /// Ends the watches whose deadline is at or before `now` with done(false).
  void expire(Clock::time_point now);
  /// The earliest deadline of a waiting watch.
  std::optional<Clock::time_point> next_deadline() const;
  /// Watches waiting now.
  std::size_t size() const;

 private:
  using Id = std::uint64_t;
  struct Watch {
    Keys keys;
    Clock::time_point deadline;
    Done done;
  };
  using Index = std::unordered_map<std::string, std::unordered_set<Id>>;

  /// Removes watch `id` from every index and returns its `done`. Holding mutex_.
  Done take(Id id);
  /// Moves every watch indexed under `key` in `index` into `woken`. Holding mutex_.
  void take_indexed(Index& index, const std::string& key, std::vector<Done>* woken);

  mutable std::mutex mutex_;
  Id next_id_ = 0;
  store::Position reported_ = 0;  // the latest position changed() or changed_all() reported
  std::unordered_map<Id, Watch> watches_;
  Index by_key_;
  Index by_prefix_;
  std::unordered_set<Id> any_change_;
  std::set<std::pair<Clock::time_point, Id>> deadlines_;
};

}  // namespace benefitd::engine
