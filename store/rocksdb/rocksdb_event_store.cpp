#include "store/rocksdb/rocksdb_event_store.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <algorithm>

#include "store/event_codec.h"
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
// Above this many cached heads the writer starts over from disk rather than grow forever.
constexpr std::size_t kHeadCacheLimit = 1 << 20;
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

Status RocksDbEventStore::open(const RocksDbOptions& options,
                               std::unique_ptr<RocksDbEventStore>* out) {
  if (options.create_if_missing) {
    std::error_code error;
    std::filesystem::create_directories(options.path, error);
    if (error) {
      return Status::io_error("cannot create " + options.path.string() + ": " + error.message());
    }
  }
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = options.create_if_missing;
  db_options.create_missing_column_families = options.create_if_missing;
  // Opening replays the write-ahead log into memory; capping it makes RocksDB flush the
  // families that hold the oldest log, so recovery after a crash stays short however large
  // the store grows.
  db_options.max_total_wal_size = kMaxWriteAheadLogBytes;

  // Most reads are point reads (a stream's head, a view row, an idempotency record): a Bloom
  // filter per table file spares reading the files that do not hold the key, and one block
  // cache keeps the hot blocks, filters and indexes in memory.
  rocksdb::BlockBasedTableOptions table_options;
  table_options.block_cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  table_options.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table_options.cache_index_and_filter_blocks = true;
  table_options.pin_l0_filter_and_index_blocks_in_cache = true;
  rocksdb::ColumnFamilyOptions family_options;
  family_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table_options));

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : family_names()) {
    descriptors.emplace_back(name, family_options);
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw_db = nullptr;
  if (const auto status =
          rocksdb::DB::Open(db_options, options.path.string(), descriptors, &handles, &raw_db);
      !status.ok()) {
    return from_rocksdb(status);
  }
  std::unique_ptr<rocksdb::DB> db(raw_db);

  const auto fail = [&](Status status) {
    for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle);
    return status;
  };
  Position last_position = 0;
  std::string stored;
  const auto status =
      db->Get(rocksdb::ReadOptions(), handles[kMetaFamily], slice(kLastPositionKey), &stored);
  if (status.ok()) {
    if (!decode_big_endian(stored, &last_position)) {
      return fail(Status::corruption("the last-position record has the wrong size"));
    }
  } else if (!status.IsNotFound()) {
    return fail(from_rocksdb(status));
  }
  RowCounts row_counts{};
  for (std::size_t i = 0; i < kCountedTables.size(); ++i) {
    const Table table = kCountedTables[i];
    if (Status read = read_row_count(*db, handles[kMetaFamily], handles[family_of(table)], table, &row_counts[i]);
        !read.is_ok()) {
      return fail(std::move(read));
    }
  }

  out->reset(new RocksDbEventStore(options.durability, std::move(db), std::move(handles),
                                   last_position, row_counts));
  return Status::ok();
}

RocksDbEventStore::RocksDbEventStore(Durability durability, std::unique_ptr<rocksdb::DB> db,
                                     std::vector<rocksdb::ColumnFamilyHandle*> handles,
                                     Position last_position, const RowCounts& row_counts)
    : durability_(durability),
      db_(std::move(db)),
      families_(std::move(handles)),
      last_position_(last_position),
      next_position_(last_position + 1) {
  for (std::size_t i = 0; i < row_counts.size(); ++i) row_counts_[i].store(row_counts[i]);
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
  // Everything is in the synced log already; flushing it to tables spares the next open from
  // replaying the log. A failed flush loses nothing: the next open replays instead.
  db_->Flush(rocksdb::FlushOptions(), families_).PermitUncheckedError();
  for (auto* handle : families_) db_->DestroyColumnFamilyHandle(handle);
  db_->Close().PermitUncheckedError();
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
  for (;;) {
    {
      std::unique_lock lock(queue_mutex_);
      queue_ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) break;  // stopping, with nothing left to commit
      group.swap(queue_);
    }
    CompletedGroup completed = commit_group(group);
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
  if (group.committed_position != 0) {
    std::vector<CommitObserver> observers;
    {
      std::lock_guard lock(observers_mutex_);
      observers = observers_;
    }
    for (const CommitObserver& observer : observers) observer(group.committed_position);
  }
  for (std::size_t i = 0; i < group.callbacks.size(); ++i) {
    group.callbacks[i](std::move(group.results[i]));
  }
}

Status RocksDbEventStore::committed_head(std::string_view stream, StreamHead* head) {
  if (const auto cached = head_cache_.find(std::string(stream)); cached != head_cache_.end()) {
    *head = cached->second;
    return Status::ok();
  }
  std::string stored;
  const auto status =
      db_->Get(rocksdb::ReadOptions(), families_[kStreamsFamily], head_key(stream), &stored);
  if (status.IsNotFound()) {
    *head = StreamHead{};
    return Status::ok();
  }
  if (!status.ok()) return from_rocksdb(status);
  return decode_head(stored, head);
}

Status RocksDbEventStore::committed_key(Table table, std::string_view key, bool* present) {
  rocksdb::PinnableSlice value;
  const auto status = db_->Get(rocksdb::ReadOptions(), table_family(table), slice(key), &value);
  *present = status.ok();
  return status.ok() || status.IsNotFound() ? Status::ok() : from_rocksdb(status);
}

