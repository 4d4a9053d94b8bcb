#pragma once
// Turning a command route's path parameters and JSON body into what the Service executes.
// Only the shape is checked here (types, required fields, enums, times, lengths); meaning
// (roles, states, windows) is the domain's. Every shape error is listed in one problem.
// Thread safety: pure functions.

#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/app/service.h"
#include "adapters/http/routes.h"
#include "workflows/commands.h"

namespace benefitd::http {

struct FulfilmentCall {
  std::string request_id;
  app::FulfilmentAction action;
  app::FulfilmentAnswer answer;
};

/// A domain command, a clock move or a fulfilment answer.
using CommandCall = std::variant<workflows::Command, app::ClockAdvance, FulfilmentCall>;

/// The call for a command route (`route` must be one whose method is POST, PUT or DELETE, except
/// verify_audit), or an `invalid-request` problem listing the field errors.
std::variant<CommandCall, app::Problem> parse_command(RouteId route, const std::vector<std::string>& params,
                                                      const nlohmann::json& body);

}  // namespace benefitd::http
