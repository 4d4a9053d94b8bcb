// The RocksDB store's table files index and filter their keys in partitions of a few KiB, so
// that a lookup (the head of a stream that does not exist yet, on every purchase) reads one
// small partition, not a whole file's filter: whole filters of large files evict one another
// from the block cache and were read from disk again and again as a store grew.

#include <catch2/catch.hpp>

#include <rocksdb/db.h>
#include <rocksdb/table_properties.h>

#include <fstream>
#include <iterator>

#include "store/rocksdb/rocksdb_event_store.h"
#include "support/raw_rocksdb.h"
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
