#include "store/postgres/postgres_event_store.h"

#include <fcntl.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "store/append_sequencer.h"
#include "store/event_codec.h"
#include "store/postgres/commit_announcement.h"
#include "store/postgres/pg_connection.h"
#include "store/postgres/postgres_schema.h"
#include "store/postgres/postgres_table_replacement.h"
#include "store/row_counter.h"

namespace benefitd::store {

using postgres::Params;
using postgres::PgConnection;
using postgres::Result;
using postgres::Statement;

namespace {

// A bigint column holding milliseconds since the epoch (two's complement, as bound).
Timestamp milliseconds_since_epoch(std::uint64_t column) {
  return Timestamp(std::chrono::milliseconds(static_cast<std::int64_t>(column)));
}

// 128 random bits in hex: printable, as commit announcements need it.
std::string random_writer_id() {
  std::random_device random;
  std::string bytes(16, '\0');
  for (char& byte : bytes) byte = static_cast<char>(random());
  return to_hex(bytes);
}

// LIMIT takes a signed bigint.
std::uint64_t limit(std::size_t max_count) {
  return std::min<std::uint64_t>(max_count, static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()));
}

AppendResult refusal(const std::string& why) {
  AppendResult refused;
  refused.status = Status::io_error("nothing was stored: " + why);
  return refused;
}

Status parse_head(const Result& result, StreamHead* head) {
  *head = StreamHead{};
  if (result.rows() == 0) return Status::ok();
  const std::string_view hash = result.bytes(0, 1);
  if (hash.size() != head->last_hash.size()) return Status::corruption("a stream head's hash has the wrong size");
  head->version = result.int8(0, 0);
  std::copy(hash.begin(), hash.end(), head->last_hash.begin());
  return Status::ok();
}

Status decode_rows(const Result& result, int column, std::vector<RecordedEvent>* out) {
  for (int row = 0; row < result.rows(); ++row) {
    RecordedEvent event;
    if (Status status = decode_event(result.bytes(row, column), &event); !status.is_ok()) return status;
    out->push_back(std::move(event));
  }
  return Status::ok();
}

}  // namespace

std::function<Status(std::unique_ptr<EventStore>*)> PostgresEventStore::opener(PostgresOptions options) {
  return [options = std::move(options)](std::unique_ptr<EventStore>* out) {
    std::unique_ptr<PostgresEventStore> opened;
    Status status = open(options, &opened);
    if (status.is_ok()) *out = std::move(opened);
    return status;
  };
}

Status PostgresEventStore::open(const PostgresOptions& options, std::unique_ptr<PostgresEventStore>* out) {
  if (options.conninfo.empty()) return Status::invalid_argument("no PostgreSQL connection string");
  if (Status valid = postgres::check_schema_name(options.schema); !valid.is_ok()) return valid;
  {
    std::unique_ptr<PgConnection> setup;
    if (Status status = PgConnection::connect(options.conninfo, &setup); !status.is_ok()) return status;
    if (Status status = setup->execute(postgres::create_schema_sql(options.schema)); !status.is_ok()) {
      return Status::io_error("cannot create the store's tables in schema " + options.schema + ": " + status.message());
    }
  }
  std::unique_ptr<PostgresEventStore> store(new PostgresEventStore(options, random_writer_id()));
  if (Status status = store->connect(true, &store->writer_connection_); !status.is_ok()) return status;
  if (Status status = store->load_heads(*store->writer_connection_); !status.is_ok()) return status;
  if (::pipe2(store->stop_pipe_, O_CLOEXEC) != 0) return Status::io_error("cannot make a pipe");
  store->writer_ = std::thread([raw = store.get()] { raw->run_writer(); });
  if (options.hear_other_writers) store->listener_ = std::thread([raw = store.get()] { raw->run_listener(); });
  *out = std::move(store);
  return Status::ok();
}

PostgresEventStore::PostgresEventStore(const PostgresOptions& options, std::string writer_id)
    : options_(options), writer_id_(std::move(writer_id)) {}

