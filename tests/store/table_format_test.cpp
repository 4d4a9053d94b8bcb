// The RocksDB store's table files index and filter their keys in partitions of a few KiB, so
// that a lookup (the head of a stream that does not exist yet, on every purchase) reads one
// small partition, not a whole file's filter: whole filters of large files evict one another
// from the block cache and were read from disk again and again as a store grew. Its memtables
// filter whole keys too, so that a lookup of a key they lack skips their skip lists.

#include <catch2/catch.hpp>

#include <rocksdb/db.h>
#include <rocksdb/perf_context.h>
#include <rocksdb/perf_level.h>
#include <rocksdb/table_properties.h>

#include <fstream>
#include <iterator>

#include "store/rocksdb/rocksdb_event_store.h"
#include "support/raw_rocksdb.h"
#include "support/store_backends.h"
#include "support/temp_dir.h"
#include "event_builders.h"

using namespace benefitd::store;
using benefitd::testing::append_to;
using benefitd::testing::make_event;

TEST_CASE("the RocksDB store's table files keep their indexes and filters in partitions", "[store][rocksdb]") {
  benefitd::testing::TempDir dir;
  RocksDbOptions options;
  options.path = dir.path() / "db";
  {
    std::unique_ptr<RocksDbEventStore> store;
    REQUIRE(RocksDbEventStore::open(options, &store).is_ok());
    for (int i = 0; i < 2000; ++i) {
      REQUIRE(store->append(append_to("stream-" + std::to_string(i), ExpectedVersion::no_stream(), {make_event("Made")})).status.is_ok());
    }
  }  // closing flushes the memtables into table files
  benefitd::testing::with_raw_database(options.path, [](rocksdb::DB& db, const benefitd::testing::RawFamilies& families) {
    for (const char* family : {"events", "streams"}) {
      INFO(family);
      rocksdb::TablePropertiesCollection tables;
      REQUIRE(db.GetPropertiesOfAllTables(families.named(family), &tables).ok());
      REQUIRE_FALSE(tables.empty());
      for (const auto& [file, properties] : tables) {
        INFO(file);
        CHECK(properties->index_partitions >= 1);
        CHECK(properties->top_level_index_size > 0);  // only a two-level index has one
        CHECK(properties->filter_size > 0);
        // The metaindex block names each filter by its kind: "partitionedfilter." + the policy.
        std::ifstream in(file, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        CHECK(bytes.find("partitionedfilter.") != std::string::npos);
        CHECK(bytes.find("fullfilter.") == std::string::npos);
      }
    }
  });
}

TEST_CASE("the RocksDB store's memtables answer lookups of keys they lack from a Bloom filter", "[store][rocksdb]") {
  benefitd::testing::RocksDbBackend backend;
  EventStore& store = *backend.store;
  REQUIRE(store.append(append_to("present", ExpectedVersion::no_stream(), {make_event("Made")})).status.is_ok());

  // The perf context counts, for this thread, the memtable lookups its filter settled.
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kEnableCount);
  rocksdb::get_perf_context()->Reset();
  Version version = 1;
  REQUIRE(store.stream_version("absent", &version).is_ok());
  CHECK(version == 0);
  const auto filtered = rocksdb::get_perf_context()->bloom_memtable_miss_count;
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
  CHECK(filtered >= 1);
}
