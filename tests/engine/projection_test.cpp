// ProjectionRunner: checkpoint and views commit together; waiting for a position (R-ENG-5).

#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <set>
#include <thread>

#include "engine/projection_runner.h"
#include "store/event_codec.h"
#include "store/memory_event_store.h"
#include "support/fault_injecting_store.h"
#include "support/store_backends.h"

using namespace benefitd;
using namespace std::chrono_literals;

namespace {

// Counts events per stream in "count/<stream>"; refuses events of type "Poison".
struct CountingProjection final : engine::Projection {
  explicit CountingProjection(std::string layout = "count/1") : layout_name(std::move(layout)) {}
  std::string layout() const override { return layout_name; }
  store::Status apply(const store::RecordedEvent& event, engine::ViewWriter& views) override {
    if (event.event.type == "Poison") return store::Status::corruption("poisoned");
    std::optional<std::string> count;
    if (store::Status status = views.get("count/" + event.stream, &count); !status.is_ok()) return status;
    views.put("count/" + event.stream, std::to_string(count ? std::stoi(*count) + 1 : 1));
    return store::Status::ok();
  }

  std::string layout_name;
};

// CountingProjection's rules, allowed to run split by stream; checks that each stream's events
// arrive in order, and notes the threads it ran on.
struct SplittableCountingProjection final : engine::Projection {
  store::Status apply(const store::RecordedEvent& event, engine::ViewWriter& views) override {
    {
      std::lock_guard lock(mutex);
      threads.insert(std::this_thread::get_id());
    }
    if (event.event.type == "Poison") return store::Status::corruption("poisoned");
    std::optional<std::string> count;
    if (store::Status status = views.get("count/" + event.stream, &count); !status.is_ok()) return status;
    const int next = count ? std::stoi(*count) + 1 : 1;
    if (next != static_cast<int>(event.version)) return store::Status::corruption("out of order");
    views.put("count/" + event.stream, std::to_string(next));
    return store::Status::ok();
  }
  bool streams_independent() const override { return true; }
  std::string layout() const override { return "count/1"; }

  std::mutex mutex;
  std::set<std::thread::id> threads;
};

void append(store::EventStore& store, const std::string& stream, const std::string& type = "E") {
  store::EventData event;
  event.type = type;
  REQUIRE(store.append({{{stream, store::ExpectedVersion::any(), {event}}}, {}}).status.is_ok());
}

std::optional<std::string> view(const store::EventStore& store, const std::string& key) {
  std::optional<std::string> value;
  REQUIRE(store.get(store::Table::views, key, &value).is_ok());
  return value;
}

std::unique_ptr<engine::ProjectionRunner> runner_on(store::EventStore& store, std::string layout = "count/1") {
  std::vector<std::unique_ptr<engine::Projection>> projections;
  projections.push_back(std::make_unique<CountingProjection>(std::move(layout)));
  auto runner = std::make_unique<engine::ProjectionRunner>(store, std::move(projections));
  REQUIRE(runner->open().is_ok());
  return runner;
}

}  // namespace

TEST_CASE("R-ENG-5 views and their checkpoint commit together", "[engine][projections]") {
  store::MemoryEventStore store;
  append(store, "a");
  append(store, "a");
  append(store, "b");
  auto runner = runner_on(store);
  REQUIRE(runner->catch_up().is_ok());
  CHECK(runner->position() == 3);
  CHECK(view(store, "count/a") == "2");
  CHECK(view(store, "count/b") == "1");

  // A reopened runner continues from the checkpoint: nothing is counted twice.
  append(store, "a");
  runner = runner_on(store);
  CHECK(runner->position() == 3);
  REQUIRE(runner->catch_up().is_ok());
  CHECK(view(store, "count/a") == "3");

  // An event the projection cannot take stops it right before that event: the views and the
  // checkpoint take every event before it, and nothing after.
  append(store, "b");
  append(store, "b", "Poison");
  append(store, "a");
  CHECK(runner->catch_up().code() == store::Status::Code::corruption);
  CHECK(runner->position() == 5);
  CHECK(view(store, "count/b") == "2");
  CHECK(view(store, "count/a") == "3");
  CHECK(runner->last_error().value_or("").starts_with("event 6:"));
  // Trying again changes nothing and reports the same event.
  CHECK(runner->catch_up().code() == store::Status::Code::corruption);
  CHECK(runner->position() == 5);
  CHECK(runner->last_error().value_or("").starts_with("event 6:"));
}

