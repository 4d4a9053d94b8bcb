// Child process of the timer crash test: fires every due timer of the store at DB_DIR, one
// write per timer (its event and its erase together), until killed or done, and writes a line
// to stdout for each timer fired, so the test can kill it mid-way.

#include <unistd.h>

#include <cstdio>

#include "engine/timer_scheduler.h"
#include "store/rocksdb/rocksdb_event_store.h"
#include "timer_firing.h"

using namespace benefitd;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DB_DIR\n", argv[0]);
    return 2;
  }
  std::unique_ptr<store::RocksDbEventStore> store;
  if (!store::RocksDbEventStore::open({argv[1]}, &store).is_ok()) return 1;
  engine::SystemClock clock;
  const auto fire = testing::append_fired_event(*store);
  engine::TimerScheduler scheduler(*store, clock, [&fire](const engine::Timer& timer, auto done) {
    fire(timer, [done = std::move(done)](store::Status status) {
      if (status.is_ok() && ::write(STDOUT_FILENO, "fired\n", 6) != 6) std::_Exit(1);
      done(std::move(status));
    });
  });
  std::size_t fired = 0;
  return scheduler.fire_due(clock.now(), &fired).is_ok() ? 0 : 1;
}
