#pragma once
// MemoryEventStore: the EventStore contract held in memory, for unit tests. Appends commit
// synchronously in the calling thread (the callback runs before append_async returns);
// "durable" means "in this process".
// Thread safety: all methods are thread-safe (one mutex).

#include <map>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "store/append_sequencer.h"
#include "store/event_store.h"

namespace benefitd::store {

class MemoryEventStore final : public EventStore {
 public:
  void append_async(WriteRequest request, AppendCallback done) override;
  Status read_stream(std::string_view stream, Version from, std::size_t max_count,
                     std::vector<RecordedEvent>* out) const override;
  Status read_all(Position from, std::size_t max_count,
                  std::vector<RecordedEvent>* out) const override;
  Status read_at(const std::vector<Position>& positions, std::vector<RecordedEvent>* out) const override;
  Status stream_version(std::string_view stream, Version* out) const override;
  Position last_position() const override;
  Status get(Table table, std::string_view key, std::optional<std::string>* out) const override;
  Status scan(Table table, std::string_view from_key, std::string_view to_key,
              std::size_t max_count, std::vector<KeyValue>* out) const override;
  std::optional<std::size_t> row_count(Table table) const override;
  void add_commit_observer(CommitObserver observer) override;

 private:
  struct Stream {
    StreamHead head;
    std::vector<Position> positions;  // positions[v - 1] holds version v
  };

  Status get_locked(Table table, std::string_view key, std::optional<std::string>* out) const;

  mutable std::mutex mutex_;
  std::vector<RecordedEvent> log_;  // log_[p - 1] holds position p
  std::unordered_map<std::string, Stream> streams_;
  std::map<Table, std::map<std::string, std::string, std::less<>>> tables_;
  std::vector<CommitObserver> observers_;
};

}  // namespace benefitd::store
