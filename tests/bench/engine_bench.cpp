// Durable commands per second through the whole engine in-process (authorize, load aggregates,
// decide with the state machines, append with fsync together with the views the command's events
// change), with 1..64 concurrent
// callers, against durable appends of one event through the store alone in the same run: the
// ratio is the engine's overhead per command.
//
// Workload: software activations (ActivationRequested, FulfilmentAccepted, BenefitActivated,
// KeyRevealed: four events, one stream, one dependency check on the package) on benefits of
// packages bought beforehand; purchases (a gold package and its 8 benefits: 9 new streams) are
// measured while buying them.
//
// Then, once: loads of every activated benefit with nothing in memory (as after a restart), from
// the snapshot its last command stored and by replaying its stream, alternated in the same run.

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <thread>

#include "adapters/app/aggregates.h"
#include "adapters/app/service.h"
#include "store/rocksdb/rocksdb_event_store.h"
#include "concurrent_runs.h"
#include "workflows/commands.h"
#include "workflows/time.h"

using namespace benefitd;
using Clock = std::chrono::steady_clock;

namespace {

app::Outcome run(app::Service& service, const workflows::Actor& actor, workflows::Command command) {
  std::promise<app::Outcome> done;
  service.execute({actor, "bench", std::nullopt, "", std::nullopt}, std::move(command),
                  [&done](app::Outcome outcome) { done.set_value(std::move(outcome)); });
  return done.get_future().get();
}

const nlohmann::json& body(const app::Outcome& outcome) {
  if (const auto* problem = std::get_if<app::Problem>(&outcome)) {
    throw std::runtime_error(problem->code + ": " + problem->detail);
  }
  return std::get<app::Reply>(outcome).body;
}

double store_alone(const std::filesystem::path& dir, int callers, long per_caller) {
  std::unique_ptr<store::RocksDbEventStore> store;
  if (!store::RocksDbEventStore::open({dir}, &store).is_ok()) throw std::runtime_error("open failed");
  return bench::per_second(callers, per_caller, [&store](int c, long i) {
    store::EventData event;
    event.id = std::to_string(c) + "-" + std::to_string(i);
    event.type = "BenefitActivated";
    event.data = R"({"benefitId":"B-1","activatedAt":"2026-01-05T09:00:00Z"})";
    store::WriteRequest request;
    request.streams.push_back({"benefit-" + event.id, store::ExpectedVersion::no_stream(), {event}});
    if (!store->append(std::move(request)).status.is_ok()) throw std::runtime_error("append failed");
  });
}

// Loads per second of `benefits`, each with nothing cached, from snapshots or by replay.
double cold_loads(store::EventStore& store, const std::vector<std::string>& benefits, app::Aggregates::Snapshots mode) {
  const auto start = Clock::now();
  for (const std::string& benefit : benefits) {
    app::Aggregates aggregates(store, 1, mode);  // holds one aggregate: every load is cold
    engine::AggregateRepository<workflows::Benefit>::Loaded loaded;
    if (!aggregates.benefits().load(workflows::benefitStream(benefit), &loaded).is_ok() ||
        loaded.state->view().status != "active") {
      throw std::runtime_error("benefit " + benefit + " did not load as active");
    }
  }
  return static_cast<double>(benefits.size()) / std::chrono::duration<double>(Clock::now() - start).count();
}

void report_cold_loads(const std::filesystem::path& store_dir, const std::vector<std::string>& benefits) {
  std::unique_ptr<store::RocksDbEventStore> store;
  if (!store::RocksDbEventStore::open({store_dir}, &store).is_ok()) throw std::runtime_error("open failed");
  cold_loads(*store, benefits, app::Aggregates::Snapshots::ignored);  // warms the block cache for both
  double from_snapshots = 0, by_replay = 0;
  for (int round = 0; round < 3; ++round) {
    from_snapshots = std::max(from_snapshots, cold_loads(*store, benefits, app::Aggregates::Snapshots::read));
    by_replay = std::max(by_replay, cold_loads(*store, benefits, app::Aggregates::Snapshots::ignored));
  }
  std::printf("cold loads of %zu active benefits (best of 3): from snapshots %.0f/s, by replay %.0f/s, ratio %.2f\n",
              benefits.size(), from_snapshots, by_replay, from_snapshots / by_replay);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Durable commands per second through the engine, against the store alone"};
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "benefitd-engine-bench";
  std::vector<int> caller_counts = {1, 8, 64};
  long commands = 4000;
  app.add_option("--dir", dir, "scratch directory (emptied first)");
  app.add_option("--callers", caller_counts, "concurrent caller counts")->delimiter(',');
  app.add_option("--commands", commands, "activations per run (split between the callers)");
  CLI11_PARSE(app, argc, argv);

  std::printf("%-8s %18s %18s %8s %18s\n", "callers", "activations/s", "store appends/s", "ratio",
              "purchases/s");
  for (const int callers : caller_counts) {
    const long per_caller = std::max<long>(1, commands / callers);
    std::filesystem::remove_all(dir);
    app::ServiceOptions options;
    options.data_dir = dir / "engine";
    options.operator_token = "bench";
    options.clock = app::ClockMode::simulated;
    options.clock_start = workflows::parseTime("2026-01-05T09:00:00Z");
    std::string error;
    auto service = app::open_service(options, &error);
    if (!service) throw std::runtime_error(error);

    const auto partner = body(run(*service, workflows::Actor::operatorActor(),
                                  workflows::RegisterPartner{"Bench", "accounts@bench.example",
                                                             workflows::MembershipLocation::partnerCenter,
                                                             "admin@bench.example", "Admin"}));
    const std::string partner_id = partner["partnerId"];
    const workflows::Actor admin = *service->authenticate(partner["globalAdmin"]["token"].get<std::string>());

    // Each gold package has two software benefits: buy enough for every activation.
    const long packages = (callers * per_caller + 1) / 2;
    std::vector<std::string> software(static_cast<std::size_t>(packages * 2));
    std::atomic<long> next_package{0};
    const double purchases = bench::per_second(callers, (packages + callers - 1) / callers, [&](int, long) {
      const long index = next_package++;
      if (index >= packages) return;
      const auto bought = body(run(*service, admin, workflows::PurchasePackage{partner_id, "gold-competency"}));
      std::size_t found = 0;
      for (const auto& benefit : bought["benefits"]) {
        if (benefit["category"] == "software" && found < 2) software[index * 2 + found++] = benefit["benefitId"];
      }
    });

    const double activations = bench::per_second(callers, per_caller, [&](int c, long i) {
      const std::string& benefit = software[static_cast<std::size_t>(c * per_caller + i)];
      body(run(*service, admin, workflows::ActivateBenefit{benefit, std::string("en-US"), std::string("x64"), std::nullopt}));
    });
    service.reset();

    const double store = store_alone(dir / "store", callers, per_caller);
    std::printf("%-8d %18.0f %18.0f %8.2f %18.0f\n", callers, activations, store, activations / store, purchases);
    if (callers == caller_counts.back()) {
      software.resize(static_cast<std::size_t>(callers * per_caller));  // the activated ones
      report_cold_loads(dir / "engine" / "store", software);
    }
  }
  std::filesystem::remove_all(dir);
}
