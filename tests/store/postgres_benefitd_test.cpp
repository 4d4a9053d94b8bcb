// benefitd with `--store postgresql://...`: the engine keeps its log and tables in PostgreSQL,
// not in the data dir, and serves a purchase, an activation and reads from it over sockets,
// across a restart (R-ENG-3); without PostgreSQL, commands answer 503 and change nothing.

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <thread>

#include "adapters/scenario.h"
#include "store/chain_verifier.h"
#include "support/child_process.h"
#include "support/postgres_server.h"
#include "support/store_backends.h"
#include "support/temp_dir.h"

namespace benefitd::testing {
namespace {

TEST_CASE("R-ENG-3 benefitd on PostgreSQL buys, activates and reads a benefit, and keeps it across a restart",
          "[store][postgres][http]") {
  TempDir dir;
  ServerProcess server(dir.path() / "data", {"--store", PostgresServer::shared().uri()});
  Caller op(server, kOperatorToken);
  CHECK(op.get("/healthz")["store"] == "writable");
  const PartnerAccess partner = register_partner(op, "contoso");
  Caller admin(server, partner.admin_token);
  const auto package = admin.post("/v1/partners/" + partner.partner_id + "/packages", {{"type", "action-pack"}}, 201);
  const std::string benefit_id = benefit_of(package, "cloud", "usage-based")["benefitId"];
  admin.post("/v1/benefits/" + benefit_id + "/activate", nlohmann::json::object(), 200);
  CHECK(admin.get("/v1/benefits/" + benefit_id)["status"] == "active");

  // Without PostgreSQL, commands answer 503 `unavailable` and change nothing; once it is back,
  // the store reconnects by itself and commands go through again.
  PostgresServer::shared().stop();
  const std::string second_package = R"({"type":"action-pack"})";
  const auto refused = admin.send("POST", "/v1/partners/" + partner.partner_id + "/packages", second_package);
  CHECK(refused.status == 503);
  CHECK(nlohmann::json::parse(refused.body)["code"] == "unavailable");
  // The store's listener connection reports the loss by itself.
  int health = 0;
  for (int attempt = 0; attempt < 300 && (health = op.send("GET", "/healthz").status) != 503; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(health == 503);
  PostgresServer::shared().start();
  cli::ClientResponse accepted;
  for (int attempt = 0; attempt < 300; ++attempt) {  // the writer reconnects with back-off
    accepted = admin.send("POST", "/v1/partners/" + partner.partner_id + "/packages", second_package);
    if (accepted.status != 503) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(accepted.status == 201);
  CHECK(server.stop() == 0);

  // The log is in PostgreSQL (schema benefitd), whole and verifiable, and not in the data dir.
  CHECK_FALSE(std::filesystem::exists(dir.path() / "data" / "store"));
  {
    store::PostgresOptions options;
    options.conninfo = PostgresServer::shared().conninfo();
    std::unique_ptr<store::PostgresEventStore> log;
    REQUIRE(store::PostgresEventStore::open(options, &log).is_ok());
    CHECK(log->last_position() > 0);
    CHECK(store::verify_chain(*log).ok);
  }

  server.restart();
  Caller again(server, partner.admin_token);
  CHECK(again.get("/v1/benefits/" + benefit_id)["status"] == "active");
  CHECK(server.stop() == 0);
}

std::unique_ptr<store::PostgresEventStore> open_shared_store() {
  std::unique_ptr<store::PostgresEventStore> store;
  REQUIRE(store::PostgresEventStore::open({.conninfo = PostgresServer::shared().conninfo()}, &store).is_ok());
  return store;
}

// Every row of the views of the PostgreSQL store.
std::vector<store::KeyValue> stored_views() {
  std::vector<store::KeyValue> rows;
  REQUIRE(open_shared_store()->scan(store::Table::views, "", "", 10'000'000, &rows).is_ok());
  return rows;
}

int benefitctl(std::vector<std::string> arguments) {
  arguments.insert(arguments.begin(), BENEFITCTL_PATH);
  ChildProcess tool(arguments);
  tool.read_all();
  return tool.end(0);
}

TEST_CASE("R-ENG-5 benefitctl rebuilds the views of a PostgreSQL store no node serves, to the rows the commands wrote",
          "[store][postgres][http]") {
  TempDir dir;
  ServerProcess server(dir.path() / "data", {"--store", PostgresServer::shared().uri()});
  Caller op(server, kOperatorToken);
  const PartnerAccess partner = register_partner(op, "fabrikam");
  Caller admin(server, partner.admin_token);
  const auto package = admin.post("/v1/partners/" + partner.partner_id + "/packages", {{"type", "gold-competency"}}, 201);
  admin.post("/v1/benefits/" + benefit_of(package, "cloud", "usage-based")["benefitId"].get<std::string>() + "/activate",
             nlohmann::json::object(), 200);
  CHECK(server.stop() == 0);

  const auto written = stored_views();
  REQUIRE_FALSE(written.empty());
  {  // Views gone wrong, which only a rebuild from the log puts right: a row changed, one added.
    store::WriteRequest damage;
    damage.writes.push_back(store::KeyedWrite::put(store::Table::views, written.front().key, "damaged"));
    damage.writes.push_back(store::KeyedWrite::put(store::Table::views, "stray/row", "{}"));
    REQUIRE(open_shared_store()->append(std::move(damage)).status.is_ok());
  }
  CHECK(benefitctl({"projections", "rebuild", "--store", PostgresServer::shared().uri(), "--quiet"}) == 0);
  const auto rebuilt = stored_views();
  REQUIRE(rebuilt.size() == written.size());
  for (std::size_t i = 0; i < written.size(); ++i) {
    INFO(written[i].key);
    CHECK(rebuilt[i].key == written[i].key);
    CHECK(rebuilt[i].value == written[i].value);
  }
  CHECK(benefitctl({"audit", "verify", "--store", PostgresServer::shared().uri(), "--quiet"}) == 0);
}

}  // namespace
}  // namespace benefitd::testing
