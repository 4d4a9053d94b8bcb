// The EventStore contract, proven on both implementations.

#include <catch2/catch.hpp>

#include <algorithm>
#include <mutex>
#include <thread>

#include "store/chain_verifier.h"
#include "support/store_backends.h"
#include "event_builders.h"

using namespace benefitd::store;
using benefitd::testing::append_to;
using benefitd::testing::make_event;
using benefitd::testing::MemoryBackend;
using benefitd::testing::PostgresBackend;
using benefitd::testing::RocksDbBackend;

namespace {

std::vector<RecordedEvent> whole_stream(const EventStore& store, std::string_view stream) {
  std::vector<RecordedEvent> events;
  REQUIRE(store.read_stream(stream, 1, 1000, &events).is_ok());
  return events;
}

std::vector<RecordedEvent> whole_log(const EventStore& store) {
  std::vector<RecordedEvent> events;
  REQUIRE(store.read_all(1, 100000, &events).is_ok());
  return events;
}

Version version_of(const EventStore& store, std::string_view stream) {
  Version version = 0;
  REQUIRE(store.stream_version(stream, &version).is_ok());
  return version;
}

}  // namespace

TEMPLATE_TEST_CASE("R-ENG-2 positions and stream versions count from 1 without gaps",
                   "[store][contract]", MemoryBackend, RocksDbBackend, PostgresBackend) {
  TestType backend;
  EventStore& store = *backend.store;
  CHECK(store.last_position() == 0);

  auto first = store.append(append_to("a", ExpectedVersion::no_stream(),
                                      {make_event("One"), make_event("Two")}));
  REQUIRE(first.status.is_ok());
  CHECK(first.first_position == 1);
  CHECK(first.last_position == 2);
  CHECK(first.stream_versions == std::vector<Version>{2});

  auto second = store.append(append_to("b", ExpectedVersion::any(), {make_event("Three")}));
  REQUIRE(second.status.is_ok());
  CHECK(second.first_position == 3);
  CHECK(second.log_position == 3);

  auto third = store.append(append_to("a", ExpectedVersion::exactly(2), {make_event("Four")}));
  REQUIRE(third.status.is_ok());
  CHECK(third.stream_versions == std::vector<Version>{3});

  const auto log = whole_log(store);
  REQUIRE(log.size() == 4);
  for (std::size_t i = 0; i < log.size(); ++i) CHECK(log[i].position == i + 1);
  const auto a = whole_stream(store, "a");
  REQUIRE(a.size() == 3);
  CHECK(a[0].version == 1);
  CHECK(a[2].version == 3);
  CHECK(a[2].event.type == "Four");
  CHECK(a[2].position == 4);
  CHECK(store.last_position() == 4);
  CHECK(version_of(store, "a") == 3);
  CHECK(version_of(store, "b") == 1);
  CHECK(version_of(store, "never-written") == 0);
}

TEMPLATE_TEST_CASE("R-ENG-1 expected versions: no-stream, exact and any", "[store][contract]",
                   MemoryBackend, RocksDbBackend, PostgresBackend) {
  TestType backend;
  EventStore& store = *backend.store;
  REQUIRE(store.append(append_to("s", ExpectedVersion::no_stream(), {make_event("A")})).status.is_ok());

  SECTION("no-stream fails once the stream exists") {
    auto result = store.append(append_to("s", ExpectedVersion::no_stream(), {make_event("B")}));
    CHECK(result.status.code() == Status::Code::conflict);
  }
  SECTION("exact fails on an older and on a newer version") {
    CHECK(store.append(append_to("s", ExpectedVersion::exactly(0), {make_event("B")}))
              .status.code() == Status::Code::conflict);
    CHECK(store.append(append_to("s", ExpectedVersion::exactly(2), {make_event("B")}))
              .status.code() == Status::Code::conflict);
    CHECK(store.append(append_to("s", ExpectedVersion::exactly(1), {make_event("B")}))
              .status.is_ok());
  }
  SECTION("any always appends") {
    CHECK(store.append(append_to("s", ExpectedVersion::any(), {make_event("B")})).status.is_ok());
    CHECK(store.append(append_to("t", ExpectedVersion::any(), {make_event("B")})).status.is_ok());
  }
}

