// Child process of the rebuild crash test: on a RocksDB or PostgreSQL store it fills once with
// kEvents events (kStreams streams), rebuilds the views again and again until it is killed,
// with a projection that reads what it wrote before (a count per stream) and writes a row per
// event. It writes a line to stdout at each progress report of a rebuild ("progress <done>")
// and after each rebuild ("rebuilt"), so that kills land while the views are projected,
// written and put in place. RocksDB's table replacement holds little in memory, so that each rebuild writes several
// runs; PostgreSQL's writes each chunk of the log into its table of new rows as it goes.

#include <unistd.h>

#include <cstdio>
#include <string>

#include "engine/projection_runner.h"
#include "store/postgres/postgres_event_store.h"
#include "store/rocksdb/rocksdb_event_store.h"

using namespace benefitd;

namespace {

constexpr int kEvents = 15000;
constexpr int kStreams = 150;

void say(const std::string& line) {
  if (::write(STDOUT_FILENO, line.data(), line.size()) != static_cast<ssize_t>(line.size())) std::_Exit(1);
}

void require(const store::Status& status, const char* what) {
  if (status.is_ok()) return;
  std::fprintf(stderr, "%s failed: %s\n", what, status.message().c_str());
  std::_Exit(1);
}

// "count/<stream>": the stream's events so far; "event/<position>": the event's stream.
struct CountingProjection final : engine::Projection {
  std::string layout() const override { return "crash/1"; }
  bool streams_independent() const override { return true; }
  store::Status apply(const store::RecordedEvent& event, engine::ViewWriter& views) override {
    std::optional<std::string> count;
    if (store::Status status = views.get("count/" + event.stream, &count); !status.is_ok()) return status;
    views.put("count/" + event.stream, std::to_string(count ? std::stoi(*count) + 1 : 1));
    views.put("event/" + store::position_key_suffix(event.position), event.stream);
    return store::Status::ok();
  }
};

void fill(store::EventStore& store) {
  for (int first = 0; first < kEvents; first += kStreams) {
    store::WriteRequest request;
    for (int i = 0; i < kStreams; ++i) {
      store::EventData event;
      event.id = "e" + std::to_string(first + i);
      event.type = "Counted";
      event.data = "{}";
      request.streams.push_back({"stream-" + std::to_string(i), store::ExpectedVersion::any(), {event}});
    }
    require(store.append(std::move(request)).status, "append");
  }
}

// The store the arguments name: "rocksdb DIR" or "postgres CONNINFO SCHEMA".
std::unique_ptr<store::EventStore> open_store(int argc, char** argv) {
  const std::string backend = argc >= 2 ? argv[1] : "";
  if (backend == "rocksdb" && argc == 3) {
    store::RocksDbOptions options;
    options.path = argv[2];
    options.replacement_run_bytes = 256 << 10;
    std::unique_ptr<store::RocksDbEventStore> store;
    require(store::RocksDbEventStore::open(options, &store), "open");
    return store;
  }
  if (backend == "postgres" && argc == 4) {
    store::PostgresOptions options;
    options.conninfo = argv[2];
    options.schema = argv[3];
    std::unique_ptr<store::PostgresEventStore> store;
    require(store::PostgresEventStore::open(options, &store), "open");
    return store;
  }
  std::fprintf(stderr, "usage: %s rocksdb DB_DIR | postgres CONNINFO SCHEMA\n", argv[0]);
  std::_Exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  std::unique_ptr<store::EventStore> store = open_store(argc, argv);
  if (store->last_position() == 0) fill(*store);
  std::vector<std::unique_ptr<engine::Projection>> projections;
  projections.push_back(std::make_unique<CountingProjection>());
  engine::ProjectionRunner runner(*store, std::move(projections));
  require(runner.open(), "opening the runner");
  for (;;) {
    require(runner.rebuild([](std::uint64_t done, std::uint64_t) { say("progress " + std::to_string(done) + "\n"); }),
            "rebuild");
    say("rebuilt\n");
  }
}
