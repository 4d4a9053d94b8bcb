#include "store/rocksdb/rocksdb_event_store.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/sst_file_manager.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/write_batch.h>
#include <spdlog/spdlog.h>
#include <sys/statvfs.h>

#include <rocksdb/sst_file_writer.h>

#include <algorithm>
#include <future>
#include <map>
#include <utility>

#include "store/event_codec.h"
#include "store/rocksdb/ordered_batch.h"
#include "store/rocksdb/rocksdb_logger.h"
#include "store/rocksdb/rocksdb_table_replacement.h"
#include "store/rocksdb/table_families.h"
#include "store/row_counter.h"

namespace benefitd::store {

namespace {

// Column families, in the order of the handles the store keeps. Tables follow kAllTables.
constexpr std::size_t kMetaFamily = 0;
constexpr std::size_t kEventsFamily = 1;
constexpr std::size_t kStreamsFamily = 2;
constexpr std::size_t kFirstTableFamily = 3;

constexpr std::string_view kLastPositionKey = "last-position";
// Followed by a counted table's name: its row count, 8-byte big-endian.
constexpr std::string_view kRowCountKeyPrefix = "rows/";
// Followed by a block's number (8-byte big-endian): its times (log_times.h).
constexpr std::string_view kLogTimesKeyPrefix = "log-times/";
constexpr std::uint64_t kMaxWriteAheadLogBytes = 64 << 20;

std::vector<std::string> family_names() {
  std::vector<std::string> names = {rocksdb::kDefaultColumnFamilyName, "events", "streams"};
  for (const Table table : kAllTables) names.emplace_back(table_name(table));
  return names;
}

Status from_rocksdb(const rocksdb::Status& status) {
  if (status.ok()) return Status::ok();
  if (status.IsCorruption()) return Status::corruption(status.ToString());
  if (status.IsInvalidArgument()) return Status::invalid_argument(status.ToString());
  return Status::io_error(status.ToString());
}

rocksdb::Slice slice(std::string_view bytes) { return {bytes.data(), bytes.size()}; }

std::string index_prefix(std::string_view stream) {
  std::string key;
  key.reserve(stream.size() + 2);
  key.push_back('v');
  key.append(stream);
  key.push_back('\0');
  return key;
}

std::string index_key(std::string_view stream, Version version) {
  return index_prefix(stream) + encode_big_endian(version);
}

std::string head_key(std::string_view stream) {
  std::string key = "h";
  key.append(stream);
  return key;
}

std::string encode_head(const StreamHead& head) {
  std::string bytes = encode_big_endian(head.version);
  bytes.append(reinterpret_cast<const char*>(head.last_hash.data()), head.last_hash.size());
  return bytes;
}

Status decode_head(std::string_view bytes, StreamHead* head) {
  if (bytes.size() != 8 + head->last_hash.size() ||
      !decode_big_endian(bytes.substr(0, 8), &head->version)) {
    return Status::corruption("stream head record has the wrong size");
  }
  std::copy(bytes.begin() + 8, bytes.end(), head->last_hash.begin());
  return Status::ok();
}

std::size_t family_of(Table table) {
  return kFirstTableFamily + static_cast<std::size_t>(std::find(kAllTables.begin(), kAllTables.end(), table) -
                                                      kAllTables.begin());
}

std::string log_times_key(log_times::Block block) {
  return std::string(kLogTimesKeyPrefix) + encode_big_endian(block);
}

std::string row_count_key(Table table) {
  return std::string(kRowCountKeyPrefix) + std::string(table_name(table));
}

// The row count of a counted table as recorded with the last batch that changed it, or, for a
// store written before counts were kept (or never written to the table), counted once here.
Status read_row_count(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* meta,
                      rocksdb::ColumnFamilyHandle* table_family, Table table, std::uint64_t* out) {
  std::string stored;
  const auto status = db.Get(rocksdb::ReadOptions(), meta, row_count_key(table), &stored);
  if (status.ok()) {
    return decode_big_endian(stored, out) ? Status::ok()
                                          : Status::corruption("the row count record has the wrong size");
  }
  if (!status.IsNotFound()) return from_rocksdb(status);
  rocksdb::ReadOptions scan;
  scan.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(scan, table_family));
  *out = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) ++*out;
  return from_rocksdb(it->status());
}

}  // namespace

struct RocksDbEventStore::Database {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> families;  // in the order of family_names(): current generations
  rocksdb::ColumnFamilyOptions family_options;          // every family's, new generations' too

