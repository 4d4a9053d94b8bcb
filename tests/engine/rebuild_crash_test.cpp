// R-ENG-5 under SIGKILL: a child process rebuilds the views of a store again and again
// (rebuild_crash_child.cpp); the test kills it at random moments, while it projects, writes
// the new rows and puts them in place, and checks each time that the store holds either no
// views and no checkpoint (the state before the first rebuild) or every view of the whole log
// with the checkpoint at its last event: never part of a rebuild. On RocksDB and on PostgreSQL,
// whose table replacements differ (table files ingested in one call; a table of new rows
// renamed in place in one transaction).

#include <catch2/catch.hpp>

#include <functional>
#include <map>
#include <random>
#include <thread>

#include "store/event_codec.h"
#include "store/postgres/pg_connection.h"
#include "store/postgres/postgres_event_store.h"
#include "store/rocksdb/rocksdb_event_store.h"
#include "support/kill_after.h"
#include "support/postgres_server.h"
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

// Kills the child `child_args` names at random moments of its rebuilds, and checks after each
// kill the store `open_store` opens.
void check_rebuilds_killed(const std::vector<std::string>& child_args,
                           const std::function<std::unique_ptr<store::EventStore>()>& open_store) {
  const auto seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937 random(seed);
  // Two progress lines and one "rebuilt" per rebuild.
  std::uniform_int_distribution<std::size_t> lines(1, 12);
  std::uniform_int_distribution<int> extra_ms(0, 40);

  int rebuilt_views = 0;
  for (int cycle = 0; cycle < 8; ++cycle) {
    INFO("cycle " << cycle);
    std::vector<std::string> command{REBUILD_CRASH_CHILD_PATH};
    command.insert(command.end(), child_args.begin(), child_args.end());
    const std::string output =
        testing::run_and_kill_after(command, lines(random), std::chrono::milliseconds(extra_ms(random)));
    const bool reported_rebuilt = ("\n" + output).find("\nrebuilt\n") != std::string::npos;

    const std::unique_ptr<store::EventStore> store = open_store();
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

}  // namespace

TEST_CASE("R-ENG-5 a rebuild killed at any moment leaves the old views or all the new ones, each with its checkpoint",
          "[engine][projections][crash]") {
  testing::TempDir dir;
  const std::string db = (dir.path() / "db").string();
  check_rebuilds_killed({"rocksdb", db}, [&] {
    std::unique_ptr<store::RocksDbEventStore> store;
    REQUIRE(store::RocksDbEventStore::open({db}, &store).is_ok());
    return std::unique_ptr<store::EventStore>(std::move(store));
  });
}

TEST_CASE("R-ENG-5 a rebuild on PostgreSQL killed at any moment leaves the old views or all the new ones, each with its "
          "checkpoint",
          "[engine][projections][crash][postgres]") {
  testing::PostgresServer& server = testing::PostgresServer::shared();
  const std::string schema = server.fresh_schema();
  check_rebuilds_killed({"postgres", server.conninfo(), schema}, [&] {
    // The killed child's statements may still run on the server (a commit it had sent, say):
    // the store is read once its sessions are gone, as a reader after them would.
    std::unique_ptr<store::postgres::PgConnection> admin;
    REQUIRE(store::postgres::PgConnection::connect(server.conninfo(), &admin).is_ok());
    REQUIRE(admin->prepare("others", "SELECT count(*) FROM pg_stat_activity "
                                     "WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")
                .is_ok());
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    for (;;) {
      store::postgres::Result others;
      REQUIRE(admin->run("others", {}, &others).is_ok());
      if (others.int8(0, 0) == 0) break;
      REQUIRE(std::chrono::steady_clock::now() < deadline);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    store::PostgresOptions options;
    options.conninfo = server.conninfo();
    options.schema = schema;
    options.hear_other_writers = false;
    std::unique_ptr<store::PostgresEventStore> store;
    const store::Status status = store::PostgresEventStore::open(options, &store);
    INFO(status.message());
    REQUIRE(status.is_ok());
    return std::unique_ptr<store::EventStore>(std::move(store));
  });
}