TEMPLATE_TEST_CASE("R-ENG-1 a conflict names the stream and its version and writes nothing",
                   "[store][contract]", MemoryBackend, RocksDbBackend, PostgresBackend) {
  TestType backend;
  EventStore& store = *backend.store;
  REQUIRE(store.append(append_to("package-1", ExpectedVersion::no_stream(),
                                 {make_event("P1"), make_event("P2")}))
              .status.is_ok());

  WriteRequest request;
  request.streams.push_back({"benefit-1", ExpectedVersion::no_stream(), {make_event("B1")}});
  request.streams.push_back({"package-1", ExpectedVersion::exactly(1), {make_event("P3")}});
  request.writes.push_back(KeyedWrite::put(Table::outbox, "n-1", "notification"));
  const auto result = store.append(request);

  REQUIRE(result.status.code() == Status::Code::conflict);
  REQUIRE(result.conflict.has_value());
  CHECK(result.conflict->stream == "package-1");
  CHECK(result.conflict->actual == 2);
  CHECK(result.conflict->expected.version() == 1);
  CHECK(result.status.message().find("package-1") != std::string::npos);

  CHECK(whole_stream(store, "benefit-1").empty());
  CHECK(version_of(store, "package-1") == 2);
  CHECK(store.last_position() == 2);
  std::optional<std::string> outbox;
  REQUIRE(store.get(Table::outbox, "n-1", &outbox).is_ok());
  CHECK_FALSE(outbox.has_value());

  // The refused request consumed no position.
  const auto next = store.append(append_to("benefit-1", ExpectedVersion::no_stream(),
                                          {make_event("B1")}));
  REQUIRE(next.status.is_ok());
  CHECK(next.first_position == 3);
}

TEMPLATE_TEST_CASE("R-ENG-1 one request appends to several streams with consecutive positions",
                   "[store][contract]", MemoryBackend, RocksDbBackend, PostgresBackend) {
  TestType backend;
  EventStore& store = *backend.store;
  WriteRequest request;
  request.streams.push_back({"package-9", ExpectedVersion::no_stream(), {make_event("Bought")}});
  request.streams.push_back({"benefit-1", ExpectedVersion::no_stream(), {make_event("Granted", "1")}});
  request.streams.push_back({"benefit-2", ExpectedVersion::no_stream(), {make_event("Granted", "2")}});
  const auto result = store.append(request);
  REQUIRE(result.status.is_ok());
  CHECK(result.first_position == 1);
  CHECK(result.last_position == 3);
  CHECK(result.stream_versions == std::vector<Version>{1, 1, 1});
  const auto log = whole_log(store);
  REQUIRE(log.size() == 3);
  CHECK(log[0].stream == "package-9");
  CHECK(log[1].stream == "benefit-1");
  CHECK(log[2].stream == "benefit-2");
}

TEMPLATE_TEST_CASE("R-PKG-4 a stream listed without events is a version check",
                   "[store][contract]", MemoryBackend, RocksDbBackend, PostgresBackend) {
  TestType backend;
  EventStore& store = *backend.store;
  REQUIRE(store.append(append_to("package-1", ExpectedVersion::no_stream(), {make_event("P")}))
              .status.is_ok());

  WriteRequest guarded;
  guarded.streams.push_back({"benefit-1", ExpectedVersion::any(), {make_event("KeyRevealed")}});
  guarded.streams.push_back({"package-1", ExpectedVersion::exactly(1), {}});
  const auto accepted = store.append(guarded);
  REQUIRE(accepted.status.is_ok());
  CHECK(accepted.stream_versions == std::vector<Version>{1, 1});
  CHECK(version_of(store, "package-1") == 1);

  REQUIRE(store.append(append_to("package-1", ExpectedVersion::exactly(1),
                                 {make_event("CancellationRequested")}))
              .status.is_ok());
  const auto refused = store.append(guarded);
  CHECK(refused.status.code() == Status::Code::conflict);
  CHECK(whole_stream(store, "benefit-1").size() == 1);
}

