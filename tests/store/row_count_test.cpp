// Row counts of the counted tables (timers, outbox): kept by the store as it commits, so that
// gauges read them without a scan, and exact through overwrites, erases of absent keys, clears,
// refused requests and reopening.

#include <catch2/catch.hpp>

#include <rocksdb/db.h>

#include <set>
#include <thread>

#include "store/row_counter.h"
#include "support/raw_rocksdb.h"
#include "support/store_backends.h"
#include "event_builders.h"

using namespace benefitd::store;
using benefitd::testing::append_to;
using benefitd::testing::make_event;
using benefitd::testing::MemoryBackend;
using benefitd::testing::PostgresBackend;
using benefitd::testing::RocksDbBackend;

namespace {

WriteRequest writes(std::vector<KeyedWrite> keyed) {
  WriteRequest request;
  request.writes = std::move(keyed);
  return request;
}

std::size_t timers(const EventStore& store) { return store.row_count(Table::timers).value(); }

// Deletes the store's recorded row counts, as a store written before they were kept has none.
void forget_recorded_counts(const std::filesystem::path& path) {
  benefitd::testing::with_raw_database(path, [](rocksdb::DB& db, const benefitd::testing::RawFamilies& families) {
    for (const Table table : kCountedTables) {
      REQUIRE(db.Delete(rocksdb::WriteOptions(), families.named(rocksdb::kDefaultColumnFamilyName),
                        "rows/" + std::string(table_name(table)))
                  .ok());
    }
  });
}

}  // namespace

TEMPLATE_TEST_CASE("row counts follow puts, overwrites, erases and clears", "[store][contract]",
                   MemoryBackend, RocksDbBackend, PostgresBackend) {
  TestType backend;
  auto store = [&]() -> EventStore& { return *backend.store; };
  CHECK(timers(store()) == 0);
  CHECK_FALSE(store().row_count(Table::views).has_value());

  REQUIRE(store().append(writes({KeyedWrite::put(Table::timers, "t1", "a"),
                                 KeyedWrite::put(Table::timers, "t2", "b"),
                                 KeyedWrite::put(Table::outbox, "n1", "c")}))
              .status.is_ok());
  CHECK(timers(store()) == 2);
  CHECK(store().row_count(Table::outbox) == 1);

  // An overwrite adds no row; an erase of an absent key removes none.
  REQUIRE(store().append(writes({KeyedWrite::put(Table::timers, "t1", "again"),
                                 KeyedWrite::erase(Table::timers, "absent")}))
              .status.is_ok());
  CHECK(timers(store()) == 2);

  // Writes of one request to one key count once, as they land.
  REQUIRE(store().append(writes({KeyedWrite::put(Table::timers, "t3", "x"), KeyedWrite::erase(Table::timers, "t3"),
                                 KeyedWrite::put(Table::timers, "t3", "y"), KeyedWrite::erase(Table::timers, "t1")}))
              .status.is_ok());
  CHECK(timers(store()) == 2);

  if constexpr (requires { backend.reopen(); }) backend.reopen();
  CHECK(timers(store()) == 2);
  CHECK(store().row_count(Table::outbox) == 1);

  // A clear starts the count from zero; a put after it in the same request counts.
  REQUIRE(store().append(writes({KeyedWrite::put(Table::timers, "t4", "z"), KeyedWrite::clear(Table::timers),
                                 KeyedWrite::put(Table::timers, "t2", "w")}))
              .status.is_ok());
  CHECK(timers(store()) == 1);
  std::vector<KeyValue> rows;
  REQUIRE(store().scan(Table::timers, "", "", 10, &rows).is_ok());
  CHECK(rows.size() == 1);
  CHECK(store().row_count(Table::outbox) == 1);
}

