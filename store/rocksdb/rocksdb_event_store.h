#pragma once
// RocksDbEventStore: the product's EventStore, on an embedded RocksDB.
//
// Layout (column families): "events" position (8-byte big-endian) -> encoded event;
// "streams" 'v' + stream + NUL + version -> position, and 'h' + stream -> the stream's head;
// "default" holds the log's last position and its times by block (log_times.h); one family per
// Table for keyed records (a table replaced in bulk gets a new family each time: see
// table_families.h).
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
// Faults (a full disk, descriptors run out, a failing device): the first failed write puts the
// store in a failed state in which the writer writes nothing more, and refuses every append at
// once with an I/O error, until it has recovered by itself: with back-off, once the disk has
// its reserve, it closes and reopens the database (RocksDB 7.8 cannot resume in place after a
// failed write-ahead log write: its log writer stays failed) and reloads what it keeps in
// memory from disk. Readers keep reading the open database meanwhile, except during a
// reopen. Before writing a group the writer also checks the file system's free space and
// refuses, writing nothing, the requests that do not complete acknowledged work while it is
// below `reserved_disk_bytes`: that reserve leaves room for the views, flushes and
// compactions, so a disk that fills up stops commands cleanly, well before RocksDB itself
// meets ENOSPC. RocksDB's diagnostic log goes to spdlog, never to a file on the data disk
// (see rocksdb_logger.h for why).
//
// Thread safety: all methods are thread-safe. Destruction commits what is already queued.