PostgresEventStore::~PostgresEventStore() {
  {
    std::lock_guard lock(queue_mutex_);
    stopping_ = true;
  }
  queue_ready_.notify_one();
  if (writer_.joinable()) writer_.join();
  if (listener_.joinable()) {
    const char stop = 1;
    while (::write(stop_pipe_[1], &stop, 1) < 0 && errno == EINTR) {
    }
    listener_.join();
  }
  for (const int fd : stop_pipe_) {
    if (fd >= 0) ::close(fd);
  }
}

Status PostgresEventStore::connect(bool writer, std::unique_ptr<PgConnection>* out) const {
  std::unique_ptr<PgConnection> connection;
  if (Status status = PgConnection::connect(options_.conninfo, &connection); !status.is_ok()) return status;
  if (writer) {
    const char* setting = options_.synchronous_commit ? "SET synchronous_commit TO on" : "SET synchronous_commit TO off";
    if (Status status = connection->execute(setting); !status.is_ok()) return status;
  }
  for (const auto& [name, sql] : postgres::prepared_statements(options_.schema)) {
    if (Status status = connection->prepare(name, sql); !status.is_ok()) return status;
  }
  *out = std::move(connection);
  return Status::ok();
}

Status PostgresEventStore::load_heads(PgConnection& connection) {
  Result head, counts;
  if (Status status = connection.run("read_head", {}, &head); !status.is_ok()) return status;
  if (Status status = connection.run("read_counts", {}, &counts); !status.is_ok()) return status;
  if (head.rows() != 1) return Status::corruption("the log head row is missing");
  raise_last_position(head.int8(0, 0));
  for (int row = 0; row < counts.rows(); ++row) {
    for (std::size_t i = 0; i < kCountedTables.size(); ++i) {
      if (counts.bytes(row, 0) == table_name(kCountedTables[i])) row_counts_[i].store(counts.int8(row, 1));
    }
  }
  return Status::ok();
}

Status PostgresEventStore::with_reader(const std::function<Status(PgConnection&)>& work) const {
  std::unique_ptr<PgConnection> connection;
  {
    std::lock_guard lock(readers_mutex_);
    if (!idle_readers_.empty()) {
      connection = std::move(idle_readers_.back());
      idle_readers_.pop_back();
    }
  }
  const bool pooled = connection != nullptr;
  if (!pooled) {
    if (Status status = connect(false, &connection); !status.is_ok()) return status;
  }
  Status status = work(*connection);
  if (!status.is_ok() && pooled && connection->broken()) {
    // It died while idle (a restarted server, a failover): a new connection, once.
    connection.reset();
    if (Status reconnected = connect(false, &connection); !reconnected.is_ok()) return reconnected;
    status = work(*connection);
  }
  if (!connection->broken()) {
    std::lock_guard lock(readers_mutex_);
    if (idle_readers_.size() < options_.idle_readers) idle_readers_.push_back(std::move(connection));
  }
  return status;
}

void PostgresEventStore::append_async(WriteRequest request, AppendCallback done) {
  {
    std::lock_guard lock(queue_mutex_);
    queue_.push_back({std::move(request), std::move(done)});
  }
  queue_ready_.notify_one();
}

