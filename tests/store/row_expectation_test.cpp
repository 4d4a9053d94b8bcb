// Expected rows (WriteRequest::expected_rows): a write that expects a row commits only while
// the row holds what it expects, checked under the store's commit lock, so that of several
// writers firing one timer (erasing its row with its effects) exactly one wins: in one group,
// across groups and threads, and across stores (processes) sharing one PostgreSQL schema.

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "store/postgres/postgres_event_store.h"
#include "support/postgres_server.h"
#include "support/store_backends.h"
#include "event_builders.h"

using namespace benefitd::store;
using benefitd::testing::append_to;
using benefitd::testing::make_event;
using benefitd::testing::MemoryBackend;
using benefitd::testing::PostgresBackend;
using benefitd::testing::PostgresServer;
using benefitd::testing::RocksDbBackend;

namespace {

constexpr std::string_view kTimer = "due-1|timer-1";

// A timer's firing: an event of its effects, the erase of its row, and the expectation that
// the row is still there.
WriteRequest firing(const std::string& timer, const std::string& by) {
  WriteRequest request = append_to("fired-" + timer, ExpectedVersion::any(), {make_event("Fired", by)});
  request.writes.push_back(KeyedWrite::erase(Table::timers, timer));
  request.expected_rows.push_back({Table::timers, timer, "payload"});
  return request;
}

void schedule(EventStore& store, const std::string& timer) {
  WriteRequest request;
  request.writes.push_back(KeyedWrite::put(Table::timers, timer, "payload"));
  REQUIRE(store.append(request).status.is_ok());
}

std::size_t events_in(const EventStore& store, const std::string& stream) {
  std::vector<RecordedEvent> events;
  REQUIRE(store.read_stream(stream, 1, 1000, &events).is_ok());
  return events.size();
}

}  // namespace

TEMPLATE_TEST_CASE("R-LIFE-6 a write expecting a row commits only while the row holds the expected value",
                   "[store][contract]", MemoryBackend, RocksDbBackend, PostgresBackend) {
  TestType backend;
  EventStore& store = *backend.store;
  schedule(store, std::string(kTimer));

  const AppendResult first = store.append(firing(std::string(kTimer), "first"));
  REQUIRE(first.status.is_ok());
  CHECK(first.last_position == 1);

  // The row is gone: the second firing is a conflict naming it, and writes nothing.
  const AppendResult second = store.append(firing(std::string(kTimer), "second"));
  CHECK(second.status.code() == Status::Code::conflict);
  REQUIRE(second.row_conflict.has_value());
  CHECK(second.row_conflict->table == Table::timers);
  CHECK(second.row_conflict->key == kTimer);
  CHECK_FALSE(second.conflict.has_value());
  CHECK(store.last_position() == 1);
  CHECK(events_in(store, "fired-" + std::string(kTimer)) == 1);

  // A value other than the expected one fails too; expecting absence holds for a missing row.
  schedule(store, "due-2|timer-2");
  WriteRequest other_value = firing("due-2|timer-2", "other");
  other_value.expected_rows.front().value = "another payload";
  CHECK(store.append(other_value).status.code() == Status::Code::conflict);
  WriteRequest absent;
  absent.writes.push_back(KeyedWrite::put(Table::checkpoints, "claimed", "1"));
  absent.expected_rows.push_back({Table::checkpoints, "claimed", std::nullopt});
  CHECK(store.append(absent).status.is_ok());
  CHECK(store.append(absent).status.code() == Status::Code::conflict);
  std::optional<std::string> timer;
  REQUIRE(store.get(Table::timers, "due-2|timer-2", &timer).is_ok());
  CHECK(timer == "payload");
}

