#pragma once
// A Fire handler for tests: firing a timer appends a "TimerFired" event to stream
// "fired-<id>", stamped with the due time, and erases the timer in the same write.

#include <functional>

#include "engine/timer_scheduler.h"

namespace benefitd::testing {

inline engine::TimerScheduler::Fire append_fired_event(store::EventStore& store) {
  return [&store](const engine::Timer& timer, std::function<void(store::Status)> done) {
    store::EventData event;
    event.id = timer.id;
    event.type = "TimerFired";
    event.occurred_at = std::chrono::time_point_cast<std::chrono::milliseconds>(timer.due);
    event.data = timer.payload;
    store::WriteRequest write;
    write.streams.push_back({"fired-" + timer.id, store::ExpectedVersion::no_stream(), {event}});
    engine::fire_timer_in(timer, &write);
    store.append_async(std::move(write), [done = std::move(done)](store::AppendResult result) {
      done(result.status);
    });
  };
}

}  // namespace benefitd::testing