  Database(std::unique_ptr<rocksdb::DB> opened, std::vector<rocksdb::ColumnFamilyHandle*> handles,
           rocksdb::ColumnFamilyOptions options)
      : db(std::move(opened)), families(std::move(handles)), family_options(std::move(options)) {}
  ~Database() {
    for (auto* handle : families) db->DestroyColumnFamilyHandle(handle);
    // After a failed write the log writer refuses to flush its buffer; closing still releases
    // every file, and the next open replays what the log holds.
    db->Close().PermitUncheckedError();
  }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  rocksdb::ColumnFamilyHandle* meta() const { return families[kMetaFamily]; }
  rocksdb::ColumnFamilyHandle* events() const { return families[kEventsFamily]; }
  rocksdb::ColumnFamilyHandle* streams() const { return families[kStreamsFamily]; }
  rocksdb::ColumnFamilyHandle* table(Table table) const { return families[family_of(table)]; }
  /// The current generation of `table`, as the name of its family says.
  std::uint64_t generation(Table of) const { return table_generation_of(table(of)->GetName())->generation; }

  /// Called once, with the families just opened in `families`, `names` theirs: keeps each
  /// table's current generation (the meta family records it) and drops the other generations.
  Status settle_generations(const std::vector<std::string>& names);
};

Status RocksDbEventStore::Database::settle_generations(const std::vector<std::string>& names) {
  const auto index_of = [&names](std::string_view name) -> std::optional<std::size_t> {
    const auto found = std::find(names.begin(), names.end(), name);
    if (found == names.end()) return std::nullopt;
    return static_cast<std::size_t>(found - names.begin());
  };
  std::vector<std::size_t> chosen;  // for each of family_names(), the index of its family in `names`
  const std::vector<std::string> fixed = family_names();
  for (std::size_t i = 0; i < kFirstTableFamily; ++i) chosen.push_back(*index_of(fixed[i]));
  for (const Table table : kAllTables) {
    std::string stored;
    std::uint64_t current = 0;
    const auto status = db->Get(rocksdb::ReadOptions(), families[chosen[kMetaFamily]], generation_key(table), &stored);
    if (status.ok() && !decode_big_endian(stored, &current)) {
      return Status::corruption("the generation record of " + std::string(table_name(table)) + " has the wrong size");
    }
    if (!status.ok() && !status.IsNotFound()) return from_rocksdb(status);
    const auto index = index_of(family_name(table, current));
    if (!index) return Status::corruption("the store has no column family " + family_name(table, current));
    chosen.push_back(*index);
  }
  std::vector<rocksdb::ColumnFamilyHandle*> opened = std::move(families);
  families.clear();
  for (const std::size_t index : chosen) {
    families.push_back(opened[index]);
    opened[index] = nullptr;
  }
  for (std::size_t i = 0; i < opened.size(); ++i) {
    if (opened[i] == nullptr) continue;
    if (table_generation_of(names[i])) {
      if (const auto dropped = db->DropColumnFamily(opened[i]); !dropped.ok()) {
        spdlog::warn("store: cannot drop {}, an old generation of its table: {}", names[i], dropped.ToString());
      }
    }
    db->DestroyColumnFamilyHandle(opened[i]).PermitUncheckedError();
  }
  return Status::ok();
}

namespace {

/// A request the writer refuses without writing it.
AppendResult refusal(const std::string& why) {
  AppendResult refused;
  refused.status = Status::io_error("nothing was stored: " + why);
  return refused;
}

Status no_database() {
  return Status::io_error("the store is being reopened after a failed write");
}

}  // namespace

Status RocksDbEventStore::open(const RocksDbOptions& options,
                               std::unique_ptr<RocksDbEventStore>* out) {
  if (options.create_if_missing) {
    std::error_code error;
    std::filesystem::create_directories(options.path, error);
    if (error) {
      return Status::io_error("cannot create " + options.path.string() + ": " + error.message());
    }
  }
  std::unique_ptr<Database> database;
  Recovered recovered;
  if (Status status = open_database(options, &database, &recovered); !status.is_ok()) return status;
  out->reset(new RocksDbEventStore(options, std::move(database), recovered));
  return Status::ok();
}