void PostgresEventStore::run_writer() {
  std::vector<PendingAppend> group;
  for (;;) {
    {
      std::unique_lock lock(queue_mutex_);
      const auto ready = [this] { return stopping_ || !queue_.empty(); };
      if (failed_) {
        queue_ready_.wait_until(lock, next_recovery_, ready);  // wake to reconnect even when idle
      } else {
        queue_ready_.wait(lock, ready);
      }
      if (stopping_ && queue_.empty()) break;
      group.swap(queue_);
    }
    if (failed_ && std::chrono::steady_clock::now() >= next_recovery_) try_recover();
    if (group.empty()) continue;
    CompletedGroup completed;
    if (failed_) {
      std::lock_guard lock(health_mutex_);
      completed = refuse_group(group, health_.reason);
    } else if (commit_group(group, &completed) == Attempt::connection_lost_before_commit) {
      // The connection may have died while idle (a restarted server, a failover): nothing of
      // the group was committed, so it may go once more on a new connection.
      std::unique_ptr<PgConnection> fresh;
      Status reconnected = connect(true, &fresh);
      if (reconnected.is_ok()) {
        writer_connection_ = std::move(fresh);
        if (commit_group(group, &completed) == Attempt::connection_lost_before_commit) {
          reconnected = Status::io_error("the connection to PostgreSQL was lost");
        }
      }
      if (!reconnected.is_ok()) {
        enter_failed_state(reconnected.message());
        completed = refuse_group(group, reconnected.message());
      }
    }
    group.clear();
    acknowledge(completed);
  }
  if (unresolved_) try_recover();
  if (unresolved_) {
    CompletedGroup unknown = std::move(unresolved_->group);
    unresolved_.reset();
    for (AppendResult& result : unknown.results) {
      result = AppendResult{};
      result.status = Status::io_error("the connection to PostgreSQL was lost after the commit was sent; "
                                       "whether it committed is unknown");
    }
    unknown.changed = false;
    acknowledge(unknown);
  }
  if (writer_connection_) (void)writer_connection_->run("forget_writer", Params().bytes(writer_id_));
}

