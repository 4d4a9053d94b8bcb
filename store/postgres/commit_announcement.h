#pragma once
// What each commit tells the other processes sharing a PostgreSQL store (NOTIFY on the schema's
// channel, delivered with the COMMIT): the log's new last position, which store made it, and
// the view keys it wrote, so that a node wakes only the long-polls of those keys.
//
// A payload is text (PostgreSQL refuses one of kMaxPayloadBytes or more):
//
//   <position>                                  an older writer: the keys are not said
//   <position> <writer> all                     the keys are not said (a clear, too many, unprintable)
//   <position> <writer> keys\n<key>\n<key>...   some of the keys written
//
// A commit whose keys do not fit one payload sends several, each naming the same position and
// some of the keys: every key is in one of them. Keys are view keys as the requests give them
// (a row positioned at an event by its key prefix, the form long-polls watch it by).
//
// Thread safety: plain values and pure functions.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/event.h"

namespace benefitd::store::postgres {

inline constexpr std::size_t kMaxPayloadBytes = 8000;
/// Past this many bytes of keys a commit says "all": a node re-reading every long-poll once
/// costs less than a flood of notifications.
inline constexpr std::size_t kMaxAnnouncedKeyBytes = 64 * 1024;

struct CommitAnnouncement {
  Position position = 0;
  std::string writer;  // hex; empty from an older writer
  /// nullopt: not said, so any view may have changed.
  std::optional<std::vector<std::string>> view_keys;
};

/// The payloads announcing a commit up to `position` by `writer` (hex, no spaces) that wrote
/// `view_keys` (nullptr: not known, e.g. a table cleared). Duplicate keys are sent once.
std::vector<std::string> announcement_payloads(Position position, std::string_view writer,
                                               const std::vector<std::string>* view_keys);

/// Inverse of announcement_payloads for one payload; nullopt if it is none (anyone may NOTIFY
/// on a channel).
std::optional<CommitAnnouncement> parse_announcement(std::string_view payload);

}  // namespace benefitd::store::postgres