TEMPLATE_TEST_CASE("reads start where asked and stop at the limit", "[store][contract]",
                   MemoryBackend, RocksDbBackend, PostgresBackend) {
  TestType backend;
  EventStore& store = *backend.store;
  for (int i = 1; i <= 10; ++i) {
    REQUIRE(store.append(append_to(i % 2 ? "odd" : "even", ExpectedVersion::any(),
                                   {make_event("E", std::to_string(i))}))
                .status.is_ok());
  }
  std::vector<RecordedEvent> events;
  REQUIRE(store.read_stream("odd", 2, 2, &events).is_ok());
  REQUIRE(events.size() == 2);
  CHECK(events[0].version == 2);
  CHECK(events[0].event.data == "3");
  CHECK(events[1].event.data == "5");

  events.clear();
  REQUIRE(store.read_stream("odd", 5, 100, &events).is_ok());
  REQUIRE(events.size() == 1);
  CHECK(events[0].event.data == "9");

  events.clear();
  REQUIRE(store.read_stream("odd", 6, 100, &events).is_ok());
  CHECK(events.empty());

  events.clear();
  REQUIRE(store.read_all(7, 3, &events).is_ok());
  REQUIRE(events.size() == 3);
  CHECK(events[0].position == 7);
  CHECK(events[2].position == 9);

  events.clear();
  REQUIRE(store.read_all(11, 3, &events).is_ok());
  CHECK(events.empty());

  events.clear();
  REQUIRE(store.read_stream("no-such-stream", 1, 10, &events).is_ok());
  CHECK(events.empty());

  // Point reads by position come back in the order asked; a position beyond the log is
  // corruption, since only an index that lies would ask for one.
  events.clear();
  REQUIRE(store.read_at({9, 2, 5}, &events).is_ok());
  REQUIRE(events.size() == 3);
  CHECK(events[0].position == 9);
  CHECK(events[0].event.data == "9");
  CHECK(events[1].position == 2);
  CHECK(events[1].stream == "even");
  CHECK(events[2].event.data == "5");
  events.clear();
  CHECK(store.read_at({3, 11}, &events).code() == Status::Code::corruption);
  CHECK(store.read_at({0}, &events).code() == Status::Code::corruption);
}

TEMPLATE_TEST_CASE("every field of an event comes back as it was appended", "[store][contract]",
                   MemoryBackend, RocksDbBackend, PostgresBackend) {
  TestType backend;
  EventStore& store = *backend.store;
  EventData event;
  event.id = "evt-1";
  event.type = "SeatAssigned";
  event.schema_version = 3;
  event.occurred_at = Timestamp(std::chrono::milliseconds(1'770'000'123'456));
  event.actor = "user:U7";
  event.correlation_id = "corr-9";
  event.causation_id = "cmd-4";
  event.data = R"({"seatId":"S1","note":"zero \u0000 byte and ünïcode"})";
  event.metadata = R"({"command":"AssignSeat"})";
  REQUIRE(store.append(append_to("benefit-7", ExpectedVersion::no_stream(), {event})).status.is_ok());

  const auto stored = whole_stream(store, "benefit-7");
  REQUIRE(stored.size() == 1);
  CHECK(stored[0].event == event);
  CHECK(stored[0].stream == "benefit-7");
  CHECK(whole_log(store)[0] == stored[0]);
}

TEMPLATE_TEST_CASE("keyed writes commit with the events, and deletes remove",
                   "[store][contract]", MemoryBackend, RocksDbBackend, PostgresBackend) {
  TestType backend;
  EventStore& store = *backend.store;
  WriteRequest request = append_to("benefit-1", ExpectedVersion::no_stream(), {make_event("A")});
  request.writes.push_back(KeyedWrite::put(Table::timers, "2026-01-02|t2", "expire"));
  request.writes.push_back(KeyedWrite::put(Table::timers, "2026-01-01|t1", "complete"));
  request.writes.push_back(KeyedWrite::put(Table::timers, "2026-01-03|t3", "lapse"));
  request.writes.push_back(KeyedWrite::put(Table::idempotency, "key-1", "response"));
  REQUIRE(store.append(request).status.is_ok());

  std::vector<KeyValue> due;
  REQUIRE(store.scan(Table::timers, "", "2026-01-03", 10, &due).is_ok());
  REQUIRE(due.size() == 2);
  CHECK(due[0].key == "2026-01-01|t1");
  CHECK(due[1].value == "expire");

  due.clear();
  REQUIRE(store.scan(Table::timers, "2026-01-02", "", 1, &due).is_ok());
  REQUIRE(due.size() == 1);
  CHECK(due[0].key == "2026-01-02|t2");

  // A keyed write alone (what a projection checkpoint does) needs no event.
  WriteRequest fire;
  fire.writes.push_back(KeyedWrite::erase(Table::timers, "2026-01-01|t1"));
  const auto fired = store.append(fire);
  REQUIRE(fired.status.is_ok());
  CHECK(fired.first_position == 0);
  CHECK(store.last_position() == 1);

  due.clear();
  REQUIRE(store.scan(Table::timers, "", "", 10, &due).is_ok());
  CHECK(due.size() == 2);
  std::optional<std::string> value;
  REQUIRE(store.get(Table::idempotency, "key-1", &value).is_ok());
  CHECK(value == "response");
  REQUIRE(store.get(Table::views, "key-1", &value).is_ok());
  CHECK_FALSE(value.has_value());
}