RocksDbEventStore::CompletedGroup RocksDbEventStore::commit_group(
    std::vector<PendingAppend>& group) {
  AppendSequencer sequencer(next_position_, [this](std::string_view stream, StreamHead* head) {
    return committed_head(stream, head);
  });
  RowCounter row_counter([this](Table table, std::string_view key, bool* present) {
    return committed_key(table, key, present);
  });
  Status counted = Status::ok();
  rocksdb::WriteBatch batch;
  std::vector<AppendResult> results;
  results.reserve(group.size());
  bool changes = false;

  for (PendingAppend& pending : group) {
    AppendSequencer::Plan plan = sequencer.plan(pending.request);
    if (plan.result.status.is_ok()) {
      for (const RecordedEvent& event : plan.events) {
        const std::string position = encode_big_endian(event.position);
        batch.Put(families_[kEventsFamily], position, encode_event(event));
        batch.Put(families_[kStreamsFamily], index_key(event.stream, event.version), position);
      }
      for (const KeyedWrite& write : pending.request.writes) {
        if (counted.is_ok()) counted = row_counter.count(write);
        if (write.whole_table) {
          // One range tombstone, where deleting key by key would leave one per row.
          static const std::string beyond_every_key(kMaxKeyBytes + 1, '\xff');
          batch.DeleteRange(table_family(write.table), "", beyond_every_key);
        } else if (write.value) {
          batch.Put(table_family(write.table), write.key, *write.value);
        } else {
          batch.Delete(table_family(write.table), write.key);
        }
      }
      changes = changes || !plan.events.empty() || !pending.request.writes.empty();
    }
    results.push_back(std::move(plan.result));
  }

  const Position last = sequencer.next_position() - 1;
  if (changes) {
    for (const auto& [stream, head] : sequencer.touched_heads()) {
      batch.Put(families_[kStreamsFamily], head_key(stream), encode_head(head));
    }
    batch.Put(families_[kMetaFamily], slice(kLastPositionKey), encode_big_endian(last));
    RowCounts row_counts{};
    for (std::size_t i = 0; i < kCountedTables.size(); ++i) {
      row_counts[i] = row_counter.count_after(kCountedTables[i], row_counts_[i].load());
      if (row_counter.wrote(kCountedTables[i])) {
        batch.Put(families_[kMetaFamily], row_count_key(kCountedTables[i]), encode_big_endian(row_counts[i]));
      }
    }

    rocksdb::WriteOptions options;
    options.sync = durability_ == Durability::fsync;
    const Status written = counted.is_ok() ? from_rocksdb(db_->Write(options, &batch)) : counted;
    if (!written.is_ok()) {
      // Nothing of the group is on disk: every request in it fails, refusals included, since
      // they were judged against appends that did not happen.
      for (AppendResult& result : results) {
        result = AppendResult{};
        result.status = Status::io_error("the write failed, nothing was stored: " +
                                         written.message());
      }
      changes = false;
    } else {
      if (head_cache_.size() > kHeadCacheLimit) head_cache_.clear();
      for (const auto& [stream, head] : sequencer.touched_heads()) head_cache_[stream] = head;
      next_position_ = last + 1;
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

Status RocksDbEventStore::read_stream(std::string_view stream, Version from,
                                      std::size_t max_count,
                                      std::vector<RecordedEvent>* out) const {
  if (max_count == 0) return Status::ok();
  const std::string prefix = index_prefix(stream);
  std::vector<std::string> positions;
  {
    std::unique_ptr<rocksdb::Iterator> it(
        db_->NewIterator(rocksdb::ReadOptions(), families_[kStreamsFamily]));
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
  return read_encoded_positions(keys, out);
}

Status RocksDbEventStore::read_encoded_positions(const std::vector<std::string>& positions,
                                                 std::vector<RecordedEvent>* out) const {
  if (positions.empty()) return Status::ok();
  std::vector<rocksdb::Slice> keys(positions.begin(), positions.end());
  std::vector<rocksdb::ColumnFamilyHandle*> families(keys.size(), families_[kEventsFamily]);
  std::vector<std::string> values;
  const auto statuses = db_->MultiGet(rocksdb::ReadOptions(), families, keys, &values);
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
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(scan, families_[kEventsFamily]));
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
  std::string stored;
  const auto status =
      db_->Get(rocksdb::ReadOptions(), families_[kStreamsFamily], head_key(stream), &stored);
  if (status.IsNotFound()) {
    *out = 0;
    return Status::ok();
  }
  if (!status.ok()) return from_rocksdb(status);
  StreamHead head;
  if (Status decoded = decode_head(stored, &head); !decoded.is_ok()) return decoded;
  *out = head.version;
  return Status::ok();
}

Position RocksDbEventStore::last_position() const {
  return last_position_.load(std::memory_order_acquire);
}

Status RocksDbEventStore::get(Table table, std::string_view key,
                              std::optional<std::string>* out) const {
  std::string value;
  const auto status = db_->Get(rocksdb::ReadOptions(), table_family(table), slice(key), &value);
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
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options, table_family(table)));
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

rocksdb::ColumnFamilyHandle* RocksDbEventStore::table_family(Table table) const {
  return families_[family_of(table)];
}

}  // namespace benefitd::store
