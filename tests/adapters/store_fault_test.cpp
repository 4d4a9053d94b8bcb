// A full disk under a running benefitd (R-ENG-9, R-ENG-10): commands answer 503 and change
// nothing, the server never crashes, /healthz says why, nothing acknowledged is ever answered
// 404, and commands succeed again by themselves once space is freed. The data dir lives on a
// small tmpfs (support/small_disk.h).

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "server_process.h"
#include "store/rocksdb/rocksdb_event_store.h"
#include "support/small_disk.h"
#include "support/temp_dir.h"
#include "workflows/commands.h"

using namespace benefitd::testing;
using namespace std::chrono_literals;

namespace {

std::string registration(int n) {
  return nlohmann::json{{"name", "Partner " + std::to_string(n)},
                        {"accountEmail", "program" + std::to_string(n) + "@p.test"},
                        {"globalAdmin", {{"email", "admin" + std::to_string(n) + "@p.test"}, {"displayName", "Admin"}}}}
      .dump();
}

// Plain reads: no minPosition, so they prove that read-your-writes holds by default.
benefitd::cli::ClientResponse get(const ServerProcess& server, const std::string& target) {
  return PlainCaller(server, kOperatorToken).send("GET", target);
}
benefitd::cli::ClientResponse register_partner(const ServerProcess& server, int n) {
  return PlainCaller(server, kOperatorToken).send("POST", "/v1/partners", registration(n));
}

// Registers partners until the server has refused `refusals` in a row (a store that recovers
// between two attempts may take a few more first); returns the ids it acknowledged.
std::vector<std::string> register_until_refused(const ServerProcess& server, benefitd::cli::ClientResponse* refusal,
                                                int refusals = 1) {
  std::vector<std::string> acknowledged;
  int in_a_row = 0;
  for (int n = 0; n < 50'000; ++n) {
    auto response = register_partner(server, n);
    if (response.status == 201) {
      acknowledged.push_back(nlohmann::json::parse(response.body)["partnerId"]);
      in_a_row = 0;
      continue;
    }
    *refusal = std::move(response);
    if (refusal->status != 503 || ++in_a_row == refusals) return acknowledged;
  }
  FAIL("the small disk never filled up");
  return acknowledged;
}

void check_every_partner_readable(const ServerProcess& server, const std::vector<std::string>& partner_ids) {
  for (const std::string& id : partner_ids) {
    const auto response = get(server, "/v1/partners/" + id);
    INFO(id << ": " << response.status << " " << response.body);
    REQUIRE(response.status == 200);
  }
}

}  // namespace

TEST_CASE("R-ENG-9 a disk that fills up under benefitd gives 503s, never a crash, and commands work again once space is freed") {
  SmallDisk disk(40);
  // No reserve: RocksDB's own write-ahead log meets ENOSPC, the hardest case.
  ServerProcess server(disk.path() / "data", {"--reserve-disk-mb", "0", "--cache-mb", "8"});
  disk.fill_leaving(6);

  // Each failed write makes the store reopen its database, which may give back some space (the
  // failed log's preallocation): driven on until the disk stays full, it answers 503 each time.
  benefitd::cli::ClientResponse refusal;
  const std::vector<std::string> acknowledged = register_until_refused(server, &refusal, 20);
  INFO("refusal: " << refusal.status << " " << refusal.body);
  CHECK(acknowledged.size() > 50);
  REQUIRE(refusal.status == 503);
  CHECK(nlohmann::json::parse(refusal.body)["code"] == "unavailable");

  const auto health = get(server, "/healthz");
  CHECK(health.status == 503);
  CHECK(nlohmann::json::parse(health.body)["store"] == "recovering");

  disk.remove_ballast();
  bool recovered = false;
  for (auto deadline = std::chrono::steady_clock::now() + 30s; !recovered && std::chrono::steady_clock::now() < deadline;) {
    recovered = register_partner(server, 200'000).status == 201;
    if (!recovered) std::this_thread::sleep_for(100ms);
  }
  REQUIRE(recovered);
  check_every_partner_readable(server, acknowledged);
  CHECK(get(server, "/healthz").status == 200);
  CHECK(server.stop() == 0);
}

TEST_CASE("R-ENG-9 below the disk reserve benefitd refuses commands, still shows every acknowledged write, and resumes when space is freed") {
  SmallDisk disk(64);
  ServerProcess server(disk.path() / "data", {"--reserve-disk-mb", "16", "--cache-mb", "8"});
  disk.fill_leaving(22);

  benefitd::cli::ClientResponse refusal;
  const std::vector<std::string> acknowledged = register_until_refused(server, &refusal);
  INFO("refusal: " << refusal.status << " " << refusal.body);
  REQUIRE(refusal.status == 503);
  const auto health = get(server, "/healthz");
  CHECK(health.status == 503);
  CHECK(nlohmann::json::parse(health.body)["store"] == "disk-nearly-full");
  // The views of what was acknowledged are written from the reserve: nothing answers 404.
  check_every_partner_readable(server, acknowledged);

  disk.remove_ballast();
  CHECK(register_partner(server, 300'000).status == 201);
  CHECK(get(server, "/healthz").status == 200);
  CHECK(server.stop() == 0);
}

TEST_CASE("R-ENG-11 a server whose log holds an event it cannot project starts, serves the log and answers 503 for views and commands") {
  TempDir dir;
  ServerProcess server(dir.path() / "data");
  const auto registered = register_partner(server, 1);
  REQUIRE(registered.status == 201);
  const std::string partner_id = nlohmann::json::parse(registered.body)["partnerId"];
  REQUIRE(server.stop() == 0);

  // An event as an older engine could have stored it: a time the decoder refuses.
  {
    std::unique_ptr<benefitd::store::RocksDbEventStore> store;
    REQUIRE(benefitd::store::RocksDbEventStore::open({dir.path() / "data" / "store"}, &store).is_ok());
    benefitd::store::EventData event;
    event.id = "unreadable-1";
    event.type = "PartnerMigrated";
    event.actor = "operator";
    event.correlation_id = event.causation_id = "test";
    event.data = nlohmann::json{{"partnerId", partner_id}, {"migratedAt", "10000-01-01T00:00:00Z"}}.dump();
    benefitd::store::WriteRequest request;
    request.streams.push_back({benefitd::workflows::partnerStream(partner_id), benefitd::store::ExpectedVersion::any(), {event}});
    REQUIRE(store->append(std::move(request)).status.is_ok());
  }

  server.restart();
  const auto health = get(server, "/healthz");
  INFO(health.body);
  CHECK(health.status == 503);
  const auto state = nlohmann::json::parse(health.body);
  CHECK(state["views"] == "stalled");
  CHECK(state["viewsPosition"].get<std::uint64_t>() + 1 == state["logPosition"].get<std::uint64_t>());
  CHECK(state["reason"].get<std::string>().find("migratedAt") != std::string::npos);
  // Views answer 503, never a stale 200 or a 404; the log itself is served.
  CHECK(get(server, "/v1/partners/" + partner_id).status == 503);
  CHECK(get(server, "/v1/events?limit=10").status == 200);
  // R-ENG-10: a command's views are written with it, and these cannot be until the views have
  // caught up, so commands are refused and change nothing.
  const auto refused = register_partner(server, 2);
  CHECK(refused.status == 503);
  CHECK(nlohmann::json::parse(refused.body)["code"] == "unavailable");
  CHECK(nlohmann::json::parse(get(server, "/healthz").body)["logPosition"] == state["logPosition"]);
  CHECK(server.stop() == 0);
}
