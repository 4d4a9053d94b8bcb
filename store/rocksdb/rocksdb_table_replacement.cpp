#include "store/rocksdb/rocksdb_table_replacement.h"

#include <rocksdb/env.h>
#include <rocksdb/iterator.h>
#include <rocksdb/sst_file_reader.h>
#include <rocksdb/sst_file_writer.h>

#include <algorithm>
#include <map>
#include <queue>
#include <system_error>

#include "store/rocksdb/rocksdb_event_store.h"

namespace benefitd::store {

namespace {

// What a row costs in memory beyond its bytes: the KeyedWrite and two string allocations.
constexpr std::size_t kRowOverhead = sizeof(KeyedWrite) + 32;

Status from_rocksdb(const rocksdb::Status& status) {
  if (status.ok()) return Status::ok();
  if (status.IsCorruption()) return Status::corruption(status.ToString());
  return Status::io_error(status.ToString());
}

std::size_t bytes_of(const std::vector<KeyedWrite>& rows) {
  std::size_t bytes = 0;
  for (const KeyedWrite& row : rows) bytes += kRowOverhead + row.key.size() + (row.value ? row.value->size() : 0);
  return bytes;
}

// Whether a batch holds `key` (the latest batch that does, if several): then its row's value.
bool find_latest(const std::vector<std::vector<KeyedWrite>>& batches, std::string_view key,
                 std::optional<std::string>* out) {
  for (auto batch = batches.rbegin(); batch != batches.rend(); ++batch) {
    const auto found = std::lower_bound(batch->begin(), batch->end(), key,
                                        [](const KeyedWrite& row, std::string_view wanted) { return row.key < wanted; });
    if (found != batch->end() && found->key == key) {
      *out = found->value;
      return true;
    }
  }
  return false;
}

}  // namespace

RocksDbTableReplacement::Run::Run() = default;
RocksDbTableReplacement::Run::~Run() = default;
RocksDbTableReplacement::Run::Run(Run&&) noexcept = default;

RocksDbTableReplacement::RocksDbTableReplacement(RocksDbEventStore& store, Table table, std::filesystem::path dir,
                                                 rocksdb::Options options, std::size_t run_bytes)
    : store_(store), table_(table), dir_(std::move(dir)), options_(std::move(options)), run_bytes_(run_bytes) {}

RocksDbTableReplacement::~RocksDbTableReplacement() {
  static_cast<void>(finish_writing());  // whatever it says: its file goes with the rest
  runs_.clear();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

Status RocksDbTableReplacement::prepare() {
  std::error_code error;
  std::filesystem::remove_all(dir_, error);
  if (!error) std::filesystem::create_directories(dir_, error);
  return error ? Status::io_error("cannot prepare " + dir_.string() + ": " + error.message()) : Status::ok();
}

Status RocksDbTableReplacement::add(std::vector<KeyedWrite> rows) {
  if (rows.empty()) return Status::ok();
  batch_bytes_ += bytes_of(rows);
  batches_.push_back(std::move(rows));
  if (batch_bytes_ < run_bytes_) return Status::ok();
  if (Status status = finish_writing(); !status.is_ok()) return status;
  {
    std::lock_guard lock(runs_mutex_);
    writing_batches_ = std::move(batches_);
  }
  batches_.clear();
  batch_bytes_ = 0;
  const std::size_t number = runs_started_++;
  try {
    writing_ = std::async(std::launch::async, [this, number] { return write_run(writing_batches_, number); });
  } catch (const std::system_error&) {
    return write_run(writing_batches_, number);  // no thread to be had: write it here
  }
  return Status::ok();
}

Status RocksDbTableReplacement::finish_writing() {
  return writing_.valid() ? writing_.get() : Status::ok();
}

Status RocksDbTableReplacement::get(std::string_view key, std::optional<std::string>* out) const {
  out->reset();
  if (find_latest(batches_, key, out)) return Status::ok();
  std::lock_guard lock(runs_mutex_);
  if (find_latest(writing_batches_, key, out)) return Status::ok();
  for (auto run = runs_.rbegin(); run != runs_.rend(); ++run) {
    if (std::binary_search(run->erased.begin(), run->erased.end(), key)) return Status::ok();
    run->iterator->Seek(rocksdb::Slice(key.data(), key.size()));
    if (run->iterator->Valid() && run->iterator->key().ToStringView() == key) {
      *out = run->iterator->value().ToString();
      return Status::ok();
    }
    if (Status status = from_rocksdb(run->iterator->status()); !status.is_ok()) return status;
  }
  return Status::ok();
}

Status RocksDbTableReplacement::write_run(Batches& batches, std::size_t number) {
  Run run;
  run.file = dir_ / ("run-" + std::to_string(number) + ".sst");
  rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), options_);
  if (Status status = from_rocksdb(writer.Open(run.file.string())); !status.is_ok()) return status;
  if (number == 0) {
    static const std::string beyond_every_key(kMaxKeyBytes + 1, '\xff');
    if (Status status = from_rocksdb(writer.DeleteRange("", beyond_every_key)); !status.is_ok()) return status;
  }
  // A k-way merge of the sorted batches; of rows with the same key, the latest batch's wins.
  using Cursor = std::pair<std::size_t, std::size_t>;  // batch, row
  const auto later_first = [&batches](const Cursor& a, const Cursor& b) {
    const std::string& key_a = batches[a.first][a.second].key;
    const std::string& key_b = batches[b.first][b.second].key;
    if (key_a != key_b) return key_a > key_b;
    return a.first < b.first;
  };
  std::priority_queue<Cursor, std::vector<Cursor>, decltype(later_first)> cursors(later_first);
  for (std::size_t batch = 0; batch < batches.size(); ++batch) cursors.push({batch, 0});
  while (!cursors.empty()) {
    const auto [batch, index] = cursors.top();
    const KeyedWrite& row = batches[batch][index];
    Status written = row.value ? from_rocksdb(writer.Put(row.key, *row.value)) : from_rocksdb(writer.Delete(row.key));
    if (!written.is_ok()) return written;
    if (!row.value) run.erased.push_back(row.key);
    // Skip the same key in earlier batches.
    while (!cursors.empty() && batches[cursors.top().first][cursors.top().second].key == row.key) {
      const auto [b, i] = cursors.top();
      cursors.pop();
      if (i + 1 < batches[b].size()) cursors.push({b, i + 1});
    }
  }
  if (Status status = from_rocksdb(writer.Finish()); !status.is_ok()) return status;

