#pragma once
// PostgresEventStore: the EventStore on a PostgreSQL 15 database (schema: postgres_schema.h),
// so that several benefitd processes can share one log.
//
// Group commit: appends queue to one writer thread, which commits everything queued as one
// transaction in two round trips (libpq pipeline mode): the first opens it, takes the row lock
// on the log's head row (SELECT ... FOR UPDATE) and reads the head position, the counted
// tables' row counts, the heads of the streams and keys the group touches and the rows it
// expects (WriteRequest::expected_rows), all as committed before the lock; the writer then
// sequences the group (AppendSequencer, RowCounter: the same rules and hash chain as every
// store), and the second round trip sends every insert, the new head position and the COMMIT.
// Callbacks run after the COMMIT has answered, i.e. once PostgreSQL has made it durable
// (synchronous_commit on) unless the options turn that off.
//
// Gap-free positions across processes: positions are head position + 1, 2, ... read and
// written under the head row's lock, which is held until COMMIT (or rollback). Writers of every
// process therefore commit one after another, each starting where the last committed one
// ended; a transaction that fails writes no head and so leaves no hole (unlike a sequence,
// whose numbers are not returned on rollback). Because the next writer gets the lock only
// after the previous commit is visible, readers never see a later position before an earlier.
//
// Faults: write_health() reports a lost connection as soon as the listener (below) loses its
// own, even before an append meets it. A lost writer connection puts the store in a failed
// state: appends
// are refused at once with an I/O error and change nothing, while the writer reconnects with
// back-off (following a libpq multi-host string with target_session_attrs=read-write to the
// new primary). A group whose COMMIT was sent but whose answer was lost is neither
// acknowledged nor refused until the writer, reconnected, has read whether it committed: each
// group records its number in the `writers` row of this store. If the store is destroyed before
// it can tell, those callers hear an I/O error that says the outcome is unknown. Reads use a
// pool of connections and fail with an I/O error while no server answers.
//
// Other processes' commits: every commit also announces the log's new last position and the
// view keys it wrote on a channel of the schema (NOTIFY, delivered with the COMMIT, in commit
// order; postgres/commit_announcement.h), and a listener thread of each store (LISTEN, its own
// connection) raises last_position() and runs the commit observers for positions it had not
// reached, and the foreign commit observers for every commit another store announced, so that
// followers (projections, long-polls of the keys written) wake on commits made elsewhere.
// After its connection was lost, the listener reconnects with back-off and catches up from the
// head row, reporting no keys (what it missed is unknown). row_count() follows this
// store's own commits and what each of its groups reads under the lock. Reads see every
// process's commits at once.
//
// Thread safety: all methods are thread-safe. Destruction commits what is already queued.

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "store/event_store.h"

namespace benefitd::store {

namespace postgres {
class PgConnection;
}  // namespace postgres

struct PostgresOptions {
  /// A libpq connection string or URI, e.g. "postgresql://host1,host2/benefitd?target_session_attrs=read-write".
  std::string conninfo;
  /// The schema of the store's tables (created if missing): a-z, 0-9 and '_'.
  std::string schema = "benefitd";
  /// Acknowledge only once PostgreSQL has flushed the commit (synchronous_commit on). Off: a
  /// server crash may lose acknowledged appends (never part of one).
  bool synchronous_commit = true;
  /// Read connections kept open between reads.
  std::size_t idle_readers = 8;
  /// Waits between attempts to reconnect the writer: the first, doubled up to the last. The cap
  /// is short because a failover's new primary is usually ready within seconds, and each
  /// attempt costs only a connection try.
  std::chrono::milliseconds first_recovery_delay{100};
  std::chrono::milliseconds last_recovery_delay{1000};
  /// Listen for other processes' commits (see above).
  bool hear_other_writers = true;
};

class PostgresEventStore final : public EventStore {
 public:
  /// Connects, creates whatever of the schema is missing, and starts the writer.
  static Status open(const PostgresOptions& options, std::unique_ptr<PostgresEventStore>* out);
  /// What opens a store on `options` when called (app::ServiceOptions::open_store).
  static std::function<Status(std::unique_ptr<EventStore>*)> opener(PostgresOptions options);

  ~PostgresEventStore() override;
  PostgresEventStore(const PostgresEventStore&) = delete;
  PostgresEventStore& operator=(const PostgresEventStore&) = delete;

