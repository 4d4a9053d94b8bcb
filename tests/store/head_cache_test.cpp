// The RocksDB store's writer keeps the heads of the streams it wrote in memory, up to a limit,
// and reads the others from disk (R-ENG-1, R-ENG-2): whether a head is held, was dropped when
// the heads outgrew their limit, or is read back after a reopen, every stream's version and
// every expected-version check are those of the log.

#include <catch2/catch.hpp>

#include <string>
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
