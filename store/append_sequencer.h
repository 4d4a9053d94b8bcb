#pragma once
// AppendSequencer: turns write requests into recorded events. It checks each stream's expected
// version and each expected row, assigns global positions and stream versions, and links the
// hash chain. Every store implementation sequences through it, so they share one set of rules.
//
// A sequencer covers one commit group: it sees the committed stream heads and rows through its
// lookups plus everything it planned earlier in the group (for rows, the writes of accepted
// requests to kExpectableTables). If the group's write fails, throw the sequencer away:
// nothing it planned is committed.
//
// Thread safety: none; one sequencer belongs to one writer.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/event.h"
#include "store/status.h"
#include "store/write_request.h"

namespace benefitd::store {

/// The last event of a stream: what the next event's version and prev_hash come from.
struct StreamHead {
  Version version = 0;
  Hash last_hash{};
};

class AppendSequencer {
 public:
  /// Reads a stream's committed head; a stream without events has the default head.
  using HeadLookup = std::function<Status(std::string_view stream, StreamHead* head)>;
  /// Reads a committed row of one of kExpectableTables (nullopt: absent).
  using RowLookup = std::function<Status(Table table, std::string_view key, std::optional<std::string>* value)>;

  /// What one request becomes: its result and, if accepted, its events in position order and
  /// its positioned writes completed (KeyedWrite::at_event).
  struct Plan {
    AppendResult result;
    std::vector<RecordedEvent> events;
    std::vector<KeyedWrite> positioned;

    /// Calls `apply` with each keyed write of `request` (the request this plan was made of), in
    /// order, then with its positioned writes completed. The request itself is left as it was,
    /// so that a commit that is tried again plans it afresh.
    template <class Apply>
    void each_write(const WriteRequest& request, Apply&& apply) const {
      for (const KeyedWrite& write : request.writes) {
        if (!write.at_event) apply(write);
      }
      for (const KeyedWrite& write : positioned) apply(write);
    }
  };

  AppendSequencer(Position next_position, HeadLookup committed_head, RowLookup committed_row);

  /// Plans `request` on top of everything planned before. A refused request (invalid,
  /// conflicting, or a failed lookup) leaves the sequencer as it was.
  Plan plan(const WriteRequest& request);

  /// The position the next accepted event would get.
  Position next_position() const { return next_position_; }

  /// Heads of every stream an accepted request appended to, as they are after the group.
  const std::unordered_map<std::string, StreamHead>& touched_heads() const { return touched_; }

 private:
  Status head_of(const std::string& stream, StreamHead* head);
  /// The first of `request`'s expected rows that does not hold, if any (as a conflict).
  Status check_rows(const WriteRequest& request, std::optional<RowExpectation>* failed);
  /// Keeps what an accepted request wrote to kExpectableTables, for later requests' checks.
  void remember_row(const KeyedWrite& write);

  Position next_position_;
  HeadLookup committed_head_;
  RowLookup committed_row_;
  std::unordered_map<std::string, StreamHead> touched_;
  std::map<std::pair<Table, std::string>, std::optional<std::string>> rows_;
  std::vector<Table> cleared_;  // expectable tables the group cleared: rows not in rows_ are gone
};

/// Checks the shape of a request: streams named, distinct and NUL-free, event types set,
/// keys non-empty, and something to do.
Status validate_request(const WriteRequest& request);

}  // namespace benefitd::store