TEST_CASE("R-ENG-5 views written under another layout are dropped at open and rebuilt", "[engine][projections]") {
  store::MemoryEventStore store;
  append(store, "a");
  append(store, "a");
  REQUIRE(runner_on(store)->catch_up().is_ok());
  // A row no projection of this layout writes, as an earlier version's views would hold.
  REQUIRE(store.append({{}, {store::KeyedWrite::put(store::Table::views, "old/row", "x")}}).status.is_ok());

  // The same layout keeps the views and the checkpoint.
  auto same = runner_on(store);
  CHECK(same->position() == 2);
  CHECK(view(store, "old/row") == "x");

  // Another layout starts over at its first catch-up (until then, a reader still has the old
  // views): the old row goes, the counts come back from the log.
  auto changed = runner_on(store, "count/2");
  CHECK(changed->position() == 0);
  CHECK(view(store, "old/row") == "x");
  REQUIRE(changed->catch_up().is_ok());
  CHECK_FALSE(view(store, "old/row").has_value());
  CHECK(view(store, "count/a") == "2");
  CHECK(runner_on(store, "count/2")->position() == 2);
}

TEST_CASE("R-ENG-5 a rebuild from an empty views table gives the same views", "[engine][projections]") {
  store::MemoryEventStore store;
  for (int i = 0; i < 50; ++i) append(store, "s" + std::to_string(i % 7));
  auto runner = runner_on(store);
  REQUIRE(runner->catch_up().is_ok());
  std::vector<store::KeyValue> live;
  REQUIRE(store.scan(store::Table::views, "", "", 1000, &live).is_ok());
  std::uint64_t last_progress = 0;
  REQUIRE(runner->rebuild([&](std::uint64_t done, std::uint64_t) { last_progress = done; }).is_ok());
  std::vector<store::KeyValue> rebuilt;
  REQUIRE(store.scan(store::Table::views, "", "", 1000, &rebuilt).is_ok());
  REQUIRE(rebuilt.size() == live.size());
  for (std::size_t i = 0; i < live.size(); ++i) {
    CHECK(rebuilt[i].key == live[i].key);
    CHECK(rebuilt[i].value == live[i].value);
  }
  CHECK(last_progress == 50);
}

TEST_CASE("readers wait for a position without polling, or until their deadline", "[engine][projections]") {
  store::MemoryEventStore store;
  auto runner = runner_on(store);
  runner->start();

  std::promise<bool> reached;
  runner->when_reached(2, std::chrono::steady_clock::now() + 10s, [&](bool done) { reached.set_value(done); });
  append(store, "a");
  append(store, "a");
  CHECK(reached.get_future().get());
  CHECK(view(store, "count/a") == "2");

  std::promise<bool> expired;
  const auto asked = std::chrono::steady_clock::now();
  runner->when_reached(100, asked + 200ms, [&](bool done) { expired.set_value(done); });
  CHECK_FALSE(expired.get_future().get());
  CHECK(std::chrono::steady_clock::now() >= asked + 200ms);
}

TEST_CASE("a view put many times in one chunk is rendered once, with its last value", "[engine][projections]") {
  store::MemoryEventStore store;
  engine::ViewWriter views(store);
  int renders = 0;
  views.put_rendered("v", [&] { ++renders; return std::string("first"); });
  views.put_rendered("v", [&] { ++renders; return std::string("second"); });
  views.put_rendered("gone", [&] { ++renders; return std::string("never"); });
  views.erase("gone");

  // A reader within the chunk sees the rendered value without committing it.
  std::optional<std::string> value;
  REQUIRE(views.get("v", &value).is_ok());
  CHECK(value == "second");
  std::vector<store::KeyValue> scanned;
  REQUIRE(views.scan("", "", &scanned).is_ok());
  REQUIRE(scanned.size() == 1);
  CHECK(scanned[0].value == "second");
  renders = 0;

  std::vector<store::KeyedWrite> writes = views.take();
  CHECK(renders == 1);
  REQUIRE(writes.size() == 2);
  store::WriteRequest request;
  request.writes = std::move(writes);
  REQUIRE(store.append(std::move(request)).status.is_ok());
  CHECK(view(store, "v") == "second");
  CHECK_FALSE(view(store, "gone"));
}