Status RocksDbEventStore::open_database(const RocksDbOptions& options,
                                        std::unique_ptr<Database>* out, Recovered* recovered) {
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = options.create_if_missing;
  db_options.create_missing_column_families = options.create_if_missing;
  // Opening replays the write-ahead log into memory; capping it makes RocksDB flush the
  // families that hold the oldest log, so recovery after a crash stays short however large
  // the store grows.
  db_options.max_total_wal_size = kMaxWriteAheadLogBytes;
  db_options.info_log = make_rocksdb_logger();
  // Compactions need room for their output before they free their input: they must not take
  // the reserve that lets the store recover, so RocksDB keeps the same amount free for them.
  db_options.sst_file_manager.reset(rocksdb::NewSstFileManager(rocksdb::Env::Default()));
  db_options.sst_file_manager->SetCompactionBufferSize(options.reserved_disk_bytes);

  // Most reads are point reads (a stream's head, a view row, an idempotency record): a Bloom
  // filter per table file spares reading the files that do not hold the key, and one block
  // cache keeps the hot blocks, filters and indexes in memory. Filters and indexes are cut in
  // partitions of a few KiB: whole, a large file's filter runs to a megabyte, such blocks evict
  // one another from the cache's shards, and lookups of new streams' heads read them from disk
  // again and again (a fifth of a seeder's samples at a million events, its purchases down
  // from 1,000/s to 180/s). Only the partitions' top-level indexes stay pinned.
  rocksdb::BlockBasedTableOptions table_options;
  table_options.block_cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  table_options.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table_options.index_type = rocksdb::BlockBasedTableOptions::kTwoLevelIndexSearch;
  table_options.partition_filters = true;
  table_options.cache_index_and_filter_blocks = true;
  table_options.pin_top_level_index_and_filter = true;
  table_options.pin_l0_filter_and_index_blocks_in_cache = true;
  rocksdb::ColumnFamilyOptions family_options;
  family_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table_options));
  // Most point reads look for a key the memtables do not hold (a head or a view row written
  // before the last flush, a stream that does not exist yet): a Bloom filter over each
  // memtable's whole keys answers those without searching its skip list.
  family_options.memtable_prefix_bloom_size_ratio = 0.02;
  family_options.memtable_whole_key_filtering = true;
  // One insert hint per family: a memtable insert then climbs from where the last one went
  // only as far as it must, where RocksDB's default either reuses the last insert's place
  // exactly or searches from the top. A group's rows are put in key order (OrderedBatch), so
  // most inserts land near the previous one.
  family_options.memtable_insert_with_hint_prefix_extractor = OrderedBatch::memtable_insert_hint();

  // Every family the store has must be opened: a table's current generation and any left
  // over (settle_generations drops those), and the families a new store, or a store written
  // before a table existed, lacks.
  std::vector<std::string> names;
  if (!rocksdb::DB::ListColumnFamilies(db_options, options.path.string(), &names).ok()) {
    names.clear();  // a new store; a store that cannot be listed fails to open below, saying why
  }
  for (const std::string& name : family_names()) {
    const auto wanted = table_generation_of(name);
    const bool present = std::any_of(names.begin(), names.end(), [&](const std::string& had) {
      const auto had_generation = table_generation_of(had);
      return had == name || (wanted && had_generation && had_generation->table == wanted->table);
    });
    if (!present) names.push_back(name);
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : names) descriptors.emplace_back(name, family_options);
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw_db = nullptr;
  if (const auto status =
          rocksdb::DB::Open(db_options, options.path.string(), descriptors, &handles, &raw_db);
      !status.ok()) {
    return from_rocksdb(status);
  }
  auto database =
      std::make_unique<Database>(std::unique_ptr<rocksdb::DB>(raw_db), std::move(handles), family_options);
  if (Status status = database->settle_generations(names); !status.is_ok()) return status;
  rocksdb::DB& db = *database->db;

  *recovered = Recovered{};
  std::string stored;
  const auto status = db.Get(rocksdb::ReadOptions(), database->meta(), slice(kLastPositionKey), &stored);
  if (status.ok()) {
    if (!decode_big_endian(stored, &recovered->last_position)) {
      return Status::corruption("the last-position record has the wrong size");
    }
  } else if (!status.IsNotFound()) {
    return from_rocksdb(status);
  }
  for (std::size_t i = 0; i < kCountedTables.size(); ++i) {
    const Table table = kCountedTables[i];
    if (Status read = read_row_count(db, database->meta(), database->table(table), table, &recovered->row_counts[i]);
        !read.is_ok()) {
      return read;
    }
  }
  *out = std::move(database);
  return Status::ok();
}

RocksDbEventStore::RocksDbEventStore(const RocksDbOptions& options, std::unique_ptr<Database> database,
                                     const Recovered& recovered)
    : options_(options),
      database_(std::move(database)),
      last_position_(recovered.last_position),
      next_position_(recovered.last_position + 1) {
  for (std::size_t i = 0; i < recovered.row_counts.size(); ++i) row_counts_[i].store(recovered.row_counts[i]);
  acknowledger_ = std::thread([this] { run_acknowledger(); });
  writer_ = std::thread([this] { run_writer(); });
}

RocksDbEventStore::~RocksDbEventStore() {
  {
    std::lock_guard lock(queue_mutex_);
    stopping_ = true;
  }
  queue_ready_.notify_one();
  writer_.join();
  acknowledger_.join();
  if (!database_) return;
  // Everything is in the synced log already; flushing it to tables spares the next open from
  // replaying the log. A failed flush loses nothing: the next open replays instead. After a
  // failed write nothing is flushed: the log writer has failed, and the next open replays.
  if (!failed_) database_->db->Flush(rocksdb::FlushOptions(), database_->families).PermitUncheckedError();
  database_.reset();
}

void RocksDbEventStore::append_async(WriteRequest request, AppendCallback done) {
  {
    std::lock_guard lock(queue_mutex_);
    queue_.push_back({std::move(request), std::move(done)});
  }
  queue_ready_.notify_one();
}

