#include "store/chain_verifier.h"

#include <algorithm>
#include <future>
#include <optional>
#include <string>
#include <system_error>
#include <unordered_map>
#include <utility>
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

/// Which streams the walk has met: a Bloom filter of ten bits per event of the log (a stream
/// has at least one), so about 1% of new streams are taken for streams met before.
class StreamsMet {
 public:
  explicit StreamsMet(std::uint64_t events) : bits_((std::max<std::uint64_t>(events, 1) * 10 + 63) / 64) {}

  void add(std::string_view stream) {
    for_each_bit(stream, [this](std::uint64_t bit) { bits_[bit / 64] |= std::uint64_t{1} << (bit % 64); });
  }
  bool maybe_met(std::string_view stream) const {
    bool all = true;
    for_each_bit(stream, [&](std::uint64_t bit) { all = all && (bits_[bit / 64] >> (bit % 64) & 1) != 0; });
    return all;
  }

 private:
  // Seven bits per stream from two hashes (Kirsch and Mitzenmacher's double hashing).
  template <class Visit>
  void for_each_bit(std::string_view stream, Visit visit) const {
    const std::uint64_t first = std::hash<std::string_view>{}(stream);
    const std::uint64_t second = (first * 0x9e3779b97f4a7c15ULL) | 1;
    const std::uint64_t size = bits_.size() * 64;
    for (std::uint64_t i = 0; i < 7; ++i) visit((first + i * second) % size);
  }

  std::vector<std::uint64_t> bits_;
};

/// The head (last version and hash) of each stream as the walk left it, in generations of a
/// third of `held` heads: when the newer generation fills, the older one is dropped, each of
/// its streams' index checked first, on a thread of its own while the walk goes on (one
/// generation at a time, in the order they were dropped). Held at once: the newer, the older,
/// and the one dropped last while it is checked, so at most `held` heads in all. A stream met
/// again after its head was dropped has it read back through its index, which must then list
/// the event being checked at its position.
class StreamHeads {
 public:
  StreamHeads(const EventStore& store, const StreamFilter& include, std::size_t held, std::uint64_t events)
      : store_(store), include_(include), generation_size_(std::max<std::size_t>(held / 3, 1)), met_(events) {}
  ~StreamHeads() { settle_dropped(); }
  StreamHeads(const StreamHeads&) = delete;
  StreamHeads& operator=(const StreamHeads&) = delete;

  /// The head of `event`'s stream just before it; a problem (a sentence) when the stream's
  /// index cannot vouch for a dropped head.
  std::optional<std::string> before(const RecordedEvent& event, StreamHead* head) {
    if (const auto found = newer_.find(event.stream); found != newer_.end()) {
      *head = found->second;
      return std::nullopt;
    }
    if (const auto found = older_.find(event.stream); found != older_.end()) {
      *head = found->second;
      return std::nullopt;
    }
    *head = {};
    if (!met_.maybe_met(event.stream)) return std::nullopt;
    return head_from_index(event, head);
  }

  /// Records `event` as its stream's head. May drop older heads.
  void advance(const RecordedEvent& event) {
    met_.add(event.stream);
    older_.erase(event.stream);
    newer_.insert_or_assign(event.stream, StreamHead{event.version, event.hash});
    if (newer_.size() < generation_size_) return;
    settle_dropped();
    Checked dropped = take_included(older_);
    try {
      checking_ = std::async(std::launch::async, &StreamHeads::check_index, this, std::move(dropped));
    } catch (const std::system_error&) {
      check_index(std::move(dropped));  // no thread to be had: checked here
    }
    older_ = std::move(newer_);
    newer_.clear();
  }

  /// Checks the index of every stream whose head is still held.
  void finish() {
    settle_dropped();
    check_index(take_included(older_));
    check_index(take_included(newer_));
  }

  /// The first stream whose index ends before its events in the log do, with the problem.
  /// Call after finish.
  const std::optional<std::pair<std::string, std::string>>& index_failure() const { return index_failure_; }

 private:
  using Heads = std::unordered_map<std::string, StreamHead>;
  using Checked = std::vector<std::pair<std::string, Version>>;  // a stream and the version its index must reach

  /// Takes the heads out of `heads`, leaving it empty, and keeps those of the streams the
  /// verification includes. On the walk's thread: the include filter is called only there.
  Checked take_included(Heads& heads) const {
    Checked streams;
    streams.reserve(heads.size());
    while (!heads.empty()) {
      auto node = heads.extract(heads.begin());
      if (!include_ || include_(node.key())) streams.emplace_back(std::move(node.key()), node.mapped().version);
    }
    return streams;
  }

