// R-ENG-5 at the store: a table replacement (how a rebuild puts new views in place) leaves the
// old rows served until it commits, then shows exactly its rows with the writes committed
// beside them; later rows win over earlier ones, also across the runs a RocksDB store writes
// to table files.

#include <catch2/catch.hpp>

#include "store/memory_event_store.h"
#include "store/rocksdb/rocksdb_event_store.h"
#include "support/temp_dir.h"

using namespace benefitd::store;

namespace {

std::vector<KeyValue> table_rows(const EventStore& store, Table table) {
  std::vector<KeyValue> rows;
  REQUIRE(store.scan(table, "", "", 1'000'000, &rows).is_ok());
  return rows;
}

std::optional<std::string> row(const EventStore& store, Table table, const std::string& key) {
  std::optional<std::string> value;
  REQUIRE(store.get(table, key, &value).is_ok());
  return value;
}

std::string key_of(int i) {
  std::string key = std::to_string(i);
  return "row/" + std::string(6 - key.size(), '0') + key;
}

// Fills a replacement in batches of 50 sorted rows: every key put twice (the second value
// wins), every tenth erased after, and some read back while it fills.
void fill(TableReplacement& rebuilt, int rows) {
  for (int round = 0; round < 2; ++round) {
    for (int first = 0; first < rows; first += 50) {
      std::vector<KeyedWrite> batch;
      for (int i = first; i < std::min(rows, first + 50); ++i) {
        batch.push_back(KeyedWrite::put(Table::views, key_of(i), "round " + std::to_string(round) + " of " + key_of(i)));
      }
      REQUIRE(rebuilt.add(std::move(batch)).is_ok());
    }
  }
  std::vector<KeyedWrite> erased;
  for (int i = 0; i < rows; i += 10) erased.push_back(KeyedWrite::erase(Table::views, key_of(i)));
  REQUIRE(rebuilt.add(std::move(erased)).is_ok());

  std::optional<std::string> value;
  REQUIRE(rebuilt.get(key_of(1), &value).is_ok());
  CHECK(value == "round 1 of " + key_of(1));
  REQUIRE(rebuilt.get(key_of(10), &value).is_ok());
  CHECK_FALSE(value.has_value());
  REQUIRE(rebuilt.get("row/missing", &value).is_ok());
  CHECK_FALSE(value.has_value());
}

void check_replaced(const EventStore& store, int rows) {
  const auto replaced = table_rows(store, Table::views);
  REQUIRE(replaced.size() == static_cast<std::size_t>(rows - (rows + 9) / 10));
  for (const KeyValue& found : replaced) {
    INFO(found.key);
    CHECK(found.key.starts_with("row/"));
    CHECK(found.value == "round 1 of " + found.key);
  }
  CHECK(row(store, Table::checkpoints, "rebuilt") == "yes");
  CHECK_FALSE(row(store, Table::checkpoints, "stale").has_value());
  CHECK(row(store, Table::checkpoints, "kept") == "k");
}

// The old views and checkpoint rows a replacement is measured against.
void write_old_rows(EventStore& store) {
  WriteRequest old;
  for (int i = 0; i < 300; ++i) old.writes.push_back(KeyedWrite::put(Table::views, "old/" + std::to_string(i), "x"));
  old.writes.push_back(KeyedWrite::put(Table::views, key_of(3), "old value"));
  old.writes.push_back(KeyedWrite::put(Table::checkpoints, "stale", "s"));
  old.writes.push_back(KeyedWrite::put(Table::checkpoints, "kept", "k"));
  REQUIRE(store.append(std::move(old)).status.is_ok());
}

void replace_and_check(EventStore& store, int rows) {
  write_old_rows(store);
  std::unique_ptr<TableReplacement> rebuilt;
  REQUIRE(store.replace_table(Table::views, &rebuilt).is_ok());
  fill(*rebuilt, rows);
  // Until the commit, readers have the old rows.
  CHECK(row(store, Table::views, "old/7") == "x");
  CHECK(row(store, Table::views, key_of(3)) == "old value");
  REQUIRE(rebuilt
              ->commit({KeyedWrite::put(Table::checkpoints, "rebuilt", "yes"),
                        KeyedWrite::erase(Table::checkpoints, "stale")})
              .is_ok());
  check_replaced(store, rows);
}

}  // namespace

TEST_CASE("R-ENG-5 a table replacement in memory shows the old rows until it commits, then only its own",
          "[store][rebuild]") {
  MemoryEventStore store;
  replace_and_check(store, 1000);
}

TEST_CASE("R-ENG-5 a RocksDB table replacement written in several runs commits the latest of each row, at once",
          "[store][rebuild]") {
  benefitd::testing::TempDir dir;
  RocksDbOptions options;
  options.path = dir.path() / "db";
  options.replacement_run_bytes = 16 << 10;  // a few dozen runs for these rows
  {
    std::unique_ptr<RocksDbEventStore> store;
    REQUIRE(RocksDbEventStore::open(options, &store).is_ok());
    replace_and_check(*store, 3000);
    CHECK_FALSE(std::filesystem::exists(options.path / "replacing-views"));
    // The store takes ordinary writes over the ingested rows.
    REQUIRE(store->append({{}, {KeyedWrite::put(Table::views, key_of(1), "later")}}).status.is_ok());
    CHECK(row(*store, Table::views, key_of(1)) == "later");
    REQUIRE(store->append({{}, {KeyedWrite::put(Table::views, key_of(1), "round 1 of " + key_of(1))}}).status.is_ok());
  }
  std::unique_ptr<RocksDbEventStore> reopened;
  REQUIRE(RocksDbEventStore::open(options, &reopened).is_ok());
  check_replaced(*reopened, 3000);
}

TEST_CASE("R-ENG-5 a table replacement that is never committed changes nothing", "[store][rebuild]") {
  benefitd::testing::TempDir dir;
  RocksDbOptions options;
  options.path = dir.path() / "db";
  options.replacement_run_bytes = 16 << 10;
  std::unique_ptr<RocksDbEventStore> store;
  REQUIRE(RocksDbEventStore::open(options, &store).is_ok());
  write_old_rows(*store);
  const auto before = table_rows(*store, Table::views);
  {
    std::unique_ptr<TableReplacement> rebuilt;
    REQUIRE(store->replace_table(Table::views, &rebuilt).is_ok());
    fill(*rebuilt, 3000);
  }
  const auto after = table_rows(*store, Table::views);
  REQUIRE(after.size() == before.size());
  for (std::size_t i = 0; i < before.size(); ++i) CHECK(after[i].value == before[i].value);
  CHECK_FALSE(std::filesystem::exists(options.path / "replacing-views"));
}
