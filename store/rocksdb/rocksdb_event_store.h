#pragma once
// RocksDbEventStore: the product's EventStore, on an embedded RocksDB.
//
// Layout (column families): "events" position (8-byte big-endian) -> encoded event;
// "streams" 'v' + stream + NUL + version -> position, and 'h' + stream -> the stream's head;
// "default" holds the log's last position; one family per Table for keyed records.
//
// Group commit: appends queue to one writer thread, which sequences everything queued into one
// WriteBatch and writes it with one fsync (R-ENG-3), then hands the group to an acknowledger
// thread that runs the callbacks, so that waking callers overlaps the next group's fsync
// (waking dozens of threads costs more than an fsync on a virtual machine). When nothing is
// queued behind a group and no earlier one is being acknowledged, the writer runs its
// callbacks itself: a lone caller then waits for one thread hop, not two. Either way groups
// are acknowledged in commit order. Because one
// thread assigns positions, the log has no gaps; because one batch carries a whole request,
// readers never see part of one. Opening reads the last position from a record written with
// every batch, so recovery needs no scan of the log. Row counts of the counted tables are
// written with the batches that change them, for the same reason.
//
// Thread safety: all methods are thread-safe. Destruction commits what is already queued.

#include <array>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "store/append_sequencer.h"
#include "store/event_store.h"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
}  // namespace rocksdb

namespace benefitd::store {

enum class Durability {
  fsync,  // acknowledge only after the write-ahead log is on disk (the default)
  none,   // acknowledge once written to the OS; a machine crash may lose acknowledged appends
};

struct RocksDbOptions {
  std::filesystem::path path;
  Durability durability = Durability::fsync;
  bool create_if_missing = true;
  /// Memory for uncompressed blocks read from disk, shared by every column family. Loads of
  /// aggregates, stream heads and view rows are point reads: they hit it rather than the disk.
  std::size_t block_cache_bytes = std::size_t{256} << 20;
};

class RocksDbEventStore final : public EventStore {
 public:
  /// Opens (or creates) the store at options.path.
  static Status open(const RocksDbOptions& options, std::unique_ptr<RocksDbEventStore>* out);

  ~RocksDbEventStore() override;
  RocksDbEventStore(const RocksDbEventStore&) = delete;
  RocksDbEventStore& operator=(const RocksDbEventStore&) = delete;

  void append_async(WriteRequest request, AppendCallback done) override;
  Status read_stream(std::string_view stream, Version from, std::size_t max_count,
                     std::vector<RecordedEvent>* out) const override;
  Status read_all(Position from, std::size_t max_count,
                  std::vector<RecordedEvent>* out) const override;
  Status read_at(const std::vector<Position>& positions, std::vector<RecordedEvent>* out) const override;
  Status stream_version(std::string_view stream, Version* out) const override;
  Position last_position() const override;
  Status get(Table table, std::string_view key, std::optional<std::string>* out) const override;
  Status scan(Table table, std::string_view from_key, std::string_view to_key,
              std::size_t max_count, std::vector<KeyValue>* out) const override;
  std::optional<std::size_t> row_count(Table table) const override;
  void add_commit_observer(CommitObserver observer) override;

 private:
  using RowCounts = std::array<std::uint64_t, kCountedTables.size()>;

  struct PendingAppend {
    WriteRequest request;
    AppendCallback done;
  };

  // A committed (or failed) group on its way to its callers.
  struct CompletedGroup {
    std::vector<AppendCallback> callbacks;
    std::vector<AppendResult> results;
    Position committed_position = 0;  // set when the group changed the store
  };

  RocksDbEventStore(Durability durability, std::unique_ptr<rocksdb::DB> db,
                    std::vector<rocksdb::ColumnFamilyHandle*> handles, Position last_position,
                    const RowCounts& row_counts);

  void run_writer();
  void run_acknowledger();
  /// The events at `positions` (8-byte big-endian keys of the events family), in that order.
  Status read_encoded_positions(const std::vector<std::string>& positions, std::vector<RecordedEvent>* out) const;
  /// Runs the group's commit observers, then its callbacks.
  void acknowledge(CompletedGroup& group);
  CompletedGroup commit_group(std::vector<PendingAppend>& group);
  Status committed_head(std::string_view stream, StreamHead* head);
  Status committed_key(Table table, std::string_view key, bool* present);
  rocksdb::ColumnFamilyHandle* table_family(Table table) const;

  const Durability durability_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> families_;  // in the order of kFamilyNames
  std::atomic<Position> last_position_;
  std::array<std::atomic<std::uint64_t>, kCountedTables.size()> row_counts_;

  std::mutex queue_mutex_;
  std::condition_variable queue_ready_;
  std::vector<PendingAppend> queue_;
  bool stopping_ = false;

  std::mutex acknowledge_mutex_;
  std::condition_variable acknowledge_ready_;
  std::vector<CompletedGroup> completed_;
  bool acknowledging_ = false;  // the acknowledger is running callbacks of earlier groups
  bool writer_done_ = false;

  std::mutex observers_mutex_;
  std::vector<CommitObserver> observers_;

  // Writer thread only: heads of recently written streams, so most appends read no head from
  // disk. Dropped when it grows large; the disk always has every head.
  std::unordered_map<std::string, StreamHead> head_cache_;
  Position next_position_;

  // Started last, in the constructor's body, once everything they use is set.
  std::thread acknowledger_;
  std::thread writer_;
};

}  // namespace benefitd::store
