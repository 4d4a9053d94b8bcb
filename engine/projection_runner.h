#pragma once
// Projections (R-ENG-5): views derived from the log, kept in the store's views table.
//
// The runner reads the log after its checkpoint, lets every projection turn each event into
// view changes, and commits a chunk of changes together with the new checkpoint in one write:
// views and checkpoint never disagree, even across a crash. Projections must be deterministic
// (the same events give the same bytes), so a rebuild from an empty views table gives views
// identical to the live ones.
//
// A chunk commits while the next one is projected, so a long catch-up keeps the store's writer
// and the projections busy at once.
//
// A large chunk (a rebuild, a long catch-up) is split by stream between as many threads as the
// machine has cores, up to four, when every projection says its streams are independent.
//
// Readers wait for a position (read-your-writes) through when_reached, and for particular view
// keys to change (long-polls) through when_changed: each commit reports the view keys it wrote
// to the watches (see view_watches.h), so a commit wakes only the readers of those keys. The
// waiting is a condition variable on the runner's thread, never a busy loop.
//
// Thread safety: all public methods are thread-safe. Projections are called from one thread
// at a time (the one catching up), unless they allow a chunk to be split between threads.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "engine/view_watches.h"
#include "store/event_store.h"

namespace benefitd::engine {

/// The view changes of one chunk, readable before they commit.
class ViewWriter {
 public:
  /// Produces a value when the chunk commits.
  using Render = std::function<std::string()>;

  /// `earlier_commit`, if valid, is the commit of the chunk before, still in flight: reads of
  /// stored views wait for it (and fail with it).
  explicit ViewWriter(const store::EventStore& store, std::shared_future<store::Status> earlier_commit = {})
      : store_(store), earlier_commit_(std::move(earlier_commit)) {}

  /// The value as this chunk left it, else as stored.
  store::Status get(std::string_view key, std::optional<std::string>* out) const;
  /// Stored rows with from_key <= key < to_key overlaid with this chunk's changes.
  store::Status scan(std::string_view from_key, std::string_view to_key,
                     std::vector<store::KeyValue>* out) const;
  void put(std::string key, std::string value);
  /// Puts what `render` returns, called once when the chunk commits (or on a get of `key`).
  /// A later change of `key` in the same chunk replaces it unrendered: a view that many events
  /// of one chunk change is rendered once. `render` must own or share what it reads.
  void put_rendered(std::string key, Render render);
  void erase(std::string key);

  /// The chunk's changes as store writes; leaves the writer empty.
  std::vector<store::KeyedWrite> take();

 private:
  struct Change {
    std::optional<std::string> value;  // nullopt with no render: an erase
    Render render;
    std::optional<std::string> resolved() const { return render ? render() : value; }
  };

  store::Status await_earlier_commit() const;

  const store::EventStore& store_;
  const std::shared_future<store::Status> earlier_commit_;
  std::map<std::string, Change, std::less<>> pending_;
};

class Projection {
 public:
  virtual ~Projection() = default;
  /// Records in `views` what `event` changes. A failure stops the runner at this event.
  virtual store::Status apply(const store::RecordedEvent& event, ViewWriter& views) = 0;
  /// Names the shape of the views this projection writes. Change it with any change that would
  /// leave views written before it wrong or incomplete: views written under another layout are
  /// dropped when the runner opens, and rebuilt as it catches up.
  virtual std::string layout() const = 0;
  /// Forgets any in-memory state, before a rebuild.
  virtual void reset() {}
  /// True if events of different streams never touch the same view key, so that a chunk can be
  /// split by stream between threads (each stream's events still applied in order, each part
  /// into a writer of its own). A projection saying so must allow concurrent calls of apply.
  virtual bool streams_independent() const { return false; }
};

class ProjectionRunner {
 public:
  using Progress = std::function<void(std::uint64_t done, std::uint64_t total)>;

  ProjectionRunner(store::EventStore& store, std::vector<std::unique_ptr<Projection>> projections);
  ~ProjectionRunner();
  ProjectionRunner(const ProjectionRunner&) = delete;
  ProjectionRunner& operator=(const ProjectionRunner&) = delete;

  /// Reads the checkpoint. Views written under other layouts (see Projection::layout) count as
  /// none: the first catch-up drops them, with the checkpoint, and rebuilds them. Call once,
  /// before anything else.
  store::Status open();
  /// Brings the views up to the log's last position, on the calling thread.
  store::Status catch_up(const Progress& progress = {});
  /// From now on, follows the log on a thread of its own.
  void start();

  /// The log position every view includes.
  store::Position position() const;
  /// Runs `done(true)` once the views include `position`, or `done(false)` at `deadline`.
  /// Runs on the runner's thread (or at once, on the caller's, if already reached).
  void when_reached(store::Position position, std::chrono::steady_clock::time_point deadline,
                    std::function<void(bool)> done);
  /// Runs `done(true)` once a commit after position `since` writes one of `keys` (any view
  /// key, if `keys` names none), or `done(false)` at `deadline`; see ViewWatches::watch. Runs
  /// on the runner's thread, or at once on the caller's if such a commit was already reported.
  void when_changed(ViewWatches::Keys keys, store::Position since, std::chrono::steady_clock::time_point deadline,
                    std::function<void(bool)> done);

  /// Empties the views table and the projections' memory, then projects the whole log again.
  /// Only while not following (offline tools, tests).
  store::Status rebuild(const Progress& progress = {});

  /// The last error that stopped catching up, if any (for health and metrics). While it is
  /// set the views are behind the log: the runner retries with back-off, sooner when the store
  /// commits again after a store error.
  std::optional<std::string> last_error() const;

 private:
  struct Waiter {
    store::Position position;
    std::chrono::steady_clock::time_point deadline;
    std::function<void(bool)> done;
  };

  /// Empties the views table, the checkpoint and the projections' memory, and records the
  /// current layout, in one write. Holding catch_up_mutex_.
  store::Status reset_views();
  using Clock = std::chrono::steady_clock;

  void follow();
  /// Schedules the next attempt after a failed catch-up, or clears the schedule.
  void record_outcome(const store::Status& status);
  void settle_waiters(bool include_expired);
  /// Applies `events` to every projection; on failure sets `failed_at` to the first failing
  /// event's position.
  store::Status apply_chunk(const std::vector<store::RecordedEvent>& events,
                            const std::shared_future<store::Status>& earlier_commit,
                            std::vector<store::KeyedWrite>* writes, store::Position* failed_at);

  store::EventStore& store_;
  std::vector<std::unique_ptr<Projection>> projections_;
  const std::string layout_;  // every projection's layout, in order
  const std::size_t workers_;  // threads for a large chunk; 1 if a projection forbids splitting
  std::mutex catch_up_mutex_;  // one catch-up at a time
  bool reset_pending_ = false;  // the stored views have another layout; under catch_up_mutex_

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  store::Position position_ = 0;
  store::Position log_position_ = 0;  // the latest position the store reported
  std::vector<Waiter> waiters_;
  ViewWatches watches_;
  std::optional<std::string> last_error_;
  std::optional<store::Position> refused_at_;  // the event a projection refused, if that stopped us
  std::optional<Clock::time_point> retry_at_;  // set after a failed catch-up
  std::chrono::milliseconds retry_delay_{0};
  bool stopping_ = false;
  std::thread follower_;
};

}  // namespace benefitd::engine