  // Not the database's log: a reader of a file outside the database warns that the file has no
  // database's unique id, at every run.
  rocksdb::Options reader_options = options_;
  reader_options.info_log = nullptr;
  run.reader = std::make_unique<rocksdb::SstFileReader>(reader_options);
  if (Status status = from_rocksdb(run.reader->Open(run.file.string())); !status.is_ok()) return status;
  rocksdb::ReadOptions read;
  read.fill_cache = false;
  run.iterator.reset(run.reader->NewIterator(read));
  std::lock_guard lock(runs_mutex_);
  runs_.push_back(std::move(run));
  batches.clear();
  return Status::ok();
}

Status RocksDbTableReplacement::write_file(std::vector<KeyedWrite> writes, const std::filesystem::path& file) const {
  std::map<std::string, std::optional<std::string>> rows;
  for (KeyedWrite& write : writes) rows.insert_or_assign(std::move(write.key), std::move(write.value));
  rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), options_);
  if (Status status = from_rocksdb(writer.Open(file.string())); !status.is_ok()) return status;
  for (const auto& [key, value] : rows) {
    if (Status status = from_rocksdb(value ? writer.Put(key, *value) : writer.Delete(key)); !status.is_ok()) {
      return status;
    }
  }
  return from_rocksdb(writer.Finish());
}

Status RocksDbTableReplacement::commit(std::vector<KeyedWrite> writes) {
  if (Status status = finish_writing(); !status.is_ok()) return status;
  if (!batches_.empty() || runs_started_ == 0) {
    if (Status status = write_run(batches_, runs_started_++); !status.is_ok()) return status;
  }
  std::vector<RocksDbEventStore::TableFiles> files(1);
  files[0].table = table_;
  for (const Run& run : runs_) files[0].files.push_back(run.file);

  std::map<Table, std::vector<KeyedWrite>> by_table;
  for (KeyedWrite& write : writes) {
    if (write.whole_table || write.at_event || write.table == table_ || counted_index(write.table)) {
      return Status::invalid_argument("a table replacement commits only plain writes of other, uncounted tables");
    }
    by_table[write.table].push_back(std::move(write));
  }
  for (auto& [table, table_writes] : by_table) {
    const std::filesystem::path file = dir_ / (std::string(table_name(table)) + ".sst");
    if (Status status = write_file(std::move(table_writes), file); !status.is_ok()) return status;
    files.push_back({table, {file}});
  }
  Status ingested = store_.ingest(files);
  std::lock_guard lock(runs_mutex_);
  runs_.clear();
  return ingested;
}

}  // namespace benefitd::store
