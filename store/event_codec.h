#pragma once
// The stored form of an event. Its canonical bytes cover every field, the global position and
// the previous hash included, so that changing, moving or reordering a stored event changes
// what its hash should be (R-ENG-6). Stored bytes = canonical bytes + hash.
// Thread safety: pure functions.

#include <cstdint>
#include <string>
#include <string_view>

#include "store/event.h"
#include "store/status.h"

namespace benefitd::store {

/// Bytes the event's hash is computed over: every field but the hash itself.
std::string canonical_bytes(const RecordedEvent& event);

/// SHA-256 of the event's canonical bytes.
Hash compute_event_hash(const RecordedEvent& event);

/// Stored form: canonical bytes followed by the event's hash field (as it is, not recomputed).
std::string encode_event(const RecordedEvent& event);

/// Parses the stored form; corruption if the bytes are truncated, overlong or of an unknown
/// format. Does not check the hash: that is verification's job.
Status decode_event(std::string_view bytes, RecordedEvent* out);

/// 8-byte big-endian form, so that byte order is numeric order in sorted key spaces.
std::string encode_big_endian(std::uint64_t value);
/// Inverse of encode_big_endian; false unless `bytes` is exactly 8 bytes.
bool decode_big_endian(std::string_view bytes, std::uint64_t* out);

}  // namespace benefitd::store