void RocksDbEventStore::run_writer() {
  std::vector<PendingAppend> group;
  std::vector<std::packaged_task<Status()>> tasks;
  for (;;) {
    {
      std::unique_lock lock(queue_mutex_);
      const auto ready = [this] { return stopping_ || !queue_.empty() || !tasks_.empty(); };
      if (failed_) {
        // Wake for the next recovery attempt even when nobody appends.
        queue_ready_.wait_until(lock, next_recovery_, ready);
      } else {
        queue_ready_.wait(lock, ready);
      }
      if (stopping_ && queue_.empty() && tasks_.empty()) break;  // nothing left to commit
      group.swap(queue_);
      tasks.swap(tasks_);
    }
    for (auto& task : tasks) task();
    tasks.clear();
    if (failed_ && std::chrono::steady_clock::now() >= next_recovery_) try_recover();
    if (group.empty()) continue;
    CompletedGroup completed;
    if (failed_) {
      std::lock_guard lock(health_mutex_);
      completed = refuse_group(group, health_.reason);
    } else {
      std::string low_space;
      completed = commit_group(group, disk_has_reserve(&low_space) ? std::string() : low_space);
    }
    group.clear();
    // With nothing queued behind this group and nothing still being acknowledged, no fsync
    // is waiting for the callbacks: run them here and spare the callers a second thread hop.
    bool inline_acknowledgement = false;
    {
      std::scoped_lock lock(queue_mutex_, acknowledge_mutex_);
      inline_acknowledgement = queue_.empty() && completed_.empty() && !acknowledging_;
      if (!inline_acknowledgement) completed_.push_back(std::move(completed));
    }
    if (inline_acknowledgement) {
      acknowledge(completed);
    } else {
      acknowledge_ready_.notify_one();
    }
  }
  {
    std::lock_guard lock(acknowledge_mutex_);
    writer_done_ = true;
  }
  acknowledge_ready_.notify_one();
}

bool RocksDbEventStore::disk_has_reserve(std::string* why) const {
  if (options_.reserved_disk_bytes == 0) return true;
  struct statvfs space {};
  if (::statvfs(options_.path.c_str(), &space) != 0) return true;  // unknown: let RocksDB tell
  const std::uint64_t free_bytes = std::uint64_t{space.f_bavail} * space.f_frsize;
  if (free_bytes >= options_.reserved_disk_bytes) return true;
  *why = "the disk is nearly full: " + std::to_string(free_bytes >> 20) + " MiB free, " +
         std::to_string(options_.reserved_disk_bytes >> 20) + " MiB kept in reserve";
  return false;
}

void RocksDbEventStore::set_health(WriteHealth::Fault fault, std::string reason) {
  std::lock_guard lock(health_mutex_);
  if (fault == WriteHealth::Fault::none && !health_.writable()) ++health_.recoveries;
  health_.fault = fault;
  health_.reason = std::move(reason);
}

WriteHealth RocksDbEventStore::write_health() const {
  WriteHealth health;
  {
    std::lock_guard lock(health_mutex_);
    health = health_;
  }
  if (health.writable() && !disk_has_reserve(&health.reason)) health.fault = WriteHealth::Fault::disk_nearly_full;
  return health;
}

RocksDbEventStore::CompletedGroup RocksDbEventStore::refuse_group(std::vector<PendingAppend>& group,
                                                                  const std::string& why) {
  CompletedGroup refused;
  for (PendingAppend& pending : group) {
    refused.callbacks.push_back(std::move(pending.done));
    refused.results.push_back(refusal(why));
  }
  return refused;
}

void RocksDbEventStore::try_recover() {
  std::string why;
  Status status = disk_has_reserve(&why) ? reopen() : Status::io_error(why);
  if (!status.is_ok()) {
    recovery_delay_ = std::min(recovery_delay_ * 2, options_.last_recovery_delay);
    next_recovery_ = std::chrono::steady_clock::now() + recovery_delay_;
    set_health(WriteHealth::Fault::write_failed, "recovering from a failed write: " + status.message());
    return;
  }
  failed_ = false;
  set_health(WriteHealth::Fault::none, {});
  spdlog::warn("store: writes resumed after reopening the store at position {}", last_position());
  // A write reported as failed may have reached the log after all (its fsync failed, its
  // record did not): the reopened log then holds it, and followers must hear of it.
  notify_observers(last_position());
}

void RocksDbEventStore::notify_observers(Position position) {
  std::vector<CommitObserver> observers;
  {
    std::lock_guard lock(observers_mutex_);
    observers = observers_;
  }
  for (const CommitObserver& observer : observers) observer(position);
}

