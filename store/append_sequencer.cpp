#include "store/append_sequencer.h"

#include <unordered_set>

#include "store/event_codec.h"

namespace benefitd::store {

namespace {
constexpr std::size_t kPositionSuffixBytes = 20;
}  // namespace

Status validate_request(const WriteRequest& request) {
  if (request.streams.empty() && request.writes.empty()) {
    return Status::invalid_argument("the request has neither events nor keyed writes");
  }
  std::unordered_set<std::string_view> seen;
  std::size_t events = 0;
  for (const StreamAppend& append : request.streams) {
    events += append.events.size();
    if (append.stream.empty()) return Status::invalid_argument("a stream id is empty");
    if (append.stream.find('\0') != std::string::npos) {
      return Status::invalid_argument("stream id contains a NUL byte");
    }
    if (!seen.insert(append.stream).second) {
      return Status::invalid_argument("stream " + append.stream + " appears twice in one request");
    }
    for (const EventData& event : append.events) {
      if (event.type.empty()) {
        return Status::invalid_argument("an event for stream " + append.stream + " has no type");
      }
    }
  }
  for (const KeyedWrite& write : request.writes) {
    if (write.whole_table) {
      if (!write.key.empty() || write.value) {
        return Status::invalid_argument("a clear of table " + std::string(table_name(write.table)) +
                                        " names a key or a value");
      }
      continue;
    }
    if (write.at_event && counted_index(write.table)) {
      // A store counts a table's rows by reading, before its commit, whether each key is there.
      return Status::invalid_argument("a positioned write to the counted table " +
                                      std::string(table_name(write.table)));
    }
    if (write.at_event && *write.at_event >= events) {
      return Status::invalid_argument("a positioned key for table " + std::string(table_name(write.table)) +
                                      " names event " + std::to_string(*write.at_event) + " of " +
                                      std::to_string(events));
    }
    const bool suffixed = write.at_event && !write.position_is_value;
    const std::size_t key_bytes = write.key.size() + (suffixed ? kPositionSuffixBytes : 0);
    if (key_bytes == 0) {
      return Status::invalid_argument("empty key for table " + std::string(table_name(write.table)));
    }
    if (key_bytes > kMaxKeyBytes) {
      return Status::invalid_argument("a key for table " + std::string(table_name(write.table)) +
                                      " is longer than " + std::to_string(kMaxKeyBytes) + " bytes");
    }
  }
  return Status::ok();
}

AppendSequencer::AppendSequencer(Position next_position, HeadLookup committed_head)
    : next_position_(next_position), committed_head_(std::move(committed_head)) {}

Status AppendSequencer::head_of(const std::string& stream, StreamHead* head) {
  if (const auto found = touched_.find(stream); found != touched_.end()) {
    *head = found->second;
    return Status::ok();
  }
  return committed_head_(stream, head);
}

AppendSequencer::Plan AppendSequencer::plan(const WriteRequest& request) {
  Plan plan;
  if (Status valid = validate_request(request); !valid.is_ok()) {
    plan.result.status = std::move(valid);
    return plan;
  }

  // First every expectation, so that a refusal changes nothing.
  std::vector<StreamHead> heads(request.streams.size());
  for (std::size_t i = 0; i < request.streams.size(); ++i) {
    const StreamAppend& append = request.streams[i];
    if (Status found = head_of(append.stream, &heads[i]); !found.is_ok()) {
      plan.result.status = std::move(found);
      return plan;
    }
    if (!append.expected.matches(heads[i].version)) {
      plan.result.status = Status::conflict("stream " + append.stream + " is at version " +
                                            std::to_string(heads[i].version) + ", expected " +
                                            append.expected.describe());
      plan.result.conflict = Conflict{append.stream, append.expected, heads[i].version};
      return plan;
    }
  }

  Position position = next_position_;
  plan.result.stream_versions.reserve(request.streams.size());
  for (std::size_t i = 0; i < request.streams.size(); ++i) {
    const StreamAppend& append = request.streams[i];
    StreamHead& head = heads[i];
    for (const EventData& data : append.events) {
      RecordedEvent& recorded = plan.events.emplace_back();
      recorded.position = position++;
      recorded.stream = append.stream;
      recorded.version = ++head.version;
      recorded.event = data;
      recorded.prev_hash = head.last_hash;
      recorded.hash = compute_event_hash(recorded);
      head.last_hash = recorded.hash;
    }
    plan.result.stream_versions.push_back(head.version);
  }

  for (std::size_t i = 0; i < request.streams.size(); ++i) {
    if (!request.streams[i].events.empty()) touched_[request.streams[i].stream] = heads[i];
  }
  if (!plan.events.empty()) {
    plan.result.first_position = next_position_;
    plan.result.last_position = position - 1;
  }
  for (const KeyedWrite& write : request.writes) {
    if (!write.at_event) continue;
    const Position at = next_position_ + *write.at_event;
    plan.positioned.push_back(write.position_is_value
                                  ? KeyedWrite::put(write.table, write.key, encode_big_endian(at))
                                  : KeyedWrite::put(write.table, write.key + position_key_suffix(at), *write.value));
  }
  next_position_ = position;
  plan.result.log_position = next_position_ - 1;
  return plan;
}

}  // namespace benefitd::store
