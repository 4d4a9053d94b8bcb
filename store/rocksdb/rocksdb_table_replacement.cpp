#include "store/rocksdb/rocksdb_table_replacement.h"

#include <rocksdb/env.h>
#include <rocksdb/iterator.h>
#include <rocksdb/sst_file_reader.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/table.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <queue>
#include <system_error>
#include <thread>

#include "store/rocksdb/rocksdb_event_store.h"

namespace benefitd::store {

namespace {

// What a row costs in memory beyond its bytes: the KeyedWrite and two string allocations.
constexpr std::size_t kRowOverhead = sizeof(KeyedWrite) + 32;
// The size at which merged runs go on in a new file: RocksDB's own target for table files.
constexpr std::uint64_t kMergedFileBytes = std::uint64_t{64} << 20;
// A run keeps a key after every 1/kSamplesPerRun of the budget it writes: where the merge cuts
// the key space into parts of about the same size.
constexpr std::size_t kSamplesPerRun = 64;
constexpr std::size_t kMaxMergeThreads = 4;
constexpr std::size_t kMergePartsPerThread = 4;

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
    : store_(store),
      table_(table),
      dir_(std::move(dir)),
      options_(std::move(options)),
      merged_run_options_(merged_run_options(options_)),
      run_bytes_(run_bytes) {}

rocksdb::Options RocksDbTableReplacement::merged_run_options(const rocksdb::Options& table_options) {
  rocksdb::Options options = table_options;
  // Read once, right after: compressing it would cost twice.
  options.compression = rocksdb::kNoCompression;
  // Its reader has no block cache: a partitioned index or filter would be read from the file
  // at every lookup, where a whole one is read once and kept.
  if (const auto* table = table_options.table_factory->GetOptions<rocksdb::BlockBasedTableOptions>()) {
    rocksdb::BlockBasedTableOptions whole = *table;
    whole.index_type = rocksdb::BlockBasedTableOptions::kBinarySearch;
    whole.partition_filters = false;
    options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(whole));
  }
  return options;
}

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
    writing_ = std::async(std::launch::async, [this, number] { return write_run(writing_batches_, number, false); });
  } catch (const std::system_error&) {
    return write_run(writing_batches_, number, false);  // no thread to be had: write it here
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

Status RocksDbTableReplacement::write_run(Batches& batches, std::size_t number, bool only_run) {
  Run run;
  run.file = dir_ / ("run-" + std::to_string(number) + ".sst");
  rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), only_run ? options_ : merged_run_options_);
  if (Status status = from_rocksdb(writer.Open(run.file.string())); !status.is_ok()) return status;
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
  std::size_t unsampled_bytes = 0;
  while (!cursors.empty()) {
    const auto [batch, index] = cursors.top();
    const KeyedWrite& row = batches[batch][index];
    Status written = row.value ? from_rocksdb(writer.Put(row.key, *row.value)) : from_rocksdb(writer.Delete(row.key));
    if (!written.is_ok()) return written;
    if (!row.value) run.erased.push_back(row.key);
    unsampled_bytes += row.key.size() + (row.value ? row.value->size() : 0);
    if (unsampled_bytes >= run_bytes_ / kSamplesPerRun) {
      run.samples.push_back(row.key);
      unsampled_bytes = 0;
    }
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

Status RocksDbTableReplacement::merge_runs(std::vector<std::filesystem::path>* files) const {
  // The key space is cut into parts where the runs' samples cut it evenly, each merged into
  // files of its own, so the parts' files do not overlap. There are more parts than threads,
  // which take the next part when done: bytes sampled are not an even measure of the work.
  std::vector<std::string> samples;
  for (const Run& run : runs_) samples.insert(samples.end(), run.samples.begin(), run.samples.end());
  std::sort(samples.begin(), samples.end());
  const std::size_t threads = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, kMaxMergeThreads);
  const std::size_t parts = threads * kMergePartsPerThread;
  std::vector<std::string> bounds(1);  // part i is [bounds[i], bounds[i + 1]), the last unbounded
  for (std::size_t part = 1; part < parts && !samples.empty(); ++part) {
    const std::string& cut = samples[part * samples.size() / parts];
    if (cut > bounds.back()) bounds.push_back(cut);
  }
  std::vector<std::vector<std::filesystem::path>> part_files(bounds.size());
  std::vector<Status> outcomes(bounds.size(), Status::ok());
  std::atomic<std::size_t> next_part{0};
  const auto merge_parts = [&] {
    for (std::size_t part = next_part++; part < bounds.size(); part = next_part++) {
      const std::string to = part + 1 < bounds.size() ? bounds[part + 1] : std::string();
      outcomes[part] = merge_range(bounds[part], to, "merged-" + std::to_string(part) + "-", &part_files[part]);
    }
  };
  std::vector<std::future<void>> helpers;
  for (std::size_t thread = 1; thread < threads; ++thread) {
    try {
      helpers.push_back(std::async(std::launch::async, merge_parts));
    } catch (const std::system_error&) {
      break;  // no thread to be had: the threads there are take every part
    }
  }
  merge_parts();
  for (auto& helper : helpers) helper.get();
  for (Status& outcome : outcomes) {
    if (!outcome.is_ok()) return outcome;
  }
  for (auto& part : part_files) files->insert(files->end(), part.begin(), part.end());
  return Status::ok();
}