Status RocksDbEventStore::reopen() {
  // Always a reopen, never DB::Resume: after a failed write-ahead log write RocksDB 7.8 keeps
  // its log writer failed (Resume answers Busy and writes keep failing), and resuming in place
  // could leave a failed batch in that log for a later open to replay behind newer batches.
  // A reopen replays the log once, up to its last whole record, and starts a new one.
  std::unique_lock lock(database_mutex_);
  database_.reset();
  std::unique_ptr<Database> database;
  Recovered recovered;
  if (Status status = open_database(options_, &database, &recovered); !status.is_ok()) return status;
  database_ = std::move(database);
  std::unique_lock cache_lock(head_cache_mutex_);
  drop_heads();
  cache_lock.unlock();
  next_position_ = recovered.last_position + 1;
  last_block_times_.reset();  // the failed write may be on disk after all: read the record again
  for (std::size_t i = 0; i < recovered.row_counts.size(); ++i) row_counts_[i].store(recovered.row_counts[i]);
  last_position_.store(recovered.last_position, std::memory_order_release);
  return Status::ok();
}

void RocksDbEventStore::run_acknowledger() {
  std::vector<CompletedGroup> groups;
  for (;;) {
    {
      std::unique_lock lock(acknowledge_mutex_);
      acknowledging_ = false;
      acknowledge_ready_.wait(lock, [this] { return writer_done_ || !completed_.empty(); });
      if (completed_.empty()) return;  // the writer stopped and everything is acknowledged
      groups.swap(completed_);
      acknowledging_ = true;
    }
    for (CompletedGroup& group : groups) acknowledge(group);
    groups.clear();
  }
}

void RocksDbEventStore::acknowledge(CompletedGroup& group) {
  if (group.committed_position != 0) notify_observers(group.committed_position);
  for (std::size_t i = 0; i < group.callbacks.size(); ++i) {
    group.callbacks[i](std::move(group.results[i]));
  }
}

void RocksDbEventStore::drop_heads() {
  head_cache_.clear();
  ++head_cache_generation_;
}

Status RocksDbEventStore::committed_head(std::string_view stream, StreamHead* head) const {
  std::uint64_t generation = 0;
  {
    std::shared_lock cache_lock(head_cache_mutex_);
    if (const auto cached = head_cache_.find(stream); cached != head_cache_.end()) {
      *head = cached->second;
      return Status::ok();
    }
    generation = head_cache_generation_;
  }
  std::string stored;
  const auto status =
      database_->db->Get(rocksdb::ReadOptions(), database_->streams(), head_key(stream), &stored);
  if (status.IsNotFound()) {
    *head = StreamHead{};
  } else if (!status.ok()) {
    return from_rocksdb(status);
  } else if (Status decoded = decode_head(stored, head); !decoded.is_ok()) {
    return decoded;
  }
  std::unique_lock cache_lock(head_cache_mutex_);
  if (generation == head_cache_generation_ && head_cache_.size() < options_.head_cache_limit) {
    head_cache_.try_emplace(std::string(stream), *head);
  }
  return Status::ok();
}

Status RocksDbEventStore::committed_key(Table table, std::string_view key, bool* present) {
  rocksdb::PinnableSlice value;
  const auto status = database_->db->Get(rocksdb::ReadOptions(), database_->table(table), slice(key), &value);
  *present = status.ok();
  return status.ok() || status.IsNotFound() ? Status::ok() : from_rocksdb(status);
}