#include <array>
#include <chrono>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/append_sequencer.h"
#include "store/event_store.h"
#include "store/string_key_hash.h"

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
  /// Free space the store keeps on its file system: below it, appends are refused, except those
  /// that complete acknowledged work (WriteRequest::completes_acknowledged), and compactions
  /// too, by RocksDB's SstFileManager, until space is freed. 0 turns the check off.
  std::uint64_t reserved_disk_bytes = std::uint64_t{128} << 20;
  /// Waits between attempts to recover from a failed write: the first, doubled up to the last.
  std::chrono::milliseconds first_recovery_delay{100};
  std::chrono::milliseconds last_recovery_delay{5000};
  /// Memory a table replacement holds its new rows in before it writes them to a table file.
  std::size_t replacement_run_bytes = std::size_t{128} << 20;
  /// How many stream heads the writer keeps in memory (about 100 bytes each) before it drops
  /// them all and starts again; heads it does not hold are read from disk.
  std::size_t head_cache_limit = std::size_t{1} << 20;
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
  /// From the records of the log's times (log_times.h), kept in the default family.
  Status positions_in_time(Timestamp from, Timestamp to, std::vector<PositionRange>* out) const override;
  Status stream_version(std::string_view stream, Version* out) const override;
  Position last_position() const override;
  Status get(Table table, std::string_view key, std::optional<std::string>* out) const override;
  Status scan(Table table, std::string_view from_key, std::string_view to_key,
              std::size_t max_count, std::vector<KeyValue>* out) const override;
  std::optional<std::size_t> row_count(Table table) const override;
  void add_commit_observer(CommitObserver observer) override;
  WriteHealth write_health() const override;
  /// A RocksDB Checkpoint: the memtables are flushed, then the table files are hard-linked
  /// (so `dir` must be on the store's file system) and the small metadata files copied, with
  /// the write-ahead log they need; instant whatever the store's size, and consistent because
  /// every request is one batch.
  Status checkpoint(const std::filesystem::path& dir) const override;
  /// Table files ingested at once, into a new generation of the table: see
  /// rocksdb_table_replacement.h. Its files live in the directory "replacing-" + the table's
  /// name, inside the store's. Its commit waits for the writer thread, between two groups.
  Status replace_table(Table table, std::unique_ptr<TableReplacement>* out) override;

 private:
  friend class RocksDbTableReplacement;
  /// Table files for one table, in the order they take sequence numbers.
  struct TableFiles {
    Table table;
    std::vector<std::filesystem::path> files;
  };
  /// Moves `table_files` into a new generation of `table` (see table_families.h) and
  /// `other_files` into their tables, all of them or none (one IngestExternalFiles), then serves
  /// the new generation and drops the old one. Runs on the writer thread, between two groups;
  /// writes the generation's own record as a file in `work_dir`.
  Status ingest_replacement(Table table, std::vector<std::filesystem::path> table_files,
                            std::vector<TableFiles> other_files, const std::filesystem::path& work_dir);
  /// Writer thread: the work of ingest_replacement, holding database_mutex_ exclusively.
  Status ingest_generation(Table table, const std::vector<std::filesystem::path>& table_files,
                           const std::vector<TableFiles>& other_files, const std::filesystem::path& work_dir);

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

  // An open database with its column family handles, in the order of kFamilyNames.
  struct Database;
  // What opening reads once: the log's last position and the counted tables' row counts.
  struct Recovered {
    Position last_position = 0;
    RowCounts row_counts{};
  };

  static Status open_database(const RocksDbOptions& options, std::unique_ptr<Database>* out,
                              Recovered* recovered);

  RocksDbEventStore(const RocksDbOptions& options, std::unique_ptr<Database> database,
                    const Recovered& recovered);

  void run_writer();
  /// Writer thread: whether the file system has the reserve; sets `why` when not.
  bool disk_has_reserve(std::string* why) const;
  /// Writer thread: one attempt to leave the failed state (see the header comment).
  void try_recover();
  /// Writer thread: closes and opens the database again, holding database_mutex_ exclusively.
  Status reopen();
  void set_health(WriteHealth::Fault fault, std::string reason);
  /// Fails every request of `group` at once with `why`, writing nothing.
  CompletedGroup refuse_group(std::vector<PendingAppend>& group, const std::string& why);
  void run_acknowledger();
  /// The events at `positions` (8-byte big-endian keys of the events family), in that order.
  Status read_encoded_positions(const std::vector<std::string>& positions, std::vector<RecordedEvent>* out) const;
  /// Tells every commit observer that the log has reached `position`.
  void notify_observers(Position position);
  /// Runs the group's commit observers, then its callbacks.
  void acknowledge(CompletedGroup& group);
  /// Sequences and writes `group` in one batch. With `low_space` set, requests that do not
  /// complete acknowledged work are refused with it, the others written.
  CompletedGroup commit_group(std::vector<PendingAppend>& group, const std::string& low_space);
  /// The head of `stream` as last committed (none: version 0), from the heads in memory or
  /// else the disk. The caller holds database_mutex_ or is the writer thread.
  Status committed_head(std::string_view stream, StreamHead* head) const;
  /// Empties the heads in memory; a head read from disk before then is not added after. The
  /// caller holds head_cache_mutex_ exclusively.
  void drop_heads();
  Status committed_key(Table table, std::string_view key, bool* present);
  /// Writer thread: widens `times` (a commit's events in `block`) by the block's record as last
  /// committed, if it has one; `widens` tells whether that record must be written again.
  Status widen_block_times(log_times::Block block, log_times::BlockTimes* times, bool* widens) const;

  const RocksDbOptions options_;
  // Readers hold it shared; the writer thread holds it exclusively only to reopen and to swap a
  // table's generation. The writer thread reads it without the lock: no other changes it. Null after
  // a reopen that failed, until one succeeds: reads then fail with an I/O error.
  mutable std::shared_mutex database_mutex_;
  std::unique_ptr<Database> database_;
  std::atomic<Position> last_position_;
  std::array<std::atomic<std::uint64_t>, kCountedTables.size()> row_counts_;

  std::mutex queue_mutex_;
  std::condition_variable queue_ready_;
  std::vector<PendingAppend> queue_;
  std::vector<std::packaged_task<Status()>> tasks_;  // for the writer thread, before its next group
  bool stopping_ = false;

  std::mutex acknowledge_mutex_;
  std::condition_variable acknowledge_ready_;
  std::vector<CompletedGroup> completed_;
  bool acknowledging_ = false;  // the acknowledger is running callbacks of earlier groups
  bool writer_done_ = false;

  mutable std::mutex health_mutex_;
  WriteHealth health_;

  // Writer thread only: set by a failed write, cleared by a recovery.
  bool failed_ = false;
  std::chrono::steady_clock::time_point next_recovery_;
  std::chrono::milliseconds recovery_delay_{0};

  std::mutex observers_mutex_;
  std::vector<CommitObserver> observers_;

  // Heads of recently written or read streams, so that most appends, and most stream_version
  // calls (an aggregate's load checks its cached state against the head), read no head from
  // disk. Dropped whole when it grows large, and at a reopen; the disk always has every head.
  // The writer thread sets the heads it wrote once their write has succeeded and before its
  // group is acknowledged. A head read from disk is added only where no head is held (the
  // writer's is newer or the same) and only if nothing was dropped since the read began
  // (head_cache_generation_ unchanged), so a head never goes back. Reads take the shared lock,
  // changes the unique one.
  mutable std::shared_mutex head_cache_mutex_;
  mutable std::unordered_map<std::string, StreamHead, StringKeyHash, std::equal_to<>> head_cache_;
  mutable std::uint64_t head_cache_generation_ = 0;  // how many times the heads were dropped
  Position next_position_;
  // Writer thread only: the record of the last block it wrote times into, as committed (so
  // that a commit does not read back the record the previous one wrote); reset by a reopen.
  std::optional<std::pair<log_times::Block, log_times::BlockTimes>> last_block_times_;

  // Started last, in the constructor's body, once everything they use is set.
  std::thread acknowledger_;
  std::thread writer_;
};

}  // namespace benefitd::store
