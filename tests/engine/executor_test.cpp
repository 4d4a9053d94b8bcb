// CommandExecutor: retries on conflict, gives up under endless contention, and keeps
// idempotency keys (R-ENG-1, R-ENG-4). On the in-memory store.

#include <catch2/catch.hpp>

#include <future>

#include "engine/command_executor.h"
#include "store/memory_event_store.h"
#include "store/rocksdb/rocksdb_event_store.h"
#include "support/temp_dir.h"

using namespace benefitd;
using namespace std::chrono_literals;

namespace {

struct FixedClock final : engine::Clock {
  engine::Time time{std::chrono::seconds(1'767'600'000)};
  engine::Time now() const override { return time; }
  bool is_simulated() const override { return true; }
};

store::EventData event(std::string type) {
  store::EventData data;
  data.id = type;
  data.type = std::move(type);
  return data;
}

engine::Completion run(engine::CommandExecutor& executor, std::optional<engine::IdempotencyKey> key,
                       engine::CommandExecutor::Decide decide) {
  std::promise<engine::Completion> done;
  executor.run(std::move(key), std::move(decide), [&done](engine::Completion c) { done.set_value(std::move(c)); });
  return done.get_future().get();
}

// Appends one event to "s" at the version it reads.
engine::Attempt append_next(store::EventStore& store, const std::string& reply) {
  store::Version version = 0;
  REQUIRE(store.stream_version("s", &version).is_ok());
  engine::Attempt attempt;
  attempt.write.streams.push_back({"s", store::ExpectedVersion::exactly(version), {event("E")}});
  attempt.reply = reply;
  return attempt;
}

}  // namespace

TEST_CASE("R-ENG-1 a command that loses a race decides again on fresh state", "[engine][executor]") {
  store::MemoryEventStore store;
  FixedClock clock;
  engine::CommandExecutor executor(store, clock, 2);
  int decisions = 0;
  const engine::Completion done = run(executor, std::nullopt, [&] {
    engine::Attempt attempt = append_next(store, "ok");
    if (++decisions == 1) {
      // Another writer gets in between this decision and its append.
      REQUIRE(store.append({{{"s", store::ExpectedVersion::any(), {event("Other")}}}, {}}).status.is_ok());
    }
    return attempt;
  });
  CHECK(done.kind == engine::Completion::Kind::done);
  CHECK(done.reply == "ok");
  CHECK(decisions == 2);
  store::Version version = 0;
  REQUIRE(store.stream_version("s", &version).is_ok());
  CHECK(version == 2);
  CHECK(done.position == 2);
}

TEST_CASE("R-ENG-1 endless contention is refused after the retries, half-applying nothing",
          "[engine][executor]") {
  store::MemoryEventStore store;
  FixedClock clock;
  engine::CommandExecutor executor(store, clock, 2, /*max_attempts=*/3);
  int decisions = 0;
  const engine::Completion done = run(executor, std::nullopt, [&] {
    engine::Attempt attempt = append_next(store, "never");
    attempt.write.streams.push_back({"t", store::ExpectedVersion::any(), {event("Half")}});
    ++decisions;
    REQUIRE(store.append({{{"s", store::ExpectedVersion::any(), {event("Other")}}}, {}}).status.is_ok());
    return attempt;
  });
  CHECK(done.kind == engine::Completion::Kind::contention);
  CHECK(decisions == 3);
  store::Version version = 0;
  REQUIRE(store.stream_version("t", &version).is_ok());
  CHECK(version == 0);
}

TEST_CASE("R-ENG-4 idempotency: replay, reuse, in flight, expiry", "[engine][executor]") {
  store::MemoryEventStore store;
  FixedClock clock;
  engine::CommandExecutor executor(store, clock, 2);
  const engine::IdempotencyKey key{"user:U1", "k1", "POST /x {1}"};
  int decisions = 0;
  auto decide = [&] {
    ++decisions;
    return append_next(store, "reply-" + std::to_string(decisions));
  };

  const auto first = run(executor, key, decide);
  REQUIRE(first.kind == engine::Completion::Kind::done);
  const auto retry = run(executor, key, decide);
  CHECK(retry.kind == engine::Completion::Kind::replayed);
  CHECK(retry.reply == first.reply);
  CHECK(decisions == 1);
  CHECK(store.last_position() == 1);

  const auto other_request = run(executor, engine::IdempotencyKey{"user:U1", "k1", "POST /x {2}"}, decide);
  CHECK(other_request.kind == engine::Completion::Kind::key_reused);
  // The same key from another caller is another key.
  CHECK(run(executor, engine::IdempotencyKey{"user:U2", "k1", "POST /x {2}"}, decide).kind ==
        engine::Completion::Kind::done);

  SECTION("a key whose first use is still running is refused") {
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::promise<engine::Completion> slow;
    executor.run(engine::IdempotencyKey{"user:U1", "slow", "f"},
                 [&] { released.wait(); return append_next(store, "slow"); },
                 [&slow](engine::Completion c) { slow.set_value(std::move(c)); });
    std::this_thread::sleep_for(50ms);  // let the first use start
    const auto second = run(executor, engine::IdempotencyKey{"user:U1", "slow", "f"}, decide);
    CHECK(second.kind == engine::Completion::Kind::key_in_flight);
    release.set_value();
    CHECK(slow.get_future().get().kind == engine::Completion::Kind::done);
  }

  SECTION("records are kept 24 hours, then removed") {
    std::size_t removed = 0;
    clock.time += 24h;
    REQUIRE(executor.expire_idempotency(&removed).is_ok());
    CHECK(removed == 0);
    CHECK(run(executor, key, decide).kind == engine::Completion::Kind::replayed);
    clock.time += 1s;
    REQUIRE(executor.expire_idempotency(&removed).is_ok());
    CHECK(removed == 2);
    CHECK(run(executor, key, decide).kind == engine::Completion::Kind::done);
  }
}

TEST_CASE("a decision that throws completes as unavailable and writes nothing", "[engine][executor]") {
  store::MemoryEventStore store;
  FixedClock clock;
  engine::CommandExecutor executor(store, clock, 1);
  const auto done = run(executor, engine::IdempotencyKey{"operator", "k", "f"},
                        []() -> engine::Attempt { throw std::runtime_error("disk on fire"); });
  CHECK(done.kind == engine::Completion::Kind::unavailable);
  CHECK(done.detail == "disk on fire");
  CHECK(store.last_position() == 0);
  std::vector<store::KeyValue> rows;
  REQUIRE(store.scan(store::Table::idempotency, "", "", 10, &rows).is_ok());
  CHECK(rows.empty());
}

TEST_CASE("destroying the executor waits for every command, appends still queued included",
          "[engine][executor]") {
  benefitd::testing::TempDir dir;
  std::unique_ptr<store::RocksDbEventStore> store;
  REQUIRE(store::RocksDbEventStore::open({dir.path() / "db"}, &store).is_ok());
  FixedClock clock;
  std::atomic<int> finished{0};
  {
    engine::CommandExecutor executor(*store, clock, 2);
    for (int i = 0; i < 50; ++i) {
      executor.run(std::nullopt,
                   [i] {
                     engine::Attempt attempt;
                     attempt.write.streams.push_back(
                         {"s" + std::to_string(i), store::ExpectedVersion::no_stream(), {event("E")}});
                     return attempt;
                   },
                   [&finished](engine::Completion completion) {
                     CHECK(completion.kind == engine::Completion::Kind::done);
                     ++finished;
                   });
    }
  }
  CHECK(finished == 50);
  CHECK(store->last_position() == 50);
}