RocksDbEventStore::CompletedGroup RocksDbEventStore::commit_group(std::vector<PendingAppend>& group,
                                                                  const std::string& low_space) {
  const Database& database = *database_;
  AppendSequencer sequencer(
      next_position_,
      [this](std::string_view stream, StreamHead* head) { return committed_head(stream, head); },
      [this](Table table, std::string_view key, std::optional<std::string>* value) { return get(table, key, value); });
  RowCounter row_counter([this](Table table, std::string_view key, bool* present) {
    return committed_key(table, key, present);
  });
  Status looked_up = Status::ok();  // the reads the batch depends on (row counts, times)
  OrderedBatch batch;
  std::vector<AppendResult> results;
  results.reserve(group.size());
  bool changes = false;
  log_times::Folder times;

  for (PendingAppend& pending : group) {
    if (!low_space.empty() && !pending.request.completes_acknowledged) {
      results.push_back(refusal(low_space));
      continue;
    }
    AppendSequencer::Plan plan = sequencer.plan(pending.request);
    if (plan.result.status.is_ok()) {
      for (const RecordedEvent& event : plan.events) {
        std::string position = encode_big_endian(event.position);
        batch.put(database.events(), position, encode_event(event));
        batch.put(database.streams(), index_key(event.stream, event.version), std::move(position));
        times.add(event.position, event.event.occurred_at);
      }
      plan.each_write(pending.request, [&](const KeyedWrite& write) {
        if (looked_up.is_ok()) looked_up = row_counter.count(write);
        if (write.whole_table) {
          // One range tombstone, where deleting key by key would leave one per row.
          static const std::string beyond_every_key(kMaxKeyBytes + 1, '\xff');
          batch.erase_all(database.table(write.table), beyond_every_key);
        } else if (write.value) {
          batch.put(database.table(write.table), write.key, *write.value);
        } else {
          batch.erase(database.table(write.table), write.key);
        }
      });
      changes = changes || !plan.events.empty() || !pending.request.writes.empty();
    }
    results.push_back(std::move(plan.result));
  }

  const Position last = sequencer.next_position() - 1;
  if (changes) {
    for (const auto& [stream, head] : sequencer.touched_heads()) {
      batch.put(database.streams(), head_key(stream), encode_head(head));
    }
    batch.put(database.meta(), std::string(kLastPositionKey), encode_big_endian(last));
    std::optional<std::pair<log_times::Block, log_times::BlockTimes>> last_block_times;
    for (const auto& [block, folded] : times.blocks()) {
      log_times::BlockTimes widened = folded;
      bool widens = true;
      if (looked_up.is_ok()) looked_up = widen_block_times(block, &widened, &widens);
      // Times in whole seconds (the engine's clock) mostly fall within the record already.
      if (widens) batch.put(database.meta(), log_times_key(block), log_times::encode(widened));
      last_block_times.emplace(block, widened);
    }
    RowCounts row_counts{};
    for (std::size_t i = 0; i < kCountedTables.size(); ++i) {
      row_counts[i] = row_counter.count_after(kCountedTables[i], row_counts_[i].load());
      if (row_counter.wrote(kCountedTables[i])) {
        batch.put(database.meta(), row_count_key(kCountedTables[i]), encode_big_endian(row_counts[i]));
      }
    }

    rocksdb::WriteOptions options;
    options.sync = options_.durability == Durability::fsync;
    const Status written = looked_up.is_ok() ? from_rocksdb(database.db->Write(options, &batch.batch())) : looked_up;
    if (!written.is_ok()) {
      // Write nothing more until the store has recovered (see the header comment).
      spdlog::error("store: a write failed, commands are refused until the store recovers: {}",
                    written.message());
      failed_ = true;
      recovery_delay_ = options_.first_recovery_delay;
      next_recovery_ = std::chrono::steady_clock::now() + recovery_delay_;
      set_health(WriteHealth::Fault::write_failed, "the last write failed: " + written.message());
      // Nothing of the group is on disk: every request in it fails, refusals included, since
      // they were judged against appends that did not happen.
      for (AppendResult& result : results) {
        result = AppendResult{};
        result.status = Status::io_error("the write failed, nothing was stored: " +
                                         written.message());
      }
      changes = false;
    } else {
      std::unique_lock cache_lock(head_cache_mutex_);
      if (head_cache_.size() > options_.head_cache_limit) drop_heads();
      for (const auto& [stream, head] : sequencer.touched_heads()) head_cache_[stream] = head;
      cache_lock.unlock();
      next_position_ = last + 1;
      if (last_block_times) last_block_times_ = last_block_times;
      for (std::size_t i = 0; i < kCountedTables.size(); ++i) row_counts_[i].store(row_counts[i]);
      last_position_.store(last, std::memory_order_release);
    }
  }

  CompletedGroup completed;
  completed.callbacks.reserve(group.size());
  for (PendingAppend& pending : group) completed.callbacks.push_back(std::move(pending.done));
  completed.results = std::move(results);
  if (changes) completed.committed_position = last;
  return completed;
}

Status RocksDbEventStore::widen_block_times(log_times::Block block, log_times::BlockTimes* times, bool* widens) const {
  std::optional<log_times::BlockTimes> recorded;
  if (last_block_times_ && last_block_times_->first == block) {
    recorded = last_block_times_->second;
  } else {
    std::string stored;
    const auto status = database_->db->Get(rocksdb::ReadOptions(), database_->meta(), log_times_key(block), &stored);
    if (!status.ok() && !status.IsNotFound()) return from_rocksdb(status);
    if (status.ok() && !log_times::decode(stored, &recorded.emplace())) {
      return Status::corruption("a record of the log's times is malformed");
    }
  }
  if (recorded) log_times::widen(*times, *recorded);
  *widens = !recorded || *recorded != *times;
  return Status::ok();
}

Status RocksDbEventStore::positions_in_time(Timestamp from, Timestamp to, std::vector<PositionRange>* out) const {
  // The position first: a record read after it covers at least the events up to it.
  const Position last = last_position();
  std::map<log_times::Block, log_times::BlockTimes> recorded;
  {
    std::shared_lock lock(database_mutex_);
    if (!database_) return no_database();
    std::unique_ptr<rocksdb::Iterator> it(database_->db->NewIterator(rocksdb::ReadOptions(), database_->meta()));
    for (it->Seek(std::string(kLogTimesKeyPrefix)); it->Valid() && it->key().starts_with(kLogTimesKeyPrefix);
         it->Next()) {
      log_times::Block block = 0;
      log_times::BlockTimes times;
      if (!decode_big_endian(it->key().ToStringView().substr(kLogTimesKeyPrefix.size()), &block) ||
          !log_times::decode(it->value().ToStringView(), &times)) {
        return Status::corruption("a record of the log's times is malformed");
      }
      recorded.emplace(block, times);
    }
    if (Status status = from_rocksdb(it->status()); !status.is_ok()) return status;
  }
  std::vector<PositionRange> ranges = log_times::ranges_to_read(recorded, last, from, to);
  out->insert(out->end(), ranges.begin(), ranges.end());
  return Status::ok();
}