TEMPLATE_TEST_CASE("a refused request changes no row count", "[store][contract]", MemoryBackend,
                   RocksDbBackend, PostgresBackend) {
  TestType backend;
  EventStore& store = *backend.store;
  REQUIRE(store.append(append_to("benefit-1", ExpectedVersion::no_stream(), {make_event("A")})).status.is_ok());
  WriteRequest stale = append_to("benefit-1", ExpectedVersion::no_stream(), {make_event("B")});
  stale.writes.push_back(KeyedWrite::put(Table::timers, "t1", "due"));
  CHECK(store.append(stale).status.code() == Status::Code::conflict);
  CHECK(timers(store) == 0);
}

TEMPLATE_TEST_CASE("row counts stay exact under concurrent appends", "[store][contract]", MemoryBackend,
                   RocksDbBackend, PostgresBackend) {
  TestType backend;
  EventStore& store = *backend.store;
  constexpr int kWriters = 8;
  constexpr int kEach = 50;
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&store, w] {
      for (int i = 0; i < kEach; ++i) {
        // Every writer schedules the same ids; the first also removes the even ones again.
        const std::string id = "t" + std::to_string(i);
        REQUIRE(store.append(writes({KeyedWrite::put(Table::timers, id, "v")})).status.is_ok());
        if (i % 2 == 0 && w == 0) REQUIRE(store.append(writes({KeyedWrite::erase(Table::timers, id)})).status.is_ok());
      }
    });
  }
  for (auto& writer : writers) writer.join();
  std::vector<KeyValue> rows;
  REQUIRE(store.scan(Table::timers, "", "", 1000, &rows).is_ok());
  CHECK(timers(store) == rows.size());
}

TEST_CASE("a store without recorded row counts counts its rows when opened", "[store][rocksdb]") {
  RocksDbBackend backend;
  REQUIRE(backend.store->append(writes({KeyedWrite::put(Table::timers, "t1", "a"),
                                        KeyedWrite::put(Table::timers, "t2", "b"),
                                        KeyedWrite::put(Table::outbox, "n1", "c")}))
              .status.is_ok());
  backend.store.reset();
  forget_recorded_counts(backend.dir.path() / "db");
  backend.reopen();
  CHECK(timers(*backend.store) == 2);
  CHECK(backend.store->row_count(Table::outbox) == 1);

  REQUIRE(backend.store->append(writes({KeyedWrite::erase(Table::timers, "t1")})).status.is_ok());
  backend.reopen();
  CHECK(timers(*backend.store) == 1);
}

TEST_CASE("a row counter asks the store only about keys its group has not written", "[store]") {
  std::set<std::string> committed = {"present"};
  std::vector<std::string> asked;
  RowCounter counter([&](Table, std::string_view key, bool* present) {
    asked.emplace_back(key);
    *present = committed.contains(std::string(key));
    return Status::ok();
  });
  REQUIRE(counter.count(KeyedWrite::put(Table::timers, "present", "v")).is_ok());
  REQUIRE(counter.count(KeyedWrite::erase(Table::timers, "present")).is_ok());
  REQUIRE(counter.count(KeyedWrite::put(Table::timers, "new", "v")).is_ok());
  REQUIRE(counter.count(KeyedWrite::put(Table::views, "uncounted", "v")).is_ok());
  CHECK(asked == std::vector<std::string>{"present", "new"});
  CHECK(counter.wrote(Table::timers));
  CHECK_FALSE(counter.wrote(Table::outbox));
  CHECK(counter.count_after(Table::timers, 1) == 1);
  CHECK(counter.count_after(Table::outbox, 7) == 7);
}

TEST_CASE("a row counter reports a failed lookup, so that its group fails", "[store]") {
  RowCounter counter([](Table, std::string_view, bool*) { return Status::io_error("disk gone"); });
  CHECK(counter.count(KeyedWrite::put(Table::timers, "t", "v")).code() == Status::Code::io_error);
  CHECK(counter.count(KeyedWrite::put(Table::views, "v", "v")).is_ok());
}
