// Child process of the crash test: appends to a RocksDB store from several threads until it is
// killed, and writes one line per acknowledged append to stdout:
//   <position> <stream> <version> <event id> <keyed-write key>
// A line is written only after its append was acknowledged, so every line names an append
// that must survive the kill.

#include <unistd.h>

#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/rocksdb/rocksdb_event_store.h"

using namespace benefitd::store;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s DB_DIR RUN_ID\n", argv[0]);
    return 2;
  }
  std::unique_ptr<RocksDbEventStore> store;
  if (const Status status = RocksDbEventStore::open({argv[1]}, &store); !status.is_ok()) {
    std::fprintf(stderr, "open failed: %s\n", status.message().c_str());
    return 1;
  }
  const std::string run = argv[2];
  std::mutex out_mutex;
  std::vector<std::jthread> writers;
  for (int thread = 0; thread < 4; ++thread) {
    writers.emplace_back([&, thread] {
      for (long i = 0;; ++i) {
        const std::string id = run + "-" + std::to_string(thread) + "-" + std::to_string(i);
        const std::string stream = "stream-" + std::to_string((thread + i) % 5);
        EventData event;
        event.id = id;
        event.type = "CrashTested";
        event.data = "{\"i\":" + std::to_string(i) + "}";
        WriteRequest request;
        request.streams.push_back({stream, ExpectedVersion::any(), {event}});
        request.writes.push_back(KeyedWrite::put(Table::outbox, "outbox-" + id, id));
        const AppendResult result = store->append(std::move(request));
        if (!result.status.is_ok()) {
          std::fprintf(stderr, "append failed: %s\n", result.status.message().c_str());
          std::_Exit(1);
        }
        const std::string line = std::to_string(result.first_position) + " " + stream + " " +
                                 std::to_string(result.stream_versions[0]) + " " + id +
                                 " outbox-" + id + "\n";
        std::lock_guard lock(out_mutex);
        if (::write(STDOUT_FILENO, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
          std::_Exit(1);
        }
      }
    });
  }
}
