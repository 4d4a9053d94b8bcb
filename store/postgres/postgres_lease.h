#pragma once
// PostgresLease: the Lease (store/lease.h) of the benefitd processes sharing one PostgreSQL
// store: a session-level advisory lock, named after the store's schema, held on a connection
// of its own.
//
// A thread of the lease tries to take the lock (pg_try_advisory_lock, never waiting) every
// retry period while it does not hold it. Holding it, the thread watches its connection: the
// server's answer to a ping every retry period, and the socket in between. The lock is the
// session's, so it goes when the connection goes: a holder killed (kill -9) or cut off has its
// connection closed by the server, which releases the lock, and another process takes it at
// its next try, within one retry period. A holder whose connection fails stops holding at
// once and tries again on a new connection. A connection that is silently cut (no reset, no
// close) is noticed by TCP keepalives: set keepalives_idle (client) and tcp_keepalives_idle
// (server) to bound how long that takes. After a failover, the new primary holds no advisory
// locks: the first process to try takes the lease there.
//
// Thread safety: all methods are thread-safe. Destruction closes the connection, releasing the
// lock at once.

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "store/lease.h"
#include "store/status.h"

namespace benefitd::store {

namespace postgres {
class PgConnection;
}  // namespace postgres

struct PostgresLeaseOptions {
  /// The store's connection string (PostgresOptions::conninfo).
  std::string conninfo;
  /// The store's schema: processes on one schema share one lease.
  std::string schema = "benefitd";
  /// How often a process that does not hold the lease tries to take it, and a holder pings.
  std::chrono::milliseconds retry_period{1000};
};

class PostgresLease final : public Lease {
 public:
  /// Starts the lease's thread after one attempt to take the lease on the calling thread, so
  /// that a process alone on its store holds it from the start. Fails only on bad options;
  /// an unreachable server is retried like a lost connection.
  static Status open(const PostgresLeaseOptions& options, std::unique_ptr<PostgresLease>* out);
  ~PostgresLease() override;
  PostgresLease(const PostgresLease&) = delete;
  PostgresLease& operator=(const PostgresLease&) = delete;

  bool held() const override { return held_.load(std::memory_order_acquire); }
  bool shared() const override { return true; }

 private:
  explicit PostgresLease(const PostgresLeaseOptions& options);

  /// One attempt: connects if needed, then tries to take the lock if not held, or pings if held.
  void attempt();
  /// Forgets the connection and with it the lease.
  void lose(const std::string& why);
  void run();
  /// Waits up to one retry period, or until the connection has something to read; whether
  /// told to stop.
  bool wait();

  const PostgresLeaseOptions options_;
  std::atomic<bool> held_{false};
  std::unique_ptr<postgres::PgConnection> connection_;  // the lease's thread only
  int stop_pipe_[2] = {-1, -1};  // written to once, when the thread must stop
  std::thread thread_;           // started last
};

}  // namespace benefitd::store
