// crash_loop: proves benefitd survives SIGKILL under load (scripts/crash-test runs it).
// It starts a real benefitd on a fresh data dir, seeds partners, then repeats: client threads
// send a mix of real commands, the server is SIGKILLed at a random moment, restarted on the
// same data dir, and checked (crash_checks.h). At the end the clock runs past every expiry and
// the stopped server's data dir is verified offline. Exit status: 0 when every check passed,
// 1 on a violated check (the message says which rule and what was seen) or when the run cannot
// go on (the server does not start), 2 on usage errors.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <random>
#include <thread>

#include <CLI/CLI.hpp>

#include "tests/reliability/benefitd_process.h"
#include "tests/reliability/check_failed.h"
#include "tests/reliability/crash_checks.h"
#include "tests/reliability/load.h"
#include "tests/reliability/seed.h"

namespace {

using namespace benefitd::reliability;
using Clock = std::chrono::steady_clock;

constexpr const char* kOperatorToken = "crash-loop-operator";
/// Past the longest life anything can have: a Go-To-Market offer activated on the last day of
/// its package (365 + 365 days), and a package's lapse 30 days after its expiry.
constexpr int kFinalAdvanceDays = 800;

struct Options {
  int cycles = 100;
  std::uint64_t seed = std::random_device{}();
  int threads = 4;
  int partners = 3;
  int kill_after_min_ms = 200;
  int kill_after_max_ms = 1500;
  int rebuild_every = 10;
  int max_advance_hours = 24;
  std::filesystem::path work_dir;
  bool keep = false;
  std::filesystem::path benefitd = BENEFITD_PATH, benefitctl = BENEFITCTL_PATH;
};

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::filesystem::path fresh_work_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "benefitd-crash-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create a work dir");
  return pattern;
}

/// Runs the load until the server is SIGKILLed, `kill_after` from now.
void load_then_kill(BenefitdProcess& server, const LoadOptions& load, int cycle, World& world, Ledger& ledger,
                    std::chrono::milliseconds kill_after) {
  std::atomic<bool> stop{false};
  std::exception_ptr failure;
  std::thread clients([&] {
    try {
      run_load(server.port(), load, cycle, world, ledger, stop);
    } catch (...) {
      failure = std::current_exception();
    }
  });
  std::this_thread::sleep_for(kill_after);
  server.kill9();
  stop = true;  // a worker between two commands stops; the others see the server gone
  clients.join();
  if (failure) std::rethrow_exception(failure);
}

