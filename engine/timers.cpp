#include "engine/timers.h"

#include "store/event_codec.h"

namespace benefitd::engine {

namespace {

// Seconds since the epoch, biased so that times before 1970 still sort before later ones.
constexpr std::uint64_t kBias = std::uint64_t{1} << 63;

std::string due_prefix(Time due) {
  return store::encode_big_endian(static_cast<std::uint64_t>(due.time_since_epoch().count()) +
                                  kBias);
}

std::string timer_key(const Timer& timer) { return due_prefix(timer.due) + timer.id; }

store::Status decode(const store::KeyValue& row, Timer* out) {
  std::uint64_t biased = 0;
  if (row.key.size() <= 8 || !store::decode_big_endian(std::string_view(row.key).substr(0, 8), &biased)) {
    return store::Status::corruption("a timer row has a malformed key");
  }
  out->due = Time(std::chrono::seconds(static_cast<std::int64_t>(biased - kBias)));
  out->id = row.key.substr(8);
  out->payload = row.value;
  return store::Status::ok();
}

store::Status decode_all(const std::vector<store::KeyValue>& rows, std::vector<Timer>* out) {
  for (const store::KeyValue& row : rows) {
    Timer timer;
    if (store::Status status = decode(row, &timer); !status.is_ok()) return status;
    out->push_back(std::move(timer));
  }
  return store::Status::ok();
}

}  // namespace

store::KeyedWrite schedule_timer(const Timer& timer) {
  return store::KeyedWrite::put(store::Table::timers, timer_key(timer), timer.payload);
}

void fire_timer_in(const Timer& timer, store::WriteRequest* write) {
  write->writes.push_back(store::KeyedWrite::erase(store::Table::timers, timer_key(timer)));
  write->expected_rows.push_back({store::Table::timers, timer_key(timer), timer.payload});
}

store::Status due_timers(const store::EventStore& store, Time up_to, std::size_t max_count,
                         std::vector<Timer>* out) {
  std::vector<store::KeyValue> rows;
  const std::string end = due_prefix(up_to + std::chrono::seconds(1));
  if (store::Status status = store.scan(store::Table::timers, "", end, max_count, &rows);
      !status.is_ok()) {
    return status;
  }
  return decode_all(rows, out);
}

store::Status next_timer(const store::EventStore& store, std::optional<Timer>* out) {
  std::vector<store::KeyValue> rows;
  if (store::Status status = store.scan(store::Table::timers, "", "", 1, &rows); !status.is_ok()) {
    return status;
  }
  out->reset();
  if (rows.empty()) return store::Status::ok();
  Timer timer;
  if (store::Status status = decode(rows.front(), &timer); !status.is_ok()) return status;
  *out = std::move(timer);
  return store::Status::ok();
}

}  // namespace benefitd::engine
