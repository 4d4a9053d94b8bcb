// The ceiling of any pass over the log: reads every event's stored bytes from a data dir's
// RocksDB store and does nothing else with them, then reads them again through the store,
// decoding each into a RecordedEvent (what a rebuild or verify starts from). Prints events/s
// and seconds of each. The data dir must not be open elsewhere.
// Usage: log_read_bench --data-dir DIR

#include <rocksdb/db.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <vector>

#include "store/rocksdb/rocksdb_event_store.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Every value of the events family through a plain iterator that fills no cache.
int read_raw(const std::filesystem::path& store_dir, std::uint64_t* events, std::uint64_t* bytes) {
  std::vector<std::string> names;
  if (!rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), store_dir.string(), &names).ok()) return 1;
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const std::string& name : names) families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  if (!rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), store_dir.string(), families, &handles, &raw).ok()) return 1;
  std::unique_ptr<rocksdb::DB> db(raw);
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] != "events") continue;
    rocksdb::ReadOptions scan;
    scan.fill_cache = false;
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(scan, handles[i]));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      ++*events;
      *bytes += it->value().size();
    }
  }
  for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Reads every event of a data dir: raw bytes, then decoded through the store"};
  std::filesystem::path data_dir;
  app.add_option("--data-dir", data_dir, "benefitd data dir")->required();
  CLI11_PARSE(app, argc, argv);
  const std::filesystem::path store_dir = data_dir / "store";

  std::uint64_t events = 0;
  std::uint64_t bytes = 0;
  const auto raw_start = Clock::now();
  if (read_raw(store_dir, &events, &bytes) != 0) {
    std::fprintf(stderr, "log_read_bench: cannot open %s\n", store_dir.c_str());
    return 1;
  }
  const double raw_seconds = seconds_since(raw_start);

  std::unique_ptr<benefitd::store::RocksDbEventStore> store;
  if (!benefitd::store::RocksDbEventStore::open({store_dir}, &store).is_ok()) return 1;
  std::uint64_t decoded = 0;
  const auto decode_start = Clock::now();
  std::vector<benefitd::store::RecordedEvent> chunk;
  for (benefitd::store::Position at = 1;; at += chunk.size()) {
    chunk.clear();
    if (!store->read_all(at, 10000, &chunk).is_ok()) return 1;
    if (chunk.empty()) break;
    decoded += chunk.size();
  }
  const double decode_seconds = seconds_since(decode_start);
  std::printf("raw read %llu events (%.0f MiB) %.2f s %.0f events/s\n", static_cast<unsigned long long>(events),
              static_cast<double>(bytes) / (1 << 20), raw_seconds, static_cast<double>(events) / raw_seconds);
  std::printf("read and decode %llu events %.2f s %.0f events/s\n", static_cast<unsigned long long>(decoded),
              decode_seconds, static_cast<double>(decoded) / decode_seconds);
  return 0;
}
