// Durable commands per second through the whole engine in-process (authorize, load aggregates,
// decide with the state machines, append with fsync together with the views the command's
// events change), with 1..64 concurrent callers, against durable appends of one event through
// the store alone in the same run: the ratio is the engine's overhead per command.
//
// Between the two, the floors of an activation: the store alone appending, from the same
// callers, a write the size and shape of an activation's (four events on one stream, and the
// view rows an activation changes: the benefit's view and snapshot, its fulfilment row, four
// entries of the partner's log, the views' checkpoint), with nothing loaded or decided and no
// check of the package's version; and a leaner write, the four events and the benefit's view
// only. The engine can at best reach the first; on this store, a design that writes an
// activation's four events and a view of its benefit can at best reach the second. Each row
// also gives the whole process's CPU time per write.
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
#include "adapters/app/view_keys.h"
#include "store/rocksdb/rocksdb_event_store.h"
#include "concurrent_runs.h"
#include "json_text.h"
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

bench::Run store_alone(const std::filesystem::path& dir, int callers, long per_caller) {
  std::unique_ptr<store::RocksDbEventStore> store;
  if (!store::RocksDbEventStore::open({dir}, &store).is_ok()) throw std::runtime_error("open failed");
  return bench::measure(callers, per_caller, [&store](int c, long i) {
    store::EventData event;
    event.id = std::to_string(c) + "-" + std::to_string(i);
    event.type = "BenefitActivated";
    event.data = R"({"benefitId":"B-1","activatedAt":"2026-01-05T09:00:00Z"})";
    store::WriteRequest request;
    request.streams.push_back({"benefit-" + event.id, store::ExpectedVersion::no_stream(), {event}});
    if (!store->append(std::move(request)).status.is_ok()) throw std::runtime_error("append failed");
  });
}

// What an activation writes, without the engine: see the header.
enum class ActivationWrite { as_the_engine_writes, events_and_view };

store::EventData activation_event(const std::string& benefit, const char* type, std::uint64_t seed) {
  store::EventData event;
  event.id = "evt-" + benefit + "-" + type;
  event.type = type;
  event.occurred_at = store::Timestamp(std::chrono::seconds(1'767'600'000));
  event.actor = "user:U-BENCH00001";
  event.correlation_id = "bench";
  event.causation_id = "cmd-" + benefit;
  event.data = bench::json_text(180, seed);  // about 400 bytes stored, as an activation's events
  return event;
}

bench::Run activation_writes_alone(const std::filesystem::path& dir, int callers, long per_caller,
                                   ActivationWrite shape) {
  std::unique_ptr<store::RocksDbEventStore> store;
  if (!store::RocksDbEventStore::open({dir}, &store).is_ok()) throw std::runtime_error("open failed");
  // Ids as long as the product's ("B-" and ten characters), so that keys are as long.
  const auto benefit_of = [](int c, long i) {
    char id[32];
    std::snprintf(id, sizeof id, "B-%02d%08ld", c, i);
    return std::string(id);
  };
  // Each row's filler text differs: (caller, index) and the row's number within the write.
  const auto seed = [](int c, long i, int row) {
    return (static_cast<std::uint64_t>(c) << 40) ^ (static_cast<std::uint64_t>(i) << 8) ^
           static_cast<std::uint64_t>(row);
  };
  const auto append = [&store](store::WriteRequest request) {
    if (!store->append(std::move(request)).status.is_ok()) throw std::runtime_error("append failed");
  };
  // The benefits' streams first, as their purchase leaves them: one event each.
  bench::per_second(callers, per_caller, [&](int c, long i) {
    const std::string benefit = benefit_of(c, i);
    store::WriteRequest purchase;
    purchase.streams.push_back({workflows::benefitStream(benefit), store::ExpectedVersion::no_stream(),
                                {activation_event(benefit, "BenefitPurchased", seed(c, i, 0))}});
    append(std::move(purchase));
  });
  const std::string partner_log = app::view_keys::log_of("P-BENCH00001");
  return bench::measure(callers, per_caller, [&](int c, long i) {
    const std::string benefit = benefit_of(c, i);
    store::StreamAppend stream{workflows::benefitStream(benefit), store::ExpectedVersion::exactly(1), {}};
    for (const char* type : {"ActivationRequested", "FulfilmentAccepted", "BenefitActivated", "KeyRevealed"}) {
      stream.events.push_back(activation_event(benefit, type, seed(c, i, static_cast<int>(stream.events.size()) + 1)));
    }
    store::WriteRequest request;
    const auto put_view = [&request](std::string key, std::string value) {
      request.writes.push_back(store::KeyedWrite::put(store::Table::views, std::move(key), std::move(value)));
    };
    put_view(app::view_keys::benefit(benefit), bench::json_text(620, seed(c, i, 5)));
    if (shape == ActivationWrite::as_the_engine_writes) {
      put_view(app::view_keys::snapshot(stream.stream), bench::json_text(270, seed(c, i, 6)));
      put_view(app::view_keys::fulfilment("F-" + benefit), bench::json_text(230, seed(c, i, 7)));
      for (std::size_t event = 0; event < stream.events.size(); ++event) {
        request.writes.push_back(store::KeyedWrite::put_at_event(store::Table::views, partner_log, event, ""));
      }
      request.writes.push_back(store::KeyedWrite::put_position_of_event(store::Table::checkpoints, "projections",
                                                                        stream.events.size() - 1));
    }
    request.streams.push_back(std::move(stream));
    append(std::move(request));
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

  std::printf("%-8s %14s %14s %14s %16s %8s %8s %8s %12s\n", "callers", "activations/s", "writes alone/s",
              "lean writes/s", "store appends/s", "ratio", "writes", "lean", "purchases/s");
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

    const bench::Run activations = bench::measure(callers, per_caller, [&](int c, long i) {
      const std::string& benefit = software[static_cast<std::size_t>(c * per_caller + i)];
      body(run(*service, admin, workflows::ActivateBenefit{benefit, std::string("en-US"), std::string("x64"), std::nullopt}));
    });
    service.reset();

    const bench::Run writes =
        activation_writes_alone(dir / "writes", callers, per_caller, ActivationWrite::as_the_engine_writes);
    const bench::Run lean =
        activation_writes_alone(dir / "lean", callers, per_caller, ActivationWrite::events_and_view);
    const bench::Run store = store_alone(dir / "store", callers, per_caller);
    std::printf("%-8d %14.0f %14.0f %14.0f %16.0f %8.2f %8.2f %8.2f %12.0f\n", callers, activations.per_second,
                writes.per_second, lean.per_second, store.per_second, activations.per_second / store.per_second,
                writes.per_second / store.per_second, lean.per_second / store.per_second, purchases);
    std::printf("  CPU per write, whole process: activation %.0f us, write alone %.0f, lean write %.0f, "
                "store append %.0f\n",
                activations.cpu_us_per_operation, writes.cpu_us_per_operation, lean.cpu_us_per_operation,
                store.cpu_us_per_operation);
    std::fflush(stdout);
    if (callers == caller_counts.back()) {
      software.resize(static_cast<std::size_t>(callers * per_caller));  // the activated ones
      report_cold_loads(dir / "engine" / "store", software);
    }
  }
  std::filesystem::remove_all(dir);
}
