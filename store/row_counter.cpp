#include "store/row_counter.h"

#include <algorithm>

namespace benefitd::store {

Status RowCounter::count(const KeyedWrite& write) {
  const auto index = counted_index(write.table);
  if (!index) return Status::ok();
  TableChanges& changes = tables_[*index];
  changes.wrote = true;
  if (write.whole_table) {
    changes.cleared = true;
    changes.delta = 0;
    changes.present.clear();
    return Status::ok();
  }
  bool was_present = false;
  if (const auto known = changes.present.find(write.key); known != changes.present.end()) {
    was_present = known->second;
  } else if (!changes.cleared) {
    if (Status status = lookup_(write.table, write.key, &was_present); !status.is_ok()) return status;
  }
  const bool is_present = write.value.has_value();
  changes.delta += static_cast<std::int64_t>(is_present) - static_cast<std::int64_t>(was_present);
  changes.present.insert_or_assign(write.key, is_present);
  return Status::ok();
}

bool RowCounter::wrote(Table table) const {
  const auto index = counted_index(table);
  return index && tables_[*index].wrote;
}

std::uint64_t RowCounter::count_after(Table table, std::uint64_t before) const {
  const auto index = counted_index(table);
  if (!index) return before;
  const TableChanges& changes = tables_[*index];
  const std::int64_t start = changes.cleared ? 0 : static_cast<std::int64_t>(before);
  // Never below zero, even from a count the store got wrong.
  return static_cast<std::uint64_t>(std::max<std::int64_t>(0, start + changes.delta));
}

}  // namespace benefitd::store
