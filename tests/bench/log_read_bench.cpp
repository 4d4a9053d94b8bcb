// The ceiling of any pass over the log: reads every event's stored bytes from a data dir's
// RocksDB store and does nothing else with them, in order on one thread and then split over one
// thread per core; then reads them again through the store, decoding each into a RecordedEvent
// (what a rebuild or verify starts from). Prints events/s and seconds of each. The data dir
// must not be open elsewhere.
// Usage: log_read_bench --data-dir DIR

#include <rocksdb/db.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <thread>
#include <vector>

#include "store/event_codec.h"
#include "store/rocksdb/rocksdb_event_store.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct RawRead {
  std::uint64_t events = 0;
  std::uint64_t bytes = 0;
};

// Every value of the events family through plain iterators that fill no cache, the log's
// positions cut in `threads` equal ranges, each read by its own thread: with one thread the
// ceiling of a pass that reads in order, with one per core the ceiling of any pass at all.
bool read_raw(const std::filesystem::path& store_dir, unsigned threads, RawRead* out) {
  std::vector<std::string> names;
  if (!rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), store_dir.string(), &names).ok()) return false;
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const std::string& name : names) families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  if (!rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), store_dir.string(), families, &handles, &raw).ok()) {
    return false;
  }
  std::unique_ptr<rocksdb::DB> db(raw);
  const auto events = std::find(names.begin(), names.end(), "events");
  rocksdb::ColumnFamilyHandle* family = events == names.end() ? nullptr : handles[events - names.begin()];
  std::uint64_t last = 0;
  if (family != nullptr) {
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), family));
    it->SeekToLast();
    if (it->Valid() && !benefitd::store::decode_big_endian(it->key().ToStringView(), &last)) family = nullptr;
  }
  std::vector<RawRead> parts(threads);
  std::vector<std::thread> readers;
  for (unsigned t = 0; family != nullptr && t < threads; ++t) {
    readers.emplace_back([&, t] {
      const std::string from = benefitd::store::encode_big_endian(1 + last * t / threads);
      const std::string to = benefitd::store::encode_big_endian(1 + last * (t + 1) / threads);
      const rocksdb::Slice end(to);
      rocksdb::ReadOptions scan;
      scan.fill_cache = false;
      scan.iterate_upper_bound = &end;
      std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(scan, family));
      for (it->Seek(from); it->Valid(); it->Next()) {
        ++parts[t].events;
        parts[t].bytes += it->value().size();
      }
    });
  }
  for (std::thread& reader : readers) reader.join();
  for (const RawRead& part : parts) {
    out->events += part.events;
    out->bytes += part.bytes;
  }
  for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle);
  return family != nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Reads every event of a data dir: raw bytes, then decoded through the store"};
  std::filesystem::path data_dir;
  app.add_option("--data-dir", data_dir, "benefitd data dir")->required();
  CLI11_PARSE(app, argc, argv);
  const std::filesystem::path store_dir = data_dir / "store";

  const unsigned cores = std::max(1U, std::thread::hardware_concurrency());
  RawRead raw;
  RawRead split;
  const auto raw_start = Clock::now();
  const bool read = read_raw(store_dir, 1, &raw);
  const double raw_seconds = seconds_since(raw_start);
  const auto split_start = Clock::now();
  if (!read || !read_raw(store_dir, cores, &split)) {
    std::fprintf(stderr, "log_read_bench: cannot read the log of %s\n", store_dir.c_str());
    return 1;
  }
  const double split_seconds = seconds_since(split_start);

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
  std::printf("raw read %llu events (%.0f MiB) %.2f s %.0f events/s\n", static_cast<unsigned long long>(raw.events),
              static_cast<double>(raw.bytes) / (1 << 20), raw_seconds, static_cast<double>(raw.events) / raw_seconds);
  std::printf("raw read on %u threads %llu events %.2f s %.0f events/s\n", cores,
              static_cast<unsigned long long>(split.events), split_seconds,
              static_cast<double>(split.events) / split_seconds);
  std::printf("read and decode %llu events %.2f s %.0f events/s\n", static_cast<unsigned long long>(decoded),
              decode_seconds, static_cast<double>(decoded) / decode_seconds);
  return 0;
}
