// What the PostgreSQL store promises beyond the shared contract suite: a gap-free log and one
// winner per stream version while several processes append to one schema at once (R-ENG-1,
// R-ENG-2), commit observers that hear the other processes' commits, and writes that fail
// cleanly and resume by themselves when PostgreSQL goes away and comes back (R-ENG-3).

#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <thread>
#include <utility>

#include "store/chain_verifier.h"
#include "store/postgres/pg_connection.h"
#include "support/child_process.h"
#include "support/store_backends.h"
#include "support/temp_dir.h"
#include "event_builders.h"

using namespace benefitd::store;
using benefitd::testing::append_to;
using benefitd::testing::ChildProcess;
using benefitd::testing::make_event;
using benefitd::testing::PostgresBackend;
using benefitd::testing::PostgresServer;

namespace {

// Polls `condition` until it holds or `limit` passes; whether it held.
template <typename Condition>
bool await(Condition condition, std::chrono::seconds limit = std::chrono::seconds(30)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

std::unique_ptr<PostgresEventStore> open_quickly_recovering(const std::string& schema) {
  PostgresOptions options;
  options.conninfo = PostgresServer::shared().conninfo();
  options.schema = schema;
  options.first_recovery_delay = std::chrono::milliseconds(10);
  options.last_recovery_delay = std::chrono::milliseconds(200);
  std::unique_ptr<PostgresEventStore> store;
  const Status status = PostgresEventStore::open(options, &store);
  INFO(status.message());
  REQUIRE(status.is_ok());
  return store;
}

// What a store's foreign commit observers heard: per position, the keys of its parts, sorted,
// or {"(all)"} when a part did not say. It can also hold the listener's thread, which reports
// the commits, inside the next report until released: the announcements after it then wait.
// The observer shares the record, so a report during the store's teardown finds it alive; and
// destroying this releases the thread, so a failed check leaves no store unable to close.
class HeardCommits {
 public:
  explicit HeardCommits(EventStore& listener) : state_(std::make_shared<State>()) {
    listener.add_foreign_commit_observer(
        [state = state_](Position position, const std::vector<std::string>* keys) { state->report(position, keys); });
  }
  ~HeardCommits() { release(); }
  HeardCommits(const HeardCommits&) = delete;
  HeardCommits& operator=(const HeardCommits&) = delete;

  /// The keys heard for the commit at `position`, if it was heard.
  std::optional<std::vector<std::string>> at(Position position) const {
    std::lock_guard lock(state_->mutex);
    const auto found = state_->heard.find(position);
    return found == state_->heard.end() ? std::optional<std::vector<std::string>>()
                                        : std::vector<std::string>(found->second.begin(), found->second.end());
  }

  /// Makes the next report hold the listener's thread until release().
  void hold_next() {
    std::lock_guard lock(state_->mutex);
    state_->hold_next = true;
  }
  /// Whether a report holds the listener's thread, waiting up to 30 s for one to.
  bool await_holding() {
    std::unique_lock lock(state_->mutex);
    return state_->changed.wait_for(lock, std::chrono::seconds(30), [this] { return state_->holding; });
  }
  void release() {
    std::lock_guard lock(state_->mutex);
    state_->released = true;
    state_->changed.notify_all();
  }

 private:
  struct State {
    std::mutex mutex;
    std::condition_variable changed;
    std::map<Position, std::set<std::string>> heard;
    bool hold_next = false, holding = false, released = false;

    void report(Position position, const std::vector<std::string>* keys) {
      std::unique_lock lock(mutex);
      std::set<std::string>& entry = heard[position];
      if (keys == nullptr) entry = {"(all)"};
      else if (!entry.contains("(all)")) entry.insert(keys->begin(), keys->end());
      if (!std::exchange(hold_next, false)) return;
      holding = true;
      changed.notify_all();
      changed.wait(lock, [this] { return released; });
    }
  };
  std::shared_ptr<State> state_;
};

}  // namespace

TEST_CASE("R-ENG-2 several processes appending to one PostgreSQL log leave no gap and no lost update",
          "[store][postgres]") {
  constexpr int kProcesses = 4;
  constexpr int kAppendsPerThread = 25;  // two threads per process
  const std::string schema = PostgresServer::shared().fresh_schema();
  benefitd::testing::TempDir dir;
  const auto go = dir.path() / "go";

  // A store of this process that appends nothing while the others do: its commit observers
  // and last position must follow their commits.
  auto store = open_quickly_recovering(schema);
  std::atomic<Position> heard{0};
  store->add_commit_observer([&heard](Position position) {
    Position current = heard.load();
    while (current < position && !heard.compare_exchange_weak(current, position)) {
    }
  });

  std::vector<std::unique_ptr<ChildProcess>> writers;
  for (int p = 0; p < kProcesses; ++p) {
    writers.push_back(std::make_unique<ChildProcess>(
        std::vector<std::string>{POSTGRES_WRITER_PATH, PostgresServer::shared().conninfo(), schema,
                                 "p" + std::to_string(p), std::to_string(kAppendsPerThread), go.string()},
        dir.path() / ("writer-" + std::to_string(p) + ".log")));
  }
  for (auto& writer : writers) REQUIRE(writer->read_line() == "ready");
  std::ofstream(go).put('\n');

  // position -> (stream, version, event id), as each process was told.
  std::map<Position, std::tuple<std::string, Version, std::string>> acknowledged;
  std::set<std::string> processes_in_order;
  for (auto& writer : writers) {
    std::istringstream lines(writer->read_all());
    for (std::string position, stream, version, id; lines >> position >> stream >> version >> id;) {
      CHECK(acknowledged.emplace(std::stoull(position), std::make_tuple(stream, std::stoull(version), id)).second);
    }
    CHECK(writer->end(0) == 0);
  }
  REQUIRE(acknowledged.size() == kProcesses * 2 * kAppendsPerThread);
  CHECK(await([&] { return heard.load() == acknowledged.size(); }));
  CHECK(store->last_position() == acknowledged.size());

  std::vector<RecordedEvent> log;
  REQUIRE(store->read_all(1, 1'000'000, &log).is_ok());
  REQUIRE(log.size() == acknowledged.size());
  std::set<std::pair<std::string, Version>> versions;
  int process_switches = 0;
  for (std::size_t i = 0; i < log.size(); ++i) {
    const RecordedEvent& event = log[i];
    CHECK(event.position == i + 1);
    const auto& [stream, version, id] = acknowledged.at(event.position);
    CHECK(event.stream == stream);
    CHECK(event.version == version);
    CHECK(event.event.id == id);
    CHECK(versions.insert({event.stream, event.version}).second);
    if (i > 0 && log[i - 1].event.id.substr(0, 2) != event.event.id.substr(0, 2)) ++process_switches;
  }
  // The processes really did append at the same time: their events interleave in the log.
  CHECK(process_switches >= kProcesses);
  CHECK(verify_chain(*store).ok);
  // Every third append wrote a timer row; the count kept across processes is exact.
  std::vector<KeyValue> timers;
  REQUIRE(store->scan(Table::timers, "", "", 10'000, &timers).is_ok());
  CHECK(timers.size() == static_cast<std::size_t>(kProcesses * 2 * ((kAppendsPerThread + 2) / 3)));
  REQUIRE(store->append(append_to("benefit-a", ExpectedVersion::any(), {make_event("Last")})).status.is_ok());
  CHECK(store->row_count(Table::timers) == timers.size());
  CHECK(store->last_position() == log.size() + 1);
}

TEST_CASE("R-ENG-3 a lost connection to PostgreSQL is replaced without failing the next append",
          "[store][postgres]") {
  auto store = open_quickly_recovering(PostgresServer::shared().fresh_schema());
  REQUIRE(store->append(append_to("s", ExpectedVersion::no_stream(), {make_event("A")})).status.is_ok());

  std::unique_ptr<postgres::PgConnection> admin;
  REQUIRE(postgres::PgConnection::connect(PostgresServer::shared().conninfo(), &admin).is_ok());
  REQUIRE(admin->execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE application_name = 'benefitd' AND pid <> pg_backend_pid()")
              .is_ok());

  const AppendResult next = store->append(append_to("s", ExpectedVersion::exactly(1), {make_event("B")}));
  INFO(next.status.message());
  REQUIRE(next.status.is_ok());
  CHECK(next.first_position == 2);
  // The listener's connection was cut too: it reconnects by itself.
  CHECK(await([&] { return store->write_health().writable(); }));
  Version version = 0;
  REQUIRE(store->stream_version("s", &version).is_ok());
  CHECK(version == 2);
}

TEST_CASE("R-ENG-3 while PostgreSQL is down appends fail with an I/O error and change nothing, then resume",
          "[store][postgres]") {
  auto store = open_quickly_recovering(PostgresServer::shared().fresh_schema());
  REQUIRE(store->append(append_to("s", ExpectedVersion::no_stream(), {make_event("A")})).status.is_ok());

  PostgresServer::shared().stop();
  WriteRequest refused = append_to("s", ExpectedVersion::exactly(1), {make_event("B")});
  refused.writes.push_back(KeyedWrite::put(Table::timers, "t", "due"));
  CHECK(store->append(refused).status.code() == Status::Code::io_error);
  const WriteHealth down = store->write_health();
  CHECK_FALSE(down.writable());
  CHECK(down.fault == WriteHealth::Fault::write_failed);
  CHECK(store->append(refused).status.code() == Status::Code::io_error);
  std::vector<RecordedEvent> unreadable;
  CHECK(store->read_all(1, 10, &unreadable).code() == Status::Code::io_error);

  PostgresServer::shared().start();
  REQUIRE(await([&] { return store->write_health().writable(); }));
  CHECK(store->write_health().recoveries >= 1);
  const AppendResult resumed = store->append(append_to("s", ExpectedVersion::exactly(1), {make_event("C")}));
  INFO(resumed.status.message());
  REQUIRE(resumed.status.is_ok());
  CHECK(resumed.first_position == 2);
  std::vector<RecordedEvent> log;
  REQUIRE(store->read_all(1, 10, &log).is_ok());
  REQUIRE(log.size() == 2);
  CHECK(log[1].event.type == "C");
  std::optional<std::string> timer;
  REQUIRE(store->get(Table::timers, "t", &timer).is_ok());
  CHECK_FALSE(timer.has_value());
  CHECK(store->row_count(Table::timers) == 0);
  CHECK(verify_chain(*store).ok);
}

TEST_CASE("R-ENG-3 a reopened PostgreSQL store continues the log where it was", "[store][postgres]") {
  PostgresBackend backend;
  REQUIRE(backend.store->append(append_to("a", ExpectedVersion::any(), {make_event("1"), make_event("2")}))
              .status.is_ok());
  WriteRequest timers;
  timers.writes.push_back(KeyedWrite::put(Table::timers, "t", "v"));
  REQUIRE(backend.store->append(timers).status.is_ok());
  backend.reopen();
  EventStore& store = *backend.store;
  CHECK(store.last_position() == 2);
  CHECK(store.row_count(Table::timers) == 1);
  const auto next = store.append(append_to("a", ExpectedVersion::exactly(2), {make_event("3")}));
  REQUIRE(next.status.is_ok());
  CHECK(next.first_position == 3);
  CHECK(verify_chain(store).ok);
}

TEST_CASE("a PostgreSQL store refuses a schema name that would need quoting", "[store][postgres]") {
  PostgresOptions options;
  options.conninfo = "host=/nonexistent";  // the name is refused before any connection
  options.schema = "bad; drop";
  std::unique_ptr<PostgresEventStore> store;
  CHECK(PostgresEventStore::open(options, &store).code() == Status::Code::invalid_argument);
}

namespace {

// Eight events over three streams, positions 1..8.
void fill(EventStore& store) {
  for (int i = 1; i <= 8; ++i) {
    const std::string stream = "benefit-" + std::to_string(i % 3);
    REQUIRE(store.append(append_to(stream, ExpectedVersion::any(), {make_event("E", "{\"n\":" + std::to_string(i) + "}")}))
                .status.is_ok());
  }
}

}  // namespace

TEST_CASE("R-ENG-6 verification finds rows of a PostgreSQL log changed, removed or swapped with SQL",
          "[store][postgres][tamper]") {
  PostgresBackend backend;
  fill(*backend.store);
  REQUIRE(verify_chain(*backend.store).ok);
  std::unique_ptr<postgres::PgConnection> intruder;
  REQUIRE(postgres::PgConnection::connect(PostgresServer::shared().conninfo(), &intruder).is_ok());
  const std::string events = backend.schema + ".events";
  Position expected = 0;
  SECTION("a flipped byte") {
    REQUIRE(intruder->execute("UPDATE " + events + " SET body = set_byte(body, 30, get_byte(body, 30) # 1) "
                              "WHERE position = 5").is_ok());
    expected = 5;
  }
  SECTION("a removed event") {
    REQUIRE(intruder->execute("DELETE FROM " + events + " WHERE position = 4").is_ok());
    expected = 4;
  }
  SECTION("two swapped events") {
    REQUIRE(intruder->execute("UPDATE " + events + " AS e SET body = o.body FROM " + events +
                              " AS o WHERE (e.position, o.position) IN ((3, 6), (6, 3))").is_ok());
    expected = 3;
  }
  const VerifyReport report = verify_chain(*backend.store);
  CHECK_FALSE(report.ok);
  CHECK(report.first_bad_position == expected);
}

TEST_CASE("R-ENG-3 write health reports a stopped PostgreSQL before any append meets it", "[store][postgres]") {
  auto store = open_quickly_recovering(PostgresServer::shared().fresh_schema());
  REQUIRE(store->write_health().writable());
  PostgresServer::shared().stop();
  const bool reported = await([&] { return !store->write_health().writable(); });
  PostgresServer::shared().start();
  CHECK(reported);
  REQUIRE(await([&] { return store->write_health().writable(); }));
  CHECK(store->append(append_to("s", ExpectedVersion::no_stream(), {make_event("A")})).status.is_ok());
}

TEST_CASE("R-ENG-10 a store hears the view keys another process's commit wrote, and never its own commits as another's",
          "[store][postgres][announcement]") {
  const std::string schema = PostgresServer::shared().fresh_schema();
  auto writer = open_quickly_recovering(schema);
  auto listener = open_quickly_recovering(schema);

  HeardCommits heard(*listener);
  using Keys = std::vector<std::string>;

  // Once a commit is heard, the listener listens: it hears every later one by its announcement
  // (an earlier one it may have found in the head row, keys unsaid).
  const AppendResult warm_up = writer->append(append_to("warm-up", ExpectedVersion::no_stream(), {make_event("Up")}));
  REQUIRE(warm_up.status.is_ok());
  REQUIRE(await([&] { return heard.at(warm_up.log_position).has_value(); }));

  // Views as commands write them: a row, and rows positioned at an event (their key prefix).
  WriteRequest command = append_to("benefit-1", ExpectedVersion::no_stream(), {make_event("Activated")});
  command.writes.push_back(KeyedWrite::put(Table::views, "benefit/1", "{}"));
  command.writes.push_back(KeyedWrite::put_at_event(Table::views, "log/p-1/", 0, "{}"));
  command.writes.push_back(KeyedWrite::put(Table::timers, "t-1", "{}"));  // not a view
  const AppendResult first = writer->append(command);
  REQUIRE(first.status.is_ok());
  REQUIRE(await([&] { return heard.at(first.log_position).has_value(); }));
  CHECK(*heard.at(first.log_position) == Keys{"benefit/1", "log/p-1/"});

  // A commit with more keys than one notification holds: every key is heard.
  WriteRequest many = append_to("benefit-2", ExpectedVersion::no_stream(), {make_event("Activated")});
  std::set<std::string> many_keys;
  for (int i = 0; i < 1500; ++i) {
    many_keys.insert("benefit/" + std::to_string(100000 + i));
    many.writes.push_back(KeyedWrite::put(Table::views, "benefit/" + std::to_string(100000 + i), "{}"));
  }
  const AppendResult second = writer->append(many);
  REQUIRE(second.status.is_ok());
  REQUIRE(await([&] {
    const auto at = heard.at(second.log_position);
    return at && at->size() == many_keys.size();
  }));
  CHECK(*heard.at(second.log_position) == Keys(many_keys.begin(), many_keys.end()));

  // A clear of the views names no keys: any view may have changed.
  WriteRequest clear = append_to("benefit-3", ExpectedVersion::no_stream(), {make_event("Activated")});
  clear.writes.push_back(KeyedWrite::clear(Table::views));
  const AppendResult third = writer->append(clear);
  REQUIRE(third.status.is_ok());
  REQUIRE(await([&] { return heard.at(third.log_position).has_value(); }));
  CHECK(*heard.at(third.log_position) == Keys{"(all)"});

  // The listener's own commit is not another's: its commit observers had it already. The
  // writer's commit after it shows that the listener heard what came before.
  WriteRequest own = append_to("benefit-4", ExpectedVersion::no_stream(), {make_event("Activated")});
  own.writes.push_back(KeyedWrite::put(Table::views, "benefit/4", "{}"));
  const AppendResult mine = listener->append(own);
  REQUIRE(mine.status.is_ok());
  WriteRequest after = append_to("benefit-5", ExpectedVersion::no_stream(), {make_event("Activated")});
  after.writes.push_back(KeyedWrite::put(Table::views, "benefit/5", "{}"));
  const AppendResult last = writer->append(after);
  REQUIRE(last.status.is_ok());
  REQUIRE(await([&] { return heard.at(last.log_position).has_value(); }));
  CHECK_FALSE(heard.at(mine.log_position).has_value());
  CHECK(*heard.at(last.log_position) == Keys{"benefit/5"});
}

TEST_CASE("R-ENG-10 a store hears another's commit that its own later commit passed before the announcement was read",
          "[store][postgres][announcement]") {
  const std::string schema = PostgresServer::shared().fresh_schema();
  auto writer = open_quickly_recovering(schema);
  auto listener = open_quickly_recovering(schema);

  // The listener reports commits from its own thread: a report that blocks holds back the
  // announcements that come after, while the listener's own commits go on. That forces the
  // order in question: another's commit, then this store's later commit, then the reading of
  // the other's announcement.
  HeardCommits heard(*listener);
  const auto commit = [](EventStore& store, const std::string& stream, const std::string& view_key) {
    WriteRequest request = append_to(stream, ExpectedVersion::no_stream(), {make_event("Activated")});
    request.writes.push_back(KeyedWrite::put(Table::views, view_key, "{}"));
    const AppendResult result = store.append(request);
    REQUIRE(result.status.is_ok());
    return result.log_position;
  };

  const Position warm_up = commit(*writer, "benefit-0", "benefit/0");
  REQUIRE(await([&] { return heard.at(warm_up).has_value(); }));

  heard.hold_next();
  const Position held = commit(*writer, "benefit-1", "benefit/1");
  REQUIRE(heard.await_holding());
  const Position passed = commit(*writer, "benefit-2", "benefit/2");
  const Position own = commit(*listener, "benefit-3", "benefit/3");
  REQUIRE(own > passed);
  REQUIRE(listener->last_position() >= own);
  heard.release();

  REQUIRE(await([&] { return heard.at(passed).has_value(); }));
  CHECK(*heard.at(held) == std::vector<std::string>{"benefit/1"});
  CHECK(*heard.at(passed) == std::vector<std::string>{"benefit/2"});
  CHECK_FALSE(heard.at(own).has_value());
}