PostgresEventStore::Attempt PostgresEventStore::commit_group(std::vector<PendingAppend>& group,
                                                              CompletedGroup* completed) {
  PgConnection& db = *writer_connection_;

  // Round trip 1: open the transaction, take the head row's lock, read what sequencing needs.
  std::vector<std::string> streams;
  std::vector<std::pair<Table, std::string>> keys;
  std::vector<std::pair<Table, std::string>> expected_rows;
  {
    std::unordered_set<std::string_view> seen_streams;
    std::set<std::pair<Table, std::string_view>> seen_keys, seen_rows;
    for (const PendingAppend& pending : group) {
      for (const StreamAppend& append : pending.request.streams) {
        if (seen_streams.insert(append.stream).second) streams.push_back(append.stream);
      }
      for (const KeyedWrite& write : pending.request.writes) {
        if (!write.whole_table && counted_index(write.table) && seen_keys.insert({write.table, write.key}).second) {
          keys.emplace_back(write.table, write.key);
        }
      }
      for (const RowExpectation& expected : pending.request.expected_rows) {
        if (seen_rows.insert({expected.table, expected.key}).second) expected_rows.emplace_back(expected.table, expected.key);
      }
    }
  }
  std::vector<Statement> reads = {{"begin", {}}, {"lock_head", {}}, {"read_counts", {}}};
  for (const std::string& stream : streams) reads.push_back({"stream_head", Params().bytes(stream)});
  for (const auto& [table, key] : keys) reads.push_back({postgres::exists_statement(table), Params().bytes(key)});
  for (const auto& [table, key] : expected_rows) reads.push_back({postgres::get_statement(table), Params().bytes(key)});
  std::vector<Result> read;
  if (Status status = db.pipeline(reads, &read); !status.is_ok()) {
    if (db.broken()) return Attempt::connection_lost_before_commit;
    *completed = refuse_group(group, status.message());
    return Attempt::finished;
  }
  // From here on the transaction is open; any way out but the final COMMIT rolls it back.
  const auto abandon = [&](const std::string& why) {
    (void)db.run("rollback", {});
    if (db.broken()) return Attempt::connection_lost_before_commit;
    *completed = refuse_group(group, why);
    return Attempt::finished;
  };
  if (read[1].rows() != 1) return abandon("the log head row is missing");
  const Position committed_last = read[1].int8(0, 0);
  RowCounts counts_before{};
  for (int row = 0; row < read[2].rows(); ++row) {
    for (std::size_t i = 0; i < kCountedTables.size(); ++i) {
      if (read[2].bytes(row, 0) == table_name(kCountedTables[i])) counts_before[i] = read[2].int8(row, 1);
    }
  }
  std::unordered_map<std::string, StreamHead> heads;
  for (std::size_t i = 0; i < streams.size(); ++i) {
    StreamHead head;
    if (Status parsed = parse_head(read[3 + i], &head); !parsed.is_ok()) return abandon(parsed.message());
    heads.emplace(streams[i], head);
  }
  std::map<std::pair<Table, std::string>, bool> present;
  for (std::size_t i = 0; i < keys.size(); ++i) present[keys[i]] = read[3 + streams.size() + i].rows() > 0;
  std::map<std::pair<Table, std::string>, std::optional<std::string>> rows;
  for (std::size_t i = 0; i < expected_rows.size(); ++i) {
    const Result& row = read[3 + streams.size() + keys.size() + i];
    rows[expected_rows[i]] = row.rows() == 0 ? std::nullopt : std::optional<std::string>(row.bytes(0, 0));
  }

  // Anything not read ahead (a key the sequencer completed) is read now, in the transaction.
  bool lookups_failed = false;
  const auto read_now = [&](const std::string& statement, std::string_view key, Result* result) {
    Status status = db.run(statement, Params().bytes(key), result);
    if (!status.is_ok()) lookups_failed = true;
    return status;
  };
  AppendSequencer sequencer(
      committed_last + 1,
      [&](std::string_view stream, StreamHead* head) {
        if (const auto found = heads.find(std::string(stream)); found != heads.end()) {
          *head = found->second;
          return Status::ok();
        }
        Result result;
        if (Status status = read_now("stream_head", stream, &result); !status.is_ok()) return status;
        return parse_head(result, head);
      },
      [&](Table table, std::string_view key, std::optional<std::string>* value) {
        if (const auto found = rows.find({table, std::string(key)}); found != rows.end()) {
          *value = found->second;
          return Status::ok();
        }
        Result result;
        if (Status status = read_now(postgres::get_statement(table), key, &result); !status.is_ok()) return status;
        *value = result.rows() == 0 ? std::nullopt : std::optional<std::string>(result.bytes(0, 0));
        return Status::ok();
      });
  RowCounter row_counter([&](Table table, std::string_view key, bool* is_present) {
    if (const auto found = present.find({table, std::string(key)}); found != present.end()) {
      *is_present = found->second;
      return Status::ok();
    }
    Result result;
    if (Status status = read_now(postgres::exists_statement(table), key, &result); !status.is_ok()) return status;
    *is_present = result.rows() > 0;
    return Status::ok();
  });

  // Round trip 2: every write of the accepted requests, the heads, and the COMMIT.
  std::vector<Statement> writes;
  std::vector<AppendResult> results;
  results.reserve(group.size());
  Status counted = Status::ok();
  bool changes = false;
  log_times::Folder times;
  std::vector<std::string> view_keys;  // as the requests name them: what long-polls watch
  bool view_keys_known = true;
  for (PendingAppend& pending : group) {
    AppendSequencer::Plan plan = sequencer.plan(pending.request);
    if (plan.result.status.is_ok()) {
      for (const KeyedWrite& write : pending.request.writes) {
        if (write.table != Table::views) continue;
        if (write.whole_table) view_keys_known = false;
        else view_keys.push_back(write.key);
      }
      for (const RecordedEvent& event : plan.events) {
        writes.push_back({"insert_event", Params()
                                              .int8(event.position)
                                              .bytes(event.stream)
                                              .int8(event.version)
                                              .bytes(encode_event(event))});
        times.add(event.position, event.event.occurred_at);
      }
      plan.each_write(pending.request, [&](const KeyedWrite& write) {
        if (counted.is_ok()) counted = row_counter.count(write);
        if (write.whole_table) {
          writes.push_back({postgres::clear_statement(write.table), {}});
        } else if (write.value) {
          writes.push_back({postgres::put_statement(write.table), Params().bytes(write.key).bytes(*write.value)});
        } else {
          writes.push_back({postgres::erase_statement(write.table), Params().bytes(write.key)});
        }
      });
      changes = changes || !plan.events.empty() || !pending.request.writes.empty();
    }
    results.push_back(std::move(plan.result));
  }
  if (lookups_failed || !counted.is_ok()) {
    return abandon(counted.is_ok() ? "a read in the commit's transaction failed" : counted.message());
  }
  if (!changes) {
    (void)db.run("rollback", {});  // nothing was written: how it ends changes nothing
    completed->results = std::move(results);
    for (PendingAppend& pending : group) completed->callbacks.push_back(std::move(pending.done));
    return Attempt::finished;
  }

  const Position last = sequencer.next_position() - 1;
  for (const auto& [stream, head] : sequencer.touched_heads()) {
    writes.push_back({"put_head", Params()
                                      .bytes(stream)
                                      .int8(head.version)
                                      .bytes(std::string_view(reinterpret_cast<const char*>(head.last_hash.data()),
                                                              head.last_hash.size()))});
  }
  if (last != committed_last) writes.push_back({"set_last_position", Params().int8(last)});
  for (const auto& [block, folded] : times.blocks()) {
    writes.push_back({"widen_log_times", Params()
                                             .int8(block)
                                             .int8(folded.first)
                                             // two's complement: times before the epoch too
                                             .int8(static_cast<std::uint64_t>(folded.earliest.time_since_epoch().count()))
                                             .int8(static_cast<std::uint64_t>(folded.latest.time_since_epoch().count()))});
  }
  RowCounts counts_after{};
  for (std::size_t i = 0; i < kCountedTables.size(); ++i) {
    counts_after[i] = row_counter.count_after(kCountedTables[i], counts_before[i]);
    if (row_counter.wrote(kCountedTables[i])) {
      writes.push_back({"set_row_count",
                        Params().text(std::string(table_name(kCountedTables[i]))).int8(counts_after[i])});
    }
  }
  for (const std::string& payload :
       postgres::announcement_payloads(last, writer_id_, view_keys_known ? &view_keys : nullptr)) {
    writes.push_back({"announce_commit", Params().text(payload)});
  }
  const std::uint64_t number = ++groups_sent_;
  writes.push_back({"mark_group", Params().bytes(writer_id_).int8(number)});
  writes.push_back({"commit", {}});

  CompletedGroup outcome;
  outcome.results = std::move(results);
  for (PendingAppend& pending : group) outcome.callbacks.push_back(std::move(pending.done));
  outcome.changed = true;
  outcome.committed_position = last;
  outcome.row_counts = counts_after;

  const Status written = db.pipeline(writes);
  if (written.is_ok()) {
    for (std::size_t i = 0; i < kCountedTables.size(); ++i) row_counts_[i].store(counts_after[i]);
    raise_last_position(last);
    *completed = std::move(outcome);
    return Attempt::finished;
  }
  if (db.broken()) {
    // The COMMIT may have reached the server: the answer waits until the writer can ask.
    spdlog::error("store: the connection to PostgreSQL was lost during a commit: {}", written.message());
    unresolved_ = UnresolvedGroup{number, std::move(outcome)};
    enter_failed_state("the connection to PostgreSQL was lost during a commit: " + written.message());
    return Attempt::finished;
  }
  // The server refused a statement: the transaction was rolled back, nothing was written.
  spdlog::error("store: PostgreSQL refused a commit: {}", written.message());
  for (AppendResult& result : outcome.results) {
    result = AppendResult{};
    result.status = Status::io_error("the write failed, nothing was stored: " + written.message());
  }
  outcome.changed = false;
  *completed = std::move(outcome);
  return Attempt::finished;
}