  void append_async(WriteRequest request, AppendCallback done) override;
  Status read_stream(std::string_view stream, Version from, std::size_t max_count,
                     std::vector<RecordedEvent>* out) const override;
  Status read_all(Position from, std::size_t max_count, std::vector<RecordedEvent>* out) const override;
  /// A table of new rows in the database, put in place in one transaction: see
  /// postgres_table_replacement.h. Its commit waits for any group commit in progress.
  Status replace_table(Table table, std::unique_ptr<TableReplacement>* out) override;
  /// From the table of the log's times (log_times.h), which every writer widens in its commits.
  Status positions_in_time(Timestamp from, Timestamp to, std::vector<PositionRange>* out) const override;
  Status read_at(const std::vector<Position>& positions, std::vector<RecordedEvent>* out) const override;
  Status stream_version(std::string_view stream, Version* out) const override;
  Position last_position() const override;
  Status get(Table table, std::string_view key, std::optional<std::string>* out) const override;
  Status scan(Table table, std::string_view from_key, std::string_view to_key, std::size_t max_count,
              std::vector<KeyValue>* out) const override;
  std::optional<std::size_t> row_count(Table table) const override;
  void add_commit_observer(CommitObserver observer) override;
  void add_foreign_commit_observer(ForeignCommitObserver observer) override;
  WriteHealth write_health() const override;

 private:
  using RowCounts = std::array<std::uint64_t, kCountedTables.size()>;

  struct PendingAppend {
    WriteRequest request;
    AppendCallback done;
  };

  // What a group comes to once its outcome is known.
  struct CompletedGroup {
    std::vector<AppendCallback> callbacks;
    std::vector<AppendResult> results;
    bool changed = false;  // whether it committed anything: its observers then run
    Position committed_position = 0;  // the log's last position with the group committed
    RowCounts row_counts{};
  };

  // A group whose COMMIT was sent on a connection that was lost before it answered.
  struct UnresolvedGroup {
    std::uint64_t number = 0;
    CompletedGroup group;  // as it is if it committed
  };

  enum class Attempt { finished, connection_lost_before_commit };

  PostgresEventStore(const PostgresOptions& options, std::string writer_id);

  /// A connection with every statement prepared; for the writer, with its commit setting.
  Status connect(bool writer, std::unique_ptr<postgres::PgConnection>* out) const;
  /// Reads the head position and the row counts into last_position_ and row_counts_.
  Status load_heads(postgres::PgConnection& connection);
  /// Runs `work` on a pooled read connection; once more on a fresh one if a pooled one had died.
  Status with_reader(const std::function<Status(postgres::PgConnection&)>& work) const;

  void run_writer();
  /// Writer thread: one attempt to commit `group`; fills `completed` unless the connection
  /// was lost before anything could commit (then nothing was written).
  Attempt commit_group(std::vector<PendingAppend>& group, CompletedGroup* completed);
  /// Writer thread: the writer connection is lost; refuse appends until it is back.
  void enter_failed_state(const std::string& why);
  /// Writer thread: one attempt to reconnect and to settle an unresolved group.
  void try_recover();
  /// Fails every request of `group` at once with `why`, writing nothing.
  static CompletedGroup refuse_group(std::vector<PendingAppend>& group, const std::string& why);
  /// Runs the group's commit observers (if it changed anything), then its callbacks.
  void acknowledge(CompletedGroup& group);
  void set_health(WriteHealth::Fault fault, std::string reason);
  void notify_observers(Position position);
  /// Listener thread: another process's commit reached `position`, writing `view_keys`
  /// (nullptr: not said).
  void heard_foreign_commit(Position position, const std::vector<std::string>* view_keys);
  /// Raises last_position_ to `position`; whether it was below.
  bool raise_last_position(Position position);
  /// Listener thread: hears other processes' commits until stop_pipe_ is written to.
  void run_listener();
  /// Listener thread: waits `delay` unless told to stop; whether told to stop.
  bool wait_or_stop(std::chrono::milliseconds delay) const;

  const PostgresOptions options_;
  const std::string writer_id_;  // this store's row in `writers`, and its name in announcements
  std::atomic<Position> last_position_{0};
  std::array<std::atomic<std::uint64_t>, kCountedTables.size()> row_counts_{};

  mutable std::mutex readers_mutex_;
  mutable std::vector<std::unique_ptr<postgres::PgConnection>> idle_readers_;

  std::mutex queue_mutex_;
  std::condition_variable queue_ready_;
  std::vector<PendingAppend> queue_;
  bool stopping_ = false;

  mutable std::mutex health_mutex_;
  WriteHealth health_;

  std::mutex observers_mutex_;
  std::vector<CommitObserver> observers_;
  std::vector<ForeignCommitObserver> foreign_observers_;

  // Writer thread only.
  std::unique_ptr<postgres::PgConnection> writer_connection_;  // null while failed
  std::uint64_t groups_sent_ = 0;
  std::optional<UnresolvedGroup> unresolved_;
  bool failed_ = false;
  std::chrono::steady_clock::time_point next_recovery_;
  std::chrono::milliseconds recovery_delay_{0};

  int stop_pipe_[2] = {-1, -1};  // written to once, when the listener must stop
  std::atomic<bool> listener_connected_{true};  // false while the listener has no connection

  std::thread writer_;    // started last, once everything it uses is set
  std::thread listener_;  // likewise
};

}  // namespace benefitd::store
