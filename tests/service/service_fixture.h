#pragma once
// A real Service on a RocksDB data dir in a temp directory, with the simulated clock starting
// Monday 2026-01-05 09:00 UTC, and synchronous helpers to drive it.

#include <catch2/catch.hpp>

#include <future>

#include "adapters/app/service.h"
#include "store/rocksdb/rocksdb_event_store.h"
#include "support/temp_dir.h"
#include "workflows/time.h"

namespace benefitd::testing {

inline const workflows::Time kStart = *workflows::parseTime("2026-01-05T09:00:00Z");
inline constexpr const char* kOperatorToken = "operator-secret";

/// Every row of the views table of the data dir `dir` (no Service may have it open).
inline std::vector<store::KeyValue> views_table(const std::filesystem::path& dir) {
  std::unique_ptr<store::RocksDbEventStore> store;
  REQUIRE(store::RocksDbEventStore::open({dir / "store"}, &store).is_ok());
  std::vector<store::KeyValue> rows;
  REQUIRE(store->scan(store::Table::views, "", "", 10'000'000, &rows).is_ok());
  return rows;
}

struct ServiceFixture {
  explicit ServiceFixture(app::FulfilmentMode mode = app::FulfilmentMode::simulated) : mode(mode) { open(); }

  void open(bool offline = false) {
    app::ServiceOptions options;
    options.data_dir = dir.path();
    options.operator_token = kOperatorToken;
    options.clock = app::ClockMode::simulated;
    options.clock_start = kStart;
    options.fulfilment = mode;
    options.offline = offline;
    options.wrap_store = wrap_store;
    std::string error;
    service = app::open_service(options, &error);
    INFO(error);
    REQUIRE(service);
  }

  void reopen() {
    service.reset();
    open();
  }

  app::Outcome run(const workflows::Actor& actor, workflows::Command command,
                   std::optional<std::string> key = std::nullopt, std::string fingerprint = "") {
    app::RequestContext context{actor, "corr-test", std::move(key), std::move(fingerprint), std::nullopt};
    std::promise<app::Outcome> outcome;
    service->execute(context, std::move(command), [&outcome](app::Outcome done) { outcome.set_value(std::move(done)); });
    return outcome.get_future().get();
  }

  /// Runs a command that must succeed, and waits until the views include it.
  app::Reply ok(const workflows::Actor& actor, workflows::Command command) {
    app::Outcome outcome = run(actor, std::move(command));
    if (const auto* problem = std::get_if<app::Problem>(&outcome)) {
      FAIL("refused: " << problem->code << ": " << problem->detail);
    }
    app::Reply reply = std::get<app::Reply>(std::move(outcome));
    settle(reply.position);
    return reply;
  }

  app::Problem refused(const workflows::Actor& actor, workflows::Command command) {
    app::Outcome outcome = run(actor, std::move(command));
    REQUIRE(std::holds_alternative<app::Problem>(outcome));
    return std::get<app::Problem>(std::move(outcome));
  }

  /// Moves the simulated clock, firing due timers; returns the reply.
  app::Reply advance(std::chrono::seconds by) {
    std::promise<app::Outcome> outcome;
    app::RequestContext context{workflows::Actor::operatorActor(), "corr-clock", std::nullopt, "", std::nullopt};
    service->advance_clock(context, app::ClockAdvance{by.count(), std::nullopt},
                           [&outcome](app::Outcome done) { outcome.set_value(std::move(done)); });
    app::Outcome done = outcome.get_future().get();
    REQUIRE(std::holds_alternative<app::Reply>(done));
    return std::get<app::Reply>(std::move(done));
  }

  void settle(app::Position position) {
    std::promise<bool> reached;
    service->when_views_reach(position, std::chrono::steady_clock::now() + std::chrono::seconds(30),
                              [&reached](bool done) { reached.set_value(done); });
    REQUIRE(reached.get_future().get());
  }

  nlohmann::json body(const app::Outcome& outcome) {
    if (const auto* problem = std::get_if<app::Problem>(&outcome)) {
      FAIL("refused: " << problem->code << ": " << problem->detail);
    }
    return std::get<app::Reply>(outcome).document();
  }

  /// Registers a partner; returns its id and its global admin as an actor.
  std::pair<std::string, workflows::Actor> register_partner(std::string name = "Contoso",
                                                            workflows::MembershipLocation location =
                                                                workflows::MembershipLocation::partnerCenter) {
    workflows::RegisterPartner command{name, "accounts@" + name + ".example", location, "admin@" + name + ".example",
                                       "Admin"};
    const app::Reply reply = ok(workflows::Actor::operatorActor(), command);
    const std::string token = reply.body["globalAdmin"]["token"];
    auto admin = service->authenticate(token);
    REQUIRE(admin);
    return {reply.body["partnerId"], *admin};
  }

  /// The benefit of `package` (a purchase reply's body) in `category`, optionally of `kind`.
  static std::string benefit_of(const nlohmann::json& package, std::string_view category,
                                std::string_view kind = "") {
    for (const auto& benefit : package["benefits"]) {
      if (benefit["category"] == category && (kind.empty() || benefit.value("kind", "") == kind)) {
        return benefit["benefitId"];
      }
    }
    FAIL("no " << category << " benefit in the package");
    return "";
  }

  TempDir dir;
  app::FulfilmentMode mode;
  /// Applied to the store at each open (see ServiceOptions::wrap_store).
  std::function<std::unique_ptr<store::EventStore>(std::unique_ptr<store::EventStore>)> wrap_store;
  std::unique_ptr<app::Service> service;
};

}  // namespace benefitd::testing