Status RocksDbEventStore::read_stream(std::string_view stream, Version from,
                                      std::size_t max_count,
                                      std::vector<RecordedEvent>* out) const {
  if (max_count == 0) return Status::ok();
  const std::string prefix = index_prefix(stream);
  std::vector<std::string> positions;
  std::shared_lock lock(database_mutex_);
  if (!database_) return no_database();
  {
    std::unique_ptr<rocksdb::Iterator> it(
        database_->db->NewIterator(rocksdb::ReadOptions(), database_->streams()));
    for (it->Seek(index_key(stream, std::max<Version>(from, 1)));
         it->Valid() && it->key().starts_with(prefix) && positions.size() < max_count;
         it->Next()) {
      positions.push_back(it->value().ToString());
    }
    if (const Status status = from_rocksdb(it->status()); !status.is_ok()) return status;
  }
  return read_encoded_positions(positions, out);
}

Status RocksDbEventStore::read_at(const std::vector<Position>& positions,
                                  std::vector<RecordedEvent>* out) const {
  std::vector<std::string> keys;
  keys.reserve(positions.size());
  for (const Position position : positions) keys.push_back(encode_big_endian(position));
  std::shared_lock lock(database_mutex_);
  if (!database_) return no_database();
  return read_encoded_positions(keys, out);
}

Status RocksDbEventStore::read_encoded_positions(const std::vector<std::string>& positions,
                                                 std::vector<RecordedEvent>* out) const {
  if (positions.empty()) return Status::ok();
  std::vector<rocksdb::Slice> keys(positions.begin(), positions.end());
  std::vector<rocksdb::ColumnFamilyHandle*> families(keys.size(), database_->events());
  std::vector<std::string> values;
  const auto statuses = database_->db->MultiGet(rocksdb::ReadOptions(), families, keys, &values);
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (statuses[i].IsNotFound()) {
      Position position = 0;
      decode_big_endian(positions[i], &position);
      return Status::corruption("the log has no event at position " + std::to_string(position));
    }
    if (Status status = from_rocksdb(statuses[i]); !status.is_ok()) return status;
    RecordedEvent event;
    if (Status status = decode_event(values[i], &event); !status.is_ok()) return status;
    out->push_back(std::move(event));
  }
  return Status::ok();
}

Status RocksDbEventStore::read_all(Position from, std::size_t max_count,
                                   std::vector<RecordedEvent>* out) const {
  // Passes over the log (catching up, verifying, exporting) read each block once: they leave
  // the block cache to the point reads.
  rocksdb::ReadOptions scan;
  scan.fill_cache = false;
  std::shared_lock lock(database_mutex_);
  if (!database_) return no_database();
  std::unique_ptr<rocksdb::Iterator> it(database_->db->NewIterator(scan, database_->events()));
  for (it->Seek(encode_big_endian(std::max<Position>(from, 1))); it->Valid() && max_count > 0;
       it->Next(), --max_count) {
    RecordedEvent event;
    if (Status status = decode_event(it->value().ToStringView(), &event); !status.is_ok()) {
      return status;
    }
    out->push_back(std::move(event));
  }
  return from_rocksdb(it->status());
}

Status RocksDbEventStore::stream_version(std::string_view stream, Version* out) const {
  std::shared_lock lock(database_mutex_);
  if (!database_) return no_database();
  StreamHead head;
  if (Status status = committed_head(stream, &head); !status.is_ok()) return status;
  *out = head.version;
  return Status::ok();
}

Position RocksDbEventStore::last_position() const {
  return last_position_.load(std::memory_order_acquire);
}

Status RocksDbEventStore::checkpoint(const std::filesystem::path& dir) const {
  std::shared_lock lock(database_mutex_);
  if (!database_) return no_database();
  rocksdb::Checkpoint* raw = nullptr;
  if (const auto status = rocksdb::Checkpoint::Create(database_->db.get(), &raw); !status.ok()) {
    return from_rocksdb(status);
  }
  const std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  // 0: always flush first, so that the copy holds table files rather than a log to replay.
  return from_rocksdb(checkpoint->CreateCheckpoint(dir.string(), 0));
}

Status RocksDbEventStore::replace_table(Table table, std::unique_ptr<TableReplacement>* out) {
  std::shared_lock lock(database_mutex_);
  if (!database_) return no_database();
  auto replacement = std::make_unique<RocksDbTableReplacement>(
      *this, table, options_.path / ("replacing-" + std::string(table_name(table))),
      database_->db->GetOptions(database_->table(table)), options_.replacement_run_bytes);
  if (Status status = replacement->prepare(); !status.is_ok()) return status;
  *out = std::move(replacement);
  return Status::ok();
}

