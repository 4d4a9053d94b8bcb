#pragma once
// The audit export: the log as CloudEvents 1.0 JSON lines, secrets redacted (R-SW-2), written
// as it is read so that memory stays flat however long the log.
//
// Which events are read:
// - a partner's: only its events, found through the partner's log index (view_keys::log_of,
//   one row per event of the partner's streams, in log order), never by scanning the log: for
//   each chunk of the index, point reads where the partner's events are scattered, one range
//   read where they lie close together (reading at most twice the events wanted); with a time
//   window, only those of its events in the stretches below;
// - otherwise the whole log, in chunks; with a time window, only the stretches of it that the
//   store's index of the log's times (store/log_times.h: the earliest and latest time of each
//   block of positions) says may hold events of the window.
// A time window (from/to, on each event's occurredAt in whole seconds, both ends included) is
// applied to the events read, before any formatting. occurredAt is not in log order (a timer's
// events carry the time it fell due, which precedes events committed before it fired;
// concurrent commands commit in any order; a clock can step back), so no search by position
// finds a time; the index of times holds for any order, and reads little when times are close
// to log order, as they are.
//
// Thread safety: reads through the store's thread-safe methods; `out` is the caller's.

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "adapters/app/pass_progress.h"
#include "store/event_store.h"
#include "workflows/time.h"

namespace benefitd::app {

/// Which events an export writes; every event when empty.
struct ExportFilter {
  std::optional<std::string> partner_id;  // only the events of this partner's streams
  std::optional<workflows::Time> from;    // only events that occurred at or after
  std::optional<workflows::Time> to;      // only events that occurred at or before
};

/// Writes the CloudEvents line of every event `filter` selects to `out`, in log order;
/// `progress` hears the events read (of the log's, or of an unknown number for a partner).
/// The views must include the whole log when a partner is named (its index is a view).
store::Status export_cloudevents(const store::EventStore& store, const ExportFilter& filter, std::ostream& out,
                                 const PassReport& progress = {});

/// Appends the CloudEvents 1.0 JSON of `event` (its members in name order, secrets redacted)
/// and a newline to `line`. The data is copied as stored when it is JSON and holds no secret.
void append_cloud_event_line(const store::RecordedEvent& event, std::string* line);

}  // namespace benefitd::app
