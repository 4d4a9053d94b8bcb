// R-ENG-5 under SIGKILL: a child process rebuilds the views of a RocksDB store again and again
// (rebuild_crash_child.cpp); the test kills it at random moments, while it projects, writes
// its runs and puts them in place, and checks each time that the store holds either no views
// and no checkpoint (the state before the first rebuild) or every view of the whole log with
// the checkpoint at its last event: never part of a rebuild.

#include <catch2/catch.hpp>

#include <map>
#include <random>

#include "store/event_codec.h"
#include "store/rocksdb/rocksdb_event_store.h"
#include "support/kill_after.h"
#include "support/temp_dir.h"

using namespace benefitd;

namespace {

// The views the child's projection gives for the whole log.
std::map<std::string, std::string> expected_views(const store::EventStore& store) {
  std::map<std::string, std::string> views;
  std::vector<store::RecordedEvent> events;
  REQUIRE(store.read_all(1, store.last_position(), &events).is_ok());
  std::map<std::string, int> counts;
  for (const store::RecordedEvent& event : events) {
    ++counts[event.stream];
    views["event/" + store::position_key_suffix(event.position)] = event.stream;
  }
  for (const auto& [stream, count] : counts) views["count/" + stream] = std::to_string(count);
  return views;
}

}  // namespace

TEST_CASE("R-ENG-5 a rebuild killed at any moment leaves the old views or all the new ones, each with its checkpoint",
          "[engine][projections][crash]") {
  testing::TempDir dir;
  const std::string db = (dir.path() / "db").string();
  const auto seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937 random(seed);
  // Two progress lines and one "rebuilt" per rebuild.
  std::uniform_int_distribution<std::size_t> lines(1, 12);
  std::uniform_int_distribution<int> extra_ms(0, 40);

  int rebuilt_views = 0;
  for (int cycle = 0; cycle < 8; ++cycle) {
    INFO("cycle " << cycle);
    const std::string output = testing::run_and_kill_after({REBUILD_CRASH_CHILD_PATH, db}, lines(random),
                                                           std::chrono::milliseconds(extra_ms(random)));
    const bool reported_rebuilt = ("\n" + output).find("\nrebuilt\n") != std::string::npos;

    std::unique_ptr<store::RocksDbEventStore> store;
    REQUIRE(store::RocksDbEventStore::open({db}, &store).is_ok());
    REQUIRE(store->last_position() == 15000);
    std::optional<std::string> checkpoint;
    REQUIRE(store->get(store::Table::checkpoints, "projections", &checkpoint).is_ok());
    std::vector<store::KeyValue> views;
    REQUIRE(store->scan(store::Table::views, "", "", 1'000'000, &views).is_ok());
    if (!checkpoint) {
      CHECK(views.empty());
      CHECK_FALSE(reported_rebuilt);
      CHECK(rebuilt_views == 0);
      continue;
    }
    store::Position position = 0;
    REQUIRE(store::decode_big_endian(*checkpoint, &position));
    CHECK(position == 15000);
    const auto expected = expected_views(*store);
    REQUIRE(views.size() == expected.size());
    for (const store::KeyValue& row : views) {
      INFO(row.key);
      const auto found = expected.find(row.key);
      REQUIRE(found != expected.end());
      CHECK(row.value == found->second);
    }
    ++rebuilt_views;
  }
  CHECK(rebuilt_views > 0);
}
