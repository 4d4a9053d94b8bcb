// ha_loop: proves a benefitd cluster (scripts/cluster: several benefitd nodes on PostgreSQL
// under Patroni) loses no acknowledged command when any one member dies under load
// (scripts/ha-test runs it; docs/scale-out.md). The cluster is given, not started here: the
// nodes' addresses, a fault command per kind of failure (e.g. `scripts/cluster kill
// primary-postgres`) and a heal command that brings every member back.
// Each cycle: client threads on every node send the crash loop's command mix (load.h); a
// fault is injected; the load goes on through the failover, then stops; the cluster is
// healed, and the crash loop's checks run against one node (a different one each cycle):
// commands in doubt retried by key, due timers fired at most once (expiry_check.h), every
// acknowledged command in the log and replayed by its key, the hash chains verified. Every
// node must then see the whole log (read-your-writes across nodes). The cycle reports the
// longest time without an acknowledged command around the fault: its unavailability window.
// At the end the clock runs past every expiry: each must have fired exactly once.
// Exit status: 0 when every check passed, 1 on a violated check or a failed fault or heal
// command, 2 on usage errors.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iostream>
#include <random>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

#include "tests/reliability/check_failed.h"
#include "tests/reliability/crash_checks.h"
#include "tests/reliability/load.h"
#include "tests/reliability/seed.h"