int run(const Options& options) {
  const Clock::time_point started = Clock::now();
  std::filesystem::create_directories(options.work_dir);
  std::cout << "crash loop: " << options.cycles << " cycles, seed " << options.seed << ", " << options.threads
            << " client threads, work dir " << options.work_dir.string() << std::endl;
  BenefitdProcess server(options.benefitd, options.work_dir / "data", kOperatorToken);
  server.start();
  ApiClient operator_client(server.port(), kOperatorToken);
  World world = seed_world(operator_client, server.port(), options.partners, 6);
  Ledger ledger;
  CrashChecks checks(ledger, kOperatorToken, options.benefitctl);
  const LoadOptions load{options.threads, options.max_advance_hours, options.seed, kOperatorToken};
  std::mt19937_64 random(options.seed);
  std::size_t rebuilds = 0, in_doubt = 0, acknowledged_on_retry = 0;

  for (int cycle = 1; cycle <= options.cycles; ++cycle) {
    const Clock::time_point cycle_started = Clock::now();
    const std::chrono::milliseconds kill_after(
        std::uniform_int_distribution<int>(options.kill_after_min_ms, options.kill_after_max_ms)(random));
    const std::size_t acknowledged_before = ledger.acknowledged_total();
    load_then_kill(server, load, cycle, world, ledger, kill_after);
    server.start();
    const RestartReport report = checks.after_restart(server.port());
    in_doubt += report.in_doubt;
    acknowledged_on_retry += report.acknowledged_on_retry;
    std::string rebuilt;
    if (options.rebuild_every > 0 && cycle % options.rebuild_every == 0) {
      const std::size_t view_rows = checks.views_equal_rebuild(server);
      ++rebuilds;
      rebuilt = ", " + std::to_string(view_rows) + " views equal a rebuild";
    }
    std::printf("cycle %d/%d: killed after %lld ms, %zu acknowledged (%zu in doubt, %zu of them on retry), "
                "log %llu events, %zu expired, checks passed%s (%.1f s)\n",
                cycle, options.cycles, static_cast<long long>(kill_after.count()),
                ledger.acknowledged_total() - acknowledged_before, report.in_doubt, report.acknowledged_on_retry,
                static_cast<unsigned long long>(checks.events_in_log()),
                report.expiries.benefits_expired + report.expiries.packages_expired, rebuilt.c_str(),
                seconds_since(cycle_started));
    std::fflush(stdout);
  }

  const CrashChecks::FinalReport final_report = checks.finish(server, kFinalAdvanceDays);
  const ExpiryTally& expiries = final_report.expiries;
  std::printf("\ncrash loop passed: %d cycles in %.0f s (seed %llu)\n"
              "  commands acknowledged: %zu (refused: %zu; in doubt at a kill: %zu, acknowledged on retry: %zu)\n"
              "  events in log: %llu, gap-free, hash chains verified online and offline\n"
              "  every acknowledged command found in the log and replayed by its idempotency key\n"
              "  views equal a rebuild: %zu times (%zu view rows at the end)\n"
              "  timers fired once at their due time: %zu benefits expired, %zu packages expired, %zu lapsed\n",
              options.cycles, seconds_since(started), static_cast<unsigned long long>(options.seed),
              ledger.acknowledged_total(), ledger.refused_total(), in_doubt, acknowledged_on_retry,
              static_cast<unsigned long long>(checks.events_in_log()), rebuilds + 1, final_report.view_rows,
              expiries.benefits_expired, expiries.packages_expired, expiries.packages_lapsed);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App cli{"crash_loop: SIGKILL benefitd under load, restart it, check nothing acknowledged was lost"};
  cli.add_option("--cycles", options.cycles, "Kill and restart cycles")->check(CLI::Range(1, 100000))->capture_default_str();
  cli.add_option("--seed", options.seed, "Seed of the command mix and the kill times (default: random)");
  cli.add_option("--threads", options.threads, "Client threads")->check(CLI::Range(1, 64))->capture_default_str();
  cli.add_option("--kill-after-min-ms", options.kill_after_min_ms, "Shortest load before a kill")
      ->check(CLI::Range(0, 600000))->capture_default_str();
  cli.add_option("--kill-after-max-ms", options.kill_after_max_ms, "Longest load before a kill")
      ->check(CLI::Range(0, 600000))->capture_default_str();
  cli.add_option("--rebuild-every", options.rebuild_every, "Compare views with a rebuild every N cycles (0: at the end only)")
      ->check(CLI::Range(0, 100000))->capture_default_str();
  cli.add_option("--max-advance-hours", options.max_advance_hours, "Longest clock advance of the load")
      ->check(CLI::Range(1, 24 * 365))->capture_default_str();
  cli.add_option("--work-dir", options.work_dir, "Where the data dir and the server's log go (default: a new temp dir)");
  cli.add_flag("--keep", options.keep, "Keep the work dir after a passing run");
  cli.add_option("--benefitd", options.benefitd, "The server to test")->capture_default_str();
  cli.add_option("--benefitctl", options.benefitctl, "The CLI whose offline tools check the data dir")
      ->capture_default_str();
  CLI11_PARSE(cli, argc, argv);
  if (options.kill_after_min_ms > options.kill_after_max_ms) {
    std::cerr << "--kill-after-min-ms must not exceed --kill-after-max-ms\n";
    return 2;
  }
  if (options.work_dir.empty()) options.work_dir = fresh_work_dir();
  else if (std::filesystem::exists(options.work_dir / "data")) {
    std::cerr << "--work-dir " << options.work_dir << " already holds a data dir; the loop needs a fresh one\n";
    return 2;
  }

  try {
    const int status = run(options);
    if (!options.keep) std::filesystem::remove_all(options.work_dir);
    return status;
  } catch (const CheckFailed& failure) {
    std::cerr << "\nCHECK FAILED: " << failure.what() << "\n(seed " << options.seed << "; data dir and server log kept in "
              << options.work_dir.string() << ")\n";
  } catch (const std::exception& failure) {
    std::cerr << "\ncrash loop error: " << failure.what() << "\n(seed " << options.seed << "; work dir kept: "
              << options.work_dir.string() << ")\n";
  }
  return 1;
}
