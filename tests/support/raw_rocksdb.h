#pragma once
// Opens a closed RocksDbEventStore's database directly, with every column family it has, as a
// tool or an intruder would: for tests that look at or change what the store keeps on disk.
// Catch2 assertions; not thread-safe.

#include <rocksdb/db.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

namespace benefitd::testing {

struct RawFamilies {
  std::vector<std::string> names;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;  // in the order of names

  /// The family named `name`; fails the test if there is none.
  rocksdb::ColumnFamilyHandle* named(std::string_view name) const {
    const auto found = std::find(names.begin(), names.end(), name);
    REQUIRE(found != names.end());
    return handles[found - names.begin()];
  }
};

inline void with_raw_database(const std::filesystem::path& path,
                              const std::function<void(rocksdb::DB&, const RawFamilies&)>& use) {
  RawFamilies families;
  REQUIRE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path.string(), &families.names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& name : families.names) descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  rocksdb::DB* db = nullptr;
  REQUIRE(rocksdb::DB::Open(rocksdb::DBOptions(), path.string(), descriptors, &families.handles, &db).ok());
  use(*db, families);
  for (auto* handle : families.handles) REQUIRE(db->DestroyColumnFamilyHandle(handle).ok());
  REQUIRE(db->Close().ok());
  delete db;
}

}  // namespace benefitd::testing
