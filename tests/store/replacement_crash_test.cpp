// R-ENG-5 under SIGKILL: a child process replaces the views table again and again, each time
// with a checkpoint naming its generation (replacement_writer.cpp); the test kills it at random
// moments while it fills, writes and commits, reopens the store and checks that the views are
// exactly one generation's rows, the one the checkpoint names, and at least the last one the
// child reported committed.

#include <catch2/catch.hpp>

#include <random>
#include <sstream>

#include "store/rocksdb/rocksdb_event_store.h"
#include "support/kill_after.h"
#include "support/temp_dir.h"

using namespace benefitd::store;

namespace {

// The last generation the child reported committed (other lines, such as logs, are skipped).
long last_committed(const std::string& lines) {
  long committed = 0;
  std::istringstream in(lines);
  for (std::string line; std::getline(in, line);) {
    if (line.ends_with(" committed")) committed = std::stol(line);
  }
  return committed;
}

}  // namespace

TEST_CASE("R-ENG-5 a view replacement killed at any moment leaves one generation's views with its checkpoint",
          "[store][crash][rebuild]") {
  benefitd::testing::TempDir dir;
  const std::string db = (dir.path() / "db").string();
  const auto seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937 random(seed);
  // 21 lines per generation: the kills fall in every phase of one, or after a few.
  std::uniform_int_distribution<std::size_t> lines(1, 60);
  std::uniform_int_distribution<int> extra_ms(0, 30);

  long reported = 0;
  for (int cycle = 0; cycle < 20; ++cycle) {
    INFO("cycle " << cycle);
    reported = std::max(reported, last_committed(benefitd::testing::run_and_kill_after(
                                      {REPLACEMENT_WRITER_PATH, db}, lines(random),
                                      std::chrono::milliseconds(extra_ms(random)))));

    std::unique_ptr<RocksDbEventStore> store;
    REQUIRE(RocksDbEventStore::open({db}, &store).is_ok());
    std::optional<std::string> stored;
    REQUIRE(store->get(Table::checkpoints, "generation", &stored).is_ok());
    const long generation = stored ? std::stol(*stored) : 0;
    CHECK(generation >= reported);
    std::vector<KeyValue> views;
    REQUIRE(store->scan(Table::views, "", "", 1'000'000, &views).is_ok());
    CHECK(views.size() == (generation == 0 ? 0U : 2000U));
    const std::string prefix = "g" + std::to_string(generation) + "/";
    for (const KeyValue& row : views) {
      INFO(row.key);
      REQUIRE(row.key.starts_with(prefix));
      REQUIRE(row.value == std::to_string(generation));
    }
  }
  CHECK(reported >= 1);
}
