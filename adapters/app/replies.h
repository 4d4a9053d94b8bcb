#pragma once
// Replies to commands, as API.md gives them, built from the aggregates as the decision leaves
// them (the states its inline views were computed from), so a reply never waits for the
// projections. And the serialized form in which the executor stores replies for idempotency.
// Thread safety: pure functions.

#include <optional>
#include <string>

#include "adapters/app/aggregates.h"
#include "adapters/app/inline_views.h"
#include "adapters/app/service.h"
#include "workflows/decision.h"

namespace benefitd::app {

/// The problem for a domain rejection.
Problem problem_of(const workflows::Rejection& rejection);

/// The reply to an accepted `command`. `after` holds the streams `decision` appends to as its
/// events leave them; any other aggregate the reply shows is read from `before`, the source
/// the decision read. `token` is the new user's token (RegisterPartner, AddUser), shown once.
Reply reply_to(const workflows::Command& command, const workflows::Decision& decision,
               const StatesAfter& after, const DecisionSource& before, const workflows::Actor& actor,
               const std::optional<std::string>& token);

/// Serialized outcomes: what the idempotency table keeps (positions are not part of it).
std::string serialize(const Outcome& outcome);
/// Inverse of serialize; a problem `unavailable` for bytes that do not parse.
Outcome deserialize(const std::string& bytes);

/// The command's name, e.g. "ActivateBenefit" (the events' metadata).
std::string command_name(const workflows::Command& command);

}  // namespace benefitd::app
