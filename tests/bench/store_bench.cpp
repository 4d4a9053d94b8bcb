// Durable appends per second through the event store with 1, 8 and 64 concurrent writers (one
// event per append), against raw RocksDB synced WriteBatch writes of the same bytes in the same
// run. Raw RocksDB batches concurrent synced writers itself (its write-group leader), so the
// ratio shows what the store's own sequencing, hashing and group commit cost. Beside it, raw
// RocksDB writing the least a software activation must write (its four events with their index
// entries, the stream's head, the log's last position and the benefit's view, 620 bytes) in
// one synced WriteBatch per write: its ratio to the one-event writes bounds what any command of
// four events can reach against the store's one-event appends (engine_bench). Unless
// --no-postgres, the same appends also go to the PostgreSQL store, on a private PostgreSQL 15
// started for the run with fsync and synchronous_commit on (each row for a few seconds, in a
// fresh schema), as a ratio to the RocksDB store.

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <vector>

#include "store/event_codec.h"
#include "store/postgres/postgres_event_store.h"
#include "store/rocksdb/rocksdb_event_store.h"
#include "support/postgres_server.h"
#include "concurrent_runs.h"
#include "json_text.h"

using namespace benefitd::store;
using Clock = std::chrono::steady_clock;

namespace {

EventData bench_event(int writer, long i) {
  EventData event;
  event.id = "evt-" + std::to_string(writer) + "-" + std::to_string(i);
  event.type = "BenefitActivated";
  event.occurred_at = Timestamp(std::chrono::milliseconds(1'767'600'000'000 + i));
  event.actor = "user:U1";
  event.correlation_id = "corr-" + std::to_string(i);
  event.causation_id = "cmd-" + std::to_string(i);
  event.data = R"({"benefitId":"B-0001","status":"active","activatedAt":"2026-01-05T09:00:00Z"})";
  return event;
}

// How long each run lasts: `per_writer` operations per writer, or `seconds` if positive.
struct Length {
  long per_writer = 0;
  double seconds = 0;
};

struct Throughput {
  double per_second;
  long operations;
};

// Runs `writers` threads, each doing operations 0, 1, 2... for the given length.
template <typename Operation>
Throughput run_writers(int writers, const Length& length, Operation operation) {
  if (length.seconds <= 0) {
    return {benefitd::bench::per_second(writers, length.per_writer, operation),
            writers * length.per_writer};
  }
  const auto start = Clock::now();
  const auto deadline =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(length.seconds));
  std::atomic<long> operations{0};
  {
    std::vector<std::jthread> running;
    for (int w = 0; w < writers; ++w) {
      running.emplace_back([&, w] {
        long i = 0;
        while (Clock::now() < deadline) operation(w, i++);
        operations += i;
      });
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return {static_cast<double>(operations.load()) / seconds, operations.load()};
}

struct StoreRun {
  double events_per_second;
  double events_per_commit;  // how much group commit gathered into each fsync
};

// With `expect_version`, each append names the version its stream must be at (the writer owns its
// streams, so it knows), as callers with optimistic concurrency do; otherwise it appends at any.
StoreRun bench_store(std::unique_ptr<EventStore> store, int writers, const Length& length,
                     bool expect_version) {
  std::atomic<long> commits{0};
  store->add_commit_observer([&commits](Position) { ++commits; });
  const Throughput run = run_writers(writers, length, [&](int w, long i) {
    WriteRequest request;
    request.streams.push_back({"benefit-" + std::to_string(w) + "-" + std::to_string(i % 16),
                               expect_version ? ExpectedVersion::exactly(i / 16)
                                              : ExpectedVersion::any(),
                               {bench_event(w, i)}});
    if (!store->append(std::move(request)).status.is_ok()) throw std::runtime_error("append failed");
  });
  return {run.per_second, static_cast<double>(run.operations) /
                             static_cast<double>(std::max(1L, commits.load()))};
}

// What each raw write holds: `events` events (with `data_bytes` of data, or bench_event's own)
// with their stream index entries, the stream head and the log's last position, and with
// `view`, a benefit's view row.
struct RawWrite {
  int events = 1;
  std::size_t data_bytes = 0;
  bool view = false;
};

// The same records the store writes for its events (each event, its stream index entry, the
// stream head and the log's last position), in one synced WriteBatch per write.
double bench_raw(const std::filesystem::path& dir, int writers, const Length& length, RawWrite shape) {
  rocksdb::DBOptions options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  std::vector<rocksdb::ColumnFamilyDescriptor> families = {
      {rocksdb::kDefaultColumnFamilyName, {}}, {"events", {}}, {"streams", {}}, {"views", {}}};
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  if (!rocksdb::DB::Open(options, dir.string(), families, &handles, &raw).ok()) {
    throw std::runtime_error("raw open failed");
  }
  std::atomic<Position> next{1};
  const double rate = run_writers(writers, length, [&](int w, long i) {
    rocksdb::WriteBatch batch;
    const std::string stream = "benefit-" + std::to_string(w) + "-" + std::to_string(i % 16);
    const Position first = next.fetch_add(static_cast<Position>(shape.events));
    for (int e = 0; e < shape.events; ++e) {
      RecordedEvent event;
      event.position = first + static_cast<Position>(e);
      event.stream = stream;
      event.version = static_cast<Version>((i / 16) * shape.events + e + 1);
      event.event = bench_event(w, i);
      if (shape.data_bytes > 0) event.event.data = benefitd::bench::json_text(shape.data_bytes, event.position);
      event.hash = compute_event_hash(event);
      const std::string position = encode_big_endian(event.position);
      batch.Put(handles[1], position, encode_event(event));
      batch.Put(handles[2], "v" + event.stream + '\0' + encode_big_endian(event.version), position);
    }
    batch.Put(handles[2], "h" + stream, std::string(40, 'h'));
    batch.Put(handles[0], "last-position", encode_big_endian(first + static_cast<Position>(shape.events) - 1));
    if (shape.view) batch.Put(handles[3], "benefit/" + stream, benefitd::bench::json_text(620, first));
    rocksdb::WriteOptions sync;
    sync.sync = true;
    if (!raw->Write(sync, &batch).ok()) throw std::runtime_error("raw write failed");
  }).per_second;
  for (auto* handle : handles) raw->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
  raw->Close().PermitUncheckedError();
  delete raw;
  return rate;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Durable append throughput of the event store against raw RocksDB"};
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "benefitd-store-bench";
  std::vector<int> writer_counts = {1, 8, 64};
  long events = 20000;
  double seconds = 0;
  bool expect_version = false;
  app.add_option("--dir", dir, "scratch directory (emptied first)");
  app.add_option("--writers", writer_counts, "concurrent writer counts")->delimiter(',');
  app.add_option("--events", events, "events per run (split between the writers)");
  app.add_option("--seconds", seconds, "run each row for this long instead of --events");
  app.add_flag("--expected-version", expect_version,
               "append with each stream's expected version instead of any");
  bool no_postgres = false;
  double postgres_seconds = 3;
  app.add_flag("--no-postgres", no_postgres, "skip the PostgreSQL store's column");
  app.add_option("--postgres-seconds", postgres_seconds, "seconds per row on PostgreSQL");
  CLI11_PARSE(app, argc, argv);

  std::unique_ptr<benefitd::testing::PostgresServer> postgres;
  if (!no_postgres) postgres = std::make_unique<benefitd::testing::PostgresServer>(benefitd::testing::PostgresServer::Disk::fsync_on);
  std::printf("%-8s %16s %16s %8s %18s %18s %8s %18s %12s %12s\n", "writers", "store events/s", "raw events/s",
              "ratio", "events per fsync", "raw activations/s", "/ raw", "postgres events/s", "pg / store",
              "pg per commit");
  for (const int writers : writer_counts) {
    const Length length{std::max<long>(1, events / writers), seconds};
    std::filesystem::remove_all(dir);
    std::unique_ptr<RocksDbEventStore> rocksdb;
    if (!RocksDbEventStore::open({dir / "store"}, &rocksdb).is_ok()) throw std::runtime_error("open failed");
    const StoreRun store = bench_store(std::move(rocksdb), writers, length, expect_version);
    const double raw = bench_raw(dir / "raw", writers, length, RawWrite{});
    // The least an activation writes: four events of its size (about 400 bytes) and the
    // benefit's view.
    const double activations = bench_raw(dir / "raw-activation", writers, length, RawWrite{4, 220, true});
    std::printf("%-8d %16.0f %16.0f %8.2f %18.1f %18.0f %8.2f", writers, store.events_per_second, raw,
                store.events_per_second / raw, store.events_per_commit, activations, activations / raw);
    if (postgres) {
      PostgresOptions options;
      options.conninfo = postgres->conninfo();
      options.schema = postgres->fresh_schema();
      // One process: no other writers to hear, and the commit count stays one per group.
      options.hear_other_writers = false;
      std::unique_ptr<PostgresEventStore> on_postgres;
      if (Status status = PostgresEventStore::open(options, &on_postgres); !status.is_ok()) {
        throw std::runtime_error("PostgreSQL store: " + status.message());
      }
      const StoreRun pg = bench_store(std::move(on_postgres), writers, Length{0, postgres_seconds}, expect_version);
      std::printf(" %18.0f %12.2f %12.1f", pg.events_per_second, pg.events_per_second / store.events_per_second,
                  pg.events_per_commit);
    }
    std::printf("\n");
    std::fflush(stdout);
  }
  std::filesystem::remove_all(dir);
}