void PostgresEventStore::enter_failed_state(const std::string& why) {
  if (!failed_) spdlog::error("store: commands are refused until PostgreSQL is reachable again: {}", why);
  failed_ = true;
  writer_connection_.reset();
  recovery_delay_ = options_.first_recovery_delay;
  next_recovery_ = std::chrono::steady_clock::now() + recovery_delay_;
  set_health(WriteHealth::Fault::write_failed, why);
}

void PostgresEventStore::try_recover() {
  std::unique_ptr<PgConnection> connection;
  Status status = connect(true, &connection);
  if (status.is_ok()) status = load_heads(*connection);
  if (status.is_ok() && unresolved_) {
    Result outcome;
    status = connection->run("group_outcome", Params().bytes(writer_id_), &outcome);
    if (status.is_ok()) {
      const bool committed = outcome.rows() == 1 && outcome.int8(0, 0) == unresolved_->number;
      CompletedGroup group = std::move(unresolved_->group);
      unresolved_.reset();
      if (committed) {
        for (std::size_t i = 0; i < kCountedTables.size(); ++i) row_counts_[i].store(group.row_counts[i]);
        raise_last_position(group.committed_position);
      } else {
        for (AppendResult& result : group.results) {
          result = AppendResult{};
          result.status = Status::io_error("the connection to PostgreSQL was lost before the commit; nothing was stored");
        }
        group.changed = false;
      }
      acknowledge(group);
    }
  }
  if (!status.is_ok()) {
    recovery_delay_ = std::min(recovery_delay_ * 2, options_.last_recovery_delay);
    next_recovery_ = std::chrono::steady_clock::now() + recovery_delay_;
    set_health(WriteHealth::Fault::write_failed, "reconnecting to PostgreSQL: " + status.message());
    return;
  }
  writer_connection_ = std::move(connection);
  failed_ = false;
  set_health(WriteHealth::Fault::none, {});
  spdlog::warn("store: writes resumed on PostgreSQL at position {}", last_position());
}

