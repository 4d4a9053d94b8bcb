// Fuzz target event_decode_fuzz: the two decoders of stored events.
//
// 1. The whole input as a stored record (store::decode_event). A failure must be a
//    `corruption` Status; a record that decodes must encode back to exactly the same bytes
//    (the stored form is canonical, which the hash chain relies on), and its type, schema
//    version and data go on to the domain decoder as the service does when it loads events.
// 2. The input as text, "type\nschemaVersion\ndata JSON", to workflows::decodeEventData; and the
//    whole input as the versioned JSON form {"type","schemaVersion","data"}.
//
// The domain decoder may only refuse with EventDecodeError. What it decodes must be faithful
// and survive a round trip: every field encoded back from the event equals the field as
// given (times up to a dropped fraction and the case of T and Z), and decoding the encoded
// event gives the same event, of the same type, at a schema version this build reads.

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <typeinfo>

#include <nlohmann/json.hpp>

#include "fuzz_check.h"
#include "store/event_codec.h"
#include "workflows/event_codec.h"

namespace {

using benefitd::fuzz::fuzz_require;
using benefitd::workflows::DomainEvent;
using benefitd::workflows::EventDecodeError;
using nlohmann::json;

/// A decoded time as the encoder writes it: no fraction, upper-case T and Z.
std::string canonical_time_text(std::string text) {
  if (text.size() > 20 && text[19] == '.') text.erase(19, text.size() - 20);
  for (char& c : text)
    if (c == 't' || c == 'z') c = static_cast<char>(c - 'a' + 'A');
  return text;
}

/// True when `given` holds what `encoded` says, member by member of `encoded` (members the
/// decoder does not read, and absent optional ones, are not encoded back).
bool holds_encoded(const json& given, const json& encoded) {
  if (encoded.is_object()) {
    if (!given.is_object()) return false;
    for (const auto& [name, value] : encoded.items())
      if (!given.contains(name) || !holds_encoded(given.at(name), value)) return false;
    return true;
  }
  if (encoded.is_array()) {
    if (!given.is_array() || given.size() != encoded.size()) return false;
    for (std::size_t i = 0; i < encoded.size(); ++i)
      if (!holds_encoded(given.at(i), encoded.at(i))) return false;
    return true;
  }
  if (given == encoded) return true;
  // A time may come with a fraction or lower-case letters, which decoding drops.
  return encoded.is_string() && given.is_string() && benefitd::workflows::parseTime(encoded.get<std::string>()) &&
         canonical_time_text(given.get<std::string>()) == encoded.get<std::string>();
}

void require_round_trip(const DomainEvent& event, std::string_view type, int schema_version, const json& given) {
  fuzz_require(benefitd::workflows::eventType(event) == type, "a decoded event has the type it was decoded as");
  const int written_version = benefitd::workflows::eventSchemaVersion(event);
  fuzz_require(schema_version >= 1 && schema_version <= written_version,
               "only schema versions this build reads decode");
  const json data = benefitd::workflows::encodeEventData(event);
  fuzz_require(holds_encoded(given, data), "a decoded event holds the data as given");
  fuzz_require(benefitd::workflows::decodeEvent(type, written_version, data) == event,
               "decode(encodeEventData(event)) == event");
  fuzz_require(benefitd::workflows::decodeEvent(benefitd::workflows::encodeEvent(event)) == event,
               "decode(encodeEvent(event)) == event");
}

/// Runs a decode and its checks: EventDecodeError is the documented refusal, anything else
/// thrown breaks a property.
template <class DecodeAndCheck>
void refusing_only_with_decode_errors(DecodeAndCheck&& decode_and_check) {
  try {
    decode_and_check();
  } catch (const EventDecodeError&) {
  } catch (const std::exception& error) {
    std::fprintf(stderr, "decodeEvent threw %s: %s\n", typeid(error).name(), error.what());
    fuzz_require(false, "decodeEvent refuses only with EventDecodeError");
  }
}

/// The domain decoder on (type, version, data text): refuses with EventDecodeError, or the text
/// is JSON and the event round-trips.
void decode_domain(std::string_view type, int schema_version, std::string_view data_text) {
  refusing_only_with_decode_errors([&] {
    const DomainEvent event = benefitd::workflows::decodeEventData(type, schema_version, data_text);
    const json data = json::parse(data_text, nullptr, /*allow_exceptions=*/false);
    fuzz_require(!data.is_discarded(), "only JSON text decodes");
    require_round_trip(event, type, schema_version, data);
  });
}

void decode_stored(std::string_view bytes) {
  benefitd::store::RecordedEvent event;
  const benefitd::store::Status status = benefitd::store::decode_event(bytes, &event);
  if (!status.is_ok()) {
    fuzz_require(status.code() == benefitd::store::Status::Code::corruption,
                 "an undecodable record is reported as corruption");
    return;
  }
  fuzz_require(benefitd::store::encode_event(event) == bytes, "encode_event(decode_event(bytes)) == bytes");
  decode_domain(event.event.type, static_cast<int>(event.event.schema_version), event.event.data);
}

void decode_text(std::string_view text) {
  const auto first = text.find('\n');
  if (first == std::string_view::npos) return;
  const auto second = text.find('\n', first + 1);
  if (second == std::string_view::npos) return;
  const std::string_view version_text = text.substr(first + 1, second - first - 1);
  int schema_version = 0;
  const auto [end, error] = std::from_chars(version_text.data(), version_text.data() + version_text.size(), schema_version);
  if (error != std::errc{} || end != version_text.data() + version_text.size()) return;
  decode_domain(text.substr(0, first), schema_version, text.substr(second + 1));
}

void decode_versioned(std::string_view text) {
  const json versioned = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (versioned.is_discarded()) return;
  refusing_only_with_decode_errors([&] {
    const DomainEvent event = benefitd::workflows::decodeEvent(versioned);
    require_round_trip(event, versioned.at("type").get<std::string>(), versioned.at("schemaVersion").get<int>(),
                       versioned.at("data"));
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  decode_stored(input);
  decode_text(input);
  decode_versioned(input);
  return 0;
}
