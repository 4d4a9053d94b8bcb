// A commit group's batch puts its rows in key order per family, which must change nothing a
// reader sees: of the writes to one key the last wins, and no row crosses a family's deletion.

#include <catch2/catch.hpp>

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include "store/rocksdb/ordered_batch.h"
#include "support/temp_dir.h"

using benefitd::store::OrderedBatch;

namespace {

// An empty RocksDB with two column families besides the default one.
struct TwoFamilies {
  benefitd::testing::TempDir dir;
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;

  TwoFamilies() {
    rocksdb::DBOptions options;
    options.create_if_missing = true;
    options.create_missing_column_families = true;
    const std::vector<rocksdb::ColumnFamilyDescriptor> families = {
        {rocksdb::kDefaultColumnFamilyName, {}}, {"first", {}}, {"second", {}}};
    rocksdb::DB* raw = nullptr;
    REQUIRE(rocksdb::DB::Open(options, (dir.path() / "db").string(), families, &handles, &raw).ok());
    db.reset(raw);
  }
  ~TwoFamilies() {
    for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle);
  }
  rocksdb::ColumnFamilyHandle* first() const { return handles[1]; }
  rocksdb::ColumnFamilyHandle* second() const { return handles[2]; }

  std::optional<std::string> get(rocksdb::ColumnFamilyHandle* family, const std::string& key) const {
    std::string value;
    const auto status = db->Get(rocksdb::ReadOptions(), family, key, &value);
    if (status.IsNotFound()) return std::nullopt;
    REQUIRE(status.ok());
    return value;
  }
};

// The batch's operations in the order RocksDB applies them.
struct Recorded : rocksdb::WriteBatch::Handler {
  std::vector<std::string> operations;
  rocksdb::Status PutCF(uint32_t family, const rocksdb::Slice& key, const rocksdb::Slice& value) override {
    operations.push_back("put " + std::to_string(family) + " " + key.ToString() + "=" + value.ToString());
    return rocksdb::Status::OK();
  }
  rocksdb::Status DeleteCF(uint32_t family, const rocksdb::Slice& key) override {
    operations.push_back("delete " + std::to_string(family) + " " + key.ToString());
    return rocksdb::Status::OK();
  }
  rocksdb::Status DeleteRangeCF(uint32_t family, const rocksdb::Slice&, const rocksdb::Slice&) override {
    operations.push_back("clear " + std::to_string(family));
    return rocksdb::Status::OK();
  }
};

}  // namespace

TEST_CASE("a commit group's batch puts its rows in key order per family", "[store][rocksdb]") {
  TwoFamilies db;
  OrderedBatch batch;
  batch.put(db.second(), "b", "1");
  batch.put(db.first(), "z", "2");
  batch.put(db.second(), "a", "3");
  batch.put(db.first(), "m", "4");
  batch.erase(db.first(), "c");

  Recorded recorded;
  REQUIRE(batch.batch().Iterate(&recorded).ok());
  CHECK(recorded.operations ==
        std::vector<std::string>{"delete 1 c", "put 1 m=4", "put 1 z=2", "put 2 a=3", "put 2 b=1"});
}

TEST_CASE("a commit group's writes to one key keep their order: the last one wins", "[store][rocksdb]") {
  TwoFamilies db;
  OrderedBatch batch;
  batch.put(db.first(), "view", "old");
  batch.put(db.first(), "open", "yes");
  batch.put(db.first(), "a-row", "x");
  batch.put(db.first(), "view", "new");
  batch.erase(db.first(), "open");
  batch.erase(db.first(), "closed");
  batch.put(db.first(), "closed", "now");
  // Enough writes to one key, among others, that an unstable sort would mix them up.
  for (int i = 0; i < 40; ++i) {
    batch.put(db.first(), "row-" + std::to_string(i % 7), std::to_string(i));
    batch.put(db.first(), "counted", std::to_string(i));
  }
  REQUIRE(db.db->Write(rocksdb::WriteOptions(), &batch.batch()).ok());

  CHECK(db.get(db.first(), "counted") == "39");
  CHECK(db.get(db.first(), "row-4") == "39");
  CHECK(db.get(db.first(), "row-3") == "38");
  CHECK(db.get(db.first(), "view") == "new");
  CHECK(db.get(db.first(), "open") == std::nullopt);
  CHECK(db.get(db.first(), "closed") == "now");
  CHECK(db.get(db.first(), "a-row") == "x");
}

TEST_CASE("a commit group's batch holds only the last write to each key", "[store][rocksdb]") {
  TwoFamilies db;
  OrderedBatch batch;
  batch.put(db.first(), "checkpoint", "1");
  batch.put(db.first(), "view", "a");
  batch.put(db.second(), "checkpoint", "in another family");
  batch.put(db.first(), "checkpoint", "2");
  batch.erase(db.first(), "view");
  batch.erase(db.first(), "row");
  batch.put(db.first(), "row", "back");

  Recorded recorded;
  REQUIRE(batch.batch().Iterate(&recorded).ok());
  CHECK(recorded.operations == std::vector<std::string>{"put 1 checkpoint=2", "put 1 row=back", "delete 1 view",
                                                        "put 2 checkpoint=in another family"});
}

TEST_CASE("no row of a commit group crosses a whole family's deletion", "[store][rocksdb]") {
  TwoFamilies db;
  REQUIRE(db.db->Put(rocksdb::WriteOptions(), db.first(), "kept-before", "stale").ok());
  OrderedBatch batch;
  batch.put(db.first(), "z-before", "gone");
  batch.put(db.second(), "elsewhere", "kept");
  batch.erase_all(db.first(), "\xff\xff");
  batch.put(db.first(), "a-after", "new");
  REQUIRE(db.db->Write(rocksdb::WriteOptions(), &batch.batch()).ok());

  CHECK(db.get(db.first(), "kept-before") == std::nullopt);
  CHECK(db.get(db.first(), "z-before") == std::nullopt);
  CHECK(db.get(db.first(), "a-after") == "new");
  CHECK(db.get(db.second(), "elsewhere") == "kept");
}
