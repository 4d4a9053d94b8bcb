#pragma once
// The two EventStore implementations as interchangeable test fixtures, so that one contract
// suite (TEMPLATE_TEST_CASE) proves both. RocksDbBackend can also close and reopen its store.

#include <catch2/catch.hpp>

#include <memory>

#include "store/memory_event_store.h"
#include "store/rocksdb/rocksdb_event_store.h"
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

}  // namespace benefitd::testing