TEMPLATE_TEST_CASE("R-LIFE-6 of requests queued together expecting one row, the first wins",
                   "[store][contract]", MemoryBackend, RocksDbBackend, PostgresBackend) {
  TestType backend;
  EventStore& store = *backend.store;
  schedule(store, std::string(kTimer));
  // Queued back to back, the firings commit in one group where the store groups commits: the
  // second sees the first's erase, not only the committed row.
  std::atomic<int> answered{0};
  std::vector<Status::Code> outcomes(3);
  for (int i = 0; i < 3; ++i) {
    store.append_async(firing(std::string(kTimer), "f" + std::to_string(i)), [&, i](AppendResult result) {
      outcomes[i] = result.status.code();
      ++answered;
    });
  }
  while (answered.load() < 3) std::this_thread::yield();
  CHECK(outcomes == std::vector{Status::Code::ok, Status::Code::conflict, Status::Code::conflict});
  CHECK(events_in(store, "fired-" + std::string(kTimer)) == 1);

  // A row the group puts back is there for a later request of the group.
  std::vector<Status::Code> again(2);
  answered = 0;
  WriteRequest put_back;
  put_back.writes.push_back(KeyedWrite::put(Table::timers, std::string(kTimer), "payload"));
  store.append_async(put_back, [&](AppendResult result) {
    again[0] = result.status.code();
    ++answered;
  });
  store.append_async(firing(std::string(kTimer), "after put"), [&](AppendResult result) {
    again[1] = result.status.code();
    ++answered;
  });
  while (answered.load() < 2) std::this_thread::yield();
  CHECK(again == std::vector{Status::Code::ok, Status::Code::ok});
}

TEMPLATE_TEST_CASE("malformed row expectations are refused", "[store][contract]", MemoryBackend, RocksDbBackend,
                   PostgresBackend) {
  TestType backend;
  WriteRequest views = firing(std::string(kTimer), "x");
  views.expected_rows = {{Table::views, "v", "1"}};
  CHECK(backend.store->append(views).status.code() == Status::Code::invalid_argument);
  WriteRequest empty_key = firing(std::string(kTimer), "x");
  empty_key.expected_rows = {{Table::timers, "", "1"}};
  CHECK(backend.store->append(empty_key).status.code() == Status::Code::invalid_argument);
  CHECK(backend.store->last_position() == 0);
}

TEST_CASE("R-LIFE-6 two stores on one PostgreSQL schema firing the same timers fire each once",
          "[store][postgres]") {
  const std::string schema = PostgresServer::shared().fresh_schema();
  const auto open = [&] {
    PostgresOptions options;
    options.conninfo = PostgresServer::shared().conninfo();
    options.schema = schema;
    std::unique_ptr<PostgresEventStore> store;
    REQUIRE(PostgresEventStore::open(options, &store).is_ok());
    return store;
  };
  auto a = open();
  auto b = open();
  constexpr int kTimers = 40;
  for (int i = 0; i < kTimers; ++i) schedule(*a, "due|t" + std::to_string(i));

  // Each store fires every timer from two threads of its own: four firings per timer.
  std::vector<std::vector<Status::Code>> outcomes(4);
  std::vector<std::thread> firers;
  for (int f = 0; f < 4; ++f) {
    firers.emplace_back([&, f] {
      EventStore& store = f % 2 == 0 ? static_cast<EventStore&>(*a) : *b;
      for (int i = 0; i < kTimers; ++i) {
        outcomes[f].push_back(store.append(firing("due|t" + std::to_string(i), "f" + std::to_string(f))).status.code());
      }
    });
  }
  for (std::thread& firer : firers) firer.join();
  for (int i = 0; i < kTimers; ++i) {
    int wins = 0;
    for (const auto& firer : outcomes) {
      CHECK((firer[i] == Status::Code::ok || firer[i] == Status::Code::conflict));
      wins += firer[i] == Status::Code::ok;
    }
    CHECK(wins == 1);
    CHECK(events_in(*a, "fired-due|t" + std::to_string(i)) == 1);
  }
  std::vector<KeyValue> left;
  REQUIRE(a->scan(Table::timers, "", "", 10, &left).is_ok());
  CHECK(left.empty());
}
