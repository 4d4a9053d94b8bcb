#pragma once
// EventStore: the append-only event log with its keyed side tables.
//
// Contract (R-ENG-1, R-ENG-2, R-ENG-3, R-ENG-6):
// - A WriteRequest commits all or nothing: every stream's expectation holds and all its events
//   and keyed writes become visible and durable together, or nothing of it is written.
// - The global log's positions are 1, 2, 3... with no gaps; a stream's versions are 1..n with
//   no gaps. A request that fails consumes no position.
// - Each event carries the hash of its stream's previous event and its own hash.
// - A request is acknowledged (its callback runs) only once it is durable, unless the store was
//   opened with durability turned off.
// - Readers see whole requests only, never part of one.
//
// Thread safety: every method may be called from any thread concurrently.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/event.h"
#include "store/log_times.h"
#include "store/status.h"
#include "store/table_replacement.h"
#include "store/write_request.h"

namespace benefitd::store {

struct KeyValue {
  std::string key;
  std::string value;
};

/// Whether the store accepts writes now (for health checks and metrics). A store that does not
/// refuses every append with an I/O error and changes nothing, until it recovers by itself.
struct WriteHealth {
  enum class Fault {
    none,
    disk_nearly_full,  // below the free space the store keeps in reserve; nothing failed
    write_failed,      // a write failed; the store is recovering by itself
  };
  Fault fault = Fault::none;
  std::string reason;  // why not, in words for the operator's log; may name files
  std::uint64_t recoveries = 0;  // times the store came back after failing to write
  bool writable() const { return fault == Fault::none; }
};

class EventStore {
 public:
  using AppendCallback = std::function<void(AppendResult)>;
  using CommitObserver = std::function<void(Position last_position)>;
  /// `view_keys`: the keys of the views table the commit wrote, a row positioned at an event
  /// by its key prefix (InlineViews' form); nullptr when the commit did not say (any view may
  /// have changed).
  using ForeignCommitObserver = std::function<void(Position last_position, const std::vector<std::string>* view_keys)>;

  virtual ~EventStore() = default;

  /// Queues `request` for the next group commit. `done` runs exactly once with the outcome,
  /// possibly on a store thread; it must be quick and must not call append() (which waits
  /// for that thread). Appends from one thread commit in the order they were queued.
  virtual void append_async(WriteRequest request, AppendCallback done) = 0;

  /// Appends and waits for the outcome. Must not be called from an AppendCallback.
  AppendResult append(WriteRequest request);

  /// Up to `max_count` events of `stream` from version `from` (1-based) on, in order.
  virtual Status read_stream(std::string_view stream, Version from, std::size_t max_count,
                             std::vector<RecordedEvent>* out) const = 0;

  /// Up to `max_count` events of the global log from position `from` (1-based) on, in order.
  /// On a record that does not decode, returns corruption with the events before it in `out`.
  virtual Status read_all(Position from, std::size_t max_count,
                          std::vector<RecordedEvent>* out) const = 0;

  /// The events at `positions`, in that order, each a point read (for an index that names
  /// positions, such as a partner's slice of the log). A position the log does not hold is
  /// corruption.
  virtual Status read_at(const std::vector<Position>& positions, std::vector<RecordedEvent>* out) const = 0;

  /// Stretches of the log that hold every event that occurred within [from, to] (both
  /// included), ascending and apart; they may hold other events too (see log_times.h). This
  /// one answers the whole log: a store that keeps its log's times answers less.
  virtual Status positions_in_time(Timestamp from, Timestamp to, std::vector<PositionRange>* out) const;

  /// The version of the last event of `stream`; 0 if the stream has no events.
  virtual Status stream_version(std::string_view stream, Version* out) const = 0;

  /// The position of the last committed event; 0 for an empty log. Never blocks.
  virtual Position last_position() const = 0;

  /// The value of `key` in `table`, or nullopt.
  virtual Status get(Table table, std::string_view key, std::optional<std::string>* out) const = 0;

  /// Up to `max_count` entries of `table` with from_key <= key < to_key (an empty to_key means
  /// no upper bound), in key order.
  virtual Status scan(Table table, std::string_view from_key, std::string_view to_key,
                      std::size_t max_count, std::vector<KeyValue>* out) const = 0;

  /// The number of rows of `table`, kept by the store as it commits: nullopt unless `table` is
  /// one of kCountedTables. Never scans and never blocks on a commit.
  virtual std::optional<std::size_t> row_count(Table table) const = 0;

  /// Registers `observer` to run after each commit that changed anything, with a position the
  /// log has reached (concurrent commits may report out of order: keep the maximum). It runs
  /// on a store thread with the same rules as an AppendCallback.
  virtual void add_commit_observer(CommitObserver observer) = 0;
  /// Registers `observer` to run after each commit made by another process sharing the store,
  /// once this store has heard of it (after the commit observers), with the position it
  /// reached and the view keys it wrote; the same rules as a CommitObserver. A commit may be
  /// reported in parts, each with some of its keys. A store no other process writes never
  /// runs it.
  virtual void add_foreign_commit_observer(ForeignCommitObserver /*observer*/) {}
  /// Whether appends can succeed now. Never blocks. A store that never fails says so.
  virtual WriteHealth write_health() const { return {}; }
  /// Writes a consistent copy of the store, as it is at one instant between commits, into
  /// `dir` (which must not exist yet), while appends go on. A store that does not keep its
  /// data in local files (in memory, PostgreSQL) refuses with invalid_argument.
  virtual Status checkpoint(const std::filesystem::path& dir) const;
  /// Starts new contents for `table` (see table_replacement.h), for a rebuild of derived rows
  /// (the views) that leaves the current ones served until the new ones are complete. Appends
  /// go on meanwhile; the caller must be the table's only writer until it commits. This one
  /// gathers the rows in memory and commits them as one write request; a store that can put a
  /// large table in place more cheaply does so.
  virtual Status replace_table(Table table, std::unique_ptr<TableReplacement>* out);
};

}  // namespace benefitd::store