TEST_CASE("a JSON row edited by several events of one write starts from the stored row and keeps every edit",
          "[engine][projections]") {
  store::MemoryEventStore store;
  {
    engine::ViewWriter stored(store);
    stored.put("row", R"({"a":1})");
    stored.put("broken", "not json");
    store::WriteRequest request;
    request.writes = stored.take();
    REQUIRE(store.append(std::move(request)).status.is_ok());
  }

  engine::ViewWriter views(store);
  REQUIRE(views.edit_document("row", [](nlohmann::json& row) { row["b"] = 2; }).is_ok());
  REQUIRE(views.edit_document("row", [](nlohmann::json& row) { row["a"] = 3; }).is_ok());
  REQUIRE(views.edit_document("new", [](nlohmann::json& row) { row["c"] = true; }).is_ok());
  views.put_document("put", {{"d", "x"}});
  REQUIRE(views.edit_document("put", [](nlohmann::json& row) { row["e"] = nullptr; }).is_ok());
  std::optional<std::string> value;
  REQUIRE(views.get("row", &value).is_ok());
  CHECK(value == R"({"a":3,"b":2})");

  // A row that is not JSON is refused and left as it was.
  CHECK(views.edit_document("broken", [](nlohmann::json& row) { row["f"] = 1; }).code() ==
        store::Status::Code::corruption);

  std::vector<store::KeyedWrite> writes = views.take();
  CHECK(writes.size() == 3);
  store::WriteRequest request;
  request.writes = std::move(writes);
  REQUIRE(store.append(std::move(request)).status.is_ok());
  CHECK(view(store, "row") == R"({"a":3,"b":2})");
  CHECK(view(store, "new") == R"({"c":true})");
  CHECK(view(store, "put") == R"({"d":"x","e":null})");
  CHECK(view(store, "broken") == "not json");
}

// RocksDB behind a device that takes 20 ms per commit: a chunk that read views before the
// chunk ahead of it landed would see stale counts.
struct SlowCommitBackend {
  static std::shared_ptr<testing::FaultInjectingStore::Faults> slow() {
    auto faults = std::make_shared<testing::FaultInjectingStore::Faults>();
    faults->append_delay_ms = 20;
    return faults;
  }
  testing::RocksDbBackend rocksdb;
  std::unique_ptr<store::EventStore> store =
      std::make_unique<testing::FaultInjectingStore>(std::move(rocksdb.store), slow());
};

// Appends `per_stream` events to each of `streams` streams ("s0", "s1", ...) in one request,
// stream after stream; `poisoned(stream, n)` says which events are of type "Poison".
void append_batch(store::EventStore& store, int streams, int per_stream,
                  const std::function<bool(int, int)>& poisoned = [](int, int) { return false; }) {
  store::WriteRequest request;
  for (int stream = 0; stream < streams; ++stream) {
    store::StreamAppend append{"s" + std::to_string(stream), store::ExpectedVersion::any(), {}};
    for (int n = 1; n <= per_stream; ++n) {
      store::EventData event;
      event.type = poisoned(stream, n) ? "Poison" : "E";
      append.events.push_back(std::move(event));
    }
    request.streams.push_back(std::move(append));
  }
  REQUIRE(store.append(std::move(request)).status.is_ok());
}

