// write_event_seeds DIR: writes the seed corpus of event_decode_fuzz into DIR, made by the
// codecs themselves rather than by hand. For every domain event type, one event with every
// field filled is written three ways: as a stored record (store::encode_event over the data
// the service stores, hash and chain link computed), as "type\nschemaVersion\ndata JSON" and
// as the versioned JSON form. Run it again when an event type is added.

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <variant>

#include "store/event_codec.h"
#include "workflows/event_codec.h"

namespace {

namespace workflows = benefitd::workflows;
namespace store = benefitd::store;

/// Fills every field of an event with a plausible value named after the field.
struct Filler {
  void operator()(const char* name, std::string& value) const { value = std::string(name) + "-1"; }
  void operator()(const char*, int& value) const { value = 3; }
  void operator()(const char*, bool& value) const { value = true; }
  void operator()(const char*, workflows::Time& value) const { value = *workflows::parseTime("2026-01-05T09:00:00Z"); }
  void operator()(const char*, workflows::Balances& value) const { value = {5, 2, 40}; }
  template <class T>
  void operator()(const char*, T& value) const {
    if constexpr (requires { value.emplace_back(); }) {
      value.emplace_back();
      (*this)("item", value.back());
    } else if constexpr (requires { value.emplace(); }) {
      value.emplace();
      (*this)("optional", *value);
    }
    // Enums keep their first value, which is a valid one.
  }
};

void write_file(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

void write_seeds(const std::filesystem::path& dir, const workflows::DomainEvent& event) {
  const std::string type(workflows::eventType(event));
  const int schema_version = workflows::eventSchemaVersion(event);
  const std::string data = workflows::encodeEventData(event).dump();

  store::RecordedEvent recorded;
  recorded.position = 42;
  recorded.stream = "partner-P1";
  recorded.version = 2;
  recorded.event = store::EventData{"E42", type, static_cast<std::uint32_t>(schema_version),
                                    store::Timestamp(std::chrono::milliseconds(1767603600123)), "user:U1",
                                    "correlation-1", "command-1", data, R"({"command":"Seed"})"};
  recorded.prev_hash.fill(0xab);
  recorded.hash = store::compute_event_hash(recorded);
  write_file(dir / ("stored_" + type), store::encode_event(recorded));
  write_file(dir / ("text_" + type), type + "\n" + std::to_string(schema_version) + "\n" + data);
  write_file(dir / ("versioned_" + type), workflows::encodeEvent(event).dump());
}

template <class Event>
void write_filled(const std::filesystem::path& dir) {
  Event event{};
  Event::fields(event, Filler{});
  write_seeds(dir, event);
}

template <std::size_t... I>
void write_every_type(const std::filesystem::path& dir, std::index_sequence<I...>) {
  (write_filled<std::variant_alternative_t<I, workflows::DomainEvent>>(dir), ...);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: write_event_seeds DIR\n");
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir);
  write_every_type(dir, std::make_index_sequence<std::variant_size_v<workflows::DomainEvent>>{});
  return 0;
}
