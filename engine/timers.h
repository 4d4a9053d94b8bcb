#pragma once
// Durable timers (R-LIFE-6): a timer is a row of the store's timers table, keyed by due time
// then id, so that a scan in key order is a scan in due-time order. A timer is scheduled by
// putting its row in the same write as the event that causes it, and fired by erasing its row
// in the same write as the events its firing produces, a write that expects the row
// (fire_timer_in): so a timer is never lost (its row outlives crashes and stops) and never
// fires twice, even with several processes firing on one store (the erase commits with its
// effects, and a firing that finds the row gone fails with a conflict and changes nothing).
// Thread safety: free functions over the thread-safe EventStore.

#include <optional>
#include <string>
#include <vector>

#include "engine/clock.h"
#include "store/event_store.h"

namespace benefitd::engine {

struct Timer {
  std::string id;       // unique; scheduling the same id at the same time twice is one timer
  Time due;
  std::string payload;  // what to do, in the scheduler's owner's terms

  bool operator==(const Timer&) const = default;
};

/// The write that schedules `timer`.
store::KeyedWrite schedule_timer(const Timer& timer);
/// Makes `write` the firing of `timer`: it erases the timer and commits only if the timer is
/// still there (a store::RowExpectation), so that of two firings one fails with a conflict.
void fire_timer_in(const Timer& timer, store::WriteRequest* write);

/// Up to `max_count` timers due at or before `up_to`, earliest first (ties by id).
store::Status due_timers(const store::EventStore& store, Time up_to, std::size_t max_count,
                         std::vector<Timer>* out);
/// The earliest timer, if any.
store::Status next_timer(const store::EventStore& store, std::optional<Timer>* out);

}  // namespace benefitd::engine
