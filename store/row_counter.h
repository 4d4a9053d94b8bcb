#pragma once
// RowCounter: how one commit group's keyed writes change the row counts of the counted tables
// (kCountedTables). A put adds a row only if its key is absent and an erase removes one only if
// its key is present; presence comes from an earlier write of the group, else from the
// committed store through the lookup. Like AppendSequencer, it covers one group: if the
// group's write fails, throw it away.
//
// Thread safety: none; one counter belongs to one writer.

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "store/status.h"
#include "store/write_request.h"

namespace benefitd::store {

class RowCounter {
 public:
  /// Whether committed `table` holds `key`.
  using KeyLookup = std::function<Status(Table table, std::string_view key, bool* present)>;

  explicit RowCounter(KeyLookup lookup) : lookup_(std::move(lookup)) {}

  /// Accounts for `write`, the group's next write (writes to uncounted tables change nothing).
  /// On a lookup failure the group's counts are unknown: fail the group.
  Status count(const KeyedWrite& write);

  /// Whether the group wrote to `table`, one of kCountedTables.
  bool wrote(Table table) const;
  /// The row count of `table` (one of kCountedTables) after the group, given the count before.
  std::uint64_t count_after(Table table, std::uint64_t before) const;

 private:
  struct TableChanges {
    bool wrote = false;
    bool cleared = false;      // counting starts from zero rather than from the count before
    std::int64_t delta = 0;
    std::unordered_map<std::string, bool> present;  // keys the group wrote, present after it
  };

  KeyLookup lookup_;
  std::array<TableChanges, kCountedTables.size()> tables_;
};

}  // namespace benefitd::store
