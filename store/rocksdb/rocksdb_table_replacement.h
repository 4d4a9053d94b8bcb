#pragma once
// RocksDbTableReplacement: a TableReplacement that puts the new rows in place as table files.
//
// The rows added are kept in memory, in the sorted batches add receives, until they pass a
// budget; then they are merged (a later batch's row wins) and written as one sorted table file
// (a run), outside the database, in a directory of the data dir's. A run is written on a
// thread of its own while the next one fills (so at most two budgets are held in memory).
// Commit writes the last run, merges the runs into table files that do not overlap (a later
// run's row wins; a row a later run erased is left out; the key space is cut into parts at
// keys the runs kept, which threads take in turn), writes a file for each other table
// written, and hands them all to the store, which ingests them in one IngestExternalFiles
// into a new, empty generation of the table (see table_families.h) and drops the old one:
// RocksDB records every file of the call in one MANIFEST entry, so the new rows, the other
// writes and the switch of generation appear together or not at all, also across a crash.
// Files that overlap nothing go to the last level of an empty family: nothing is compacted
// after a rebuild, and no compaction reads the old rows to delete them. Leftover files of a
// replacement that never committed are removed by the next one (they are never part of the
// database).
//
// Thread safety: that of TableReplacement.

#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <vector>

#include <rocksdb/options.h>

#include "store/table_replacement.h"

namespace rocksdb {
class Iterator;
class SstFileReader;
}  // namespace rocksdb

namespace benefitd::store {

class RocksDbEventStore;

class RocksDbTableReplacement final : public TableReplacement {
 public:
  /// Writes its files into `dir`, created empty (anything there is removed first), and
  /// removes them when destroyed. `run_bytes` bounds the rows held in memory (keys, values and
  /// their bookkeeping).
  RocksDbTableReplacement(RocksDbEventStore& store, Table table, std::filesystem::path dir,
                          rocksdb::Options options, std::size_t run_bytes);
  ~RocksDbTableReplacement() override;
  RocksDbTableReplacement(const RocksDbTableReplacement&) = delete;
  RocksDbTableReplacement& operator=(const RocksDbTableReplacement&) = delete;

  /// Creates the directory; call before anything else.
  Status prepare();

  Status add(std::vector<KeyedWrite> rows) override;
  Status get(std::string_view key, std::optional<std::string>* out) const override;
  Status commit(std::vector<KeyedWrite> writes) override;

 private:
  // A run written to its file, readable for get.
  struct Run {
    std::filesystem::path file;
    std::unique_ptr<rocksdb::SstFileReader> reader;
    std::unique_ptr<rocksdb::Iterator> iterator;  // under runs_mutex_
    std::vector<std::string> erased;              // sorted: the file's erases, which its reader hides
    std::vector<std::string> samples;             // sorted: a key after every 1/64 of the budget
    Run();
    ~Run();
    Run(Run&&) noexcept;
  };

  using Batches = std::vector<std::vector<KeyedWrite>>;
  /// Merges `batches` into run number `number`'s file and makes it readable; then drops the
  /// batches, under runs_mutex_. The `only_run` is ingested as it is, in the table's format;
  /// the others are merged at commit (merged_run_options).
  Status write_run(Batches& batches, std::size_t number, bool only_run);
  /// Waits for the run being written, if any.
  Status finish_writing();
  /// Merges the runs into files that do not overlap, named in `files` in key order; the key
  /// space in parts, which up to one thread per core take in turn.
  Status merge_runs(std::vector<std::filesystem::path>* files) const;
  /// Merges the runs' rows with from <= key < to (to empty: no end) into new files named
  /// `file_prefix` + a number, appended to `files` in key order.
  Status merge_range(const std::string& from, const std::string& to, const std::string& file_prefix,
                     std::vector<std::filesystem::path>* files) const;
  /// The options of runs that commit merges, from the table's.
  static rocksdb::Options merged_run_options(const rocksdb::Options& table_options);
  /// A file of `writes` (puts and erases of one table, in any order: the last of a key wins).
  Status write_file(std::vector<KeyedWrite> writes, const std::filesystem::path& file) const;

  RocksDbEventStore& store_;
  const Table table_;
  const std::filesystem::path dir_;
  const rocksdb::Options options_;              // the table's: for the files ingested
  const rocksdb::Options merged_run_options_;  // for runs that commit merges
  const std::size_t run_bytes_;
  Batches batches_;  // filling: oldest first, each sorted by key
  std::size_t batch_bytes_ = 0;
  std::size_t runs_started_ = 0;
  std::future<Status> writing_;    // the run being written, if valid
  mutable std::mutex runs_mutex_;  // guards the two below, and the runs' iterators
  Batches writing_batches_;        // the batches of the run being written: still read from
  std::vector<Run> runs_;          // written, oldest first
};

}  // namespace benefitd::store