TEMPLATE_TEST_CASE("a clear empties one table in the same commit as the writes around it",
                   "[store][contract]", MemoryBackend, RocksDbBackend, PostgresBackend) {
  TestType backend;
  WriteRequest fill;
  for (const std::string& key : {std::string("a"), std::string("m/1"), std::string(kMaxKeyBytes, '\xff'), std::string(1, '\0')}) {
    fill.writes.push_back(KeyedWrite::put(Table::views, key, "old"));
  }
  fill.writes.push_back(KeyedWrite::put(Table::checkpoints, "projections", "42"));
  REQUIRE(backend.store->append(fill).status.is_ok());

  // The clear removes every key, the longest and the lowest included; a put after it in the
  // same request survives; other tables are untouched.
  WriteRequest reset;
  reset.writes.push_back(KeyedWrite::clear(Table::views));
  reset.writes.push_back(KeyedWrite::put(Table::views, "m/1", "new"));
  REQUIRE(backend.store->append(reset).status.is_ok());
  if constexpr (requires { backend.reopen(); }) backend.reopen();

  std::vector<KeyValue> rows;
  REQUIRE(backend.store->scan(Table::views, "", "", 100, &rows).is_ok());
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].key == "m/1");
  CHECK(rows[0].value == "new");
  std::optional<std::string> checkpoint;
  REQUIRE(backend.store->get(Table::checkpoints, "projections", &checkpoint).is_ok());
  CHECK(checkpoint == "42");

  WriteRequest clear_with_key;
  clear_with_key.writes.push_back(KeyedWrite::clear(Table::views));
  clear_with_key.writes.back().key = "m/1";
  CHECK(backend.store->append(clear_with_key).status.code() == Status::Code::invalid_argument);
}

TEMPLATE_TEST_CASE("malformed requests are refused and change nothing", "[store][contract]",
                   MemoryBackend, RocksDbBackend, PostgresBackend) {
  TestType backend;
  EventStore& store = *backend.store;
  WriteRequest empty;
  WriteRequest twice = append_to("s", ExpectedVersion::any(), {make_event("A")});
  twice.streams.push_back({"s", ExpectedVersion::any(), {make_event("B")}});
  WriteRequest unnamed = append_to("", ExpectedVersion::any(), {make_event("A")});
  WriteRequest nul = append_to(std::string("a\0b", 3), ExpectedVersion::any(), {make_event("A")});
  WriteRequest untyped = append_to("s", ExpectedVersion::any(), {make_event("")});
  WriteRequest keyless;
  keyless.writes.push_back(KeyedWrite::put(Table::views, "", "v"));
  WriteRequest oversized;
  oversized.writes.push_back(KeyedWrite::put(Table::views, std::string(kMaxKeyBytes + 1, 'k'), "v"));

  for (const WriteRequest* request : {&empty, &twice, &unnamed, &nul, &untyped, &keyless, &oversized}) {
    CHECK(store.append(*request).status.code() == Status::Code::invalid_argument);
  }
  CHECK(store.last_position() == 0);
  CHECK(whole_log(store).empty());
}

TEMPLATE_TEST_CASE("R-ENG-6 each event links to its stream's previous event",
                   "[store][contract]", MemoryBackend, RocksDbBackend, PostgresBackend) {
  TestType backend;
  EventStore& store = *backend.store;
  REQUIRE(store.append(append_to("a", ExpectedVersion::any(), {make_event("1"), make_event("2")}))
              .status.is_ok());
  REQUIRE(store.append(append_to("b", ExpectedVersion::any(), {make_event("3")})).status.is_ok());
  REQUIRE(store.append(append_to("a", ExpectedVersion::any(), {make_event("4")})).status.is_ok());

  const auto a = whole_stream(store, "a");
  CHECK(a[0].prev_hash == Hash{});
  CHECK(a[1].prev_hash == a[0].hash);
  CHECK(a[2].prev_hash == a[1].hash);
  CHECK(whole_stream(store, "b")[0].prev_hash == Hash{});
  CHECK(a[0].hash != a[1].hash);

  const VerifyReport report = verify_chain(store);
  CHECK(report.ok);
  CHECK(report.events_checked == 4);
  const VerifyReport only_b =
      verify_chain(store, [](std::string_view stream) { return stream == "b"; });
  CHECK(only_b.ok);
  CHECK(only_b.events_checked == 1);
}

