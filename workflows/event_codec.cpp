#include "workflows/event_codec.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <type_traits>
#include <utility>

#include "workflows/json_reader.h"
#include "workflows/json_text.h"

namespace benefitd::workflows {

namespace {

using nlohmann::json;

template <class T> struct IsOptional : std::false_type {};
template <class T> struct IsOptional<std::optional<T>> : std::true_type {};

void encodeValue(JsonText& out, const std::string& value) { out.value(value); }
void encodeValue(JsonText& out, int value) { out.value(value); }
void encodeValue(JsonText& out, bool value) { out.boolean(value); }
void encodeValue(JsonText& out, Time value) { out.value(formatTime(value)); }
void encodeValue(JsonText& out, Role value) { out.value(toString(value)); }
void encodeValue(JsonText& out, Category value) { out.value(toString(value)); }
void encodeValue(JsonText& out, MembershipLocation value) { out.value(toString(value)); }
void encodeValue(JsonText& out, const Balances& value) {
  out.beginObject();
  out.key("advisoryHours");
  out.value(value.advisoryHours);
  out.key("productSupportIncidents");
  out.value(value.productSupportIncidents);
  out.key("signatureCloudIncidents");
  out.value(value.signatureCloudIncidents);
  out.endObject();
}
template <class T>
void encodeValue(JsonText& out, const std::vector<T>& values) {
  out.beginArray();
  for (const T& value : values) encodeValue(out, value);
  out.endArray();
}

/// Writes each present field as its own member text; `text` then joins them in name order, the
/// order of the JSON documents this data was first written from (an object's keys sorted), so
/// that the stored bytes are the same whichever encoder wrote them.
class Encoder {
 public:
  template <class T>
  void operator()(const char* name, const T& value) {
    if constexpr (IsOptional<T>::value) {
      if (value) add(name, *value);
    } else {
      add(name, value);
    }
  }

  std::string text() {
    std::ranges::sort(members_, {}, &Member::first);
    std::string out = "{";
    for (const auto& [name, member] : members_) {
      if (out.size() > 1) out.push_back(',');
      out += member;
    }
    out.push_back('}');
    return out;
  }

 private:
  template <class T>
  void add(std::string_view name, const T& value) {
    JsonText member;
    member.key(name);
    encodeValue(member, value);
    members_.emplace_back(name, member.take());
  }

  using Member = std::pair<std::string_view, std::string>;  // the name, and "name":value
  std::vector<Member> members_;
};

/// Decodes one field from a parsed data object; the path in messages reads like
/// "UserAdded data.roles[1]". A key given twice counts as its last value, as in any JSON reader
/// that builds an object.
class Decoder {
 public:
  Decoder(std::string_view type, simdjson::dom::object data) : type_(type), data_(data) {}

  template <class T>
  void operator()(const char* name, T& value) const {
    const std::optional<simdjson::dom::element> found = lastValueOf(name);
    const std::string path = std::string{"data."} + name;
    if constexpr (IsOptional<T>::value) {
      if (!found || found->is_null()) {
        value.reset();
        return;
      }
      typename T::value_type inner{};
      decode(*found, inner, path);
      value = std::move(inner);
    } else {
      if (!found) fail(path, "missing");
      decode(*found, value, path);
    }
  }

 private:
  std::optional<simdjson::dom::element> lastValueOf(std::string_view name) const {
    std::optional<simdjson::dom::element> found;
    for (const simdjson::dom::key_value_pair field : data_) {
      if (field.key == name) found = field.value;
    }
    return found;
  }

  [[noreturn]] void fail(const std::string& path, const std::string& problem) const {
    throw EventDecodeError("event " + std::string{type_} + ": " + path + ": " + problem);
  }

  std::string_view stringOf(simdjson::dom::element j, const std::string& path, const char* problem) const {
    std::string_view text;
    if (j.get_string().get(text) != simdjson::SUCCESS) fail(path, problem);
    return text;
  }

  void decode(simdjson::dom::element j, std::string& out, const std::string& path) const {
    out = stringOf(j, path, "must be a string");
  }
  void decode(simdjson::dom::element j, int& out, const std::string& path) const {
    // Wider integers are refused rather than wrapped (2^32 + 10 must not read as 10); so are
    // numbers with a fraction or an exponent, which the reader keeps as doubles.
    std::int64_t value = 0;
    const bool fits = j.get_int64().get(value) == simdjson::SUCCESS && std::in_range<int>(value);
    if (!fits) fail(path, "must be an integer from " + std::to_string(std::numeric_limits<int>::min()) + " to " +
                              std::to_string(std::numeric_limits<int>::max()));
    out = static_cast<int>(value);
  }
  void decode(simdjson::dom::element j, bool& out, const std::string& path) const {
    if (j.get_bool().get(out) != simdjson::SUCCESS) fail(path, "must be a boolean");
  }
  void decode(simdjson::dom::element j, Time& out, const std::string& path) const {
    const auto time = j.is_string() ? parseTime(stringOf(j, path, "")) : std::nullopt;
    if (!time) fail(path, "must be an RFC 3339 UTC time");
    out = *time;
  }
  template <class Enum, class Parser>
  void decodeEnum(simdjson::dom::element j, Enum& out, const std::string& path, Parser parse) const {
    const auto value = j.is_string() ? parse(stringOf(j, path, "")) : std::nullopt;
    if (!value) fail(path, "unknown value " + simdjson::minify(j));
    out = *value;
  }
  void decode(simdjson::dom::element j, Role& out, const std::string& path) const { decodeEnum(j, out, path, parseRole); }
  void decode(simdjson::dom::element j, Category& out, const std::string& path) const {
    decodeEnum(j, out, path, parseCategory);
  }
  void decode(simdjson::dom::element j, MembershipLocation& out, const std::string& path) const {
    decodeEnum(j, out, path, parseMembershipLocation);
  }
  void decode(simdjson::dom::element j, Balances& out, const std::string& path) const {
    simdjson::dom::object object;
    if (j.get_object().get(object) != simdjson::SUCCESS) fail(path, "must be an object");
    const Decoder inner{type_, object};
    // Reuse the field decoder for the nested object, with paths relative to it.
    try {
      inner("productSupportIncidents", out.productSupportIncidents);
      inner("signatureCloudIncidents", out.signatureCloudIncidents);
      inner("advisoryHours", out.advisoryHours);
    } catch (const EventDecodeError& error) {
      fail(path, error.what());
    }
  }
  template <class T>
  void decode(simdjson::dom::element j, std::vector<T>& out, const std::string& path) const {
    simdjson::dom::array array;
    if (j.get_array().get(array) != simdjson::SUCCESS) fail(path, "must be an array");
    out.clear();
    std::size_t i = 0;
    for (const simdjson::dom::element item_value : array) {
      T item{};
      decode(item_value, item, path + "[" + std::to_string(i++) + "]");
      out.push_back(std::move(item));
    }
  }