TEMPLATE_TEST_CASE("R-ENG-5 chunks split between threads and committed while the next is projected "
                   "give the views of one thread",
                   "[engine][projections]", testing::MemoryBackend, testing::RocksDbBackend, SlowCommitBackend) {
  TestType backend;
  store::EventStore& store = *backend.store;
  // Several chunks, each large enough to split; every stream spans chunks, so each chunk reads
  // the counts the one before it wrote.
  constexpr int kStreams = 40, kPerStream = 60;
  for (int round = 0; round < 2; ++round) append_batch(store, kStreams, kPerStream);
  auto projection = std::make_unique<SplittableCountingProjection>();
  SplittableCountingProjection& counting = *projection;
  std::vector<std::unique_ptr<engine::Projection>> projections;
  projections.push_back(std::move(projection));
  engine::ProjectionRunner runner(store, std::move(projections));
  REQUIRE(runner.open().is_ok());

  REQUIRE(runner.catch_up().is_ok());
  const store::Position caught_up = 2 * kStreams * kPerStream;
  CHECK(runner.position() == caught_up);
  for (int stream = 0; stream < kStreams; ++stream) {
    CHECK(view(store, "count/s" + std::to_string(stream)) == std::to_string(2 * kPerStream));
  }
  if (std::thread::hardware_concurrency() > 1) CHECK(counting.threads.size() > 1);

  // A clean chunk, then one with poison in two streams: the clean one lands, the earlier poison
  // is the error reported (not cleared by the clean chunk's commit), and of the second chunk
  // exactly the events before that poison land.
  append_batch(store, kStreams, 55);  // 2,200 events: one whole chunk and 200 more
  const store::Position poisoned_from = caught_up + kStreams * 55;
  append_batch(store, kStreams, 15, [](int stream, int n) { return (stream == 1 && n == 10) || (stream == 3 && n == 5); });
  const store::Position first_poison = poisoned_from + 15 + 10;  // s0's 15 events, then s1's 10th
  CHECK(runner.catch_up().code() == store::Status::Code::corruption);
  CHECK(runner.position() == first_poison - 1);
  CHECK(runner.last_error().value_or("").starts_with("event " + std::to_string(first_poison) + ":"));
  CHECK(view(store, "count/s0") == std::to_string(2 * kPerStream + 55 + 15));  // before the poison
  CHECK(view(store, "count/s1") == std::to_string(2 * kPerStream + 55 + 9));   // up to it
  CHECK(view(store, "count/s3") == std::to_string(2 * kPerStream + 55));       // after it
  CHECK(view(store, "count/s39") == std::to_string(2 * kPerStream + 55));      // clean, in the second chunk
}

