// A full disk under the RocksDB store (R-ENG-3, R-ENG-9): appends are refused, the process
// never aborts, nothing acknowledged is lost, and the store recovers by itself once space is
// freed. Each test mounts a small tmpfs (support/small_disk.h).

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "event_builders.h"
#include "store/chain_verifier.h"
#include "store/rocksdb/rocksdb_event_store.h"
#include "support/small_disk.h"

namespace {

using benefitd::store::ExpectedVersion;
using benefitd::store::RecordedEvent;
using benefitd::store::RocksDbEventStore;
using benefitd::store::RocksDbOptions;
using benefitd::store::WriteHealth;
using benefitd::testing::SmallDisk;
using namespace std::chrono_literals;

// About 4 KiB of event data, so that a few thousand appends fill a few MiB.
benefitd::store::WriteRequest bulky_append(int n) {
  const std::string data = "{\"n\":" + std::to_string(n) + ",\"pad\":\"" + std::string(4000, 'p') + "\"}";
  return benefitd::testing::append_to("stream-" + std::to_string(n % 7), ExpectedVersion::any(),
                                      {benefitd::testing::make_event("Bulky", data)});
}

RocksDbOptions options_on(const SmallDisk& disk, std::uint64_t reserved_bytes) {
  RocksDbOptions options{disk.path() / "store"};
  options.reserved_disk_bytes = reserved_bytes;
  options.block_cache_bytes = 8 << 20;
  options.first_recovery_delay = 20ms;
  options.last_recovery_delay = 200ms;
  return options;
}

// Appends until one fails; returns how many were acknowledged.
int append_until_refused(RocksDbEventStore& store, benefitd::store::Status* refusal) {
  for (int n = 0; n < 100'000; ++n) {
    const auto result = store.append(bulky_append(n));
    if (!result.status.is_ok()) {
      *refusal = result.status;
      return n;
    }
  }
  FAIL("the small disk never filled up");
  return 0;
}

void check_whole_log(const RocksDbEventStore& store, int acknowledged) {
  std::vector<RecordedEvent> events;
  REQUIRE(store.read_all(1, 1'000'000, &events).is_ok());
  REQUIRE(events.size() >= static_cast<std::size_t>(acknowledged));
  for (std::size_t i = 0; i < events.size(); ++i) REQUIRE(events[i].position == i + 1);
  const auto report = benefitd::store::verify_chain(store);
  CHECK(report.ok);
}

}  // namespace

TEST_CASE("R-ENG-9 a full disk fails appends without aborting, and the store recovers by itself when space is freed") {
  SmallDisk disk(24);
  disk.add_ballast(8);
  std::unique_ptr<RocksDbEventStore> store;
  // No reserve: the write-ahead log itself meets ENOSPC, the hardest case.
  REQUIRE(RocksDbEventStore::open(options_on(disk, 0), &store).is_ok());

  benefitd::store::Status refusal;
  const int acknowledged = append_until_refused(*store, &refusal);
  CHECK(refusal.code() == benefitd::store::Status::Code::io_error);
  CHECK(acknowledged > 100);
  CHECK(store->write_health().fault == WriteHealth::Fault::write_failed);
  // Further appends fail at once, writing nothing; the process is still alive to see them.
  const auto position = store->last_position();
  for (int n = 0; n < 20; ++n) CHECK_FALSE(store->append(bulky_append(n)).status.is_ok());
  CHECK(store->last_position() == position);

  disk.remove_ballast();
  bool recovered = false;
  for (auto deadline = std::chrono::steady_clock::now() + 20s; !recovered && std::chrono::steady_clock::now() < deadline;) {
    recovered = store->append(bulky_append(1)).status.is_ok();
    if (!recovered) std::this_thread::sleep_for(50ms);
  }
  REQUIRE(recovered);
  CHECK(store->write_health().writable());
  CHECK(store->write_health().recoveries == 1);
  check_whole_log(*store, acknowledged + 1);

  // And what it wrote opens again, whole.
  store.reset();
  REQUIRE(RocksDbEventStore::open(options_on(disk, 0), &store).is_ok());
  check_whole_log(*store, acknowledged + 1);
}

TEST_CASE("R-ENG-9 below its disk reserve the store refuses new appends but completes acknowledged work, and resumes when space is freed") {
  SmallDisk disk(48);
  std::unique_ptr<RocksDbEventStore> store;
  REQUIRE(RocksDbEventStore::open(options_on(disk, 16 << 20), &store).is_ok());
  REQUIRE(store->append(bulky_append(0)).status.is_ok());
  disk.add_ballast(30);

  benefitd::store::Status refusal;
  const int acknowledged = append_until_refused(*store, &refusal) + 1;
  CHECK(refusal.message().find("nearly full") != std::string::npos);
  CHECK(store->write_health().fault == WriteHealth::Fault::disk_nearly_full);

  // Views of acknowledged commands may still be written from the reserve.
  auto completion = benefitd::testing::append_to("views-of-acknowledged", ExpectedVersion::any(), {});
  completion.writes.push_back(benefitd::store::KeyedWrite::put(benefitd::store::Table::views, "v", "row"));
  completion.completes_acknowledged = true;
  CHECK(store->append(std::move(completion)).status.is_ok());
  std::optional<std::string> row;
  REQUIRE(store->get(benefitd::store::Table::views, "v", &row).is_ok());
  CHECK(row == "row");

  disk.remove_ballast();
  CHECK(store->write_health().writable());
  CHECK(store->append(bulky_append(1)).status.is_ok());
  // Nothing failed, so nothing needed recovering.
  CHECK(store->write_health().recoveries == 0);
  check_whole_log(*store, acknowledged + 1);
}