TEMPLATE_TEST_CASE("commit observers hear of every commit", "[store][contract]", MemoryBackend,
                   RocksDbBackend, PostgresBackend) {
  TestType backend;
  EventStore& store = *backend.store;
  std::atomic<Position> seen{0};
  store.add_commit_observer([&seen](Position position) {
    Position current = seen.load();
    while (current < position && !seen.compare_exchange_weak(current, position)) {
    }
  });
  const auto result = store.append(append_to("s", ExpectedVersion::any(), {make_event("A")}));
  REQUIRE(result.status.is_ok());
  CHECK(seen.load() == 1);
  CHECK(store.append(append_to("s", ExpectedVersion::no_stream(), {make_event("B")}))
            .status.code() == Status::Code::conflict);
  CHECK(seen.load() == 1);
}

TEMPLATE_TEST_CASE("acknowledgements come in commit order, each after its commit's observers",
                   "[store][contract]", MemoryBackend, RocksDbBackend, PostgresBackend) {
  TestType backend;
  EventStore& store = *backend.store;
  std::mutex mutex;
  Position observed = 0;
  std::vector<Position> acknowledged;
  bool observed_first = true, all_ok = true;
  store.add_commit_observer([&](Position position) {
    std::lock_guard lock(mutex);
    observed = std::max(observed, position);
  });
  const auto acknowledge = [&](AppendResult result) {  // on a store thread: no Catch2 here
    std::lock_guard lock(mutex);
    all_ok = all_ok && result.status.is_ok();
    acknowledged.push_back(result.last_position);
    observed_first = observed_first && observed >= result.last_position;
  };
  // Bursts (groups queue behind each other) with slow callbacks, each followed by a lone append
  // that commits while those callbacks may still be running.
  const auto slow_acknowledge = [&](AppendResult result) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    acknowledge(std::move(result));
  };
  constexpr int kRounds = 10, kBurst = 20;
  for (int round = 0; round < kRounds; ++round) {
    for (int i = 0; i < kBurst; ++i) {
      store.append_async(append_to("s", ExpectedVersion::any(), {make_event("A")}), slow_acknowledge);
    }
    store.append_async(append_to("s", ExpectedVersion::any(), {make_event("B")}), acknowledge);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  acknowledge(store.append(append_to("s", ExpectedVersion::any(), {make_event("C")})));
  std::lock_guard lock(mutex);
  REQUIRE(acknowledged.size() == kRounds * (kBurst + 1) + 1);
  CHECK(all_ok);
  CHECK(std::is_sorted(acknowledged.begin(), acknowledged.end()));
  CHECK(observed_first);
}

TEST_CASE("R-ENG-3 a reopened RocksDB store has every event and continues its positions",
          "[store][rocksdb]") {
  RocksDbBackend backend;
  REQUIRE(backend.store->append(append_to("a", ExpectedVersion::any(),
                                          {make_event("1"), make_event("2")}))
              .status.is_ok());
  WriteRequest timers;
  timers.writes.push_back(KeyedWrite::put(Table::timers, "t", "v"));
  REQUIRE(backend.store->append(timers).status.is_ok());
  backend.reopen();

  EventStore& store = *backend.store;
  CHECK(store.last_position() == 2);
  CHECK(version_of(store, "a") == 2);
  const auto next = store.append(append_to("a", ExpectedVersion::exactly(2), {make_event("3")}));
  REQUIRE(next.status.is_ok());
  CHECK(next.first_position == 3);
  CHECK(whole_stream(store, "a")[2].prev_hash == whole_stream(store, "a")[1].hash);
  std::optional<std::string> timer;
  REQUIRE(store.get(Table::timers, "t", &timer).is_ok());
  CHECK(timer == "v");
  CHECK(verify_chain(store).ok);
}
