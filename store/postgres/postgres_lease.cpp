#include "store/postgres/postgres_lease.h"

#include <fcntl.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>

#include "store/postgres/pg_connection.h"
#include "store/postgres/postgres_schema.h"

namespace benefitd::store {

using postgres::Params;
using postgres::PgConnection;
using postgres::Result;

namespace {

// One row if the lock was free and is now this session's. The key is a 64-bit hash of the
// lease's name, which includes the schema: stores on other schemas have other leases.
constexpr const char* kTakeSql = "SELECT 1::int8 WHERE pg_try_advisory_lock(hashtextextended($1::text, 0))";
constexpr const char* kPingSql = "SELECT 1::int8";

}  // namespace

Status PostgresLease::open(const PostgresLeaseOptions& options, std::unique_ptr<PostgresLease>* out) {
  if (options.conninfo.empty()) return Status::invalid_argument("no PostgreSQL connection string");
  if (Status valid = postgres::check_schema_name(options.schema); !valid.is_ok()) return valid;
  if (options.retry_period.count() <= 0) return Status::invalid_argument("the lease's retry period must be positive");
  std::unique_ptr<PostgresLease> lease(new PostgresLease(options));
  if (::pipe2(lease->stop_pipe_, O_CLOEXEC) != 0) return Status::io_error("cannot make a pipe");
  lease->attempt();
  lease->thread_ = std::thread([raw = lease.get()] { raw->run(); });
  *out = std::move(lease);
  return Status::ok();
}

PostgresLease::PostgresLease(const PostgresLeaseOptions& options) : options_(options) {}

PostgresLease::~PostgresLease() {
  if (thread_.joinable()) {
    const char stop = 1;
    while (::write(stop_pipe_[1], &stop, 1) < 0 && errno == EINTR) {
    }
    thread_.join();
  }
  for (const int fd : stop_pipe_) {
    if (fd >= 0) ::close(fd);
  }
}

void PostgresLease::attempt() {
  if (!connection_) {
    std::unique_ptr<PgConnection> connection;
    Status status = PgConnection::connect(options_.conninfo, &connection);
    if (status.is_ok()) status = connection->prepare("take_lease", kTakeSql);
    if (status.is_ok()) status = connection->prepare("ping", kPingSql);
    if (!status.is_ok()) return lose(status.message());
    connection_ = std::move(connection);
  }
  Result result;
  if (held()) {
    if (Status status = connection_->run("ping", {}, &result); !status.is_ok()) lose(status.message());
    return;
  }
  const std::string name = "benefitd lease " + options_.schema;
  if (Status status = connection_->run("take_lease", Params().text(name), &result); !status.is_ok()) {
    return lose(status.message());
  }
  if (result.rows() == 1) {
    held_.store(true, std::memory_order_release);
    spdlog::info("lease: this process now holds the lease of schema {}", options_.schema);
  }
}

void PostgresLease::lose(const std::string& why) {
  if (held_.exchange(false, std::memory_order_acq_rel)) {
    spdlog::warn("lease: lost ({}); another process may take it, this one tries again", why);
  }
  connection_.reset();
}

bool PostgresLease::wait() {
  pollfd waits[2] = {{stop_pipe_[0], POLLIN, 0}, {connection_ ? connection_->socket() : -1, POLLIN, 0}};
  if (::poll(waits, 2, static_cast<int>(options_.retry_period.count())) < 0) return false;  // a signal
  if (waits[0].revents != 0) return true;
  if (waits[1].revents != 0) {
    // The server spoke unasked: it is closing the connection (a shutdown, a terminated backend).
    std::vector<std::string> ignored;
    if (!connection_->take_notifications(&ignored).is_ok() || connection_->broken()) {
      lose("the connection to PostgreSQL was closed");
    }
  }
  return false;
}

void PostgresLease::run() {
  while (!wait()) attempt();
}

}  // namespace benefitd::store
