#pragma once
// TableReplacement: new rows for one keyed table, gathered while the table's current rows are
// still served, then put in their place all at once (EventStore::replace_table). A rebuild of
// the views fills one: readers keep the old views until the new ones are complete, and a crash
// at any moment leaves either the old rows or the new ones, each with the writes committed
// beside them (their checkpoint).
//
// Thread safety: get may run on several threads at once; add and commit run on one thread,
// never while a get runs.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/status.h"
#include "store/write_request.h"

namespace benefitd::store {

class TableReplacement {
 public:
  virtual ~TableReplacement() = default;

  /// Adds `rows`: plain puts and erases of the replaced table (no positioned writes, no clear),
  /// in increasing key order with no key twice. They replace what earlier rows said of the same
  /// keys; an erase leaves its key absent.
  virtual Status add(std::vector<KeyedWrite> rows) = 0;
  /// The value the rows added so far leave `key` with, or nullopt. Never the table's old rows.
  virtual Status get(std::string_view key, std::optional<std::string>* out) const = 0;
  /// Puts the rows added in place of every row of the table, together with `writes` (plain puts
  /// and erases of other tables, not counted ones), durably and at once: readers, and a store
  /// opened after a crash, see either the old rows without `writes` or the new rows with them.
  /// Call once; the replacement holds nothing after.
  virtual Status commit(std::vector<KeyedWrite> writes) = 0;
};

/// Holds the new rows in memory and commits them as one write request (a clear of the table,
/// its rows, `writes`): for stores whose requests are atomic however large (in memory) and for
/// tables small enough to hold in memory.
class BufferedTableReplacement final : public TableReplacement {
 public:
  BufferedTableReplacement(class EventStore& store, Table table) : store_(store), table_(table) {}

  Status add(std::vector<KeyedWrite> rows) override;
  Status get(std::string_view key, std::optional<std::string>* out) const override;
  Status commit(std::vector<KeyedWrite> writes) override;

 private:
  EventStore& store_;
  const Table table_;
  std::map<std::string, std::string, std::less<>> rows_;
};

}  // namespace benefitd::store
