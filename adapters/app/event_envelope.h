#pragma once
// The envelope of a domain event in the store: type, schema version and data come from the
// domain's codec; actor, correlation and causation ids, time and the command's name are the
// envelope's (R-LIFE-7). Also the audit event object of API.md.
// Thread safety: pure functions.

#include <string>

#include <nlohmann/json.hpp>

#include "store/event.h"
#include "workflows/actor.h"
#include "workflows/events.h"

namespace benefitd::app {

/// Who and why, shared by every event of one command.
struct Envelope {
  std::string actor;           // actor_name()
  std::string correlation_id;  // the request's
  std::string causation_id;    // the command's id
  std::string command;         // the command's name, e.g. "ActivateBenefit"
  workflows::Time occurred_at;
};

/// "user:<userId>", "operator" or "system".
std::string actor_name(const workflows::Actor& actor);

/// The stored form of `event`; `event_id` must be unique.
store::EventData to_stored(const workflows::DomainEvent& event, const Envelope& envelope,
                           std::string event_id);

/// The domain event in a stored one; throws workflows::EventDecodeError (with the type and
/// field) when the event does not decode.
workflows::DomainEvent to_domain(const store::RecordedEvent& event);

/// API.md's audit event object. `redact` replaces secrets (product keys, Access and Contract
/// IDs) with "[redacted]".
nlohmann::json audit_object(const store::RecordedEvent& event, bool redact);

}  // namespace benefitd::app
