// R-ENG-5 at the store: a table replacement (how a rebuild puts new views in place) leaves the
// old rows served until it commits, then shows exactly its rows with the writes committed
// beside them; later rows win over earlier ones, also across the runs a RocksDB store writes
// to table files.

#include <catch2/catch.hpp>

#include <rocksdb/metadata.h>

#include "store/event_codec.h"
#include "store/memory_event_store.h"
#include "store/rocksdb/rocksdb_event_store.h"
#include "store/rocksdb/table_families.h"
#include "support/captured_log.h"
#include "support/raw_rocksdb.h"
#include "support/store_backends.h"
#include "support/temp_dir.h"

using namespace benefitd::store;
using benefitd::testing::PostgresBackend;
using benefitd::testing::RawFamilies;
using benefitd::testing::with_raw_database;

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

// A RocksDB store's directory of its own, and the store opened there as the test asks.
struct RocksDbPlace {
  benefitd::testing::TempDir dir;
  RocksDbOptions options;
  RocksDbPlace() { options.path = dir.path() / "db"; }
  std::unique_ptr<RocksDbEventStore> open() const {
    std::unique_ptr<RocksDbEventStore> store;
    REQUIRE(RocksDbEventStore::open(options, &store).is_ok());
    return store;
  }
};

// The names of the column families that hold generations of `table`, in a closed store.
std::vector<std::string> generations_of(const std::filesystem::path& path, Table table) {
  std::vector<std::string> names;
  with_raw_database(path, [&](rocksdb::DB&, const RawFamilies& families) {
    for (const std::string& name : families.names) {
      const auto generation = table_generation_of(name);
      if (generation && generation->table == table) names.push_back(name);
    }
  });
  return names;
}

// Checks, in a closed store, that the table files of family `name` lie in one level below
// level 0 and cover key ranges that do not overlap: nothing is left to compact.
void check_nothing_to_compact(const std::filesystem::path& path, const std::string& name) {
  with_raw_database(path, [&](rocksdb::DB& db, const RawFamilies& families) {
    rocksdb::ColumnFamilyMetaData meta;
    db.GetColumnFamilyMetaData(families.named(name), &meta);
    std::vector<const rocksdb::SstFileMetaData*> files;
    for (const rocksdb::LevelMetaData& level : meta.levels) {
      INFO("level " << level.level);
      if (level.files.empty()) continue;
      CHECK(level.level > 0);
      CHECK(files.empty());  // no other level has files
      for (const auto& file : level.files) files.push_back(&file);
    }
    REQUIRE_FALSE(files.empty());
    std::sort(files.begin(), files.end(), [](auto* a, auto* b) { return a->smallestkey < b->smallestkey; });
    for (std::size_t i = 1; i < files.size(); ++i) CHECK(files[i - 1]->largestkey < files[i]->smallestkey);
  });
}

}  // namespace

TEST_CASE("R-ENG-5 table generations are named after their table, and only such names are taken for one",
          "[store][rebuild]") {
  CHECK(family_name(Table::views, 0) == "views");
  CHECK(family_name(Table::views, 12) == "views.12");
  for (const std::uint64_t generation : {0, 1, 12}) {
    const auto parsed = table_generation_of(family_name(Table::views, generation));
    REQUIRE(parsed.has_value());
    CHECK(parsed->table == Table::views);
    CHECK(parsed->generation == generation);
  }
  for (const char* name : {"views.0", "views.01", "views.", "views.x", "views.1x", "viewsx", "events", "default"}) {
    INFO(name);
    CHECK_FALSE(table_generation_of(name).has_value());
  }
}

TEST_CASE("R-ENG-5 a RocksDB table replacement is a new generation of files that overlap nothing, and the old one is dropped",
          "[store][rebuild]") {
  RocksDbPlace place;
  RocksDbOptions& options = place.options;
  options.replacement_run_bytes = 16 << 10;  // a few dozen runs, merged in several parts
  for (const int replacement : {1, 2}) {
    {
      const auto store = place.open();
      replace_and_check(*store, 5000);
    }
    INFO("replacement " << replacement);
    const auto names = generations_of(options.path, Table::views);
    REQUIRE(names.size() == 1);
    CHECK(names[0] == family_name(Table::views, replacement));
    check_nothing_to_compact(options.path, names[0]);
  }
}

TEST_CASE("R-ENG-5 a RocksDB store reads the table files a replacement put in place without a warning",
          "[store][rebuild]") {
  // Files written outside the database carry no unique id of RocksDB's; that is how ingested
  // files are, not a fault an operator could act on.
  RocksDbPlace place;
  benefitd::testing::CapturedLog log(spdlog::level::warn);
  for (const int open : {1, 2}) {
    INFO("open " << open);
    const auto store = place.open();
    if (open == 1) replace_and_check(*store, 500);
    check_replaced(*store, 500);
  }
  CHECK(log.text() == "");
}

TEST_CASE("R-ENG-5 opening a RocksDB store drops a generation a crash left behind, and keeps the current one",
          "[store][rebuild]") {
  RocksDbPlace place;
  RocksDbOptions& options = place.options;
  {
    const auto store = place.open();
    replace_and_check(*store, 100);
  }
  // As a replacement that crashed after creating its generation, before ingesting into it.
  with_raw_database(options.path, [](rocksdb::DB& db, const RawFamilies&) {
    rocksdb::ColumnFamilyHandle* left = nullptr;
    REQUIRE(db.CreateColumnFamily(rocksdb::ColumnFamilyOptions(), family_name(Table::views, 2), &left).ok());
    REQUIRE(db.Put(rocksdb::WriteOptions(), left, "row/left", "behind").ok());
    REQUIRE(db.DestroyColumnFamilyHandle(left).ok());
  });
  {
    const auto store = place.open();
    check_replaced(*store, 100);
    CHECK_FALSE(row(*store, Table::views, "row/left").has_value());
  }
  CHECK(generations_of(options.path, Table::views) == std::vector<std::string>{family_name(Table::views, 1)});
}

