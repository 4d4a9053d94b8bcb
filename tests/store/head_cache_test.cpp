// The RocksDB store keeps the heads of the streams it wrote or read in memory, up to a limit,
// and reads the others from disk (R-ENG-1, R-ENG-2): whether a head is held, was dropped when
// the heads outgrew their limit, or is read back after a reopen, every stream's version and
// every expected-version check are those of the log, also while readers race the writer.

#include <catch2/catch.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "event_builders.h"
#include "store/rocksdb/rocksdb_event_store.h"
#include "support/temp_dir.h"

using namespace benefitd::store;
using benefitd::testing::append_to;
using benefitd::testing::make_event;
using benefitd::testing::TempDir;

namespace {

constexpr int kStreams = 10;

std::string stream_name(int s) { return "stream-" + std::to_string(s); }

void check_versions(const RocksDbEventStore& store, const std::vector<Version>& expected) {
  for (int s = 0; s < kStreams; ++s) {
    Version version = 0;
    REQUIRE(store.stream_version(stream_name(s), &version).is_ok());
    CHECK(version == expected[static_cast<std::size_t>(s)]);
  }
}

}  // namespace

TEST_CASE("R-ENG-1 with room for three stream heads in memory, versions and conflicts stay those of the log") {
  TempDir dir;
  RocksDbOptions options{dir.path() / "db"};
  options.head_cache_limit = 3;
  std::unique_ptr<RocksDbEventStore> store;
  REQUIRE(RocksDbEventStore::open(options, &store).is_ok());

  std::vector<Version> versions(kStreams, 0);
  int appended = 0;
  // Appends once to each of the first `streams` streams: three fit in memory, ten do not.
  const auto append_round = [&](int round, int streams) {
    for (int s = 0; s < streams; ++s) {
      const std::string stream = stream_name(s);
      Version& version = versions[static_cast<std::size_t>(s)];
      if (version > 0) {
        const auto stale = store->append(append_to(stream, ExpectedVersion::exactly(version - 1),
                                                   {make_event("Stale", std::to_string(++appended))}));
        CHECK(stale.status.code() == Status::Code::conflict);
      }
      // One or two events, so that heads differ from stream to stream.
      std::vector<EventData> events;
      for (int e = 0; e <= (s + round) % 2; ++e) events.push_back(make_event("E", std::to_string(++appended)));
      const std::size_t count = events.size();
      REQUIRE(store->append(append_to(stream, ExpectedVersion::exactly(version), std::move(events))).status.is_ok());
      version += count;
    }
  };

  for (int round = 0; round < 6; ++round) {
    append_round(round, round % 3 == 2 ? kStreams : 3);
    check_versions(*store, versions);
  }

  // After a reopen every head comes from disk first, then from memory again.
  store.reset();
  REQUIRE(RocksDbEventStore::open(options, &store).is_ok());
  check_versions(*store, versions);
  append_round(6, 3);
  append_round(7, 3);
  append_round(8, kStreams);
  check_versions(*store, versions);
}

TEST_CASE("R-ENG-1 heads read from disk while the writer moves them on never bring an older head back") {
  TempDir dir;
  RocksDbOptions options{dir.path() / "db"};
  options.head_cache_limit = 2;  // dropped every few appends, while readers are adding heads
  std::unique_ptr<RocksDbEventStore> store;
  REQUIRE(RocksDbEventStore::open(options, &store).is_ok());

  constexpr int kAppends = 1500;
  std::vector<std::atomic<Version>> acknowledged(4);
  std::atomic<bool> writing{true};
  std::atomic<int> stale_reads{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&] {
      while (writing.load()) {
        for (int s = 0; s < 4; ++s) {
          // A head read after an append was acknowledged must include it.
          const Version floor = acknowledged[static_cast<std::size_t>(s)].load();
          Version version = 0;
          if (!store->stream_version(stream_name(s), &version).is_ok() || version < floor) ++stale_reads;
        }
      }
    });
  }
  int refused = 0;
  for (int n = 0; n < kAppends; ++n) {
    const int s = n % 4;
    const Version expected = acknowledged[static_cast<std::size_t>(s)].load();
    const auto result = store->append(append_to(stream_name(s), ExpectedVersion::exactly(expected),
                                                {make_event("E", std::to_string(n))}));
    if (!result.status.is_ok()) {
      ++refused;
      continue;
    }
    acknowledged[static_cast<std::size_t>(s)] = expected + 1;
  }
  writing = false;
  for (std::thread& reader : readers) reader.join();

  CHECK(refused == 0);
  CHECK(stale_reads == 0);
  for (int s = 0; s < 4; ++s) {
    Version version = 0;
    REQUIRE(store->stream_version(stream_name(s), &version).is_ok());
    CHECK(version == kAppends / 4);
  }
}
