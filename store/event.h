#pragma once
// The event as callers propose it (EventData) and as the store recorded it (RecordedEvent).
// Plain values; thread safety is that of std::string.

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace benefitd::store {

/// Position in the global log: 1, 2, 3... with no gaps. 0 means "before the first event".
using Position = std::uint64_t;
/// Version of an event within its stream: 1..n with no gaps. 0 means "the stream is empty".
using Version = std::uint64_t;
/// SHA-256 digest.
using Hash = std::array<std::uint8_t, 32>;
/// Event time, UTC, millisecond precision.
using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

/// What a caller asks to append. The store treats data and metadata as opaque JSON text.
struct EventData {
  std::string id;                    // unique id chosen by the caller
  std::string type;                  // e.g. "BenefitActivated"; never empty
  std::uint32_t schema_version = 1;  // version of the data's shape for this type
  Timestamp occurred_at{};           // the engine clock's time, not the wall clock's
  std::string actor;                 // who caused it, e.g. "user:U1", "operator", "system"
  std::string correlation_id;        // one per client request
  std::string causation_id;          // the command or event that caused this one
  std::string data;                  // JSON text
  std::string metadata;              // JSON text, may be empty

  bool operator==(const EventData&) const = default;
};

/// An event as stored: its data plus where it sits and the hash chain links.
struct RecordedEvent {
  Position position = 0;
  std::string stream;
  Version version = 0;
  EventData event;
  Hash prev_hash{};  // hash of the previous event of the same stream; zeros for version 1
  Hash hash{};       // SHA-256 of this event's canonical bytes (see event_codec.h)

  bool operator==(const RecordedEvent&) const = default;
};

/// Lower-case hexadecimal form of some bytes, or of a hash.
std::string to_hex(std::string_view bytes);
std::string to_hex(const Hash& hash);

}  // namespace benefitd::store
