#include "store/chain_verifier.h"

#include <unordered_map>
#include <vector>

#include "store/append_sequencer.h"
#include "store/event_codec.h"

namespace benefitd::store {

namespace {

constexpr std::size_t kChunk = 4096;

VerifyReport failure(std::uint64_t checked, Position position, std::string stream,
                     std::string problem) {
  return {false, checked, position, std::move(stream), std::move(problem)};
}

}  // namespace

VerifyReport verify_chain(const EventStore& store, const StreamFilter& include,
                          const std::function<void(std::uint64_t)>& progress) {
  const Position last = store.last_position();
  std::unordered_map<std::string, StreamHead> heads;
  std::uint64_t checked = 0;
  std::uint64_t read = 0;
  Position expected = 1;
  std::vector<RecordedEvent> chunk;

  while (expected <= last) {
    chunk.clear();
    const Status status = store.read_all(expected, kChunk, &chunk);
    for (const RecordedEvent& event : chunk) {
      if (expected > last) break;  // appended after verification started
      if (event.position != expected) {
        return failure(checked, expected, event.stream,
                       "position " + std::to_string(expected) + " holds the event stored for " +
                           std::to_string(event.position));
      }
      StreamHead& head = heads[event.stream];
      if (event.version != head.version + 1) {
        return failure(checked, expected, event.stream,
                       "stream version " + std::to_string(event.version) + " follows version " +
                           std::to_string(head.version));
      }
      const bool included = !include || include(event.stream);
      if (included) {
        if (event.prev_hash != head.last_hash) {
          return failure(checked, expected, event.stream,
                         "the previous-event hash does not match the stream's previous event");
        }
        if (compute_event_hash(event) != event.hash) {
          return failure(checked, expected, event.stream, "the event's bytes do not match its hash");
        }
        ++checked;
      }
      head = {event.version, event.hash};
      ++expected;
    }
    read += chunk.size();
    if (progress) progress(read);
    if (!status.is_ok()) {
      return failure(checked, expected, "", "the record does not decode: " + status.message());
    }
    if (chunk.empty() && expected <= last) {
      return failure(checked, expected, "",
                     "the log ends at position " + std::to_string(expected - 1) +
                         " but the store's last position is " + std::to_string(last));
    }
  }

  // Each stream's index must end where its events in the log end.
  for (const auto& [stream, head] : heads) {
    if (include && !include(stream)) continue;
    Version indexed = 0;
    if (const Status status = store.stream_version(stream, &indexed); !status.is_ok()) {
      return failure(checked, 0, stream, "cannot read the stream's head: " + status.message());
    }
    if (indexed < head.version) {
      return failure(checked, 0, stream,
                     "the stream's head says version " + std::to_string(indexed) +
                         " but the log holds version " + std::to_string(head.version));
    }
  }
  return {true, checked, 0, "", ""};
}

}  // namespace benefitd::store