Status RocksDbEventStore::ingest_replacement(Table table, std::vector<std::filesystem::path> table_files,
                                             std::vector<TableFiles> other_files,
                                             const std::filesystem::path& work_dir) {
  std::packaged_task<Status()> task([&] { return ingest_generation(table, table_files, other_files, work_dir); });
  std::future<Status> done = task.get_future();
  {
    std::lock_guard lock(queue_mutex_);
    tasks_.push_back(std::move(task));
  }
  queue_ready_.notify_one();
  return done.get();
}

Status RocksDbEventStore::ingest_generation(Table table, const std::vector<std::filesystem::path>& table_files,
                                            const std::vector<TableFiles>& other_files,
                                            const std::filesystem::path& work_dir) {
  // Readers wait while the table's family changes: they see the old family with the old
  // writes, or the new family with the new ones.
  std::unique_lock lock(database_mutex_);
  if (!database_) return no_database();
  Database& database = *database_;
  const std::uint64_t generation = database.generation(table) + 1;

  const std::filesystem::path generation_file = work_dir / "generation.sst";
  rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), database.db->GetOptions(database.meta()));
  rocksdb::Status written = writer.Open(generation_file.string());
  if (written.ok()) written = writer.Put(generation_key(table), encode_big_endian(generation));
  if (written.ok()) written = writer.Finish();
  if (!written.ok()) return from_rocksdb(written);

  rocksdb::ColumnFamilyHandle* created = nullptr;
  if (const auto status =
          database.db->CreateColumnFamily(database.family_options, family_name(table, generation), &created);
      !status.ok()) {
    return from_rocksdb(status);
  }
  std::vector<rocksdb::IngestExternalFileArg> args;
  const auto add = [&args](rocksdb::ColumnFamilyHandle* family, const std::vector<std::filesystem::path>& files) {
    rocksdb::IngestExternalFileArg& arg = args.emplace_back();
    arg.column_family = family;
    for (const auto& file : files) arg.external_files.push_back(file.string());
    arg.options.move_files = true;
  };
  if (!table_files.empty()) add(created, table_files);
  for (const TableFiles& files : other_files) add(database.table(files.table), files.files);
  add(database.meta(), {generation_file});
  if (const auto status = database.db->IngestExternalFiles(args); !status.ok()) {
    // Nothing was ingested: the new family is dropped (or, after a crash, by the next open).
    database.db->DropColumnFamily(created).PermitUncheckedError();
    database.db->DestroyColumnFamilyHandle(created).PermitUncheckedError();
    return from_rocksdb(status);
  }
  rocksdb::ColumnFamilyHandle* old = std::exchange(database.families[family_of(table)], created);
  if (const auto dropped = database.db->DropColumnFamily(old); !dropped.ok()) {
    spdlog::warn("store: cannot drop the replaced generation of {} (the next open drops it): {}",
                 table_name(table), dropped.ToString());
  }
  database.db->DestroyColumnFamilyHandle(old).PermitUncheckedError();
  return Status::ok();
}

Status RocksDbEventStore::get(Table table, std::string_view key,
                              std::optional<std::string>* out) const {
  std::string value;
  std::shared_lock lock(database_mutex_);
  if (!database_) return no_database();
  const auto status = database_->db->Get(rocksdb::ReadOptions(), database_->table(table), slice(key), &value);
  if (status.IsNotFound()) {
    out->reset();
    return Status::ok();
  }
  if (!status.ok()) return from_rocksdb(status);
  *out = std::move(value);
  return Status::ok();
}

Status RocksDbEventStore::scan(Table table, std::string_view from_key, std::string_view to_key,
                               std::size_t max_count, std::vector<KeyValue>* out) const {
  rocksdb::ReadOptions options;
  const rocksdb::Slice upper = slice(to_key);
  if (!to_key.empty()) options.iterate_upper_bound = &upper;
  std::shared_lock lock(database_mutex_);
  if (!database_) return no_database();
  std::unique_ptr<rocksdb::Iterator> it(database_->db->NewIterator(options, database_->table(table)));
  for (it->Seek(slice(from_key)); it->Valid() && max_count > 0; it->Next(), --max_count) {
    out->push_back({it->key().ToString(), it->value().ToString()});
  }
  return from_rocksdb(it->status());
}

std::optional<std::size_t> RocksDbEventStore::row_count(Table table) const {
  const auto index = counted_index(table);
  if (!index) return std::nullopt;
  return static_cast<std::size_t>(row_counts_[*index].load());
}

void RocksDbEventStore::add_commit_observer(CommitObserver observer) {
  std::lock_guard lock(observers_mutex_);
  observers_.push_back(std::move(observer));
}


}  // namespace benefitd::store
