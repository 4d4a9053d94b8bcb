#pragma once
// The EventStore implementations as interchangeable test fixtures, so that one contract suite
// (TEMPLATE_TEST_CASE) proves them all. RocksDbBackend and PostgresBackend can also close and
// reopen their store. PostgresBackend needs benefitd_store_postgres linked and a PostgreSQL 15
// installed (postgres_server.h); each one has a schema of its own on the executable's server.

#include <catch2/catch.hpp>

#include <memory>

#include "store/memory_event_store.h"
#include "store/postgres/postgres_event_store.h"
#include "store/rocksdb/rocksdb_event_store.h"
#include "support/postgres_server.h"
#include "support/temp_dir.h"

namespace benefitd::testing {

struct MemoryBackend {
  static constexpr const char* kName = "memory";
  std::unique_ptr<store::EventStore> store = std::make_unique<store::MemoryEventStore>();
};

struct RocksDbBackend {
  static constexpr const char* kName = "rocksdb";
  TempDir dir;
  std::unique_ptr<store::EventStore> store = open_store();

  std::unique_ptr<store::EventStore> open_store() const {
    std::unique_ptr<store::RocksDbEventStore> opened;
    const store::Status status = store::RocksDbEventStore::open({dir.path() / "db"}, &opened);
    REQUIRE(status.is_ok());
    return opened;
  }

  /// Closes the store (committing what is queued) and opens it again from disk.
  void reopen() {
    store.reset();
    store = open_store();
  }
};

struct PostgresBackend {
  static constexpr const char* kName = "postgres";
  std::string schema = PostgresServer::shared().fresh_schema();
  std::unique_ptr<store::EventStore> store = open_store();

  std::unique_ptr<store::EventStore> open_store() const {
    std::unique_ptr<store::PostgresEventStore> opened;
    store::PostgresOptions options;
    options.conninfo = PostgresServer::shared().conninfo();
    options.schema = schema;
    const store::Status status = store::PostgresEventStore::open(options, &opened);
    INFO(status.message());
    REQUIRE(status.is_ok());
    return opened;
  }

  /// Closes the store (committing what is queued) and opens it again on the same schema.
  void reopen() {
    store.reset();
    store = open_store();
  }
};

}  // namespace benefitd::testing