  std::optional<std::string> head_from_index(const RecordedEvent& event, StreamHead* head) const {
    const Version first_read = event.version > 1 ? event.version - 1 : 1;
    std::vector<RecordedEvent> listed;
    if (const Status status = store_.read_stream(event.stream, first_read, 2, &listed); !status.is_ok()) {
      return "cannot read the stream's index: " + status.message();
    }
    const auto at = [&](Version version) -> const RecordedEvent* {
      for (const RecordedEvent& one : listed) {
        if (one.stream == event.stream && one.version == version) return &one;
      }
      return nullptr;
    };
    const RecordedEvent* self = at(event.version);
    if (self == nullptr || self->position != event.position) {
      return "the stream's index does not list this event as version " + std::to_string(event.version);
    }
    if (event.version > 1) {
      const RecordedEvent* previous = at(event.version - 1);
      if (previous == nullptr || previous->position >= event.position) {
        return "stream version " + std::to_string(event.version) + " has no version " +
               std::to_string(event.version - 1) + " before it in the log";
      }
      *head = {previous->version, previous->hash};
    }
    return std::nullopt;
  }

  // Each stream's index must reach the last version the walk met: it only grows. The streams
  // are looked up in the order of their names, which is the order of their index keys: each
  // block of the index is then read once, not once per stream.
  void check_index(Checked streams) {
    std::sort(streams.begin(), streams.end());
    for (const auto& [stream, version] : streams) {
      if (index_failure_) return;
      Version indexed = 0;
      if (const Status status = store_.stream_version(stream, &indexed); !status.is_ok()) {
        index_failure_.emplace(stream, "cannot read the stream's head: " + status.message());
      } else if (indexed < version) {
        index_failure_.emplace(stream, "the stream's head says version " + std::to_string(indexed) +
                                           " but the log holds version " + std::to_string(version));
      }
    }
  }

  /// Waits for the check of the generation dropped last, if it runs.
  void settle_dropped() {
    if (checking_.valid()) checking_.get();
  }

  const EventStore& store_;
  const StreamFilter& include_;
  const std::size_t generation_size_;
  StreamsMet met_;
  Heads newer_;
  Heads older_;
  std::future<void> checking_;  // the dropped generation's check; it alone writes index_failure_ meanwhile
  std::optional<std::pair<std::string, std::string>> index_failure_;
};

/// A chunk of the log as read, with whether each event's bytes match its stored hash (each
/// event's own check, which needs nothing from the events before it).
struct CheckedChunk {
  Status status = Status::ok();
  std::vector<RecordedEvent> events;
  std::vector<bool> hash_matches;  // one per event
};

CheckedChunk read_and_hash(const EventStore& store, Position from) {
  CheckedChunk chunk;
  chunk.status = store.read_all(from, kChunk, &chunk.events);
  chunk.hash_matches.reserve(chunk.events.size());
  for (const RecordedEvent& event : chunk.events) chunk.hash_matches.push_back(compute_event_hash(event) == event.hash);
  return chunk;
}

}  // namespace

VerifyReport verify_chain(const EventStore& store, const StreamFilter& include,
                          const std::function<void(std::uint64_t)>& progress, std::size_t heads_held) {
  const Position last = store.last_position();
  StreamHeads heads(store, include, heads_held, last);
  std::uint64_t checked = 0;
  std::uint64_t read = 0;
  Position expected = 1;
  // The walk is one thread's: each event's check needs its stream's head as the events before
  // it left it. Reading the log and hashing each event's bytes are not: the next chunk is read
  // and hashed on another thread while the walk checks this one. Every event is hashed there,
  // so that `include` is only ever called by the walk; the hashes of streams left out go unused.
  const auto read_ahead = [&store](Position from) {
    try {
      return std::async(std::launch::async, read_and_hash, std::cref(store), from);
    } catch (const std::system_error&) {
      return std::async(std::launch::deferred, read_and_hash, std::cref(store), from);  // no thread to be had
    }
  };
  std::future<CheckedChunk> next = read_ahead(expected);

  while (expected <= last) {
    CheckedChunk current = next.get();
    const std::vector<RecordedEvent>& chunk = current.events;
    const Status& status = current.status;
    const bool more = status.is_ok() && !chunk.empty() && chunk.back().position < last;
    if (more) next = read_ahead(chunk.back().position + 1);
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      const RecordedEvent& event = chunk[i];
      if (expected > last) break;  // appended after verification started
      if (event.position != expected) {
        return failure(checked, expected, event.stream,
                       "position " + std::to_string(expected) + " holds the event stored for " +
                           std::to_string(event.position));
      }
      StreamHead head;
      if (auto problem = heads.before(event, &head)) return failure(checked, expected, event.stream, std::move(*problem));
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
        if (!current.hash_matches[i]) {
          return failure(checked, expected, event.stream, "the event's bytes do not match its hash");
        }
        ++checked;
      }
      heads.advance(event);
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

  heads.finish();
  if (const auto& index = heads.index_failure()) return failure(checked, 0, index->first, index->second);
  return {true, checked, 0, "", ""};
}

}  // namespace benefitd::store
