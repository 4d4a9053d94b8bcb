// Positioned keyed writes (KeyedWrite::at_event): a row named by where an event of the same
// request lands in the log, which only the commit knows. The views' index of a partner's log
// entries is written this way together with the command's events (R-ENG-10).

#include <catch2/catch.hpp>

#include <future>
#include <vector>

#include "event_builders.h"
#include "store/event_codec.h"
#include "support/store_backends.h"

using namespace benefitd::store;
using benefitd::testing::append_to;
using benefitd::testing::make_event;
using benefitd::testing::MemoryBackend;
using benefitd::testing::PostgresBackend;
using benefitd::testing::RocksDbBackend;

namespace {

std::vector<KeyValue> rows_under(const EventStore& store, const std::string& prefix) {
  std::vector<KeyValue> rows;
  REQUIRE(store.scan(Table::views, prefix, prefix + '\xff', 1000, &rows).is_ok());
  return rows;
}

}  // namespace

TEMPLATE_TEST_CASE("R-ENG-10 a positioned write is completed with the log position of the event it names",
                   "[store][contract]", MemoryBackend, RocksDbBackend, PostgresBackend) {
  TestType backend;
  EventStore& store = *backend.store;
  REQUIRE(store.append(append_to("a", ExpectedVersion::any(), {make_event("Earlier")})).status.is_ok());

  WriteRequest request = append_to("b", ExpectedVersion::any(), {make_event("One"), make_event("Two")});
  request.streams.push_back({"c", ExpectedVersion::any(), {make_event("Three")}});
  request.writes.push_back(KeyedWrite::put_at_event(Table::views, "log/b/", 1, "second of b"));
  request.writes.push_back(KeyedWrite::put_at_event(Table::views, "log/c/", 2, "only of c"));
  request.writes.push_back(KeyedWrite::put_position_of_event(Table::checkpoints, "last", 2));
  const AppendResult result = store.append(request);
  REQUIRE(result.status.is_ok());
  REQUIRE(result.first_position == 2);

  const auto b = rows_under(store, "log/b/");
  REQUIRE(b.size() == 1);
  CHECK(b[0].key == "log/b/" + position_key_suffix(3));
  CHECK(b[0].value == "second of b");
  const auto c = rows_under(store, "log/c/");
  REQUIRE(c.size() == 1);
  CHECK(c[0].key == "log/c/" + position_key_suffix(4));
  std::optional<std::string> last;
  REQUIRE(store.get(Table::checkpoints, "last", &last).is_ok());
  CHECK(last == encode_big_endian(4));
}

TEMPLATE_TEST_CASE("R-ENG-10 positioned keys of requests committed in one group each name their own events",
                   "[store][contract]", MemoryBackend, RocksDbBackend, PostgresBackend) {
  TestType backend;
  EventStore& store = *backend.store;
  constexpr int kRequests = 64;
  std::vector<std::promise<AppendResult>> results(kRequests);
  for (int i = 0; i < kRequests; ++i) {
    WriteRequest request = append_to("s-" + std::to_string(i), ExpectedVersion::no_stream(),
                                     {make_event("First"), make_event("Second")});
    request.writes.push_back(KeyedWrite::put_at_event(Table::views, "log/", 1, std::to_string(i)));
    store.append_async(std::move(request), [&results, i](AppendResult result) { results[i].set_value(std::move(result)); });
  }
  for (int i = 0; i < kRequests; ++i) {
    const AppendResult result = results[i].get_future().get();
    REQUIRE(result.status.is_ok());
    std::optional<std::string> value;
    REQUIRE(store.get(Table::views, "log/" + position_key_suffix(result.last_position), &value).is_ok());
    CHECK(value == std::to_string(i));
  }
  CHECK(rows_under(store, "log/").size() == kRequests);
}

TEMPLATE_TEST_CASE("R-ENG-10 a positioned key naming an event the request does not hold is refused and changes nothing",
                   "[store][contract]", MemoryBackend, RocksDbBackend, PostgresBackend) {
  TestType backend;
  EventStore& store = *backend.store;
  WriteRequest request = append_to("a", ExpectedVersion::any(), {make_event("Only")});
  request.writes.push_back(KeyedWrite::put_at_event(Table::views, "log/", 1, "beyond"));
  const AppendResult refused = store.append(request);
  CHECK(refused.status.code() == Status::Code::invalid_argument);
  CHECK(store.last_position() == 0);
  CHECK(rows_under(store, "log/").empty());

  WriteRequest counted = append_to("a", ExpectedVersion::any(), {make_event("Only")});
  counted.writes.push_back(KeyedWrite::put_at_event(Table::timers, "due/", 0, "timer"));
  CHECK(store.append(counted).status.code() == Status::Code::invalid_argument);
  CHECK(store.last_position() == 0);

  WriteRequest without_events;
  without_events.writes.push_back(KeyedWrite::put_at_event(Table::views, "log/", 0, "nothing"));
  CHECK(store.append(without_events).status.code() == Status::Code::invalid_argument);
}

TEST_CASE("R-ENG-10 position key suffixes sort in log order") {
  CHECK(position_key_suffix(1) == "00000000000000000001");
  CHECK(position_key_suffix(9) < position_key_suffix(10));
  CHECK(position_key_suffix(18'446'744'073'709'551'615ULL) == "18446744073709551615");
}