TEST_CASE("R-ENG-5 a follower whose views could not be written retries by itself, without waiting for another commit",
          "[engine][projections]") {
  auto faults = std::make_shared<testing::FaultInjectingStore::Faults>();
  auto owned = std::make_unique<store::MemoryEventStore>();
  store::MemoryEventStore& target = *owned;
  testing::FaultInjectingStore store(std::move(owned), faults);
  auto runner = runner_on(store);
  REQUIRE(runner->catch_up().is_ok());
  runner->start();

  // A command lands while the store refuses the views' write (a passing disk fault); then the
  // fault passes and nothing else is ever committed.
  faults->writes = true;
  append(target, "a");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!runner->last_error() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  REQUIRE(runner->last_error().has_value());
  CHECK(runner->position() == 0);
  faults->writes = false;

  // Polled rather than waited for: a waiter's deadline would itself wake the follower.
  while (runner->position() < 1 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  CHECK(runner->position() == 1);
  CHECK(view(store, "count/a") == "1");
  CHECK_FALSE(runner->last_error().has_value());
}

TEST_CASE("Long-poll wake-ups per key: the runner wakes a watch when its view is committed, not for other views",
          "[engine][projections][long-poll]") {
  std::atomic<bool> other_woke = false;
  store::MemoryEventStore store;
  auto runner = runner_on(store);
  runner->start();
  append(store, "a");
  std::promise<bool> first;
  runner->when_reached(1, std::chrono::steady_clock::now() + 10s, [&](bool done) { first.set_value(done); });
  REQUIRE(first.get_future().get());

  std::promise<bool> a_changed;
  runner->when_changed({{"count/a"}, {}}, runner->position(), std::chrono::steady_clock::now() + 30s,
                       [&](bool changed) { a_changed.set_value(changed); });
  runner->when_changed({{"count/c"}, {}}, runner->position(), std::chrono::steady_clock::now() + 30s,
                       [&](bool) { other_woke = true; });
  auto a_future = a_changed.get_future();
  append(store, "b");
  std::promise<bool> b_done;
  runner->when_reached(2, std::chrono::steady_clock::now() + 10s, [&](bool done) { b_done.set_value(done); });
  REQUIRE(b_done.get_future().get());
  // The commit of position 2 wrote count/b alone; its watches were woken before position 2's readers.
  CHECK(a_future.wait_for(0s) == std::future_status::timeout);

  append(store, "a");
  CHECK(a_future.get());
  CHECK(view(store, "count/a") == "2");
  CHECK_FALSE(other_woke);

  std::promise<bool> expired;
  const auto asked = std::chrono::steady_clock::now();
  runner->when_changed({{"count/z"}, {}}, runner->position(), asked + 200ms,
                       [&](bool changed) { expired.set_value(changed); });
  CHECK_FALSE(expired.get_future().get());
  CHECK(std::chrono::steady_clock::now() >= asked + 200ms);
}

namespace {

// What a writer that carries its own views does (the command path, R-ENG-10): the event, the
// view row it changes and the checkpoint in one write.
void append_with_view(store::EventStore& store, const std::string& stream, const std::string& view_value) {
  store::EventData event;
  event.type = "E";
  REQUIRE(store.append({{{stream, store::ExpectedVersion::any(), {event}}},
                        {store::KeyedWrite::put(store::Table::views, "count/" + stream, view_value),
                         engine::ProjectionRunner::checkpoint_at_event(0)}})
              .status.is_ok());
}

}  // namespace

TEST_CASE("R-ENG-10 handed over, the views include every commit at once and the runner projects nothing",
          "[engine][projections]") {
  store::MemoryEventStore store;
  append(store, "a");
  append(store, "a");
  auto runner = runner_on(store);
  CHECK_FALSE(runner->views_written_inline());
  // Behind the log, the views cannot be handed over.
  CHECK_FALSE(runner->hand_over_to_writers().is_ok());
  CHECK_FALSE(runner->views_written_inline());

  REQUIRE(runner->catch_up().is_ok());
  REQUIRE(runner->hand_over_to_writers().is_ok());
  CHECK(runner->views_written_inline());
  runner->start(engine::ProjectionRunner::Following::writers);

  append_with_view(store, "a", "written by the command");
  // No wait: the commit is the views' position the moment it is visible.
  CHECK(runner->position() == store.last_position());
  bool reached = false;
  runner->when_reached(store.last_position(), std::chrono::steady_clock::now(), [&](bool done) { reached = done; });
  CHECK(reached);

  // A runner that projected the commit would have counted 3.
  std::promise<bool> later;
  runner->when_reached(store.last_position() + 1, std::chrono::steady_clock::now() + 10s,
                       [&](bool done) { later.set_value(done); });
  append_with_view(store, "b", "1");
  CHECK(later.get_future().get());
  CHECK(view(store, "count/a") == "written by the command");
  CHECK(view(store, "count/b") == "1");
}

TEST_CASE("R-ENG-10 the checkpoint written with each command counts its views complete after a restart",
          "[engine][projections]") {
  store::MemoryEventStore store;
  {
    auto runner = runner_on(store);
    REQUIRE(runner->catch_up().is_ok());
    REQUIRE(runner->hand_over_to_writers().is_ok());
  }
  append_with_view(store, "a", "inline");
  append_with_view(store, "a", "inline again");

  auto reopened = runner_on(store);
  CHECK(reopened->position() == 2);
  REQUIRE(reopened->catch_up().is_ok());
  CHECK(view(store, "count/a") == "inline again");

  // A new layout takes the views back: they are rebuilt from the log, then handed over again.
  auto upgraded = runner_on(store, "count/2");
  CHECK_FALSE(upgraded->views_written_inline());
  REQUIRE(upgraded->catch_up().is_ok());
  CHECK(view(store, "count/a") == "2");
  CHECK(upgraded->position() == 2);
}

TEST_CASE("R-ENG-10 a runner following for the writers hands over by itself once it has caught up",
          "[engine][projections]") {
  auto faults = std::make_shared<testing::FaultInjectingStore::Faults>();
  auto owned = std::make_unique<store::MemoryEventStore>();
  store::MemoryEventStore& target = *owned;
  testing::FaultInjectingStore store(std::move(owned), faults);
  append(target, "a");
  auto runner = runner_on(store);
  // The views cannot catch up at start (a passing disk fault)...
  faults->writes = true;
  CHECK_FALSE(runner->catch_up().is_ok());
  runner->start(engine::ProjectionRunner::Following::writers);
  CHECK_FALSE(runner->views_written_inline());
  faults->writes = false;

  // ...then the fault passes and nothing else is ever committed. Polled: a waiter's deadline
  // would itself wake the follower.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!runner->views_written_inline() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  CHECK(runner->views_written_inline());
  CHECK(view(store, "count/a") == "1");
  CHECK(runner->position() == 1);
}

namespace {

// What another process sharing the store commits with a command: an event and the views it
// changes (here the stream's new count), with the checkpoint at the event.
void append_with_views(store::EventStore& store, const std::string& stream, int count) {
  store::EventData event;
  event.type = "E";
  store::WriteRequest write;
  write.streams.push_back({stream, store::ExpectedVersion::any(), {event}});
  write.writes.push_back(store::KeyedWrite::put(store::Table::views, "count/" + stream, std::to_string(count)));
  write.writes.push_back(engine::ProjectionRunner::checkpoint_at_event(0));
  REQUIRE(store.append(write).status.is_ok());
}

}  // namespace

TEST_CASE("R-ENG-10 a runner behind other processes' commands adopts their checkpoint instead of projecting again",
          "[engine][projections]") {
  store::MemoryEventStore store;
  for (int i = 0; i < 3; ++i) append(store, "a");
  REQUIRE(runner_on(store)->catch_up().is_ok());
  auto starting = runner_on(store);  // opened at checkpoint 3
  // Meanwhile another process's commands write their own views.
  append_with_views(store, "a", 4);
  append_with_views(store, "a", 5);
  REQUIRE(starting->catch_up().is_ok());
  // Projected again, events 4 and 5 would have counted twice: 7.
  CHECK(view(store, "count/a") == "5");
  CHECK(starting->position() == 5);
  CHECK(starting->hand_over_to_writers().is_ok());
}

TEST_CASE("R-ENG-10 a chunk of views whose checkpoint another process moved on meanwhile is refused, not written",
          "[engine][projections]") {
  auto faults = std::make_shared<testing::FaultInjectingStore::Faults>();
  auto memory = std::make_unique<store::MemoryEventStore>();
  store::MemoryEventStore& shared = *memory;
  testing::FaultInjectingStore slow(std::move(memory), faults);
  for (int i = 0; i < 3; ++i) append(shared, "a");
  REQUIRE(runner_on(shared)->catch_up().is_ok());
  append(shared, "a");  // events without views, as a store from before views were written with commands
  append(shared, "a");
  auto runner = runner_on(slow);
  faults->append_delay_ms = 300;
  auto caught_up = std::async(std::launch::async, [&] { return runner->catch_up(); });
  // While the runner's chunk (events 4 and 5, counted from the stored 3) is on its way, another
  // process catches up first and then commits a command with its views.
  std::this_thread::sleep_for(100ms);
  store::WriteRequest other_catch_up;
  other_catch_up.writes.push_back(store::KeyedWrite::put(store::Table::views, "count/a", "5"));
  other_catch_up.writes.push_back(
      store::KeyedWrite::put(store::Table::checkpoints, "projections", store::encode_big_endian(5)));
  REQUIRE(shared.append(other_catch_up).status.is_ok());
  append_with_views(shared, "a", 6);
  REQUIRE(caught_up.get().is_ok());
  faults->append_delay_ms = 0;
  // The late chunk would have put count 5 and checkpoint 5 back over 6.
  CHECK(view(shared, "count/a") == "6");
  std::optional<std::string> checkpoint;
  REQUIRE(shared.get(store::Table::checkpoints, "projections", &checkpoint).is_ok());
  CHECK(checkpoint == store::encode_big_endian(6));
  CHECK(runner->position() == 6);
}

TEST_CASE("a row created and erased within one write is not written at all, while an erased stored row is deleted",
          "[engine][projections]") {
  store::MemoryEventStore store;
  {
    engine::ViewWriter stored(store);
    stored.put("kept", "1");
    store::WriteRequest request;
    request.writes = stored.take();
    REQUIRE(store.append(std::move(request)).status.is_ok());
  }

  engine::ViewWriter views(store);
  views.put_new("fleeting", "open");
  std::optional<std::string> value;
  REQUIRE(views.get("fleeting", &value).is_ok());
  CHECK(value == "open");
  views.erase("fleeting");
  REQUIRE(views.get("fleeting", &value).is_ok());
  CHECK_FALSE(value);
  views.put_new("created", "2");
  views.erase("kept");

  std::vector<store::KeyedWrite> writes = views.take();
  REQUIRE(writes.size() == 2);
  CHECK(writes[0].key == "created");
  CHECK(writes[1].key == "kept");
  store::WriteRequest request;
  request.writes = std::move(writes);
  REQUIRE(store.append(std::move(request)).status.is_ok());
  CHECK(view(store, "created") == "2");
  CHECK_FALSE(view(store, "kept"));
  CHECK_FALSE(view(store, "fleeting"));
}
