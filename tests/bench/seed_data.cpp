// Fills a data dir for the server benchmarks (http, rebuild, restart): one partner buying gold
// packages through the real Service, from several threads, with durability off because only
// the data matters here, not how fast it was written. Writes the partner's global-admin token
// on the first line of --ids-out and then the id of every benefit that activates at once
// (software and cloud: four per gold package), one per line, for wrk to activate.
//
// The data dir runs on the simulated clock (2026-01-05 09:00 UTC) so that `benefitd --clock
// simulated` continues from the same time and every package stays active during the run. With
// --minute-every N the clock moves on a minute after every N purchases, so that the log spans
// time as a real one does (for time windows: scripts/bench export).
// With --store, the log and views go to that PostgreSQL database instead (scripts/bench
// cluster), as `benefitd --store` would write them.

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <future>
#include <mutex>

#include "adapters/app/service.h"
#include "store/postgres/postgres_event_store.h"
#include "concurrent_runs.h"
#include "workflows/time.h"

using namespace benefitd;

namespace {

app::Reply run(app::Service& service, const workflows::Actor& actor, workflows::Command command) {
  std::promise<app::Outcome> done;
  service.execute({actor, "seed", std::nullopt, "", std::nullopt}, std::move(command),
                  [&done](app::Outcome outcome) { done.set_value(std::move(outcome)); });
  app::Outcome outcome = done.get_future().get();
  if (const auto* problem = std::get_if<app::Problem>(&outcome)) {
    throw std::runtime_error(problem->code + ": " + problem->detail);
  }
  return std::get<app::Reply>(std::move(outcome));
}

void advance_a_minute(app::Service& service) {
  std::promise<app::Outcome> done;
  service.advance_clock({workflows::Actor::operatorActor(), "seed", std::nullopt, "", std::nullopt},
                        app::ClockAdvance{60, std::nullopt},
                        [&done](app::Outcome outcome) { done.set_value(std::move(outcome)); });
  const app::Outcome outcome = done.get_future().get();
  if (const auto* problem = std::get_if<app::Problem>(&outcome)) {
    throw std::runtime_error(problem->code + ": " + problem->detail);
  }
}

bool activates_at_once(const nlohmann::json& benefit) {
  return benefit["category"] == "software" || benefit["category"] == "cloud";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Seeds a benefitd data dir with gold packages for the server benchmarks"};
  std::filesystem::path data_dir;
  std::filesystem::path ids_out;
  long packages = 1000;
  int threads = 16;
  app.add_option("--data-dir", data_dir, "the data dir to create (must not exist)")->required();
  app.add_option("--ids-out", ids_out, "where to write the admin token and the benefit ids")->required();
  app.add_option("--packages", packages, "gold packages to buy (9 events each)");
  app.add_option("--threads", threads, "concurrent purchasers");
  long minute_every = 0;
  app.add_option("--minute-every", minute_every, "move the clock on a minute after every N purchases (0: never)");
  std::string store_conninfo;
  app.add_option("--store", store_conninfo, "a PostgreSQL connection string for the log and views (default: RocksDB)");
  CLI11_PARSE(app, argc, argv);

  if (std::filesystem::exists(data_dir)) {
    std::fprintf(stderr, "seed_data: %s exists; give a new directory\n", data_dir.c_str());
    return 2;
  }
  app::ServiceOptions options;
  options.data_dir = data_dir;
  options.operator_token = "seed";
  options.clock = app::ClockMode::simulated;
  options.clock_start = workflows::parseTime("2026-01-05T09:00:00Z");
  options.durable = false;
  if (!store_conninfo.empty()) {
    options.open_store = store::PostgresEventStore::opener({.conninfo = store_conninfo, .synchronous_commit = false});
  }
  std::string error;
  auto service = app::open_service(options, &error);
  if (!service) {
    std::fprintf(stderr, "seed_data: %s\n", error.c_str());
    return 1;
  }

  const nlohmann::json partner = run(*service, workflows::Actor::operatorActor(),
                                     workflows::RegisterPartner{"Bench", "accounts@bench.example",
                                                                workflows::MembershipLocation::partnerCenter,
                                                                "admin@bench.example", "Admin"})
                                     .body;
  const std::string partner_id = partner["partnerId"];
  const std::string token = partner["globalAdmin"]["token"];
  const workflows::Actor admin = *service->authenticate(token);

  std::ofstream ids(ids_out);
  ids << token << '\n';
  std::mutex ids_mutex;
  std::atomic<long> next{0};
  std::atomic<app::Position> last_position{0};
  const double rate = bench::per_second(threads, (packages + threads - 1) / threads, [&](int, long) {
    const long number = next++;
    if (number >= packages) return;
    if (minute_every > 0 && number > 0 && number % minute_every == 0) advance_a_minute(*service);
    const app::Reply bought = run(*service, admin, workflows::PurchasePackage{partner_id, "gold-competency"});
    for (app::Position seen = last_position; seen < bought.position;) {
      if (last_position.compare_exchange_weak(seen, bought.position)) break;
    }
    std::lock_guard lock(ids_mutex);
    for (const auto& benefit : bought.body["benefits"]) {
      if (activates_at_once(benefit)) ids << benefit["benefitId"].get<std::string>() << '\n';
    }
  });
  ids.close();
  service.reset();  // closes the store with everything written
  std::printf("seeded %ld gold packages (%llu events) at %.0f purchases/s\n", packages,
              static_cast<unsigned long long>(last_position.load()), rate);
  return ids ? 0 : 1;
}
