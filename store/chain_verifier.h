#pragma once
// Verification of the log (R-ENG-2, R-ENG-6): walks the global log from the start and reports
// the first position where the stored log is not what the store wrote: a record that does not
// decode, a gap or a record out of place, a hash that does not match the event's bytes, a
// broken link to the stream's previous event, a stream version out of sequence, a log that ends
// before the store's last position, or a stream whose index disagrees with the log.
// Thread safety: reads through the store's thread-safe methods, from three threads: the walk
// on the calling thread, the next chunk of the log (with each of its events' hashes) on a
// second, and the index checks of dropped stream heads on a third; `include` and `progress`
// are called on the calling thread only. May run beside appends, and then checks the log up
// to the last position it saw when it started.

#include <functional>
#include <string>
#include <string_view>

#include "store/event.h"
#include "store/event_store.h"

namespace benefitd::store {

struct VerifyReport {
  bool ok = true;
  std::uint64_t events_checked = 0;  // events of the included streams that were checked
  Position first_bad_position = 0;   // set when !ok
  std::string stream;                // the stream of the bad event, when known
  std::string problem;               // a sentence for people
};

/// Decides which streams a verification covers; every stream when empty.
using StreamFilter = std::function<bool(std::string_view stream)>;

/// Verifies the whole log's continuity and the hash chain of the streams `include` selects.
/// `progress`, when set, is told the number of events read so far every few thousand events.
/// Memory stays bounded however many streams the log has: the heads of at most `heads_held`
/// streams are kept (about 200 bytes each), and a stream met again after its head was dropped
/// has its head read back through its index, which must agree with the log. Streams met for
/// the first time are told apart by a filter of ten bits per event of the log.
VerifyReport verify_chain(const EventStore& store, const StreamFilter& include = {},
                          const std::function<void(std::uint64_t)>& progress = {},
                          std::size_t heads_held = 500'000);

}  // namespace benefitd::store