void PostgresEventStore::set_health(WriteHealth::Fault fault, std::string reason) {
  std::lock_guard lock(health_mutex_);
  if (fault == WriteHealth::Fault::none && !health_.writable()) ++health_.recoveries;
  health_.fault = fault;
  health_.reason = std::move(reason);
}

WriteHealth PostgresEventStore::write_health() const {
  WriteHealth health;
  {
    std::lock_guard lock(health_mutex_);
    health = health_;
  }
  if (health.writable() && !listener_connected_.load()) {
    health.fault = WriteHealth::Fault::write_failed;
    health.reason = "the connection to PostgreSQL is lost; reconnecting";
  }
  return health;
}

PostgresEventStore::CompletedGroup PostgresEventStore::refuse_group(std::vector<PendingAppend>& group,
                                                                    const std::string& why) {
  CompletedGroup refused;
  for (PendingAppend& pending : group) {
    refused.callbacks.push_back(std::move(pending.done));
    refused.results.push_back(refusal(why));
  }
  return refused;
}

bool PostgresEventStore::raise_last_position(Position position) {
  Position current = last_position_.load(std::memory_order_acquire);
  while (current < position &&
         !last_position_.compare_exchange_weak(current, position, std::memory_order_acq_rel)) {
  }
  return current < position;
}

void PostgresEventStore::notify_observers(Position position) {
  std::vector<CommitObserver> observers;
  {
    std::lock_guard lock(observers_mutex_);
    observers = observers_;
  }
  for (const CommitObserver& observer : observers) observer(position);
}

bool PostgresEventStore::wait_or_stop(std::chrono::milliseconds delay) const {
  pollfd stop{stop_pipe_[0], POLLIN, 0};
  return ::poll(&stop, 1, static_cast<int>(delay.count())) > 0;
}

