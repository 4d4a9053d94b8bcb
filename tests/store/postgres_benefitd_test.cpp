// benefitd with `--store postgresql://...`: the engine keeps its log and tables in PostgreSQL,
// not in the data dir, and serves a purchase, an activation and reads from it over sockets,
// across a restart (R-ENG-3).

#include <catch2/catch.hpp>

#include <filesystem>

#include "adapters/scenario.h"
#include "store/chain_verifier.h"
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

}  // namespace
}  // namespace benefitd::testing
