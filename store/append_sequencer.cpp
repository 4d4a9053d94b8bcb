#include "store/append_sequencer.h"

#include <algorithm>
#include <unordered_set>

#include "store/event_codec.h"

namespace benefitd::store {

namespace {
constexpr std::size_t kPositionSuffixBytes = 20;

bool expectable(Table table) {
  return std::find(kExpectableTables.begin(), kExpectableTables.end(), table) != kExpectableTables.end();
}
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
  for (const RowExpectation& expected : request.expected_rows) {
    if (!expectable(expected.table)) {
      return Status::invalid_argument("a request expects a row of table " + std::string(table_name(expected.table)) +
                                      ", whose rows cannot be expected");
    }
    if (expected.key.empty() || expected.key.size() > kMaxKeyBytes) {
      return Status::invalid_argument("an expected row of table " + std::string(table_name(expected.table)) +
                                      " has an empty or too long key");
    }
  }
  return Status::ok();
}

AppendSequencer::AppendSequencer(Position next_position, HeadLookup committed_head, RowLookup committed_row)
    : next_position_(next_position), committed_head_(std::move(committed_head)), committed_row_(std::move(committed_row)) {}

Status AppendSequencer::head_of(const std::string& stream, StreamHead* head) {
  if (const auto found = touched_.find(stream); found != touched_.end()) {
    *head = found->second;
    return Status::ok();
  }
  return committed_head_(stream, head);
}

Status AppendSequencer::check_rows(const WriteRequest& request, std::optional<RowExpectation>* failed) {
  for (const RowExpectation& expected : request.expected_rows) {
    std::optional<std::string> actual;
    if (const auto found = rows_.find({expected.table, expected.key}); found != rows_.end()) {
      actual = found->second;
    } else if (std::find(cleared_.begin(), cleared_.end(), expected.table) == cleared_.end()) {
      if (Status status = committed_row_(expected.table, expected.key, &actual); !status.is_ok()) return status;
    }
    if (actual != expected.value) {
      *failed = expected;
      return Status::conflict("row " + expected.key + " of table " + std::string(table_name(expected.table)) +
                              (expected.value ? " is not as expected" : " exists, expected absent"));
    }
  }
  return Status::ok();
}

void AppendSequencer::remember_row(const KeyedWrite& write) {
  if (!expectable(write.table)) return;
  if (write.whole_table) {
    std::erase_if(rows_, [&](const auto& row) { return row.first.first == write.table; });
    cleared_.push_back(write.table);
    return;
  }
  rows_.insert_or_assign(std::pair(write.table, write.key), write.value);
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
  if (Status rows = check_rows(request, &plan.result.row_conflict); !rows.is_ok()) {
    plan.result.status = std::move(rows);
    return plan;
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
  plan.each_write(request, [this](const KeyedWrite& write) { remember_row(write); });
  return plan;
}

}  // namespace benefitd::store
