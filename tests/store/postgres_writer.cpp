// Child process of the PostgreSQL multi-process test: opens the store on a shared schema,
// prints "ready", waits until the file GO_FILE exists (so that every process appends at the
// same time), then appends from two threads to a few shared streams, each append with the
// version it just read (retrying on conflict), every third one with a timer row too. One
// line per acknowledged append on stdout, written only once it was acknowledged:
//   <position> <stream> <version> <event id>
// Exits 0 once every append has been acknowledged, 1 on any other failure.

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/postgres/postgres_event_store.h"

using namespace benefitd::store;

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: %s CONNINFO SCHEMA RUN_ID APPENDS_PER_THREAD GO_FILE\n", argv[0]);
    return 2;
  }
  PostgresOptions options;
  options.conninfo = argv[1];
  options.schema = argv[2];
  const std::string run = argv[3];
  const int appends = std::stoi(argv[4]);
  const std::filesystem::path go = argv[5];
  std::unique_ptr<PostgresEventStore> store;
  if (const Status status = PostgresEventStore::open(options, &store); !status.is_ok()) {
    std::fprintf(stderr, "open failed: %s\n", status.message().c_str());
    return 1;
  }
  std::printf("ready\n");
  std::fflush(stdout);
  while (!std::filesystem::exists(go)) std::this_thread::sleep_for(std::chrono::milliseconds(1));

  const std::vector<std::string> streams = {"benefit-a", "benefit-b", "benefit-c"};
  std::mutex out_mutex;
  bool failed = false;
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < appends; ++i) {
        const std::string& stream = streams[static_cast<std::size_t>(t + i) % streams.size()];
        const std::string id = run + "-" + std::to_string(t) + "-" + std::to_string(i);
        for (;;) {
          Version version = 0;
          if (!store->stream_version(stream, &version).is_ok()) {
            std::lock_guard lock(out_mutex);
            std::fprintf(stderr, "reading %s failed\n", stream.c_str());
            failed = true;
            return;
          }
          WriteRequest request;
          EventData event;
          event.id = id;
          event.type = "Raced";
          event.data = "{}";
          request.streams.push_back({stream, ExpectedVersion::exactly(version), {event}});
          if (i % 3 == 0) request.writes.push_back(KeyedWrite::put(Table::timers, id, "due"));
          const AppendResult result = store->append(request);
          if (result.status.code() == Status::Code::conflict) continue;
          std::lock_guard lock(out_mutex);
          if (!result.status.is_ok()) {
            std::fprintf(stderr, "append failed: %s\n", result.status.message().c_str());
            failed = true;
            return;
          }
          std::printf("%llu %s %llu %s\n", static_cast<unsigned long long>(result.first_position), stream.c_str(),
                      static_cast<unsigned long long>(result.stream_versions[0]), id.c_str());
          break;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::fflush(stdout);
  return failed ? 1 : 0;
}
