// Fuzz target command_parse_fuzz: JSON request bodies to commands, as the router turns them.
// The first byte picks a command route (every POST and PUT route that parse_command takes),
// the rest is the body: parse_json_object, then parse_command.
//
// Properties (command_parsing.h, json_body.h, API.md): a refusal is an `invalid-request`
// problem whose `errors` lists at least one {field, message}; nothing throws. A parsed
// domain command is then decided by the real domain (workflows::decide) for the operator on
// an empty world, which may refuse but must not throw; every event it decides survives the
// event codec's round trip.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/http/command_parsing.h"
#include "adapters/http/json_body.h"
#include "adapters/http/routes.h"
#include "fuzz_check.h"
#include "workflows/decide.h"
#include "workflows/event_codec.h"

namespace {

using benefitd::fuzz::fuzz_require;
namespace http = benefitd::http;
namespace workflows = benefitd::workflows;

std::vector<http::RouteId> command_routes() {
  std::vector<http::RouteId> routes;
  for (const http::Route& route : http::all_routes())
    if (route.method != "GET" && route.id != http::RouteId::verify_audit) routes.push_back(route.id);
  return routes;
}

/// A world with no partners, packages or benefits yet.
class EmptyWorld : public workflows::AggregateSource {
 public:
  const workflows::Partner* partner(const std::string&) const override { return nullptr; }
  const workflows::Package* package(const std::string&) const override { return nullptr; }
  const workflows::Benefit* benefit(const std::string&) const override { return nullptr; }
};

/// Deterministic generated values, so that a crash replays.
class CountingIds : public workflows::IdSource {
 public:
  std::string newId(workflows::IdKind) override { return "ID" + std::to_string(++issued_); }
  std::string productKey() override { return "ABCDE-12345-FGHIJ-67890-KLMNO"; }
  std::string accessId() override { return "ACCESS" + std::to_string(++issued_); }
  std::string contractId() override { return "CONTRACT" + std::to_string(++issued_); }

 private:
  int issued_ = 0;
};

void require_field_errors(const benefitd::app::Problem& problem) {
  fuzz_require(problem.code == "invalid-request", "a malformed body is an invalid-request problem");
  const auto errors = problem.extra.find("errors");
  if (errors == problem.extra.end()) return;  // a body that is not JSON at all has no fields to name
  fuzz_require(errors->is_array() && !errors->empty(), "errors lists at least one field");
  for (const auto& error : *errors)
    fuzz_require(error.is_object() && error.contains("field") && error["field"].is_string() &&
                     error.contains("message") && error["message"].is_string(),
                 "each error is {field, message}");
}

void decide_on_empty_world(const workflows::Command& command) {
  static const workflows::Catalog catalog = workflows::Catalog::fromFile(BENEFITD_CATALOG_SOURCE_PATH);
  const workflows::Actor actor = workflows::Actor::operatorActor();
  const EmptyWorld world;
  CountingIds ids;
  const auto now = *workflows::parseTime("2026-01-05T09:00:00Z");
  const workflows::Decision decision =
      workflows::decide(command, workflows::CommandContext{actor, now, catalog, world, ids});
  for (const auto& append : decision.appends)
    for (const auto& event : append.events)
      fuzz_require(workflows::decodeEvent(workflows::encodeEvent(event)) == event,
                   "a decided event survives encode and decode");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<http::RouteId> routes = command_routes();
  if (size == 0) return 0;
  const http::RouteId route = routes[data[0] % routes.size()];
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::vector<std::string> params = {"P1", "U1"};

  auto parsed = http::parse_json_object(body);
  if (const auto* problem = std::get_if<benefitd::app::Problem>(&parsed)) {
    require_field_errors(*problem);
    return 0;
  }
  auto call = http::parse_command(route, params, std::get<nlohmann::json>(parsed));
  if (const auto* problem = std::get_if<benefitd::app::Problem>(&call)) {
    require_field_errors(*problem);
    return 0;
  }
  if (const auto* command = std::get_if<workflows::Command>(&std::get<http::CommandCall>(call)))
    decide_on_empty_world(*command);
  return 0;
}
