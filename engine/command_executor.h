#pragma once
// CommandExecutor: runs commands on the engine's threads with optimistic concurrency and
// idempotency (R-ENG-1, R-ENG-4).
//
// A command is a `Decide` function: it reads current state, decides, and returns an Attempt,
// a write plus the reply its caller will get. The executor appends the write; if a stream
// moved meanwhile it decides again on fresh state, a bounded number of times. Nothing blocks
// on the append: the store's acknowledgement continues the command.
//
// With an idempotency key, the reply is stored in the same write as the command's events, so
// a retry with the same key and the same fingerprint gets the stored reply and appends nothing;
// the same key with another fingerprint is refused; a key whose first use is still running is
// refused. Keys are scoped (per caller) and kept at least `retention`, then removed by
// `expire_idempotency`.
//
// Thread safety: all methods are thread-safe.

#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>

#include "engine/clock.h"
#include "store/event_store.h"

namespace benefitd::engine {

/// One try of a command. A refusal has an empty write (or only keyed writes) and its reply.
struct Attempt {
  store::WriteRequest write;
  /// Opaque to the executor: the owner's serialized outcome, stored for retries when the
  /// command has an idempotency key and handed back in Completion::reply. An owner that keeps
  /// its outcome itself may leave it empty for commands without a key.
  std::string reply;
  /// What a retry with the same idempotency key gets, when it must differ from `reply`: a
  /// reply that shows a secret once (a new token) is kept without it.
  std::optional<std::string> replay_reply;
};

struct IdempotencyKey {
  std::string scope;        // who: a key means something only for the caller who chose it
  std::string key;          // 1..255 characters
  std::string fingerprint;  // the request: method, path and body
};

struct Completion {
  enum class Kind {
    done,              // reply is the command's (or a refusal's) reply
    replayed,          // reply is the stored reply of the key's first use; nothing appended
    key_reused,        // the key was first used for another request
    key_in_flight,     // the key's first use has not finished
    contention,        // the streams kept moving: gave up after the retries
    superseded,        // a row the write expected had changed: another writer did this work;
                       // nothing appended, not decided again (detail: the store's message)
    unavailable,       // the store failed; nothing was written
  };
  Kind kind = Kind::done;
  std::string reply;
  store::Position position = 0;  // the log position after the command (or now, if none)
  std::string detail;            // for unavailable: the store's message
};

class CommandExecutor {
 public:
  using Decide = std::function<Attempt()>;
  using Done = std::function<void(Completion)>;

  CommandExecutor(store::EventStore& store, const Clock& clock, std::size_t threads,
                  std::size_t max_attempts = 5,
                  std::chrono::seconds retention = std::chrono::hours(24));
  /// Waits until every command it was given has finished (its append acknowledged by the
  /// store, which must outlive the executor), then stops its threads.
  ~CommandExecutor();

  /// Runs the command on an engine thread; `done` runs once, on an engine thread. `decide` may
  /// run several times and must only read (its write is the executor's to make); an exception
  /// from it completes the command as unavailable.
  void run(std::optional<IdempotencyKey> key, Decide decide, Done done);

  /// Replaces the reply stored for `key` (durably; `done` hears the outcome, on a store
  /// thread). For a command whose outcome is known only after its write: the write stored what
  /// the command is to do, and a retry that finds only that finishes it; once finished, the
  /// final reply is what every retry gets.
  void remember(const IdempotencyKey& key, std::string reply, std::function<void(store::Status)> done);

  /// Removes idempotency records older than the retention. Returns how many were removed.
  store::Status expire_idempotency(std::size_t* removed);

  /// Queues `task` on the engine's threads.
  void post(std::function<void()> task);

 private:
  struct Command;

  void attempt(std::shared_ptr<Command> command, std::size_t tries);
  void finish(const std::shared_ptr<Command>& command, Completion completion);

  store::EventStore& store_;
  const Clock& clock_;
  const std::size_t max_attempts_;
  const std::chrono::seconds retention_;
  std::mutex in_flight_mutex_;
  std::unordered_set<std::string> in_flight_;
  std::condition_variable idle_;  // signalled when running_ drops to zero
  std::size_t running_ = 0;       // commands given to run() and not yet finished
  boost::asio::thread_pool pool_;
};

}  // namespace benefitd::engine