  std::string_view type_;
  simdjson::dom::object data_;
};

template <class Event>
DomainEvent decodeAs(simdjson::dom::object data) {
  Event event{};
  Event::fields(event, Decoder{Event::kType, data});
  return event;
}

using DecodeFunction = DomainEvent (*)(simdjson::dom::object);

template <std::size_t... I>
constexpr auto makeDecoders(std::index_sequence<I...>) {
  return std::array<std::tuple<std::string_view, int, DecodeFunction>, sizeof...(I)>{
      std::tuple{std::variant_alternative_t<I, DomainEvent>::kType, std::variant_alternative_t<I, DomainEvent>::kSchemaVersion,
                 &decodeAs<std::variant_alternative_t<I, DomainEvent>>}...};
}

constexpr auto kDecoders = makeDecoders(std::make_index_sequence<std::variant_size_v<DomainEvent>>{});

}  // namespace

std::string_view eventType(const DomainEvent& event) {
  return std::visit([](const auto& e) { return std::decay_t<decltype(e)>::kType; }, event);
}

int eventSchemaVersion(const DomainEvent& event) {
  return std::visit([](const auto& e) { return std::decay_t<decltype(e)>::kSchemaVersion; }, event);
}

std::string encodeEventDataText(const DomainEvent& event) {
  Encoder encoder;
  std::visit([&](const auto& e) { std::decay_t<decltype(e)>::fields(e, encoder); }, event);
  return encoder.text();
}

json encodeEventData(const DomainEvent& event) { return json::parse(encodeEventDataText(event)); }

json encodeEvent(const DomainEvent& event) {
  return {{"type", eventType(event)}, {"schemaVersion", eventSchemaVersion(event)}, {"data", encodeEventData(event)}};
}

DomainEvent decodeEventData(std::string_view type, int schemaVersion, std::string_view dataText) {
  for (const auto& [name, supportedVersion, decode] : kDecoders) {
    if (name != type) continue;
    if (schemaVersion < 1 || schemaVersion > supportedVersion)
      throw EventDecodeError("event " + std::string{type} + ": schema version " + std::to_string(schemaVersion) +
                             " is not supported (this build reads versions 1 to " + std::to_string(supportedVersion) + ")");
    simdjson::dom::element parsed;
    if (const auto error = parseJsonText(dataText).get(parsed); error != simdjson::SUCCESS)
      throw EventDecodeError("event " + std::string{type} + ": data is not JSON (" + simdjson::error_message(error) + ")");
    simdjson::dom::object data;
    if (parsed.get_object().get(data) != simdjson::SUCCESS)
      throw EventDecodeError("event " + std::string{type} + ": data must be an object");
    return decode(data);
  }
  throw EventDecodeError("unknown event type '" + std::string{type} + "'");
}

DomainEvent decodeEvent(std::string_view type, int schemaVersion, const json& data) {
  return decodeEventData(type, schemaVersion, data.dump());
}

bool holdsSecrets(std::string_view type) {
  return type == KeyRevealed::kType || type == BenefitActivated::kType;
}

json redactSecrets(std::string_view type, json data) {
  if (!holdsSecrets(type) || !data.is_object()) return data;
  const auto redact = [&data](const char* field) {
    if (const auto found = data.find(field); found != data.end() && !found->is_null()) *found = "REDACTED";
  };
  if (type == KeyRevealed::kType) redact("key");
  if (type == BenefitActivated::kType) {
    redact("accessId");
    redact("contractId");
  }
  return data;
}

DomainEvent decodeEvent(const json& versioned) {
  if (!versioned.is_object()) throw EventDecodeError("event: must be a JSON object");
  const auto type = versioned.find("type");
  const auto version = versioned.find("schemaVersion");
  const auto data = versioned.find("data");
  if (type == versioned.end() || !type->is_string()) throw EventDecodeError("event: type missing or not a string");
  if (version == versioned.end() || !version->is_number_integer())
    throw EventDecodeError("event " + type->get<std::string>() + ": schemaVersion missing or not an integer");
  if (data == versioned.end()) throw EventDecodeError("event " + type->get<std::string>() + ": data missing");
  const long long schemaVersion = version->get<long long>();
  const int clamped = schemaVersion > 1000000 ? 1000000 : schemaVersion < 0 ? 0 : static_cast<int>(schemaVersion);
  return decodeEvent(type->get<std::string>(), clamped, *data);
}

}  // namespace benefitd::workflows
