#include "engine/projection_runner.h"

#include <algorithm>
#include <atomic>
#include <future>
#include <limits>
#include <system_error>
#include <utility>

#include <spdlog/spdlog.h>

#include "store/event_codec.h"

namespace benefitd::engine {

namespace {

constexpr std::string_view kCheckpointKey = "projections";
constexpr std::string_view kLayoutKey = "projections-layout";
constexpr std::size_t kChunk = 2000;
// A rebuild in bulk reads larger chunks: nothing waits for their commit.
constexpr std::size_t kBulkChunk = 10000;
constexpr std::chrono::milliseconds kFirstRetryDelay{100};
constexpr std::chrono::milliseconds kLastRetryDelay{5000};
// Below this many events a chunk is applied on the calling thread: handing work to another
// thread costs more than it saves.
constexpr std::size_t kSplitChunk = 500;
// A split chunk has more parts than threads, which take them in turn: a thread that gets less
// of the cores (the rebuild's runs are written beside it) takes fewer, and each part's map of
// pending views is smaller (docs/benchmarks.md).
constexpr std::size_t kPartsPerWorker = 4;
constexpr unsigned kMaxWorkers = 4;

std::size_t worker_count(const std::vector<std::unique_ptr<Projection>>& projections) {
  const bool splittable = std::all_of(projections.begin(), projections.end(),
                                      [](const auto& projection) { return projection->streams_independent(); });
  return splittable ? std::clamp(std::thread::hardware_concurrency(), 1U, kMaxWorkers) : 1;
}

std::string layout_of(const std::vector<std::unique_ptr<Projection>>& projections) {
  std::string layout;
  for (const auto& projection : projections) {
    if (!layout.empty()) layout += ',';
    layout += projection->layout();
  }
  return layout;
}

std::vector<std::string> written_view_keys(const std::vector<store::KeyedWrite>& writes) {
  std::vector<std::string> keys;
  keys.reserve(writes.size());
  for (const store::KeyedWrite& write : writes) {
    if (write.table == store::Table::views) keys.push_back(write.key);
  }
  return keys;
}

}  // namespace

ProjectionRunner::ProjectionRunner(store::EventStore& store,
                                   std::vector<std::unique_ptr<Projection>> projections)
    : store_(store),
      projections_(std::move(projections)),
      layout_(layout_of(projections_)),
      workers_(worker_count(projections_)) {}

ProjectionRunner::~ProjectionRunner() {
  {
    std::lock_guard lock(listening_->mutex);
    listening_->runner = nullptr;
  }
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (follower_.joinable()) follower_.join();
  settle_waiters(true);
}

store::Status ProjectionRunner::open() {
  std::optional<std::string> stored_layout;
  if (store::Status status = store_.get(store::Table::checkpoints, kLayoutKey, &stored_layout);
      !status.is_ok()) {
    return status;
  }
  if (stored_layout != layout_) {
    // Dropped by the first catch-up, not here: an offline tool that only reads keeps them.
    {
      std::lock_guard serial(catch_up_mutex_);
      reset_pending_ = true;
    }
    std::lock_guard lock(mutex_);
    log_position_ = store_.last_position();
    return store::Status::ok();
  }
  std::optional<std::string> stored;
  if (store::Status status = store_.get(store::Table::checkpoints, kCheckpointKey, &stored);
      !status.is_ok()) {
    return status;
  }
  store::Position checkpoint = 0;
  if (stored && !store::decode_big_endian(*stored, &checkpoint)) {
    return store::Status::corruption("the projections' checkpoint is malformed");
  }
  std::lock_guard lock(mutex_);
  position_ = checkpoint;
  log_position_ = std::max(checkpoint, store_.last_position());
  return store::Status::ok();
}

store::Status ProjectionRunner::catch_up(const Progress& progress) {
  std::lock_guard serial(catch_up_mutex_);
  if (reset_pending_) {
    if (store::Status status = rebuild_in_bulk(progress); !status.is_ok()) return status;
  }
  const store::Position total = store_.last_position();
  // Each chunk commits while the next one is projected. `committing` is the commit in flight
  // and `committing_to` the position it records; the next chunk's writers wait for it before
  // reading stored views, and nothing is published before its commit succeeds.
  std::shared_future<store::Status> committing;
  store::Position committing_to = 0;
  std::vector<std::string> committing_keys;  // the view keys the commit in flight writes
  const auto settle_commit = [&]() -> store::Status {
    if (!committing.valid()) return store::Status::ok();
    store::Status status = committing.get();
    committing = {};
    if (!status.is_ok()) return status;
    {
      std::lock_guard lock(mutex_);
      position_ = committing_to;
      if (!refused_at_ || *refused_at_ > committing_to + 1) {
        last_error_.reset();
        refused_at_.reset();
      }
    }
    // Before the position waiters, so that a read that waited for this position finds the
    // watches of this commit already woken.
    watches_.changed(committing_to, std::exchange(committing_keys, {}));
    settle_waiters(false);
    if (progress) progress(committing_to, std::max(total, committing_to));
    return status;
  };

  // Other processes sharing the store may write the views with their commands meanwhile: what
  // their checkpoint covers is adopted rather than projected again, and each chunk expects the
  // checkpoint where this runner left it, so that it never lands on views another process has
  // moved on (it fails with a conflict, and the runner goes on from their checkpoint).
  store::Position at = position();
  std::optional<std::string> stored;  // the checkpoint row as last read, at position `stored_at`
  store::Position stored_at = 0;
  const auto adopt_stored_checkpoint = [&]() -> store::Status {
    if (store::Status status = store_.get(store::Table::checkpoints, kCheckpointKey, &stored); !status.is_ok()) {
      return status;
    }
    store::Position checkpoint = 0;
    if (stored && !store::decode_big_endian(*stored, &checkpoint)) {
      return store::Status::corruption("the projections' checkpoint is malformed");
    }
    stored_at = checkpoint;
    if (checkpoint > at) {
      at = checkpoint;
      {
        std::lock_guard lock(mutex_);
        position_ = std::max(position_, checkpoint);
      }
      settle_waiters(false);
    }
    return store::Status::ok();
  };
  // After a failed chunk: whether another process moved the checkpoint past this runner's.
  const auto moved_elsewhere = [&](const store::Status& status) {
    if (status.code() != store::Status::Code::conflict) return false;
    at = position();
    const store::Position before = at;
    return adopt_stored_checkpoint().is_ok() && at > before;
  };
  std::vector<store::RecordedEvent> events;
  for (;;) {
    // The head before the checkpoint: a checkpoint at or past it covers it.
    const store::Position head = store_.last_position();
    if (store::Status status = adopt_stored_checkpoint(); !status.is_ok()) return status;
    events.clear();
    store::Status status = at < head ? store_.read_all(at + 1, kChunk, &events) : store::Status::ok();
    if (status.is_ok() && events.empty()) {
      store::Status last = settle_commit();
      if (moved_elsewhere(last)) continue;
      return last;
    }
    store::WriteRequest write;
    write.completes_acknowledged = true;
    store::Position failed_at = 0;
    if (status.is_ok()) status = apply_chunk(events, committing, nullptr, &write.writes, &failed_at);
    // The chunk before is settled first, so that its success does not clear this one's error.
    if (store::Status earlier = settle_commit(); !earlier.is_ok()) {
      if (moved_elsewhere(earlier)) continue;
      return earlier;
    }
    if (failed_at != 0) {
      std::lock_guard lock(mutex_);
      last_error_ = "event " + std::to_string(failed_at) + ": " + status.message();
      refused_at_ = failed_at;
    }
    // A projection refused an event: the views still take every event before it, so that
    // they stop exactly there rather than at the end of the chunk before.
    store::Status stop = status;
    if (failed_at > events.front().position) {
      std::erase_if(events, [failed_at](const store::RecordedEvent& event) { return event.position >= failed_at; });
      write.writes.clear();
      store::Position ignored = 0;
      status = apply_chunk(events, committing, nullptr, &write.writes, &ignored);
    }
    if (!status.is_ok()) return status;

    write.writes.push_back(store::KeyedWrite::put(store::Table::checkpoints,
                                                  std::string(kCheckpointKey),
                                                  store::encode_big_endian(events.back().position)));
    // The row as read, or as this runner's chunk in flight leaves it.
    write.expected_rows.push_back({store::Table::checkpoints, std::string(kCheckpointKey),
                                   at == stored_at ? stored : std::optional(store::encode_big_endian(at))});
    auto outcome = std::make_shared<std::promise<store::Status>>();
    committing = outcome->get_future().share();
    committing_to = events.back().position;
    committing_keys = written_view_keys(write.writes);
    store_.append_async(std::move(write), [outcome](store::AppendResult result) {
      outcome->set_value(std::move(result.status));
    });
    at = committing_to;
    if (!stop.is_ok()) {
      if (store::Status earlier = settle_commit(); !earlier.is_ok()) {
        if (moved_elsewhere(earlier)) continue;
        return earlier;
      }
      return stop;
    }
  }
}

store::Status ProjectionRunner::apply_chunk(const std::vector<store::RecordedEvent>& events,
                                          const std::shared_future<store::Status>& earlier_commit,
                                          const store::TableReplacement* rebuilt,
                                          std::vector<store::KeyedWrite>* writes, store::Position* failed_at,
                                          std::vector<std::vector<store::KeyedWrite>>* part_writes) {
  const std::size_t parts = events.size() >= kSplitChunk ? workers_ * kPartsPerWorker : 1;
  std::vector<std::size_t> part_of(events.size(), 0);
  if (parts > 1) {
    std::hash<std::string> hash;
    for (std::size_t i = 0; i < events.size(); ++i) part_of[i] = hash(events[i].stream) % parts;
  }
  // Each part renders its own changes (take) on its own thread: rendering views is much of the work.
  struct Part {
    store::Status status = store::Status::ok();
    store::Position failed_at = 0;
    std::vector<store::KeyedWrite> writes;
  };
  auto apply_part = [&](std::size_t part) -> Part {
    ViewWriter views = rebuilt != nullptr ? ViewWriter(*rebuilt) : ViewWriter(store_, earlier_commit);
    for (std::size_t i = 0; i < events.size(); ++i) {
      if (part_of[i] != part) continue;
      for (const auto& projection : projections_) {
        if (store::Status status = projection->apply(events[i], views); !status.is_ok()) {
          return {std::move(status), events[i].position, {}};
        }
      }
    }
    return {store::Status::ok(), 0, views.take()};
  };
  // The threads take the parts in turn: one that gets less of the cores takes fewer.
  std::vector<Part> outcomes(parts);
  std::atomic<std::size_t> next_part{0};
  const auto take_parts = [&] {
    for (std::size_t part = next_part++; part < parts; part = next_part++) outcomes[part] = apply_part(part);
  };
  std::vector<std::future<void>> helpers;
  for (std::size_t thread = 1; thread < std::min(workers_, parts); ++thread) {
    try {
      helpers.push_back(std::async(std::launch::async, take_parts));
    } catch (const std::system_error&) {
      break;  // no thread to be had: the threads there are take every part
    }
  }
  take_parts();
  for (auto& helper : helpers) helper.get();

  // Report the earliest failure: the one a single thread would have met.
  const Part* first = nullptr;
  for (const Part& outcome : outcomes) {
    if (!outcome.status.is_ok() && (first == nullptr || outcome.failed_at < first->failed_at)) first = &outcome;
  }
  if (first != nullptr) {
    *failed_at = first->failed_at;
    return first->status;
  }
  for (Part& outcome : outcomes) {
    if (part_writes != nullptr) {
      part_writes->push_back(std::move(outcome.writes));
    } else {
      writes->insert(writes->end(), std::make_move_iterator(outcome.writes.begin()),
                     std::make_move_iterator(outcome.writes.end()));
    }
  }
  return store::Status::ok();
}

void ProjectionRunner::start(Following following) {
  {
    std::lock_guard lock(mutex_);
    hand_over_when_caught_up_ = following == Following::writers;
  }
  {
    std::lock_guard lock(listening_->mutex);
    listening_->runner = this;
  }
  store_.add_commit_observer([listening = listening_](store::Position position) {
    std::lock_guard lock(listening->mutex);
    if (listening->runner != nullptr) listening->runner->heard_commit(position);
  });
  store_.add_foreign_commit_observer(
      [listening = listening_](store::Position position, const std::vector<std::string>* view_keys) {
        std::lock_guard lock(listening->mutex);
        if (listening->runner == nullptr) return;
        if (view_keys != nullptr) listening->runner->watches_.changed(position, *view_keys);
        else listening->runner->watches_.changed_all(position);
      });
  follower_ = std::thread([this] { follow(); });
}

void ProjectionRunner::heard_commit(store::Position position) {
  {
    std::lock_guard lock(mutex_);
    if (position <= log_position_) return;
    log_position_ = position;
    if (inline_.load(std::memory_order_relaxed)) position_ = position;
    // The store writes again: a commit that failed may succeed now. A refused event is
    // refused again, so that waits for its back-off.
    if (retry_at_ && !refused_at_) retry_at_ = Clock::now();
  }
  wake_.notify_all();
}

void ProjectionRunner::follow() {
  for (;;) {
    bool project = false;
    {
      std::unique_lock lock(mutex_);
      if (stopping_) return;
      const bool behind = log_position_ > position_ ||
                          (hand_over_when_caught_up_ && !inline_.load(std::memory_order_relaxed));
      project = behind && (!retry_at_ || Clock::now() >= *retry_at_);
      if (!project) {
        std::optional<Clock::time_point> wake_at;
        for (const Waiter& waiter : waiters_) {
          if (!wake_at || waiter.deadline < *wake_at) wake_at = waiter.deadline;
        }
        const auto watch_deadline = watches_.next_deadline();
        if (watch_deadline && (!wake_at || *watch_deadline < *wake_at)) wake_at = watch_deadline;
        if (behind && retry_at_ && (!wake_at || *retry_at_ < *wake_at)) wake_at = retry_at_;
        if (wake_at) {
          wake_.wait_until(lock, *wake_at);
        } else {
          wake_.wait(lock);
        }
      }
    }
    if (project) {
      store::Status status = catch_up();
      if (status.is_ok() && hand_over_pending()) status = hand_over_to_writers();
      record_outcome(status);
    }
    settle_waiters(true);
    watches_.expire(Clock::now());
  }
}

bool ProjectionRunner::hand_over_pending() const {
  std::lock_guard lock(mutex_);
  return hand_over_when_caught_up_ && !inline_.load(std::memory_order_relaxed);
}

store::Status ProjectionRunner::hand_over_to_writers() {
  std::lock_guard serial(catch_up_mutex_);
  const store::Position at = position();
  // Past the log position this process knows of: another process's commands wrote them.
  if (reset_pending_ || at < store_.last_position()) {
    return store::Status::io_error("the views are at position " + std::to_string(at) + " of " +
                                   std::to_string(store_.last_position()));
  }
  std::lock_guard lock(mutex_);
  if (!inline_.exchange(true, std::memory_order_acq_rel)) {
    spdlog::info("views: complete at position {}; commands write their own views from now on", at);
  }
  return store::Status::ok();
}

store::KeyedWrite ProjectionRunner::checkpoint_at_event(std::size_t event_index) {
  return store::KeyedWrite::put_position_of_event(store::Table::checkpoints, std::string(kCheckpointKey), event_index);
}

void ProjectionRunner::committed_inline(store::Position position, const std::vector<std::string>& keys) {
  watches_.changed(position, keys);
}

void ProjectionRunner::record_outcome(const store::Status& status) {
  std::lock_guard lock(mutex_);
  if (status.is_ok()) {
    if (retry_at_) spdlog::info("views: caught up again at position {}", position_);
    retry_at_.reset();
    retry_delay_ = {};
    return;
  }
  // Retry with back-off, never in a loop: a failing store or a refused event would otherwise
  // spin. A store error is retried sooner when the store commits again (see start()).
  if (!retry_at_) {
    spdlog::error("views: stopped at position {} of {}: {}", position_, log_position_,
                  last_error_.value_or(status.message()));
  }
  if (!last_error_) last_error_ = status.message();
  retry_delay_ = std::clamp(retry_delay_ * 2, kFirstRetryDelay, kLastRetryDelay);
  retry_at_ = Clock::now() + retry_delay_;
}

void ProjectionRunner::settle_waiters(bool include_expired) {
  std::vector<std::pair<std::function<void(bool)>, bool>> ready;
  {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    const store::Position reached = position_locked();
    auto kept = std::partition(waiters_.begin(), waiters_.end(), [&](const Waiter& waiter) {
      return waiter.position > reached && !(include_expired && waiter.deadline <= now);
    });
    for (auto it = kept; it != waiters_.end(); ++it) {
      ready.emplace_back(std::move(it->done), it->position <= reached);
    }
    waiters_.erase(kept, waiters_.end());
  }
  for (auto& [done, reached] : ready) done(reached);
}

store::Position ProjectionRunner::position() const {
  std::lock_guard lock(mutex_);
  return position_locked();
}

store::Position ProjectionRunner::position_locked() const {
  // Handed over, the views include whatever the store has committed, even before its
  // observers have told the runner.
  return inline_.load(std::memory_order_relaxed) ? std::max(position_, store_.last_position()) : position_;
}

void ProjectionRunner::when_reached(store::Position position,
                                    std::chrono::steady_clock::time_point deadline,
                                    std::function<void(bool)> done) {
  {
    std::lock_guard lock(mutex_);
    if (position > position_locked()) {
      waiters_.push_back({position, deadline, std::move(done)});
      done = nullptr;
    }
  }
  if (done) {
    done(true);
  } else {
    wake_.notify_all();  // the follower may need an earlier deadline
  }
}

void ProjectionRunner::when_changed(ViewWatches::Keys keys, store::Position since,
                                    std::chrono::steady_clock::time_point deadline,
                                    std::function<void(bool)> done) {
  if (watches_.watch(std::move(keys), since, deadline, std::move(done))) {
    // The follower may be about to wait for a later deadline: taking its lock orders this
    // notification after it waits.
    { std::lock_guard lock(mutex_); }
    wake_.notify_all();
  }
}

store::Status ProjectionRunner::rebuild(const Progress& progress) {
  {
    std::lock_guard serial(catch_up_mutex_);
    reset_pending_ = true;
  }
  return catch_up(progress);
}

store::Status ProjectionRunner::rebuild_in_bulk(const Progress& progress) {
  {
    std::lock_guard lock(mutex_);
    inline_.store(false, std::memory_order_release);
  }
  for (const auto& projection : projections_) projection->reset();
  std::unique_ptr<store::TableReplacement> rebuilt;
  if (store::Status status = store_.replace_table(store::Table::views, &rebuilt); !status.is_ok()) return status;

  const store::Position total = store_.last_position();
  store::Position at = 0;
  store::Status stop = store::Status::ok();  // a projection refused an event: the views end before it
  // The next chunk is read and decoded while this one is projected.
  const auto read_chunk = [this, total](store::Position from, std::vector<store::RecordedEvent>* out) {
    return from > total ? store::Status::ok()
                        : store_.read_all(from, std::min<store::Position>(kBulkChunk, total - from + 1), out);
  };
  std::vector<store::RecordedEvent> events;
  std::vector<store::RecordedEvent> next;
  std::future<store::Status> reading = std::async(std::launch::deferred, read_chunk, 1, &next);
  while (at < total && stop.is_ok()) {
    if (store::Status status = reading.get(); !status.is_ok()) return status;
    events.swap(next);
    next.clear();
    if (events.empty()) break;
    try {
      reading = std::async(std::launch::async, read_chunk, events.back().position + 1, &next);
    } catch (const std::system_error&) {
      reading = std::async(std::launch::deferred, read_chunk, events.back().position + 1, &next);
    }
    std::vector<std::vector<store::KeyedWrite>> parts;
    store::Position failed_at = 0;
    stop = apply_chunk(events, {}, rebuilt.get(), nullptr, &failed_at, &parts);
    if (failed_at != 0) {
      std::erase_if(events, [failed_at](const store::RecordedEvent& event) { return event.position >= failed_at; });
      parts.clear();
      store::Position ignored = 0;
      if (!events.empty()) {
        if (store::Status status = apply_chunk(events, {}, rebuilt.get(), nullptr, &ignored, &parts); !status.is_ok()) {
          return status;
        }
      }
      std::lock_guard lock(mutex_);
      last_error_ = "event " + std::to_string(failed_at) + ": " + stop.message();
      refused_at_ = failed_at;
    } else if (!stop.is_ok()) {
      return stop;
    }
    for (auto& part : parts) {
      if (store::Status status = rebuilt->add(std::move(part)); !status.is_ok()) return status;
    }
    if (!events.empty()) at = events.back().position;
    if (progress && stop.is_ok()) progress(at, total);
  }

  std::vector<store::KeyedWrite> checkpoint;
  checkpoint.push_back(store::KeyedWrite::put(store::Table::checkpoints, std::string(kCheckpointKey),
                                              store::encode_big_endian(at)));
  checkpoint.push_back(store::KeyedWrite::put(store::Table::checkpoints, std::string(kLayoutKey), layout_));
  if (store::Status status = rebuilt->commit(std::move(checkpoint)); !status.is_ok()) return status;
  reset_pending_ = false;
  {
    std::lock_guard lock(mutex_);
    position_ = at;
    if (stop.is_ok()) {
      last_error_.reset();
      refused_at_.reset();
    }
  }
  watches_.changed_all(at);
  settle_waiters(false);
  return stop;
}

std::optional<std::string> ProjectionRunner::last_error() const {
  std::lock_guard lock(mutex_);
  return last_error_;
}

}  // namespace benefitd::engine
