// Versioned JSON for domain events: {"type": "...", "schemaVersion": N, "data": {...}}.
// Data is camelCase, times RFC 3339 UTC with Z, money decimal strings, optional fields omitted
// when absent. Decoding an unknown type, a newer schema version, or malformed data throws
// EventDecodeError with a message naming the type and field; it never crashes.
// Thread safety: pure functions, safe from any thread.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "workflows/events.h"

namespace benefitd::workflows {

class EventDecodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The event's data object alone, as the JSON text that is stored: compact, keys in name order,
/// written without building a document.
std::string encodeEventDataText(const DomainEvent& event);
/// The same as a document (tests, tools).
nlohmann::json encodeEventData(const DomainEvent& event);
/// The full versioned form: {"type","schemaVersion","data"}.
nlohmann::json encodeEvent(const DomainEvent& event);
/// The schema version this build writes for an event.
int eventSchemaVersion(const DomainEvent& event);

/// The event stored as `type` and `schemaVersion` with `dataText`, its data object as JSON text.
/// Reads the text without building a JSON document (simdjson), which is what makes replays and
/// rebuilds cheap; text that is not JSON is an EventDecodeError too.
DomainEvent decodeEventData(std::string_view type, int schemaVersion, std::string_view dataText);
/// The same from data already parsed (tests, tools): it is written out and read as text.
DomainEvent decodeEvent(std::string_view type, int schemaVersion, const nlohmann::json& data);
DomainEvent decodeEvent(const nlohmann::json& versioned);

/// R-SW-2: event data as shown to a reader who may not see secrets (see maySeeKeys), and in
/// audit exports: the product key of a KeyRevealed and the Access and Contract IDs of a
/// BenefitActivated are replaced by "REDACTED"; everything else is returned unchanged.
nlohmann::json redactSecrets(std::string_view type, nlohmann::json data);
/// Whether events of `type` carry data that redactSecrets replaces; the data of any other type
/// is shown as it is.
bool holdsSecrets(std::string_view type);

}  // namespace benefitd::workflows
