// The PostgreSQL lease (store/postgres/postgres_lease.h): one holder per schema, and another
// process's lease takes over once the holder's connection is gone (R-LIFE-6: the timers of a
// dead holder still fire).

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "store/postgres/postgres_lease.h"
#include "support/postgres_server.h"

using namespace benefitd::store;
using benefitd::testing::PostgresServer;
using namespace std::chrono_literals;

namespace {

std::unique_ptr<PostgresLease> open_lease(const std::string& schema) {
  std::unique_ptr<PostgresLease> lease;
  REQUIRE(PostgresLease::open({PostgresServer::shared().conninfo(), schema, 50ms}, &lease).is_ok());
  return lease;
}

}  // namespace

TEST_CASE("R-LIFE-6 the PostgreSQL lease has one holder per schema and passes on when the holder goes",
          "[store][postgres][lease]") {
  const std::string schema = PostgresServer::shared().fresh_schema();
  auto first = open_lease(schema);
  auto second = open_lease(schema);
  CHECK(first->held());
  CHECK(first->shared());
  CHECK_FALSE(second->held());
  // Another schema is another lease.
  CHECK(open_lease(PostgresServer::shared().fresh_schema())->held());
  // Many retry periods later, still one holder.
  std::this_thread::sleep_for(500ms);
  CHECK(first->held());
  CHECK_FALSE(second->held());

  // The holder goes (its connection closes, as when its process is killed): the other takes it.
  first.reset();
  const auto give_up = std::chrono::steady_clock::now() + 60s;
  while (!second->held() && std::chrono::steady_clock::now() < give_up) std::this_thread::sleep_for(10ms);
  CHECK(second->held());
  CHECK_FALSE(open_lease(schema)->held());
}

TEST_CASE("R-LIFE-6 a lease whose server restarts is lost, then held again", "[store][postgres][lease]") {
  auto lease = open_lease(PostgresServer::shared().fresh_schema());
  REQUIRE(lease->held());
  PostgresServer::shared().stop();
  const auto give_up = std::chrono::steady_clock::now() + 60s;
  while (lease->held() && std::chrono::steady_clock::now() < give_up) std::this_thread::sleep_for(10ms);
  CHECK_FALSE(lease->held());
  PostgresServer::shared().start();
  while (!lease->held() && std::chrono::steady_clock::now() < give_up) std::this_thread::sleep_for(10ms);
  CHECK(lease->held());
}
