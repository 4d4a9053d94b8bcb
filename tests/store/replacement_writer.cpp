// Child process of the table replacement crash test: replaces the views table again and again
// until it is killed. Generation g puts kRows rows "g<g>/<i>" = "<g>" (a key set of its own, so
// that a row of another generation is seen) and commits with checkpoint "generation" = g. It
// writes a line to stdout after each batch it adds ("<g> adding") and after each commit
// ("<g> committed"), so that kills land while it fills, writes runs and commits.

#include <unistd.h>

#include <cstdio>
#include <string>

#include "store/rocksdb/rocksdb_event_store.h"

using namespace benefitd::store;

namespace {

constexpr int kRows = 2000;
constexpr int kBatch = 100;

void say(const std::string& line) {
  if (::write(STDOUT_FILENO, line.data(), line.size()) != static_cast<ssize_t>(line.size())) std::_Exit(1);
}

void require(const Status& status, const char* what) {
  if (status.is_ok()) return;
  std::fprintf(stderr, "%s failed: %s\n", what, status.message().c_str());
  std::_Exit(1);
}

std::string row_key(long generation, int i) {
  std::string number = std::to_string(i);
  return "g" + std::to_string(generation) + "/" + std::string(5 - number.size(), '0') + number;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DB_DIR\n", argv[0]);
    return 2;
  }
  RocksDbOptions options;
  options.path = argv[1];
  options.replacement_run_bytes = 32 << 10;  // several runs per generation
  std::unique_ptr<RocksDbEventStore> store;
  require(RocksDbEventStore::open(options, &store), "open");
  std::optional<std::string> stored;
  require(store->get(Table::checkpoints, "generation", &stored), "reading the generation");
  for (long generation = stored ? std::stol(*stored) + 1 : 1;; ++generation) {
    std::unique_ptr<TableReplacement> rebuilt;
    require(store->replace_table(Table::views, &rebuilt), "replace_table");
    for (int first = 0; first < kRows; first += kBatch) {
      std::vector<KeyedWrite> batch;
      for (int i = first; i < first + kBatch; ++i) {
        batch.push_back(KeyedWrite::put(Table::views, row_key(generation, i), std::to_string(generation)));
      }
      require(rebuilt->add(std::move(batch)), "add");
      say(std::to_string(generation) + " adding\n");
    }
    require(rebuilt->commit({KeyedWrite::put(Table::checkpoints, "generation", std::to_string(generation))}),
            "commit");
    say(std::to_string(generation) + " committed\n");
  }
}
