// The index of the log's times (store/log_times.h): which stretches of the log a time window
// reads. Never one that misses an event of the window, whatever the order of times in the log;
// on the stores that keep the index, only the blocks whose times overlap the window, and what
// no record covers (a store written before the index was kept).
#include <catch2/catch.hpp>

#include <random>

#include "event_builders.h"
#include "store/log_times.h"
#include "support/store_backends.h"

using namespace benefitd::store;
using benefitd::testing::append_to;
using benefitd::testing::make_event;
using benefitd::testing::MemoryBackend;
using benefitd::testing::PostgresBackend;
using benefitd::testing::RocksDbBackend;
using log_times::BlockTimes;
using log_times::kBlockPositions;

namespace {

using Ranges = std::vector<PositionRange>;

Timestamp hour(int n) { return Timestamp(std::chrono::hours(490'000 + n)); }

/// Appends `times.size()` events, one per time, to streams of their own, in requests of a
/// thousand.
void append_at(EventStore& store, const std::vector<Timestamp>& times) {
  static int next = 0;
  for (std::size_t i = 0; i < times.size(); i += 1000) {
    WriteRequest request;
    for (std::size_t j = i; j < std::min(times.size(), i + 1000); ++j) {
      EventData event = make_event("Noted", std::to_string(++next));
      event.occurred_at = times[j];
      request.streams.push_back({"s-" + std::to_string(next), ExpectedVersion::any(), {event}});
    }
    REQUIRE(store.append(std::move(request)).status.is_ok());
  }
}

Ranges stretches(const EventStore& store, Timestamp from, Timestamp to) {
  Ranges ranges;
  REQUIRE(store.positions_in_time(from, to, &ranges).is_ok());
  return ranges;
}

bool holds(const Ranges& ranges, Position position) {
  return std::any_of(ranges.begin(), ranges.end(),
                     [position](const PositionRange& range) { return range.first <= position && position <= range.last; });
}

Position block_end(log_times::Block block) { return (block + 1) * kBlockPositions; }

}  // namespace

TEST_CASE("R-ENG-7 a block's times record reads back as written, times before the epoch included", "[store][times]") {
  const BlockTimes times{4097, Timestamp(std::chrono::milliseconds(-1500)), hour(3)};
  BlockTimes decoded;
  REQUIRE(log_times::decode(log_times::encode(times), &decoded));
  CHECK(decoded == times);
  CHECK_FALSE(log_times::decode("short", &decoded));
  // The records' bytes sort as their times do.
  CHECK(log_times::encode({1, Timestamp(std::chrono::milliseconds(-1)), {}}) <
        log_times::encode({1, Timestamp(std::chrono::milliseconds(0)), {}}));
}

TEST_CASE("R-ENG-7 a window reads the blocks whose times overlap it and what no record covers", "[store][times]") {
  const Position last = 4 * kBlockPositions + 10;  // blocks 0..4, the last one partly written
  std::map<log_times::Block, BlockTimes> recorded = {
      {0, {1, hour(0), hour(1)}},
      {1, {kBlockPositions + 1, hour(2), hour(3)}},
      // Block 2 has no record (written before times were kept).
      {3, {3 * kBlockPositions + 100, hour(9), hour(9)}},  // covers only its later positions
      {4, {4 * kBlockPositions + 1, hour(1), hour(9)}},
  };
  const auto ranges = [&](Timestamp from, Timestamp to) { return log_times::ranges_to_read(recorded, last, from, to); };
  // Hour 3: block 1 by its times, block 2 and the head of block 3 for want of a record, block 4
  // by its times; adjacent stretches joined.
  CHECK(ranges(hour(3), hour(3)) == Ranges{{kBlockPositions + 1, 3 * kBlockPositions + 99},
                                          {4 * kBlockPositions + 1, last}});
  CHECK(ranges(hour(0), hour(0)) == Ranges{{1, kBlockPositions}, {2 * kBlockPositions + 1, 3 * kBlockPositions + 99}});
  // Ends included.
  CHECK(ranges(hour(1), hour(2)).front() == PositionRange{1, 3 * kBlockPositions + 99});
  CHECK(ranges(hour(10), hour(11)) == Ranges{{2 * kBlockPositions + 1, 3 * kBlockPositions + 99}});
  CHECK(ranges(hour(2), hour(1)).empty());
  CHECK(log_times::ranges_to_read(recorded, 0, hour(0), hour(9)).empty());
  // Blocks beyond the last position are not read, whatever their records say.
  recorded[7] = {7 * kBlockPositions + 1, hour(0), hour(0)};
  CHECK(ranges(hour(10), hour(11)).back().last <= last);
}

TEMPLATE_TEST_CASE("R-ENG-7 every event of a time window lies in the stretches a store names, though times are "
                   "not in log order",
                   "[store][times][contract]", MemoryBackend, RocksDbBackend, PostgresBackend) {
  TestType backend;
  std::mt19937 random(7);
  std::vector<Timestamp> times;
  for (int i = 0; i < 3 * static_cast<int>(kBlockPositions) + 500; ++i) {
    // Mostly rising, with events carrying earlier times (timers that fired late).
    const int offset = random() % 10 == 0 ? -static_cast<int>(random() % 40) : 0;
    times.push_back(hour(i / 300 + offset) + std::chrono::milliseconds(random() % 3'600'000));
  }
  append_at(*backend.store, times);
  for (int round = 0; round < 40; ++round) {
    const Timestamp from = hour(static_cast<int>(random() % 50) - 5) + std::chrono::milliseconds(random() % 3'600'000);
    const Timestamp to = from + std::chrono::milliseconds(random() % (6 * 3'600'000));
    const Ranges ranges = stretches(*backend.store, from, to);
    for (std::size_t i = 1; i < ranges.size(); ++i) REQUIRE(ranges[i - 1].last + 1 < ranges[i].first);
    for (std::size_t i = 0; i < times.size(); ++i) {
      if (times[i] >= from && times[i] <= to) REQUIRE(holds(ranges, i + 1));
    }
  }
}

TEMPLATE_TEST_CASE("R-ENG-7 a store keeping the log's times names only the blocks a window overlaps, across a reopen",
                   "[store][times][contract]", RocksDbBackend, PostgresBackend) {
  TestType backend;
  // Block 0 at hour 0, block 1 at hour 1, and the first half of block 2 at hour 2.
  std::vector<Timestamp> times(2 * kBlockPositions + kBlockPositions / 2);
  for (std::size_t i = 0; i < times.size(); ++i) times[i] = hour(static_cast<int>(i / kBlockPositions));
  append_at(*backend.store, times);
  CHECK(stretches(*backend.store, hour(1), hour(1)) == Ranges{{kBlockPositions + 1, block_end(1)}});
  CHECK(stretches(*backend.store, hour(5), hour(6)).empty());

  // Reopened, the writer widens block 2's stored record with the rest of the block, at hour 5:
  // were it to start a record of its own, the block's first half would count as not covered.
  backend.reopen();
  append_at(*backend.store, std::vector<Timestamp>(kBlockPositions / 2, hour(5)));
  CHECK(backend.store->last_position() == block_end(2));
  CHECK(stretches(*backend.store, hour(1), hour(1)) == Ranges{{kBlockPositions + 1, block_end(1)}});
  CHECK(stretches(*backend.store, hour(3), hour(4)) == Ranges{{2 * kBlockPositions + 1, block_end(2)}});
  CHECK(stretches(*backend.store, hour(1), hour(2)) == Ranges{{kBlockPositions + 1, block_end(2)}});
  // A timer's event committed late, with the time it fell due.
  append_at(*backend.store, {hour(0)});
  CHECK(stretches(*backend.store, hour(0), hour(0)) ==
        Ranges{{1, kBlockPositions}, {block_end(2) + 1, block_end(2) + 1}});
}