Status RocksDbTableReplacement::merge_range(const std::string& from, const std::string& to,
                                            const std::string& file_prefix,
                                            std::vector<std::filesystem::path>* files) const {
  // A k-way merge of the runs; of rows with the same key, the latest run's wins, and a row a
  // later run erased is left out (its run's reader does not show the erase).
  const auto erased_after = [this](std::size_t run, std::string_view key) {
    for (std::size_t later = run + 1; later < runs_.size(); ++later) {
      if (std::binary_search(runs_[later].erased.begin(), runs_[later].erased.end(), key)) return true;
    }
    return false;
  };
  rocksdb::ReadOptions read;
  read.fill_cache = false;
  const rocksdb::Slice upper(to);
  if (!to.empty()) read.iterate_upper_bound = &upper;
  std::vector<std::unique_ptr<rocksdb::Iterator>> its;
  for (const Run& run : runs_) its.emplace_back(run.reader->NewIterator(read));
  const auto later_first = [&its](std::size_t a, std::size_t b) {
    const int order = its[a]->key().compare(its[b]->key());
    return order != 0 ? order > 0 : a < b;
  };
  std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(later_first)> cursors(later_first);
  for (std::size_t run = 0; run < its.size(); ++run) {
    its[run]->Seek(from);
    if (its[run]->Valid()) cursors.push(run);
    if (Status status = from_rocksdb(its[run]->status()); !status.is_ok()) return status;
  }
  std::unique_ptr<rocksdb::SstFileWriter> writer;
  const auto finish_file = [&writer]() { return writer ? from_rocksdb(writer->Finish()) : Status::ok(); };
  std::string key;
  while (!cursors.empty()) {
    const std::size_t run = cursors.top();
    key.assign(its[run]->key().data(), its[run]->key().size());
    if (!erased_after(run, key)) {
      if (!writer || writer->FileSize() >= kMergedFileBytes) {
        if (Status status = finish_file(); !status.is_ok()) return status;
        files->push_back(dir_ / (file_prefix + std::to_string(files->size()) + ".sst"));
        writer = std::make_unique<rocksdb::SstFileWriter>(rocksdb::EnvOptions(), options_);
        if (Status status = from_rocksdb(writer->Open(files->back().string())); !status.is_ok()) return status;
      }
      if (Status status = from_rocksdb(writer->Put(its[run]->key(), its[run]->value())); !status.is_ok()) {
        return status;
      }
    }
    // Move every run past this key.
    while (!cursors.empty() && its[cursors.top()]->key() == rocksdb::Slice(key)) {
      const std::size_t at = cursors.top();
      cursors.pop();
      its[at]->Next();
      if (its[at]->Valid()) cursors.push(at);
      if (Status status = from_rocksdb(its[at]->status()); !status.is_ok()) return status;
    }
  }
  return finish_file();
}

Status RocksDbTableReplacement::commit(std::vector<KeyedWrite> writes) {
  if (Status status = finish_writing(); !status.is_ok()) return status;
  if (!batches_.empty()) {
    const bool only = runs_started_ == 0;  // then it is ingested as it is: compressed
    if (Status status = write_run(batches_, runs_started_++, only); !status.is_ok()) return status;
  }
  std::vector<std::filesystem::path> table_files;  // none for a table left empty
  if (runs_.size() == 1) {
    table_files.push_back(runs_[0].file);
  } else if (Status status = merge_runs(&table_files); !status.is_ok()) {
    return status;
  }

  std::map<Table, std::vector<KeyedWrite>> by_table;
  for (KeyedWrite& write : writes) {
    if (write.whole_table || write.at_event || write.table == table_ || counted_index(write.table)) {
      return Status::invalid_argument("a table replacement commits only plain writes of other, uncounted tables");
    }
    by_table[write.table].push_back(std::move(write));
  }
  std::vector<RocksDbEventStore::TableFiles> other_files;
  for (auto& [table, table_writes] : by_table) {
    const std::filesystem::path file = dir_ / (std::string(table_name(table)) + ".sst");
    if (Status status = write_file(std::move(table_writes), file); !status.is_ok()) return status;
    other_files.push_back({table, {file}});
  }
  Status ingested = store_.ingest_replacement(table_, std::move(table_files), std::move(other_files), dir_);
  std::lock_guard lock(runs_mutex_);
  runs_.clear();
  return ingested;
}

}  // namespace benefitd::store
