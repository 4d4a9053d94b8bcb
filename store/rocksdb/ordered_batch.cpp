#include "store/rocksdb/ordered_batch.h"

#include <rocksdb/db.h>

#include <algorithm>
#include <iterator>
#include <tuple>

namespace benefitd::store {

namespace {

class OneInsertHint final : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "benefitd.OneInsertHint"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override { return rocksdb::Slice(key.data(), 0); }
  bool InDomain(const rocksdb::Slice& key) const override { return !key.empty(); }
};

}  // namespace

std::shared_ptr<const rocksdb::SliceTransform> OrderedBatch::memtable_insert_hint() {
  return std::make_shared<const OneInsertHint>();
}

void OrderedBatch::put(rocksdb::ColumnFamilyHandle* family, std::string key, std::string value) {
  rows_.push_back({family, family->GetID(), std::move(key), std::move(value)});
}

void OrderedBatch::erase(rocksdb::ColumnFamilyHandle* family, std::string key) {
  rows_.push_back({family, family->GetID(), std::move(key), std::nullopt});
}

void OrderedBatch::erase_all(rocksdb::ColumnFamilyHandle* family, const rocksdb::Slice& end) {
  put_rows_in_order();
  batch_.DeleteRange(family, rocksdb::Slice(), end);
}

rocksdb::WriteBatch& OrderedBatch::batch() {
  put_rows_in_order();
  return batch_;
}

void OrderedBatch::put_rows_in_order() {
  // Stable: of several writes to one key, the last added stays the last applied.
  std::stable_sort(rows_.begin(), rows_.end(), [](const Row& a, const Row& b) {
    return std::tie(a.family_id, a.key) < std::tie(b.family_id, b.key);
  });
  for (auto row_at = rows_.begin(); row_at != rows_.end(); ++row_at) {
    const Row& row = *row_at;
    // Of several writes to one key only the last counts: the earlier ones are left out rather
    // than inserted into the memtable only to be shadowed (every request of a group writes the
    // views' checkpoint, for one).
    if (const auto next = std::next(row_at);
        next != rows_.end() && next->family_id == row.family_id && next->key == row.key) {
      continue;
    }
    if (row.value) {
      batch_.Put(row.family, row.key, *row.value);
    } else {
      batch_.Delete(row.family, row.key);
    }
  }
  rows_.clear();
}

}  // namespace benefitd::store
