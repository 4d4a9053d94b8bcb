// The command mix and the workers that send it.
#include "tests/reliability/load.h"

#include <array>
#include <cstdio>
#include <stdexcept>
#include <thread>
#include <vector>

#include "tests/reliability/check_failed.h"

namespace benefitd::reliability {

namespace {

constexpr std::array kPackageTypes = {"action-pack", "silver-competency", "gold-competency"};
constexpr std::array kLanguages = {"en-US", "de-DE", "fr-FR", "ja-JP", "pl-PL"};

template <typename Container>
const auto& any_of(const Container& items, std::mt19937_64& random) {
  return items[std::uniform_int_distribution<std::size_t>(0, items.size() - 1)(random)];
}

std::string benefit_stream(const BenefitRef& benefit) { return "benefit-" + benefit.benefit_id; }

PlannedCommand purchase(World& world, std::mt19937_64& random) {
  const std::size_t partner = std::uniform_int_distribution<std::size_t>(0, world.partners().size() - 1)(random);
  const Partner& buyer = world.partners()[partner];
  const nlohmann::json body = {{"type", any_of(kPackageTypes, random)}};
  return {buyer.admin_token, {"POST", "/v1/partners/" + buyer.partner_id + "/packages", body.dump(), ""}, "",
          [&world, partner](const Answer& answer) {
            if (answer.ok()) world.purchased(partner, answer.json());
          }};
}

PlannedCommand activation(World& world, const BenefitRef& benefit, std::mt19937_64& random) {
  nlohmann::json body = nlohmann::json::object();
  if (benefit.category == "software") body = {{"language", any_of(kLanguages, random)}, {"os", "x64"}};
  if (benefit.category == "visual-studio")
    body = {{"userId", any_of(world.partners()[benefit.partner].employee_ids, random)}};
  return {world.partners()[benefit.partner].admin_token,
          {"POST", "/v1/benefits/" + benefit.benefit_id + "/activate", body.dump(), ""}, benefit_stream(benefit),
          [&world, benefit](const Answer& answer) {
            if (answer.ok()) world.activated(benefit);
          }};
}

PlannedCommand seat(World& world, const BenefitRef& benefit, std::mt19937_64& random) {
  const nlohmann::json body = {{"userId", any_of(world.partners()[benefit.partner].employee_ids, random)}};
  return {world.partners()[benefit.partner].admin_token,
          {"POST", "/v1/benefits/" + benefit.benefit_id + "/seats", body.dump(), ""}, benefit_stream(benefit), {}};
}

PlannedCommand support_request(World& world, const BenefitRef& benefit, std::mt19937_64& random) {
  nlohmann::json body = {{"type", "product-support"}, {"productFamily", "cloud"}, {"summary", "crash loop"}};
  if (random() % 2 == 0)
    body = {{"type", "presales-deployment"}, {"productFamily", "hybrid"}, {"summary", "crash loop"},
            {"hours", std::uniform_int_distribution<int>(1, 3)(random)}};
  return {world.partners()[benefit.partner].admin_token,
          {"POST", "/v1/benefits/" + benefit.benefit_id + "/support-requests", body.dump(), ""},
          benefit_stream(benefit), {}};
}

PlannedCommand clock_advance(const LoadOptions& options, std::mt19937_64& random) {
  const int hours = std::uniform_int_distribution<int>(1, options.max_advance_hours)(random);
  const nlohmann::json body = {{"seconds", hours * 3600}};
  return {options.operator_token, {"POST", "/v1/clock/advance", body.dump(), ""}, "", {}};
}

/// The mix, in percent: purchases 8, activations 40, seats 20, support requests 20, clock 12
/// (purchases instead when clock advances are off).
/// A command whose benefits do not exist yet becomes a purchase.
PlannedCommand next_command(World& world, const LoadOptions& options, std::mt19937_64& random) {
  const int roll = std::uniform_int_distribution<int>(0, 99)(random);
  std::optional<BenefitRef> benefit;
  if (roll < 8) return purchase(world, random);
  if (roll < 48 && (benefit = world.to_activate(random))) return activation(world, *benefit, random);
  if (roll >= 48 && roll < 68 && (benefit = world.with_seats(random))) return seat(world, *benefit, random);
  if (roll >= 68 && roll < 88 && (benefit = world.with_support(random)))
    return support_request(world, *benefit, random);
  if (roll >= 88 && options.max_advance_hours > 0) return clock_advance(options, random);
  return purchase(world, random);
}

/// Unique across the whole loop: seed, cycle, worker and the worker's count.
std::string command_id(std::uint64_t seed, int cycle, int worker, int sequence) {
  char id[96];
  std::snprintf(id, sizeof id, "s%llu-c%d-w%d-%d", static_cast<unsigned long long>(seed), cycle, worker, sequence);
  return id;
}

void work(const std::string& port, const LoadOptions& options, int cycle, int worker, World& world, Ledger& ledger,
          const std::atomic<bool>& stop) {
  std::mt19937_64 random(options.seed * 1'000'003 + static_cast<std::uint64_t>(cycle) * 1009 +
                         static_cast<std::uint64_t>(worker));
  ClientPool clients(port);
  for (int sequence = 0; !stop; ++sequence) {
    PlannedCommand planned = next_command(world, options, random);
    const std::string id = command_id(options.seed, cycle, worker, sequence);
    planned.request.idempotency_key = "key-" + id;
    SentCommand sent{std::move(planned), {"corr-" + id}};
    Answer answer;
    try {
      answer = clients.of(sent.planned.token).command(sent.planned.request, sent.correlation_ids.front());
    } catch (const std::runtime_error&) {
      ledger.in_doubt(std::move(sent));  // the server died under this command
      return;
    }
    if (answer.status >= 500 && answer.status != 503)
      throw CheckFailed("R-ENG-9: " + sent.planned.request.path + " answered " + std::to_string(answer.status) +
                        ": " + answer.body);
    if (sent.planned.learn) sent.planned.learn(answer);
    if (answer.ok()) ledger.acknowledged(std::move(sent), std::move(answer));
    else ledger.refused();
  }
}

}  // namespace

void run_load(const std::string& port, const LoadOptions& options, int cycle, World& world, Ledger& ledger,
              const std::atomic<bool>& stop) {
  std::vector<std::thread> workers;
  std::vector<std::exception_ptr> failures(static_cast<std::size_t>(options.threads));
  for (int worker = 0; worker < options.threads; ++worker) {
    workers.emplace_back([&, worker] {
      try {
        work(port, options, cycle, worker, world, ledger, stop);
      } catch (...) {
        failures[static_cast<std::size_t>(worker)] = std::current_exception();
      }
    });
  }
  for (std::thread& thread : workers) thread.join();
  for (const std::exception_ptr& failure : failures)
    if (failure) std::rethrow_exception(failure);
}

}  // namespace benefitd::reliability
