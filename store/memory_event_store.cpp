#include "store/memory_event_store.h"

#include <algorithm>

namespace benefitd::store {

void MemoryEventStore::append_async(WriteRequest request, AppendCallback done) {
  AppendResult result;
  std::vector<CommitObserver> observers;
  {
    std::lock_guard lock(mutex_);
    AppendSequencer sequencer(
        log_.size() + 1,
        [this](std::string_view stream, StreamHead* head) {
          const auto found = streams_.find(std::string(stream));
          *head = found == streams_.end() ? StreamHead{} : found->second.head;
          return Status::ok();
        },
        [this](Table table, std::string_view key, std::optional<std::string>* value) {
          return get_locked(table, key, value);
        });
    AppendSequencer::Plan plan = sequencer.plan(request);
    result = std::move(plan.result);
    if (result.status.is_ok()) {
      for (RecordedEvent& event : plan.events) {
        Stream& stream = streams_[event.stream];
        stream.positions.push_back(event.position);
        stream.head = {event.version, event.hash};
        log_.push_back(std::move(event));
      }
      plan.each_write(request, [this](const KeyedWrite& write) {
        auto& table = tables_[write.table];
        if (write.whole_table) {
          table.clear();
        } else if (write.value) {
          table.insert_or_assign(write.key, *write.value);
        } else {
          table.erase(write.key);
        }
      });
      observers = observers_;
    }
  }
  for (const CommitObserver& observer : observers) observer(result.log_position);
  done(std::move(result));
}

Status MemoryEventStore::read_stream(std::string_view stream, Version from, std::size_t max_count,
                                     std::vector<RecordedEvent>* out) const {
  std::lock_guard lock(mutex_);
  const auto found = streams_.find(std::string(stream));
  if (found == streams_.end()) return Status::ok();
  const std::vector<Position>& positions = found->second.positions;
  for (Version version = std::max<Version>(from, 1);
       version <= positions.size() && max_count > 0; ++version, --max_count) {
    out->push_back(log_[positions[version - 1] - 1]);
  }
  return Status::ok();
}

Status MemoryEventStore::read_all(Position from, std::size_t max_count,
                                  std::vector<RecordedEvent>* out) const {
  std::lock_guard lock(mutex_);
  for (Position position = std::max<Position>(from, 1);
       position <= log_.size() && max_count > 0; ++position, --max_count) {
    out->push_back(log_[position - 1]);
  }
  return Status::ok();
}

Status MemoryEventStore::read_at(const std::vector<Position>& positions,
                                 std::vector<RecordedEvent>* out) const {
  std::lock_guard lock(mutex_);
  for (const Position position : positions) {
    if (position == 0 || position > log_.size()) {
      return Status::corruption("the log has no event at position " + std::to_string(position));
    }
    out->push_back(log_[position - 1]);
  }
  return Status::ok();
}

Status MemoryEventStore::stream_version(std::string_view stream, Version* out) const {
  std::lock_guard lock(mutex_);
  const auto found = streams_.find(std::string(stream));
  *out = found == streams_.end() ? 0 : found->second.head.version;
  return Status::ok();
}

Position MemoryEventStore::last_position() const {
  std::lock_guard lock(mutex_);
  return log_.size();
}

Status MemoryEventStore::get(Table table, std::string_view key,
                             std::optional<std::string>* out) const {
  std::lock_guard lock(mutex_);
  return get_locked(table, key, out);
}

Status MemoryEventStore::get_locked(Table table, std::string_view key, std::optional<std::string>* out) const {
  out->reset();
  if (const auto rows = tables_.find(table); rows != tables_.end()) {
    if (const auto row = rows->second.find(key); row != rows->second.end()) *out = row->second;
  }
  return Status::ok();
}

Status MemoryEventStore::scan(Table table, std::string_view from_key, std::string_view to_key,
                              std::size_t max_count, std::vector<KeyValue>* out) const {
  std::lock_guard lock(mutex_);
  const auto rows = tables_.find(table);
  if (rows == tables_.end()) return Status::ok();
  for (auto row = rows->second.lower_bound(from_key);
       row != rows->second.end() && max_count > 0; ++row, --max_count) {
    if (!to_key.empty() && row->first >= to_key) break;
    out->push_back({row->first, row->second});
  }
  return Status::ok();
}

std::optional<std::size_t> MemoryEventStore::row_count(Table table) const {
  if (!counted_index(table)) return std::nullopt;
  std::lock_guard lock(mutex_);
  const auto rows = tables_.find(table);
  return rows == tables_.end() ? 0 : rows->second.size();
}

void MemoryEventStore::add_commit_observer(CommitObserver observer) {
  std::lock_guard lock(mutex_);
  observers_.push_back(std::move(observer));
}

}  // namespace benefitd::store
