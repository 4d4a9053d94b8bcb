#pragma once
// What one atomic write holds (WriteRequest) and what it answers (AppendResult).
// Plain values; thread safety is that of the standard containers they hold.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/event.h"
#include "store/status.h"

namespace benefitd::store {

/// The version a stream must be at for an append to it to be accepted.
class ExpectedVersion {
 public:
  enum class Kind { any, no_stream, exact };

  static ExpectedVersion any() { return {Kind::any, 0}; }
  static ExpectedVersion no_stream() { return {Kind::no_stream, 0}; }
  static ExpectedVersion exactly(Version version) { return {Kind::exact, version}; }

  Kind kind() const { return kind_; }
  Version version() const { return version_; }
  /// True if a stream at `actual` satisfies this expectation.
  bool matches(Version actual) const;
  /// "any", "no stream" or "version N", for messages.
  std::string describe() const;

 private:
  ExpectedVersion(Kind kind, Version version) : kind_(kind), version_(version) {}

  Kind kind_;
  Version version_;
};

/// Events for one stream. An empty `events` list is a pure check: the append fails unless
/// the stream is at `expected`, which lets a command depend on a stream it does not change.
struct StreamAppend {
  std::string stream;  // non-empty, no NUL bytes
  ExpectedVersion expected = ExpectedVersion::any();
  std::vector<EventData> events;
};

/// Keyed tables that commit in the same batch as events, so that an event and its
/// consequences are durable together or not at all.
/// credentials holds what the log must never hold (token hashes, R-AUTH-9); unlike views it is
/// not derived from the log, so it is never dropped by a rebuild.
/// dead_letters holds the notifications the notifier gave up on (moved out of the outbox after
/// their last failed attempt), for the operator to inspect and retry.
enum class Table { idempotency, timers, views, checkpoints, outbox, credentials, dead_letters };
inline constexpr std::array kAllTables = {Table::idempotency, Table::timers,      Table::views,
                                          Table::checkpoints, Table::outbox,      Table::credentials,
                                          Table::dead_letters};
/// Stable name of a table (also its RocksDB column family name).
std::string_view table_name(Table table);

/// Tables whose rows the store counts as it writes them (EventStore::row_count), so that
/// gauges such as pending timers cost nothing to read however large the table grows.
inline constexpr std::array kCountedTables = {Table::timers, Table::outbox, Table::dead_letters};
/// The index of `table` in kCountedTables, or nullopt if the store does not count it.
constexpr std::optional<std::size_t> counted_index(Table table) {
  for (std::size_t i = 0; i < kCountedTables.size(); ++i) {
    if (kCountedTables[i] == table) return i;
  }
  return std::nullopt;
}

/// The longest key a table accepts.
inline constexpr std::size_t kMaxKeyBytes = 4096;

/// The text a positioned key ends with: `position` as 20 decimal digits, zero-padded, so that
/// key order is log order.
std::string position_key_suffix(Position position);

/// Sets (value present) or deletes (value absent) one key of a table, or deletes every key of
/// the table (whole_table). Writes apply in order, so a put after a clear in the same request
/// survives it.
///
/// A positioned write (at_event set) depends on where an event of its own request lands in the
/// log, which is unknown until the request commits: the position of the request's event number
/// at_event (counted from 0 over the streams' events in order) completes the key, as `key`
/// followed by position_key_suffix(position), or, with position_is_value, is the value, as
/// encode_big_endian(position). The store completes the write as it assigns positions, and
/// applies positioned writes after the request's other writes. Tables in kCountedTables take
/// no positioned writes.
struct KeyedWrite {
  Table table;
  std::string key;  // 1..kMaxKeyBytes bytes (with the suffix, if positioned); empty for a clear
  std::optional<std::string> value;
  bool whole_table = false;
  std::optional<std::size_t> at_event;
  bool position_is_value = false;

  static KeyedWrite put(Table table, std::string key, std::string value) {
    return {table, std::move(key), std::move(value), false, std::nullopt, false};
  }
  static KeyedWrite erase(Table table, std::string key) {
    return {table, std::move(key), std::nullopt, false, std::nullopt, false};
  }
  static KeyedWrite clear(Table table) { return {table, "", std::nullopt, true, std::nullopt, false}; }
  static KeyedWrite put_at_event(Table table, std::string key_prefix, std::size_t event_index,
                                 std::string value) {
    return {table, std::move(key_prefix), std::move(value), false, event_index, false};
  }
  static KeyedWrite put_position_of_event(Table table, std::string key, std::size_t event_index) {
    return {table, std::move(key), std::string(), false, event_index, true};
  }
};

/// Tables whose rows a request may expect (RowExpectation): their writes are few and small, so
/// a store keeps what each commit group wrote to them to check later requests of the group.
inline constexpr std::array kExpectableTables = {Table::timers, Table::checkpoints};

/// A row a request depends on: the request is accepted only if row `key` of `table` holds
/// `value` (with no value: is absent) as the commits before it and the earlier requests of its
/// group left it, checked under the same lock as the streams' expected versions. Of several
/// writers (threads or processes) that expect a row and change it, one wins and the others get
/// a conflict, as with a stream's expected version: a timer whose firing expects its row and
/// erases it fires once however many processes fire it. `table` is one of kExpectableTables.
struct RowExpectation {
  Table table;
  std::string key;  // 1..kMaxKeyBytes bytes
  std::optional<std::string> value;

  bool operator==(const RowExpectation&) const = default;
};

/// One atomic write: appends to any number of distinct streams plus keyed writes, accepted only
/// if every stream's expected version and every expected row holds.
/// Events get consecutive global positions in the order given (streams, then events).
struct WriteRequest {
  std::vector<StreamAppend> streams;
  std::vector<KeyedWrite> writes;
  std::vector<RowExpectation> expected_rows = {};  // checked before any of the request's writes
  /// A write that completes what was already acknowledged (a projection's chunk of views)
  /// rather than something new: it may use the disk space a store keeps in reserve, so that
  /// acknowledged commands become visible even on a nearly full disk.
  bool completes_acknowledged = false;
};

/// A stream whose version did not match the expectation.
struct Conflict {
  std::string stream;
  ExpectedVersion expected;
  Version actual = 0;
};

struct AppendResult {
  Status status;
  /// Positions given to the request's events; both 0 if it appended none.
  Position first_position = 0;
  Position last_position = 0;
  /// The log's last position with this request applied: its read-your-writes token.
  Position log_position = 0;
  /// For each StreamAppend, in order, the stream's version after the request.
  std::vector<Version> stream_versions;
  /// Set when status is conflict because of a stream's version.
  std::optional<Conflict> conflict;
  /// Set when status is conflict because of an expected row: the expectation that failed.
  std::optional<RowExpectation> row_conflict;
};

}  // namespace benefitd::store
