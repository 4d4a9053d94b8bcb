#include "adapters/app/event_envelope.h"

#include "workflows/event_codec.h"
#include "workflows/json_text.h"

namespace benefitd::app {

namespace {

nlohmann::json actor_object(std::string_view actor) {
  if (actor.starts_with("user:")) return {{"kind", "user"}, {"userId", actor.substr(5)}};
  return {{"kind", actor}};
}

nlohmann::json parsed_data(const store::RecordedEvent& event) {
  auto data = nlohmann::json::parse(event.event.data, nullptr, false);
  return data.is_discarded() ? nlohmann::json(event.event.data) : data;
}

}  // namespace

std::string actor_name(const workflows::Actor& actor) {
  switch (actor.kind) {
    case workflows::Actor::Kind::user:
      return "user:" + actor.userId;
    case workflows::Actor::Kind::operatorKind:
      return "operator";
    case workflows::Actor::Kind::system:
      return "system";
  }
  return "system";
}

store::EventData to_stored(const workflows::DomainEvent& event, const Envelope& envelope,
                           std::string event_id) {
  store::EventData stored;
  stored.id = std::move(event_id);
  stored.type = std::string(workflows::eventType(event));
  stored.schema_version = static_cast<std::uint32_t>(workflows::eventSchemaVersion(event));
  stored.occurred_at = std::chrono::time_point_cast<std::chrono::milliseconds>(envelope.occurred_at);
  stored.actor = envelope.actor;
  stored.correlation_id = envelope.correlation_id;
  stored.causation_id = envelope.causation_id;
  stored.data = workflows::encodeEventDataText(event);
  workflows::JsonText metadata;
  metadata.beginObject();
  metadata.key("command");
  metadata.value(envelope.command);
  metadata.endObject();
  stored.metadata = metadata.take();
  return stored;
}

workflows::DomainEvent to_domain(const store::RecordedEvent& event) {
  try {
    return workflows::decodeEventData(event.event.type, static_cast<int>(event.event.schema_version), event.event.data);
  } catch (const workflows::EventDecodeError& error) {
    throw workflows::EventDecodeError(std::string{error.what()} + " (at position " + std::to_string(event.position) + ")");
  }
}

nlohmann::json audit_object(const store::RecordedEvent& event, bool redact) {
  nlohmann::json data = parsed_data(event);
  if (redact) data = workflows::redactSecrets(event.event.type, std::move(data));
  const auto metadata = nlohmann::json::parse(event.event.metadata, nullptr, false);
  nlohmann::json object = {
      {"position", event.position},
      {"streamId", event.stream},
      {"version", event.version},
      {"type", event.event.type},
      {"schemaVersion", event.event.schema_version},
      {"occurredAt", workflows::formatTime(
                         std::chrono::floor<std::chrono::seconds>(event.event.occurred_at))},
      {"actor", actor_object(event.event.actor)},
      {"correlationId", event.event.correlation_id},
      {"causationId", event.event.causation_id},
      {"data", std::move(data)},
      {"hash", store::to_hex(event.hash)},
      {"prevHash", store::to_hex(event.prev_hash)},
  };
  if (metadata.is_object() && metadata.contains("command")) object["command"] = metadata["command"];
  return object;
}

}  // namespace benefitd::app
