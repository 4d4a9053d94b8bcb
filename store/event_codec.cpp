#include "store/event_codec.h"

#include <algorithm>

#include "store/sha256.h"

namespace benefitd::store {

namespace {

constexpr std::uint8_t kFormatVersion = 1;

void put_u64(std::string& out, std::uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(value >> shift));
}

void put_u32(std::string& out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(value >> shift));
}

void put_string(std::string& out, std::string_view value) {
  put_u32(out, static_cast<std::uint32_t>(value.size()));
  out.append(value);
}

void put_hash(std::string& out, const Hash& hash) {
  out.append(reinterpret_cast<const char*>(hash.data()), hash.size());
}

// Reads the fields back in order; every read fails cleanly past the end of the input.
class FieldReader {
 public:
  explicit FieldReader(std::string_view bytes) : bytes_(bytes) {}

  bool u8(std::uint8_t* out) {
    if (bytes_.empty()) return false;
    *out = static_cast<std::uint8_t>(bytes_.front());
    bytes_.remove_prefix(1);
    return true;
  }

  bool u64(std::uint64_t* out) { return fixed(8, out); }

  bool u32(std::uint32_t* out) {
    std::uint64_t wide = 0;
    if (!fixed(4, &wide)) return false;
    *out = static_cast<std::uint32_t>(wide);
    return true;
  }

  bool string(std::string* out) {
    std::uint32_t size = 0;
    if (!u32(&size) || size > bytes_.size()) return false;
    out->assign(bytes_.substr(0, size));
    bytes_.remove_prefix(size);
    return true;
  }

  bool hash(Hash* out) {
    if (bytes_.size() < out->size()) return false;
    std::copy_n(bytes_.begin(), out->size(), out->begin());
    bytes_.remove_prefix(out->size());
    return true;
  }

  bool at_end() const { return bytes_.empty(); }

 private:
  bool fixed(std::size_t width, std::uint64_t* out) {
    if (bytes_.size() < width) return false;
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < width; ++i) {
      value = (value << 8) | static_cast<std::uint8_t>(bytes_[i]);
    }
    bytes_.remove_prefix(width);
    *out = value;
    return true;
  }

  std::string_view bytes_;
};

}  // namespace

std::string canonical_bytes(const RecordedEvent& event) {
  const EventData& data = event.event;
  std::string out;
  out.reserve(128 + event.stream.size() + data.id.size() + data.type.size() + data.actor.size() +
              data.correlation_id.size() + data.causation_id.size() + data.data.size() +
              data.metadata.size());
  out.push_back(static_cast<char>(kFormatVersion));
  put_u64(out, event.position);
  put_string(out, event.stream);
  put_u64(out, event.version);
  put_string(out, data.id);
  put_string(out, data.type);
  put_u32(out, data.schema_version);
  put_u64(out, static_cast<std::uint64_t>(data.occurred_at.time_since_epoch().count()));
  put_string(out, data.actor);
  put_string(out, data.correlation_id);
  put_string(out, data.causation_id);
  put_string(out, data.data);
  put_string(out, data.metadata);
  put_hash(out, event.prev_hash);
  return out;
}

Hash compute_event_hash(const RecordedEvent& event) { return sha256(canonical_bytes(event)); }

std::string encode_event(const RecordedEvent& event) {
  std::string out = canonical_bytes(event);
  put_hash(out, event.hash);
  return out;
}

Status decode_event(std::string_view bytes, RecordedEvent* out) {
  FieldReader reader(bytes);
  std::uint8_t format = 0;
  if (!reader.u8(&format)) return Status::corruption("empty event record");
  if (format != kFormatVersion) {
    return Status::corruption("unknown event record format " + std::to_string(format));
  }
  RecordedEvent event;
  EventData& data = event.event;
  std::uint64_t occurred_at = 0;
  const bool complete =
      reader.u64(&event.position) && reader.string(&event.stream) && reader.u64(&event.version) &&
      reader.string(&data.id) && reader.string(&data.type) && reader.u32(&data.schema_version) &&
      reader.u64(&occurred_at) && reader.string(&data.actor) &&
      reader.string(&data.correlation_id) && reader.string(&data.causation_id) &&
      reader.string(&data.data) && reader.string(&data.metadata) &&
      reader.hash(&event.prev_hash) && reader.hash(&event.hash);
  if (!complete) return Status::corruption("truncated event record");
  if (!reader.at_end()) return Status::corruption("event record has trailing bytes");
  data.occurred_at =
      Timestamp(std::chrono::milliseconds(static_cast<std::int64_t>(occurred_at)));
  *out = std::move(event);
  return Status::ok();
}

std::string encode_big_endian(std::uint64_t value) {
  std::string out;
  put_u64(out, value);
  return out;
}

bool decode_big_endian(std::string_view bytes, std::uint64_t* out) {
  FieldReader reader(bytes);
  return bytes.size() == 8 && reader.u64(out);
}

}  // namespace benefitd::store
