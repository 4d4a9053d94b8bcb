#include "engine/command_executor.h"

#include <boost/asio/post.hpp>
#include <nlohmann/json.hpp>

#include "store/event_codec.h"

namespace benefitd::engine {

namespace {

// Rows of the idempotency table: "k" + scope + NUL + key -> record, and
// "t" + stored-at (8-byte big-endian seconds) + scope + NUL + key -> "" for expiry.
std::string scoped(const IdempotencyKey& key) { return key.scope + '\0' + key.key; }
std::string record_key(const std::string& scoped_key) { return "k" + scoped_key; }
// "t" + stored-at: the prefix of the expiry rows stored in that second (and, as a scan bound,
// the end of those stored before it).
std::string expiry_prefix(Time stored_at) {
  std::string key = "t";
  key += store::encode_big_endian(static_cast<std::uint64_t>(stored_at.time_since_epoch().count()));
  return key;
}
std::string expiry_key(Time stored_at, const std::string& scoped_key) {
  return expiry_prefix(stored_at) + scoped_key;
}

}  // namespace

struct CommandExecutor::Command {
  std::optional<IdempotencyKey> key;
  std::string scoped_key;
  Decide decide;
  Done done;
};

CommandExecutor::CommandExecutor(store::EventStore& store, const Clock& clock, std::size_t threads,
                                 std::size_t max_attempts, std::chrono::seconds retention)
    : store_(store),
      clock_(clock),
      max_attempts_(max_attempts),
      retention_(retention),
      pool_(threads) {}

CommandExecutor::~CommandExecutor() {
  {
    std::unique_lock lock(in_flight_mutex_);
    idle_.wait(lock, [this] { return running_ == 0; });
  }
  pool_.join();
}

void CommandExecutor::post(std::function<void()> task) {
  boost::asio::post(pool_, std::move(task));
}

void CommandExecutor::run(std::optional<IdempotencyKey> key, Decide decide, Done done) {
  auto command = std::make_shared<Command>();
  command->key = std::move(key);
  command->decide = std::move(decide);
  command->done = std::move(done);
  {
    std::lock_guard lock(in_flight_mutex_);
    ++running_;
  }
  post([this, command] {
    if (command->key) {
      command->scoped_key = scoped(*command->key);
      bool duplicate = false;
      {
        std::lock_guard lock(in_flight_mutex_);
        duplicate = !in_flight_.insert(command->scoped_key).second;
      }
      if (duplicate) {
        command->key.reset();  // the key belongs to the command already running
        finish(command, {Completion::Kind::key_in_flight, "", store_.last_position(), ""});
        return;
      }
      std::optional<std::string> stored;
      if (store::Status status = store_.get(store::Table::idempotency,
                                            record_key(command->scoped_key), &stored);
          !status.is_ok()) {
        finish(command, {Completion::Kind::unavailable, "", store_.last_position(), status.message()});
        return;
      }
      if (stored) {
        const auto record = nlohmann::json::parse(*stored, nullptr, false);
        if (record.is_discarded() || !record.contains("fingerprint") || !record.contains("reply")) {
          finish(command, {Completion::Kind::unavailable, "", store_.last_position(),
                           "an idempotency record is malformed"});
        } else if (record["fingerprint"] != command->key->fingerprint) {
          finish(command, {Completion::Kind::key_reused, "", store_.last_position(), ""});
        } else {
          finish(command, {Completion::Kind::replayed, record["reply"].get<std::string>(),
                           store_.last_position(), ""});
        }
        return;
      }
    }
    attempt(command, 1);
  });
}

void CommandExecutor::attempt(std::shared_ptr<Command> command, std::size_t tries) {
  Attempt decided;
  try {
    decided = command->decide();
  } catch (const std::exception& error) {
    finish(command, {Completion::Kind::unavailable, "", store_.last_position(), error.what()});
    return;
  }
  if (command->key) {
    const Time now = clock_.now();
    const nlohmann::json record = {{"fingerprint", command->key->fingerprint},
                                   {"reply", decided.replay_reply.value_or(decided.reply)},
                                   {"storedAt", now.time_since_epoch().count()}};
    decided.write.writes.push_back(store::KeyedWrite::put(
        store::Table::idempotency, record_key(command->scoped_key), record.dump()));
    decided.write.writes.push_back(store::KeyedWrite::put(
        store::Table::idempotency, expiry_key(now, command->scoped_key), ""));
  }
  if (decided.write.streams.empty() && decided.write.writes.empty()) {
    finish(command, {Completion::Kind::done, std::move(decided.reply), store_.last_position(), ""});
    return;
  }
  auto reply = std::make_shared<std::string>(std::move(decided.reply));
  store_.append_async(std::move(decided.write), [this, command, tries, reply](store::AppendResult result) {
    // Continue on the engine's threads: this callback runs on the store's.
    post([this, command, tries, reply, result = std::move(result)] {
      switch (result.status.code()) {
        case store::Status::Code::ok:
          finish(command, {Completion::Kind::done, std::move(*reply), result.log_position, ""});
          return;
        case store::Status::Code::conflict:
          if (result.row_conflict) {
            finish(command, {Completion::Kind::superseded, "", store_.last_position(), result.status.message()});
          } else if (tries < max_attempts_) {
            attempt(command, tries + 1);
          } else {
            finish(command, {Completion::Kind::contention, "", store_.last_position(),
                             result.status.message()});
          }
          return;
        default:
          finish(command, {Completion::Kind::unavailable, "", store_.last_position(),
                           result.status.message()});
      }
    });
  });
}

void CommandExecutor::finish(const std::shared_ptr<Command>& command, Completion completion) {
  if (command->key) {
    std::lock_guard lock(in_flight_mutex_);
    in_flight_.erase(command->scoped_key);
  }
  command->done(std::move(completion));
  std::lock_guard lock(in_flight_mutex_);
  if (--running_ == 0) idle_.notify_all();
}

void CommandExecutor::remember(const IdempotencyKey& key, std::string reply,
                               std::function<void(store::Status)> done) {
  const Time now = clock_.now();
  const std::string scoped_key = scoped(key);
  const nlohmann::json record = {{"fingerprint", key.fingerprint},
                                 {"reply", std::move(reply)},
                                 {"storedAt", now.time_since_epoch().count()}};
  store::WriteRequest write;
  write.writes.push_back(
      store::KeyedWrite::put(store::Table::idempotency, record_key(scoped_key), record.dump()));
  write.writes.push_back(store::KeyedWrite::put(store::Table::idempotency, expiry_key(now, scoped_key), ""));
  store_.append_async(std::move(write),
                      [done = std::move(done)](store::AppendResult result) { done(result.status); });
}

store::Status CommandExecutor::expire_idempotency(std::size_t* removed) {
  *removed = 0;
  const Time cutoff = clock_.now() - retention_;
  const std::string end = expiry_prefix(cutoff);
  for (;;) {
    std::vector<store::KeyValue> expired;
    if (store::Status status = store_.scan(store::Table::idempotency, "t", end, 1000, &expired);
        !status.is_ok()) {
      return status;
    }
    if (expired.empty()) return store::Status::ok();
    store::WriteRequest write;
    for (const store::KeyValue& row : expired) {
      write.writes.push_back(store::KeyedWrite::erase(store::Table::idempotency, row.key));
      write.writes.push_back(
          store::KeyedWrite::erase(store::Table::idempotency, record_key(row.key.substr(9))));
    }
    if (store::Status status = store_.append(std::move(write)).status; !status.is_ok()) {
      return status;
    }
    *removed += expired.size();
  }
}

}  // namespace benefitd::engine
