#include "workflows/event_codec.h"

#include <limits>
#include <type_traits>
#include <utility>

namespace benefitd::workflows {

namespace {

using nlohmann::json;

template <class T> struct IsOptional : std::false_type {};
template <class T> struct IsOptional<std::optional<T>> : std::true_type {};
template <class T> struct IsVector : std::false_type {};
template <class T> struct IsVector<std::vector<T>> : std::true_type {};

json encodeValue(const std::string& value) { return value; }
json encodeValue(int value) { return value; }
json encodeValue(bool value) { return value; }
json encodeValue(Time value) { return formatTime(value); }
json encodeValue(Role value) { return toString(value); }
json encodeValue(Category value) { return toString(value); }
json encodeValue(MembershipLocation value) { return toString(value); }
json encodeValue(const Balances& value) {
  return {{"productSupportIncidents", value.productSupportIncidents},
          {"signatureCloudIncidents", value.signatureCloudIncidents},
          {"advisoryHours", value.advisoryHours}};
}
template <class T>
json encodeValue(const std::vector<T>& values) {
  json array = json::array();
  for (const T& value : values) array.push_back(encodeValue(value));
  return array;
}

struct Encoder {
  json& data;
  template <class T>
  void operator()(const char* name, const T& value) const {
    if constexpr (IsOptional<T>::value) {
      if (value) data[name] = encodeValue(*value);
    } else {
      data[name] = encodeValue(value);
    }
  }
};

/// Decodes one field; the path in messages reads like "UserAdded data.roles[1]".
class Decoder {
 public:
  Decoder(std::string_view type, const json& data) : type_(type), data_(data) {}

  template <class T>
  void operator()(const char* name, T& value) const {
    const auto it = data_.find(name);
    const std::string path = std::string{"data."} + name;
    if constexpr (IsOptional<T>::value) {
      if (it == data_.end() || it->is_null()) {
        value.reset();
        return;
      }
      typename T::value_type inner{};
      decode(*it, inner, path);
      value = std::move(inner);
    } else {
      if (it == data_.end()) fail(path, "missing");
      decode(*it, value, path);
    }
  }

 private:
  [[noreturn]] void fail(const std::string& path, const std::string& problem) const {
    throw EventDecodeError("event " + std::string{type_} + ": " + path + ": " + problem);
  }

  void decode(const json& j, std::string& out, const std::string& path) const {
    if (!j.is_string()) fail(path, "must be a string");
    out = j.get<std::string>();
  }
  void decode(const json& j, int& out, const std::string& path) const {
    // get<int>() would wrap a wider value (2^32 + 10 reads as 10) instead of refusing it.
    const bool fits = j.is_number_unsigned() ? std::in_range<int>(j.get<std::uint64_t>())
                                             : j.is_number_integer() && std::in_range<int>(j.get<std::int64_t>());
    if (!fits) fail(path, "must be an integer from " + std::to_string(std::numeric_limits<int>::min()) + " to " +
                              std::to_string(std::numeric_limits<int>::max()));
    out = j.get<int>();
  }
  void decode(const json& j, bool& out, const std::string& path) const {
    if (!j.is_boolean()) fail(path, "must be a boolean");
    out = j.get<bool>();
  }
  void decode(const json& j, Time& out, const std::string& path) const {
    const auto time = j.is_string() ? parseTime(j.get_ref<const std::string&>()) : std::nullopt;
    if (!time) fail(path, "must be an RFC 3339 UTC time");
    out = *time;
  }
  template <class Enum, class Parser>
  void decodeEnum(const json& j, Enum& out, const std::string& path, Parser parse) const {
    const auto value = j.is_string() ? parse(j.get_ref<const std::string&>()) : std::nullopt;
    if (!value) fail(path, "unknown value " + j.dump());
    out = *value;
  }
  void decode(const json& j, Role& out, const std::string& path) const { decodeEnum(j, out, path, parseRole); }
  void decode(const json& j, Category& out, const std::string& path) const { decodeEnum(j, out, path, parseCategory); }
  void decode(const json& j, MembershipLocation& out, const std::string& path) const {
    decodeEnum(j, out, path, parseMembershipLocation);
  }
  void decode(const json& j, Balances& out, const std::string& path) const {
    if (!j.is_object()) fail(path, "must be an object");
    const Decoder inner{type_, j};
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
  void decode(const json& j, std::vector<T>& out, const std::string& path) const {
    if (!j.is_array()) fail(path, "must be an array");
    out.clear();
    for (std::size_t i = 0; i < j.size(); ++i) {
      T item{};
      decode(j[i], item, path + "[" + std::to_string(i) + "]");
      out.push_back(std::move(item));
    }
  }

  std::string_view type_;
  const json& data_;
};

template <class Event>
DomainEvent decodeAs(const json& data) {
  Event event{};
  Event::fields(event, Decoder{Event::kType, data});
  return event;
}

using DecodeFunction = DomainEvent (*)(const json&);

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

json encodeEventData(const DomainEvent& event) {
  json data = json::object();
  std::visit([&](const auto& e) { std::decay_t<decltype(e)>::fields(e, Encoder{data}); }, event);
  return data;
}

json encodeEvent(const DomainEvent& event) {
  return {{"type", eventType(event)}, {"schemaVersion", eventSchemaVersion(event)}, {"data", encodeEventData(event)}};
}

DomainEvent decodeEvent(std::string_view type, int schemaVersion, const json& data) {
  for (const auto& [name, supportedVersion, decode] : kDecoders) {
    if (name != type) continue;
    if (schemaVersion < 1 || schemaVersion > supportedVersion)
      throw EventDecodeError("event " + std::string{type} + ": schema version " + std::to_string(schemaVersion) +
                             " is not supported (this build reads versions 1 to " + std::to_string(supportedVersion) + ")");
    if (!data.is_object()) throw EventDecodeError("event " + std::string{type} + ": data must be an object");
    return decode(data);
  }
  throw EventDecodeError("unknown event type '" + std::string{type} + "'");
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