TEST_CASE("R-ENG-5 a RocksDB store whose current generation of a table is missing does not open",
          "[store][rebuild]") {
  RocksDbPlace place;
  RocksDbOptions& options = place.options;
  place.open();  // creates it
  with_raw_database(options.path, [](rocksdb::DB& db, const RawFamilies& families) {
    REQUIRE(db.Put(rocksdb::WriteOptions(), families.named(rocksdb::kDefaultColumnFamilyName),
                   generation_key(Table::views), encode_big_endian(3))
                .ok());
  });
  std::unique_ptr<RocksDbEventStore> store;
  const Status opened = RocksDbEventStore::open(options, &store);
  CHECK(opened.code() == Status::Code::corruption);
  CHECK(opened.message().find("views.3") != std::string::npos);
}

TEST_CASE("R-ENG-5 a table replacement in memory shows the old rows until it commits, then only its own",
          "[store][rebuild]") {
  MemoryEventStore store;
  replace_and_check(store, 1000);
}

TEST_CASE("R-ENG-5 a RocksDB table replacement written in several runs commits the latest of each row, at once",
          "[store][rebuild]") {
  RocksDbPlace place;
  RocksDbOptions& options = place.options;
  options.replacement_run_bytes = 16 << 10;  // a few dozen runs for these rows
  {
    const auto store = place.open();
    replace_and_check(*store, 3000);
    CHECK_FALSE(std::filesystem::exists(options.path / "replacing-views"));
    // The store takes ordinary writes over the ingested rows.
    REQUIRE(store->append({{}, {KeyedWrite::put(Table::views, key_of(1), "later")}}).status.is_ok());
    CHECK(row(*store, Table::views, key_of(1)) == "later");
    REQUIRE(store->append({{}, {KeyedWrite::put(Table::views, key_of(1), "round 1 of " + key_of(1))}}).status.is_ok());
  }
  const auto reopened = place.open();
  check_replaced(*reopened, 3000);
}

TEST_CASE("R-ENG-5 a table replacement that is never committed changes nothing", "[store][rebuild]") {
  RocksDbPlace place;
  RocksDbOptions& options = place.options;
  options.replacement_run_bytes = 16 << 10;
  const auto store = place.open();
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

TEST_CASE("R-ENG-5 a table replacement with no rows leaves the table empty, with the writes committed beside it",
          "[store][rebuild]") {
  RocksDbPlace place;
  const auto rocksdb = place.open();
  MemoryEventStore memory;
  for (EventStore* store : {static_cast<EventStore*>(rocksdb.get()), static_cast<EventStore*>(&memory)}) {
    write_old_rows(*store);
    std::unique_ptr<TableReplacement> rebuilt;
    REQUIRE(store->replace_table(Table::views, &rebuilt).is_ok());
    REQUIRE(rebuilt->commit({KeyedWrite::put(Table::checkpoints, "rebuilt", "yes")}).is_ok());
    CHECK(table_rows(*store, Table::views).empty());
    CHECK(row(*store, Table::checkpoints, "rebuilt") == "yes");
  }
}

TEST_CASE("R-ENG-5 a PostgreSQL table replacement fills a table of its own and takes the table's place at once",
          "[store][rebuild][postgres]") {
  PostgresBackend backend;
  replace_and_check(*backend.store, 3000);
  // The store's connections, whose statements were prepared on the old table, use the new one.
  REQUIRE(backend.store->append({{}, {KeyedWrite::put(Table::views, key_of(1), "later")}}).status.is_ok());
  CHECK(row(*backend.store, Table::views, key_of(1)) == "later");
  REQUIRE(backend.store->append({{}, {KeyedWrite::put(Table::views, key_of(1), "round 1 of " + key_of(1))}}).status.is_ok());
  backend.reopen();
  check_replaced(*backend.store, 3000);

  // Again, with no rows: the table left in place takes a replacement as the first one did.
  std::unique_ptr<TableReplacement> again;
  REQUIRE(backend.store->replace_table(Table::views, &again).is_ok());
  REQUIRE(again->commit({KeyedWrite::put(Table::checkpoints, "rebuilt", "twice")}).is_ok());
  CHECK(table_rows(*backend.store, Table::views).empty());
  CHECK(row(*backend.store, Table::checkpoints, "rebuilt") == "twice");
}

TEST_CASE("R-ENG-5 a PostgreSQL table replacement that is never committed changes nothing", "[store][rebuild][postgres]") {
  PostgresBackend backend;
  write_old_rows(*backend.store);
  const auto before = table_rows(*backend.store, Table::views);
  {
    std::unique_ptr<TableReplacement> rebuilt;
    REQUIRE(backend.store->replace_table(Table::views, &rebuilt).is_ok());
    fill(*rebuilt, 3000);
  }
  // One left behind by a process that stopped while it filled: the next replacement starts afresh.
  std::unique_ptr<TableReplacement> abandoned;
  REQUIRE(backend.store->replace_table(Table::views, &abandoned).is_ok());
  fill(*abandoned, 500);
  std::unique_ptr<TableReplacement> rebuilt;
  REQUIRE(backend.store->replace_table(Table::views, &rebuilt).is_ok());
  std::optional<std::string> value;
  REQUIRE(rebuilt->get(key_of(1), &value).is_ok());
  CHECK_FALSE(value.has_value());

  const auto after = table_rows(*backend.store, Table::views);
  REQUIRE(after.size() == before.size());
  for (std::size_t i = 0; i < before.size(); ++i) CHECK(after[i].value == before[i].value);
}
