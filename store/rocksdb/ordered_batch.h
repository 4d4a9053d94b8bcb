#pragma once
// OrderedBatch: a RocksDB WriteBatch whose rows are put in key order within each column family.
//
// RocksDB inserts a batch into its memtables in the batch's order. A commit group's rows (each
// command's events, index entries, view rows, heads) land all over each family's key space;
// put in key order, each insert lands after the one before it, and the memtable's insert hint
// (memtable_insert_hint, in the store's family options) climbs its skip list only as far as
// the gap between the two.
//
// The order changes nothing that a reader can see: the batch is applied atomically, of the
// writes to one key only the last is kept (the one that would win), and no row moves across a
// whole family's deletion (a range tombstone), which ends the rows ordered before it.
// Thread safety: none; one writer builds one batch.

#include <rocksdb/slice_transform.h>
#include <rocksdb/write_batch.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace benefitd::store {

class OrderedBatch {
 public:
  void put(rocksdb::ColumnFamilyHandle* family, std::string key, std::string value);
  void erase(rocksdb::ColumnFamilyHandle* family, std::string key);
  /// Deletes every key of `family` below `end`, after every row added before this call: a
  /// range tombstone from the empty key, which no row has (see memtable_insert_hint).
  void erase_all(rocksdb::ColumnFamilyHandle* family, const rocksdb::Slice& end);

  /// For memtable_insert_with_hint_prefix_extractor: one insert hint per memtable, shared by
  /// every key but the empty one. RocksDB files a range tombstone's start key under the same
  /// hints although tombstones live in a skip list of their own, and a hint from one list used
  /// in the other breaks it; erase_all's tombstones start at the empty key, which gets none.
  static std::shared_ptr<const rocksdb::SliceTransform> memtable_insert_hint();

  /// The batch with every row added so far in place (rows added later go in at the next call,
  /// after these).
  rocksdb::WriteBatch& batch();

 private:
  struct Row {
    rocksdb::ColumnFamilyHandle* family;
    std::uint32_t family_id;  // the order of families
    std::string key;
    std::optional<std::string> value;  // none: a deletion
  };

  void put_rows_in_order();

  std::vector<Row> rows_;
  rocksdb::WriteBatch batch_;
};

}  // namespace benefitd::store
