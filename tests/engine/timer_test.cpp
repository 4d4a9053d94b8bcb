// Durable timers and their scheduler (R-LIFE-6, R-ENG-8).

#include <catch2/catch.hpp>

#include <future>
#include <random>
#include <thread>

#include "engine/timer_scheduler.h"
#include "store/memory_event_store.h"
#include "store/rocksdb/rocksdb_event_store.h"
#include "support/kill_after.h"
#include "support/temp_dir.h"
#include "timer_firing.h"

using namespace benefitd;
using namespace std::chrono_literals;

namespace {

const engine::Time kMonday{std::chrono::seconds(1'767'603'600)};  // 2026-01-05T09:00:00Z

void schedule(store::EventStore& store, const engine::Timer& timer) {
  store::WriteRequest write;
  write.writes.push_back(engine::schedule_timer(timer));
  REQUIRE(store.append(std::move(write)).status.is_ok());
}

std::vector<store::RecordedEvent> fired(const store::EventStore& store) {
  std::vector<store::RecordedEvent> events;
  REQUIRE(store.read_all(1, 100000, &events).is_ok());
  return events;
}

std::unique_ptr<store::RocksDbEventStore> open_store(const std::filesystem::path& path) {
  std::unique_ptr<store::RocksDbEventStore> store;
  REQUIRE(store::RocksDbEventStore::open({path}, &store).is_ok());
  return store;
}

}  // namespace

TEST_CASE("R-ENG-8 timers fire in due-time order, each stamped with its due time", "[engine][timers]") {
  store::MemoryEventStore store;
  schedule(store, {"late", kMonday + 30s, "3"});
  schedule(store, {"early", kMonday + 10s, "1"});
  schedule(store, {"middle", kMonday + 20s, "2"});
  schedule(store, {"future", kMonday + 1h, "4"});
  std::unique_ptr<engine::SimulatedClock> clock;
  REQUIRE(engine::SimulatedClock::open(store, kMonday, &clock).is_ok());
  engine::TimerScheduler scheduler(store, *clock, testing::append_fired_event(store));

  std::size_t count = 0;
  REQUIRE(scheduler.fire_due(kMonday + 30s, &count).is_ok());
  CHECK(count == 3);
  const auto events = fired(store);
  REQUIRE(events.size() == 3);
  CHECK(events[0].event.data == "1");
  CHECK(events[1].event.data == "2");
  CHECK(events[2].event.data == "3");
  CHECK(events[2].event.occurred_at == std::chrono::time_point_cast<std::chrono::milliseconds>(kMonday + 30s));
  std::optional<engine::Timer> next;
  REQUIRE(engine::next_timer(store, &next).is_ok());
  REQUIRE(next);
  CHECK(next->id == "future");
}

TEST_CASE("R-ENG-8 advancing the simulated clock fires what falls due, then moves the clock",
          "[engine][timers]") {
  testing::TempDir dir;
  auto store = open_store(dir.path());
  schedule(*store, {"a", kMonday + 1h, "a"});
  schedule(*store, {"b", kMonday + 3h, "b"});
  {
    std::unique_ptr<engine::SimulatedClock> clock;
    REQUIRE(engine::SimulatedClock::open(*store, kMonday, &clock).is_ok());
    engine::TimerScheduler scheduler(*store, *clock, testing::append_fired_event(*store));
    scheduler.start();
    std::promise<std::size_t> advanced;
    scheduler.advance(kMonday + 2h, [&](store::Status status, std::size_t fired_count) {
      CHECK(status.is_ok());
      advanced.set_value(fired_count);
    });
    CHECK(advanced.get_future().get() == 1);
    CHECK(clock->now() == kMonday + 2h);
  }
  // The simulated time survives a restart; a start time given then is ignored.
  store.reset();
  store = open_store(dir.path());
  std::unique_ptr<engine::SimulatedClock> clock;
  REQUIRE(engine::SimulatedClock::open(*store, kMonday + 100h, &clock).is_ok());
  CHECK(clock->now() == kMonday + 2h);
  CHECK(fired(*store).size() == 1);
}

TEST_CASE("R-LIFE-6 a timer that fell due while stopped fires once at start, with its due time",
          "[engine][timers]") {
  testing::TempDir dir;
  engine::SystemClock clock;
  const engine::Time due = clock.now() - 5s;  // fell due while nothing ran
  {
    auto store = open_store(dir.path());
    schedule(*store, {"missed", due, "x"});
  }
  for (int start = 0; start < 3; ++start) {
    auto store = open_store(dir.path());
    {
      engine::TimerScheduler scheduler(*store, clock, testing::append_fired_event(*store));
      scheduler.start();
      std::this_thread::sleep_for(200ms);
    }
    const auto events = fired(*store);
    REQUIRE(events.size() == 1);
    CHECK(events[0].event.occurred_at == std::chrono::time_point_cast<std::chrono::milliseconds>(due));
  }
}

TEST_CASE("R-LIFE-6 killed around firing, every timer still fires exactly once", "[engine][timers][crash]") {
  testing::TempDir dir;
  const std::string db = (dir.path() / "db").string();
  constexpr int kTimers = 1000;
  {
    auto store = open_store(db);
    for (int i = 0; i < kTimers; ++i) {
      schedule(*store, {"t" + std::to_string(1000 + i), kMonday + std::chrono::seconds(i), std::to_string(i)});
    }
  }
  const auto seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937 random(seed);
  std::uniform_int_distribution<std::size_t> firings(1, 200);
  std::uniform_int_distribution<int> extra_ms(0, 5);
  bool interrupted_midway = false;
  for (int cycle = 0; cycle < 40; ++cycle) {
    testing::run_and_kill_after({TIMER_CRASH_CHILD_PATH, db}, firings(random),
                                std::chrono::milliseconds(extra_ms(random)));

    auto store = open_store(db);
    std::vector<engine::Timer> left;
    REQUIRE(engine::due_timers(*store, kMonday + 1h, kTimers, &left).is_ok());
    const auto events = fired(*store);
    // Each stream "fired-<id>" was appended with no-stream: a second firing could not even
    // commit, and fired + left always accounts for every timer exactly once.
    CHECK(events.size() + left.size() == kTimers);
    interrupted_midway = interrupted_midway || (!events.empty() && !left.empty());
    if (left.empty()) break;
  }
  auto store = open_store(db);
  CHECK(fired(*store).size() == kTimers);
  CHECK(interrupted_midway);  // at least one kill landed in the middle of firing
}
