// R-ENG-3 under SIGKILL: a child process appends and reports each acknowledged append; the test
// kills it at random moments, reopens the store and checks that every acknowledged append is
// there, with its keyed write, and that the log is gap-free and its chain verifies.

#include <catch2/catch.hpp>

#include <random>
#include <sstream>

#include "store/chain_verifier.h"
#include "store/rocksdb/rocksdb_event_store.h"
#include "support/kill_after.h"
#include "support/temp_dir.h"

using namespace benefitd::store;

namespace {

struct Acknowledged {
  Position position;
  std::string stream;
  Version version;
  std::string id;
  std::string key;
};

std::vector<Acknowledged> parse(const std::string& lines) {
  std::vector<Acknowledged> acknowledged;
  std::istringstream in(lines);
  Acknowledged ack;
  while (in >> ack.position >> ack.stream >> ack.version >> ack.id >> ack.key) acknowledged.push_back(ack);
  return acknowledged;
}

}  // namespace

TEST_CASE("R-ENG-3 every acknowledged append survives SIGKILL", "[store][crash]") {
  benefitd::testing::TempDir dir;
  const std::string db = (dir.path() / "db").string();
  const auto seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937 random(seed);
  std::uniform_int_distribution<std::size_t> acknowledgements(1, 400);
  std::uniform_int_distribution<int> extra_ms(0, 20);

  std::vector<Acknowledged> all;
  for (int cycle = 0; cycle < 20; ++cycle) {
    INFO("cycle " << cycle);
    const auto acknowledged = parse(benefitd::testing::run_and_kill_after(
        {CRASH_WRITER_PATH, db, "run" + std::to_string(cycle)}, acknowledgements(random),
        std::chrono::milliseconds(extra_ms(random))));
    all.insert(all.end(), acknowledged.begin(), acknowledged.end());

    std::unique_ptr<RocksDbEventStore> store;
    REQUIRE(RocksDbEventStore::open({db}, &store).is_ok());
    for (const Acknowledged& ack : all) {
      std::vector<RecordedEvent> found;
      REQUIRE(store->read_all(ack.position, 1, &found).is_ok());
      REQUIRE(found.size() == 1);
      CHECK(found[0].event.id == ack.id);
      CHECK(found[0].stream == ack.stream);
      CHECK(found[0].version == ack.version);
      std::optional<std::string> outbox;
      REQUIRE(store->get(Table::outbox, ack.key, &outbox).is_ok());
      CHECK(outbox == ack.id);
    }
    const VerifyReport report = verify_chain(*store);
    INFO(report.problem);
    REQUIRE(report.ok);
    CHECK(report.events_checked == store->last_position());
  }
  CHECK(all.size() >= 20);
}
