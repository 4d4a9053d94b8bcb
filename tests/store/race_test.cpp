// Many threads appending to the same few streams with expected versions: every version has
// exactly one winner, and the log and streams end up gap-free (R-ENG-1, R-ENG-2).

#include <catch2/catch.hpp>

#include <set>
#include <thread>

#include "store/chain_verifier.h"
#include "support/store_backends.h"
#include "event_builders.h"

using namespace benefitd::store;
using benefitd::testing::make_event;
using benefitd::testing::MemoryBackend;
using benefitd::testing::PostgresBackend;
using benefitd::testing::RocksDbBackend;

namespace {

constexpr int kThreads = 8;
constexpr int kAppendsPerThread = 40;
const std::vector<std::string> kStreams = {"benefit-a", "benefit-b", "benefit-c"};

struct Win {
  std::string stream;
  Version version;
  std::string event_id;
};

// Appends one event to a stream, or (every third time) atomically to two streams, always
// with the version it just read; retries on conflict until it wins.
std::vector<Win> contend(EventStore& store, int thread) {
  std::vector<Win> wins;
  for (int i = 0; i < kAppendsPerThread; ++i) {
    const std::string& first = kStreams[(thread + i) % kStreams.size()];
    const std::string& second = kStreams[(thread + i + 1) % kStreams.size()];
    const bool pair = i % 3 == 0;
    const std::string id = "t" + std::to_string(thread) + "-" + std::to_string(i);
    for (;;) {
      Version first_version = 0;
      Version second_version = 0;
      REQUIRE(store.stream_version(first, &first_version).is_ok());
      REQUIRE(store.stream_version(second, &second_version).is_ok());
      WriteRequest request;
      EventData event = make_event("Raced", id);
      event.id = id;
      request.streams.push_back({first, ExpectedVersion::exactly(first_version), {event}});
      if (pair) {
        event.id = id + "-pair";
        request.streams.push_back({second, ExpectedVersion::exactly(second_version), {event}});
      }
      const AppendResult result = store.append(request);
      if (result.status.code() == Status::Code::conflict) continue;
      REQUIRE(result.status.is_ok());
      wins.push_back({first, result.stream_versions[0], id});
      if (pair) wins.push_back({second, result.stream_versions[1], id + "-pair"});
      break;
    }
  }
  return wins;
}

}  // namespace

TEMPLATE_TEST_CASE("R-ENG-1 racing appends: one winner per version, no gap, no duplicate",
                   "[store][race]", MemoryBackend, RocksDbBackend, PostgresBackend) {
  TestType backend;
  EventStore& store = *backend.store;

  std::vector<std::vector<Win>> wins(kThreads);
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&store, &wins, t] { wins[t] = contend(store, t); });
    }
  }

  std::set<std::pair<std::string, Version>> claimed;
  std::set<std::string> ids;
  std::size_t total = 0;
  for (const auto& thread_wins : wins) {
    for (const Win& win : thread_wins) {
      CHECK(claimed.insert({win.stream, win.version}).second);
      ids.insert(win.event_id);
      ++total;
    }
  }
  CHECK(ids.size() == total);

  std::vector<RecordedEvent> log;
  REQUIRE(store.read_all(1, 1'000'000, &log).is_ok());
  REQUIRE(log.size() == total);
  std::set<std::string> logged_ids;
  for (std::size_t i = 0; i < log.size(); ++i) {
    CHECK(log[i].position == i + 1);
    logged_ids.insert(log[i].event.id);
  }
  CHECK(logged_ids == ids);

  for (const std::string& stream : kStreams) {
    std::vector<RecordedEvent> events;
    REQUIRE(store.read_stream(stream, 1, 1'000'000, &events).is_ok());
    for (std::size_t i = 0; i < events.size(); ++i) {
      CHECK(events[i].version == i + 1);
      CHECK(claimed.count({stream, events[i].version}) == 1);
    }
  }
  CHECK(verify_chain(store).ok);
}