namespace {

using namespace benefitd::reliability;
using Clock = std::chrono::steady_clock;

/// Past the longest life anything can have (as in the crash loop).
constexpr int kFinalAdvanceDays = 800;

struct Options {
  std::vector<std::string> nodes;  // HOST:PORT of each benefitd node
  std::string operator_token_file;
  std::vector<std::string> faults;  // shell commands, used in turn
  std::string heal;
  int cycles = 6;
  std::uint64_t seed = std::random_device{}();
  int threads = 2;  // per node
  int partners = 3;
  int load_before_ms = 2000;
  int load_after_ms = 30000;
  int max_advance_hours = 24;
};

double seconds_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

void run_shell(const std::string& command) {
  if (const int status = std::system(command.c_str()); status != 0)
    throw std::runtime_error("`" + command + "` exited with status " + std::to_string(status));
}

/// Waits until the node answers GET /healthz with 200 (its store writable).
void wait_healthy(const std::string& node) {
  const Clock::time_point deadline = Clock::now() + std::chrono::minutes(3);
  for (;;) {
    try {
      ApiClient client(node, "");
      if (client.command({"GET", "/healthz", "", ""}, "ha-loop-health").status == 200) return;
    } catch (const std::runtime_error&) {
    }
    if (Clock::now() > deadline) throw std::runtime_error("benefitd at " + node + " not healthy after 3 minutes");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

/// The longest stretch without an acknowledgement between `from` and `to` (both ends count as
/// edges: a load that never recovered shows its whole length).
double longest_silence(const std::vector<Clock::time_point>& acknowledged, Clock::time_point from,
                       Clock::time_point to) {
  double longest = 0;
  Clock::time_point previous = from;
  for (const Clock::time_point at : acknowledged) {
    if (at < from || at > to) continue;
    longest = std::max(longest, seconds_between(previous, at));
    previous = at;
  }
  return std::max(longest, seconds_between(previous, to));
}

/// Every node sees the log up to `last_position`: a long-poll for it answers at once.
void check_every_node_caught_up(const Options& options, const std::string& token, std::uint64_t last_position) {
  for (const std::string& node : options.nodes) {
    ApiClient client(node, token);
    const auto report = client.call("POST", "/v1/audit/verify", nlohmann::json::object(), 200);
    if (report.value("ok", false) != true || report.value("eventsChecked", std::uint64_t{0}) != last_position)
      throw CheckFailed("read-your-writes: node " + node + " verified " + report.dump() + ", the log has " +
                        std::to_string(last_position) + " events");
  }
}

struct CycleReport {
  std::size_t acknowledged = 0;
  double window_s = 0;
};

/// Load on every node; the fault `fault_after` into it; the load stops `load_after` later.
CycleReport load_with_fault(const Options& options, const LoadOptions& load, int cycle, const std::string& fault,
                            World& world, Ledger& ledger) {
  const std::size_t acknowledged_before = ledger.acknowledged_total();
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  std::vector<std::exception_ptr> failures(options.nodes.size());
  for (std::size_t node = 0; node < options.nodes.size(); ++node) {
    clients.emplace_back([&, node] {
      try {
        // Each node's workers get their own idempotency keys and correlation ids.
        run_load(options.nodes[node], load, cycle * 16 + static_cast<int>(node), world, ledger, stop);
      } catch (...) {
        failures[node] = std::current_exception();
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(options.load_before_ms));
  const Clock::time_point fault_at = Clock::now();
  std::exception_ptr fault_failure;
  try {
    run_shell(fault);
  } catch (...) {
    fault_failure = std::current_exception();
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(options.load_after_ms));
  const Clock::time_point load_end = Clock::now();
  stop = true;
  for (std::thread& thread : clients) thread.join();
  if (fault_failure) std::rethrow_exception(fault_failure);
  for (const std::exception_ptr& failure : failures)
    if (failure) std::rethrow_exception(failure);
  // From a little before the fault, so that the silence it caused is measured whole.
  const Clock::time_point window_from = fault_at - std::chrono::milliseconds(options.load_before_ms / 2);
  return {ledger.acknowledged_total() - acknowledged_before,
          longest_silence(ledger.acknowledgement_times(), window_from, load_end)};
}

int run(const Options& options) {
  const Clock::time_point started = Clock::now();
  std::string operator_token;
  std::ifstream(options.operator_token_file) >> operator_token;
  if (operator_token.empty()) throw std::runtime_error("no operator token in " + options.operator_token_file);
  for (const std::string& node : options.nodes) wait_healthy(node);
  std::cout << "ha loop: " << options.cycles << " cycles over " << options.nodes.size() << " benefitd nodes, seed "
            << options.seed << ", " << options.threads << " client threads per node" << std::endl;

  ApiClient seeder(options.nodes.front(), operator_token);
  World world = seed_world(seeder, options.nodes.front(), options.partners, 6);
  Ledger ledger;
  CrashChecks checks(ledger, operator_token, "");  // no benefitctl: the offline checks read RocksDB only
  const LoadOptions load{options.threads, options.max_advance_hours, options.seed, operator_token};
  std::size_t in_doubt = 0, acknowledged_on_retry = 0;
  std::vector<double> windows;

  for (int cycle = 1; cycle <= options.cycles; ++cycle) {
    const Clock::time_point cycle_started = Clock::now();
    const std::string& fault = options.faults[static_cast<std::size_t>(cycle - 1) % options.faults.size()];
    std::printf("cycle %d/%d: %s\n", cycle, options.cycles, fault.c_str());
    std::fflush(stdout);
    const CycleReport cycle_report = load_with_fault(options, load, cycle, fault, world, ledger);
    const Clock::time_point heal_started = Clock::now();
    run_shell(options.heal + " >/dev/null");
    for (const std::string& node : options.nodes) wait_healthy(node);
    const double heal_s = seconds_between(heal_started, Clock::now());
    const std::string& checked_node = options.nodes[static_cast<std::size_t>(cycle) % options.nodes.size()];
    const RestartReport report = checks.after_restart(checked_node);
    check_every_node_caught_up(options, operator_token, checks.events_in_log());
    in_doubt += report.in_doubt;
    acknowledged_on_retry += report.acknowledged_on_retry;
    windows.push_back(cycle_report.window_s);
    std::printf("  %zu acknowledged, longest time without an acknowledgement %.2f s; healed in %.1f s; "
                "%zu in doubt (%zu acknowledged on retry); log %llu events; %zu expired; checks passed on %s, "
                "every node has the whole log (%.1f s)\n",
                cycle_report.acknowledged, cycle_report.window_s, heal_s, report.in_doubt,
                report.acknowledged_on_retry, static_cast<unsigned long long>(checks.events_in_log()),
                report.expiries.benefits_expired + report.expiries.packages_expired, checked_node.c_str(),
                seconds_between(cycle_started, Clock::now()));
    std::fflush(stdout);
  }

  ApiClient op(options.nodes.front(), operator_token);
  for (int step = 0; step < kFinalAdvanceDays; step += 30)
    op.call("POST", "/v1/clock/advance", {{"seconds", std::min(30, kFinalAdvanceDays - step) * 24 * 3600}}, 200);
  const RestartReport final_report = checks.after_restart(options.nodes.front());
  if (final_report.expiries.still_running != 0)
    throw CheckFailed("R-LIFE-5: " + std::to_string(final_report.expiries.still_running) +
                      " packages or benefits have not expired " + std::to_string(kFinalAdvanceDays) + " days later");
  check_every_node_caught_up(options, operator_token, checks.events_in_log());

  std::printf("\nha loop passed: %d cycles in %.0f s (seed %llu)\n"
              "  commands acknowledged: %zu (refused: %zu; in doubt: %zu, acknowledged on retry: %zu)\n"
              "  events in log: %llu, gap-free, hash chains verified on every node\n"
              "  every acknowledged command found in the log and replayed by its idempotency key\n"
              "  timers fired once at their due time: %zu benefits expired, %zu packages expired, %zu lapsed\n"
              "  unavailability windows (s):",
              options.cycles, seconds_between(started, Clock::now()), static_cast<unsigned long long>(options.seed),
              ledger.acknowledged_total(), ledger.refused_total(), in_doubt, acknowledged_on_retry,
              static_cast<unsigned long long>(checks.events_in_log()), final_report.expiries.benefits_expired,
              final_report.expiries.packages_expired, final_report.expiries.packages_lapsed);
  for (const double window : windows) std::printf(" %.2f", window);
  std::printf("\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App cli{"Loses members of a benefitd cluster under load and checks that no acknowledged command is lost"};
  cli.add_option("--node", options.nodes, "A benefitd node's HOST:PORT (repeat for each)")->required();
  cli.add_option("--operator-token-file", options.operator_token_file, "The nodes' operator token")->required();
  cli.add_option("--fault", options.faults, "A shell command that kills a member (repeat; used in turn)")->required();
  cli.add_option("--heal", options.heal, "A shell command that brings every member back")->required();
  cli.add_option("--cycles", options.cycles, "Faults to inject")->check(CLI::Range(1, 10000))->capture_default_str();
  cli.add_option("--seed", options.seed, "Seed of the command mix (default: random)");
  cli.add_option("--threads", options.threads, "Client threads per node")->check(CLI::Range(1, 64))->capture_default_str();
  cli.add_option("--load-before-ms", options.load_before_ms, "Load before each fault")->capture_default_str();
  cli.add_option("--load-after-ms", options.load_after_ms, "Load after each fault, through the failover")
      ->capture_default_str();
  cli.add_option("--max-advance-hours", options.max_advance_hours, "Longest clock advance of the load (0: none)")
      ->check(CLI::Range(0, 24 * 365))
      ->capture_default_str();
  CLI11_PARSE(cli, argc, argv);
  try {
    return run(options);
  } catch (const CheckFailed& failure) {
    std::cerr << "\nha loop FAILED: " << failure.what() << std::endl;
  } catch (const std::exception& error) {
    std::cerr << "\nha loop could not go on: " << error.what() << std::endl;
  }
  return 1;
}
