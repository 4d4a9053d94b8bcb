#pragma once
// Projections (R-ENG-5): views derived from the log, kept in the store's views table.
//
// Once the views have caught up with the log, the runner hands them over to the writers
// (hand_over_to_writers): from then on every write that appends events carries the views
// those events change (the command path computes them with the same projection code, see
// view_writer.h) and the checkpoint at its last event (checkpoint_at_event), so the views
// include every committed position the moment it commits (R-ENG-10) and the runner projects
// nothing. What stays the runner's: bringing the views up to the log when they are behind it
// (an older data directory, a layout upgrade, a rebuild), answering readers that wait for a
// position, and waking long-polls.
//
// Projecting, the runner reads the log after its checkpoint, lets every projection turn each
// event into view changes, and commits a chunk of changes together with the new checkpoint in
// one write: views and checkpoint never disagree, even across a crash, whoever wrote them.
// Projections must be deterministic (the same events give the same bytes), so a rebuild from an
// empty views table gives views identical to the live ones, checkpoint included.
//
// A chunk commits while the next one is projected, so a long catch-up keeps the store's writer
// and the projections busy at once.
//
// A large chunk (a rebuild, a long catch-up) is split by stream between as many threads as the
// machine has cores, up to four, when every projection says its streams are independent.
//
// A rebuild (and the first catch-up under a new layout) projects the whole log into new views
// beside the stored ones (store::TableReplacement), then puts them in place with their
// checkpoint at once: readers keep the old views until then, and a crash leaves one or the other.
//
// Readers wait for a position (read-your-writes) through when_reached, and for particular view
// keys to change (long-polls) through when_changed: each commit reports the view keys it wrote
// to the watches (see view_watches.h), so a commit wakes only the readers of those keys. The
// waiting is a condition variable on the runner's thread, never a busy loop.
//
// Thread safety: all public methods are thread-safe. Projections are called from one thread
// at a time (the one catching up), unless they allow a chunk to be split between threads.

#include <atomic>
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
#include "engine/view_writer.h"
#include "store/event_store.h"

namespace benefitd::engine {

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

  /// Who keeps the views up to date once the runner has started.
  enum class Following {
    log,      // the runner projects every commit (views follow the log, a little behind)
    writers,  // the runner projects until it has caught up, then hands over to the writers
  };
  /// From now on, follows the log on a thread of its own. Commits of other processes sharing
  /// the store (EventStore::add_foreign_commit_observer) wake the watches of the view keys they
  /// wrote, or every watch when they did not say which.
  void start(Following following = Following::log);

  /// Hands the views over to the writers (see the header comment): from now on every write
  /// that appends events must carry the views they change and checkpoint_at_event. Call only
  /// when nothing appends events without them. Fails while the views are behind the log.
  store::Status hand_over_to_writers();
  /// The checkpoint's write for a write that carries its own views: the position of its event
  /// number `event_index` (its last, counted from 0 over its streams' events).
  static store::KeyedWrite checkpoint_at_event(std::size_t event_index);
  /// Whether writes carry their own views now (handed over).
  bool views_written_inline() const { return inline_.load(std::memory_order_acquire); }
  /// A write carrying its own views committed up to `position`, writing the view `keys`:
  /// wakes the watches of those keys.
  void committed_inline(store::Position position, const std::vector<std::string>& keys);

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

  /// Projects the whole log again into new views and puts them in place of the old ones with
  /// their checkpoint, at once (see rebuild_in_bulk), then catches up with what was appended
  /// meanwhile. Only while not following (offline tools, tests).
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

  /// Projects the whole log into new views (store::TableReplacement) and puts them in place of
  /// the stored ones with their checkpoint and the current layout, at once: until then readers
  /// have the old views at their checkpoint. Forgets the projections' memory first. A refused
  /// event ends the new views before it, and is returned. Holding catch_up_mutex_.
  store::Status rebuild_in_bulk(const Progress& progress);
  using Clock = std::chrono::steady_clock;

  void follow();
  /// The store committed up to `position` (this process or another).
  void heard_commit(store::Position position);
  /// Schedules the next attempt after a failed catch-up, or clears the schedule.
  void record_outcome(const store::Status& status);
  void settle_waiters(bool include_expired);
  /// Started with Following::writers and not handed over yet.
  bool hand_over_pending() const;
  /// The position every view includes. Holding mutex_.
  store::Position position_locked() const;
  /// Applies `events` to every projection, into writers reading the stored views (after
  /// `earlier_commit`) or, with `rebuilt`, the views a bulk rebuild gathers; on failure sets
  /// `failed_at` to the first failing event's position. The writes go to `writes`, or with
  /// `part_writes`, one list per part of the chunk (each sorted by key, as ViewWriter::take
  /// gives them, with keys no other part writes).
  store::Status apply_chunk(const std::vector<store::RecordedEvent>& events,
                            const std::shared_future<store::Status>& earlier_commit,
                            const store::TableReplacement* rebuilt, std::vector<store::KeyedWrite>* writes,
                            store::Position* failed_at,
                            std::vector<std::vector<store::KeyedWrite>>* part_writes = nullptr);

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
  bool hand_over_when_caught_up_ = false;  // started with Following::writers
  std::atomic<bool> inline_{false};        // written only under mutex_
  std::thread follower_;

  // The store's observers reach the runner through this, which the destructor empties first: a
  // store shared with other processes runs them whenever it hears of a commit, even once the
  // runner is gone.
  struct Listening {
    std::mutex mutex;
    ProjectionRunner* runner = nullptr;
  };
  const std::shared_ptr<Listening> listening_ = std::make_shared<Listening>();
};

}  // namespace benefitd::engine
