#pragma once
// PgConnection: one libpq connection, with prepared statements run one at a time or many in
// one pipeline (one round trip). Parameters go in binary (int8 as 8 bytes big-endian, bytea as
// raw bytes) or, for arrays, in text; results come back in binary. Every failure is a Status:
// io_error for a lost or failing connection and for a statement the server refused, so that a
// store built on it has one answer for "nothing of this was written".
// Thread safety: none; one connection belongs to one thread at a time.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "store/status.h"

struct pg_conn;
struct pg_result;

namespace benefitd::store::postgres {

struct ResultDeleter {
  void operator()(pg_result* result) const;
};
/// One statement's result rows.
class Result {
 public:
  Result() = default;
  explicit Result(pg_result* result) : result_(result) {}

  int rows() const;
  /// The bytes of a column (bytea, text) of row `row`; empty for NULL.
  std::string_view bytes(int row, int column) const;
  /// A bigint column of row `row`.
  std::uint64_t int8(int row, int column) const;

 private:
  std::unique_ptr<pg_result, ResultDeleter> result_;
};

/// Parameters of one statement, bound in the order added.
class Params {
 public:
  Params& bytes(std::string_view value);
  Params& int8(std::uint64_t value);
  /// Bound in text format: for values such as array literals ("{1,2,3}").
  Params& text(std::string value);

  int count() const { return static_cast<int>(values_.size()); }
  /// Pointers into this object: valid while it lives unchanged.
  std::vector<const char*> pointers() const;
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  std::vector<std::string> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
};

/// A prepared statement's name with its parameters.
struct Statement {
  std::string name;
  Params params;
};

class PgConnection {
 public:
  /// Connects with `conninfo` (a libpq connection string or URI; its settings win over the
  /// defaults given here: a connect timeout, the application name).
  static Status connect(const std::string& conninfo, std::unique_ptr<PgConnection>* out);

  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  /// Whether the connection is lost (a lost one never comes back: connect anew).
  bool broken() const;

  /// Runs SQL text without parameters (several statements allowed): for setup.
  Status execute(const std::string& sql);
  Status prepare(const std::string& name, const std::string& sql);
  /// Runs one prepared statement and waits for its result. Inside a transaction, a failure
  /// leaves it failed: the caller rolls it back.
  Status run(const std::string& name, const Params& params, Result* out = nullptr);
  /// Sends every statement, then one sync, and reads every result: one round trip. The server
  /// runs them in order; after the first that fails it runs none of the rest. Results, when
  /// asked for, are in the statements' order. If a transaction the statements opened is left
  /// failed, it is rolled back.
  Status pipeline(const std::vector<Statement>& statements, std::vector<Result>* out = nullptr);

  /// The connection's socket, to wait on for notifications (LISTEN).
  int socket() const;
  /// Reads whatever the server has sent and appends the payloads of the notifications
  /// received so far to `payloads`; an I/O error if the connection is lost.
  Status take_notifications(std::vector<std::string>* payloads);

 private:
  explicit PgConnection(pg_conn* connection) : connection_(connection) {}
  Status failure(std::string_view what) const;
  /// After a failed pipeline or statement: leaves no transaction open.
  void roll_back_if_open();

  pg_conn* connection_;
};

}  // namespace benefitd::store::postgres