void PostgresEventStore::run_listener() {
  std::unique_ptr<PgConnection> connection;
  std::chrono::milliseconds delay = options_.first_recovery_delay;
  for (;;) {
    if (!connection) {
      Status status = connect(false, &connection);
      if (status.is_ok()) status = connection->execute("LISTEN " + postgres::commit_channel(options_.schema));
      // Commits made while nobody listened: the head row has the last of them.
      Result head;
      if (status.is_ok()) status = connection->run("read_head", {}, &head);
      if (!status.is_ok() || head.rows() != 1) {
        listener_connected_.store(false);
        connection.reset();
        if (wait_or_stop(delay)) return;
        delay = std::min(delay * 2, options_.last_recovery_delay);
        continue;
      }
      delay = options_.first_recovery_delay;
      listener_connected_.store(true);
      if (const Position position = head.int8(0, 0); raise_last_position(position)) heard_foreign_commit(position, nullptr);
    }
    // Taken before waiting on the socket: libpq keeps the notifications that arrived while it
    // read a query's answer (the head's, just above), and the socket then has nothing more
    // to wake the wait with.
    std::vector<std::string> payloads;
    if (!connection->take_notifications(&payloads).is_ok()) {
      listener_connected_.store(false);
      connection.reset();
      continue;
    }
    for (const std::string& payload : payloads) {
      const auto announced = postgres::parse_announcement(payload);
      if (!announced) continue;  // not ours: anyone may NOTIFY on a channel
      // This store's own commits were acknowledged with their observers already. Another's is
      // reported even when a later commit of this store raised the position past it: its keys
      // are still news here.
      if (announced->writer == writer_id_) continue;
      raise_last_position(announced->position);
      heard_foreign_commit(announced->position, announced->view_keys ? &*announced->view_keys : nullptr);
    }
    pollfd waits[2] = {{connection->socket(), POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    if (::poll(waits, 2, -1) >= 0 && waits[1].revents != 0) return;  // else data, or a signal
  }
}

void PostgresEventStore::heard_foreign_commit(Position position, const std::vector<std::string>* view_keys) {
  notify_observers(position);
  std::vector<ForeignCommitObserver> observers;
  {
    std::lock_guard lock(observers_mutex_);
    observers = foreign_observers_;
  }
  for (const ForeignCommitObserver& observer : observers) observer(position, view_keys);
}

void PostgresEventStore::acknowledge(CompletedGroup& group) {
  if (group.changed) notify_observers(group.committed_position);
  for (std::size_t i = 0; i < group.callbacks.size(); ++i) group.callbacks[i](std::move(group.results[i]));
}

Status PostgresEventStore::read_stream(std::string_view stream, Version from, std::size_t max_count,
                                       std::vector<RecordedEvent>* out) const {
  if (max_count == 0) return Status::ok();
  return with_reader([&](PgConnection& db) {
    Result result;
    const Params params = Params().bytes(stream).int8(std::max<Version>(from, 1)).int8(limit(max_count));
    if (Status status = db.run("read_stream", params, &result); !status.is_ok()) return status;
    return decode_rows(result, 0, out);
  });
}

Status PostgresEventStore::read_all(Position from, std::size_t max_count, std::vector<RecordedEvent>* out) const {
  if (max_count == 0) return Status::ok();
  return with_reader([&](PgConnection& db) {
    Result result;
    const Params params = Params().int8(std::max<Position>(from, 1)).int8(limit(max_count));
    if (Status status = db.run("read_all", params, &result); !status.is_ok()) return status;
    return decode_rows(result, 0, out);
  });
}

Status PostgresEventStore::read_at(const std::vector<Position>& positions, std::vector<RecordedEvent>* out) const {
  if (positions.empty()) return Status::ok();
  std::string array = "{";
  for (const Position position : positions) {
    if (array.size() > 1) array += ',';
    array += std::to_string(std::min<Position>(position, std::numeric_limits<std::int64_t>::max()));
  }
  array += '}';
  return with_reader([&](PgConnection& db) {
    Result result;
    if (Status status = db.run("read_at", Params().text(array), &result); !status.is_ok()) return status;
    std::unordered_map<Position, int> rows;
    for (int row = 0; row < result.rows(); ++row) rows.emplace(result.int8(row, 0), row);
    for (const Position position : positions) {
      const auto found = rows.find(position);
      if (found == rows.end()) {
        return Status::corruption("the log has no event at position " + std::to_string(position));
      }
      RecordedEvent event;
      if (Status status = decode_event(result.bytes(found->second, 1), &event); !status.is_ok()) return status;
      out->push_back(std::move(event));
    }
    return Status::ok();
  });
}

Status PostgresEventStore::replace_table(Table table, std::unique_ptr<TableReplacement>* out) {
  std::unique_ptr<PgConnection> connection;
  // A writer's connection: its commit is as durable as the store's (synchronous_commit).
  if (Status status = connect(true, &connection); !status.is_ok()) return status;
  return PostgresTableReplacement::start(std::move(connection), options_.schema, table, out);
}

Status PostgresEventStore::positions_in_time(Timestamp from, Timestamp to, std::vector<PositionRange>* out) const {
  // The position first: records read after it cover at least the events up to it.
  const Position last = last_position();
  std::map<log_times::Block, log_times::BlockTimes> recorded;
  if (Status status = with_reader([&](PgConnection& db) {
        Result result;
        if (Status read = db.run("read_log_times", {}, &result); !read.is_ok()) return read;
        for (int row = 0; row < result.rows(); ++row) {
          recorded[result.int8(row, 0)] = {static_cast<Position>(result.int8(row, 1)),
                                           milliseconds_since_epoch(result.int8(row, 2)),
                                           milliseconds_since_epoch(result.int8(row, 3))};
        }
        return Status::ok();
      });
      !status.is_ok()) {
    return status;
  }
  std::vector<PositionRange> ranges = log_times::ranges_to_read(recorded, last, from, to);
  out->insert(out->end(), ranges.begin(), ranges.end());
  return Status::ok();
}

Status PostgresEventStore::stream_version(std::string_view stream, Version* out) const {
  return with_reader([&](PgConnection& db) {
    Result result;
    if (Status status = db.run("stream_head", Params().bytes(stream), &result); !status.is_ok()) return status;
    *out = result.rows() == 0 ? 0 : result.int8(0, 0);
    return Status::ok();
  });
}

Position PostgresEventStore::last_position() const { return last_position_.load(std::memory_order_acquire); }

Status PostgresEventStore::get(Table table, std::string_view key, std::optional<std::string>* out) const {
  return with_reader([&](PgConnection& db) {
    Result result;
    if (Status status = db.run(postgres::get_statement(table), Params().bytes(key), &result); !status.is_ok()) {
      return status;
    }
    if (result.rows() == 0) {
      out->reset();
    } else {
      *out = std::string(result.bytes(0, 0));
    }
    return Status::ok();
  });
}

Status PostgresEventStore::scan(Table table, std::string_view from_key, std::string_view to_key,
                                std::size_t max_count, std::vector<KeyValue>* out) const {
  if (max_count == 0) return Status::ok();
  return with_reader([&](PgConnection& db) {
    Result result;
    const Status status =
        to_key.empty()
            ? db.run(postgres::scan_statement(table), Params().bytes(from_key).int8(limit(max_count)), &result)
            : db.run(postgres::scan_range_statement(table), Params().bytes(from_key).bytes(to_key).int8(limit(max_count)),
                     &result);
    if (!status.is_ok()) return status;
    for (int row = 0; row < result.rows(); ++row) {
      out->push_back({std::string(result.bytes(row, 0)), std::string(result.bytes(row, 1))});
    }
    return Status::ok();
  });
}

std::optional<std::size_t> PostgresEventStore::row_count(Table table) const {
  const auto index = counted_index(table);
  if (!index) return std::nullopt;
  return static_cast<std::size_t>(row_counts_[*index].load());
}

void PostgresEventStore::add_commit_observer(CommitObserver observer) {
  std::lock_guard lock(observers_mutex_);
  observers_.push_back(std::move(observer));
}

void PostgresEventStore::add_foreign_commit_observer(ForeignCommitObserver observer) {
  std::lock_guard lock(observers_mutex_);
  foreign_observers_.push_back(std::move(observer));
}

}  // namespace benefitd::store
