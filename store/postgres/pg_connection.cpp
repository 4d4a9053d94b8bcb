#include "store/postgres/pg_connection.h"

#include <libpq-fe.h>

#include "store/event_codec.h"

namespace benefitd::store::postgres {

namespace {

// Without a timeout, a connection to a host that went away waits for TCP to give up (minutes);
// a store that cannot reach its primary should say so in seconds and retry.
constexpr const char* kConnectTimeoutSeconds = "5";

bool succeeded(const PGresult* result) {
  const ExecStatusType status = PQresultStatus(result);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

std::string trimmed(const char* message) {
  std::string text = message ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

void ResultDeleter::operator()(pg_result* result) const { PQclear(result); }

int Result::rows() const { return result_ ? PQntuples(result_.get()) : 0; }

std::string_view Result::bytes(int row, int column) const {
  return {PQgetvalue(result_.get(), row, column),
          static_cast<std::size_t>(PQgetlength(result_.get(), row, column))};
}

std::uint64_t Result::int8(int row, int column) const {
  std::uint64_t value = 0;
  decode_big_endian(bytes(row, column), &value);
  return value;
}

Params& Params::bytes(std::string_view value) {
  values_.emplace_back(value);
  lengths_.push_back(static_cast<int>(value.size()));
  formats_.push_back(1);
  return *this;
}

Params& Params::int8(std::uint64_t value) {
  values_.push_back(encode_big_endian(value));
  lengths_.push_back(8);
  formats_.push_back(1);
  return *this;
}

Params& Params::text(std::string value) {
  lengths_.push_back(static_cast<int>(value.size()));
  values_.push_back(std::move(value));
  formats_.push_back(0);
  return *this;
}

std::vector<const char*> Params::pointers() const {
  std::vector<const char*> pointers;
  pointers.reserve(values_.size());
  for (const std::string& value : values_) pointers.push_back(value.data());
  return pointers;
}

Status PgConnection::connect(const std::string& conninfo, std::unique_ptr<PgConnection>* out) {
  // Later keywords win, and the expanded dbname is the caller's whole connection string.
  const char* keywords[] = {"connect_timeout", "application_name", "dbname", nullptr};
  const char* values[] = {kConnectTimeoutSeconds, "benefitd", conninfo.c_str(), nullptr};
  PGconn* connection = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (connection == nullptr) return Status::io_error("cannot connect to PostgreSQL: out of memory");
  if (PQstatus(connection) != CONNECTION_OK) {
    Status status = Status::io_error("cannot connect to PostgreSQL: " + trimmed(PQerrorMessage(connection)));
    PQfinish(connection);
    return status;
  }
  // Notices (such as "schema already exists, skipping") are not failures: not for stderr.
  PQsetNoticeProcessor(connection, [](void*, const char*) {}, nullptr);
  out->reset(new PgConnection(connection));
  return Status::ok();
}

PgConnection::~PgConnection() { PQfinish(connection_); }

bool PgConnection::broken() const { return PQstatus(connection_) != CONNECTION_OK; }

Status PgConnection::failure(std::string_view what) const {
  std::string message = std::string(what) + ": " + trimmed(PQerrorMessage(connection_));
  if (broken()) message += " (the connection to PostgreSQL is lost)";
  return Status::io_error(std::move(message));
}

void PgConnection::roll_back_if_open() {
  if (broken()) return;
  if (PQtransactionStatus(connection_) == PQTRANS_INTRANS || PQtransactionStatus(connection_) == PQTRANS_INERROR) {
    PQclear(PQexec(connection_, "ROLLBACK"));
  }
}

Status PgConnection::execute(const std::string& sql) {
  PGresult* result = PQexec(connection_, sql.c_str());
  if (result == nullptr) return failure("cannot run SQL");
  const bool ok = succeeded(result);
  Status status = ok ? Status::ok() : Status::io_error(trimmed(PQresultErrorMessage(result)));
  PQclear(result);
  if (!ok) roll_back_if_open();
  return status;
}

Status PgConnection::prepare(const std::string& name, const std::string& sql) {
  PGresult* result = PQprepare(connection_, name.c_str(), sql.c_str(), 0, nullptr);
  const bool ok = result != nullptr && succeeded(result);
  std::string error = ok ? "" : trimmed(result ? PQresultErrorMessage(result) : PQerrorMessage(connection_));
  PQclear(result);
  return ok ? Status::ok() : Status::io_error("cannot prepare " + name + ": " + error);
}

Status PgConnection::run(const std::string& name, const Params& params, Result* out) {
  const std::vector<const char*> values = params.pointers();
  PGresult* result = PQexecPrepared(connection_, name.c_str(), params.count(), values.data(), params.lengths(),
                                    params.formats(), /*resultFormat=*/1);
  if (result == nullptr) return failure(name);
  if (!succeeded(result)) {
    Status status = Status::io_error(name + ": " + trimmed(PQresultErrorMessage(result)));
    PQclear(result);
    return status;
  }
  if (out) {
    *out = Result(result);
  } else {
    PQclear(result);
  }
  return Status::ok();
}

Status PgConnection::pipeline(const std::vector<Statement>& statements, std::vector<Result>* out) {
  if (out) out->clear();
  if (PQenterPipelineMode(connection_) != 1) return failure("cannot enter pipeline mode");
  // A statement that cannot be queued ends the pipeline there: what was queued is still
  // synced and drained, so that the connection is left usable.
  Status outcome = Status::ok();
  std::size_t queued = 0;
  for (const Statement& statement : statements) {
    const std::vector<const char*> values = statement.params.pointers();
    if (PQsendQueryPrepared(connection_, statement.name.c_str(), statement.params.count(), values.data(),
                            statement.params.lengths(), statement.params.formats(), /*resultFormat=*/1) != 1) {
      outcome = failure("cannot send " + statement.name);
      break;
    }
    ++queued;
  }
  if (PQpipelineSync(connection_) != 1) return failure("cannot send the pipeline");

  // Each statement's result is followed by a null; the sync's result ends the pipeline. Two
  // nulls in a row mean the connection gave up mid-way.
  std::size_t received = 0;
  bool after_null = false;
  for (;;) {
    PGresult* result = PQgetResult(connection_);
    if (result == nullptr) {
      if (after_null || broken()) {
        outcome = failure("the pipeline ended early");
        break;
      }
      after_null = true;
      continue;
    }
    after_null = false;
    const ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_PIPELINE_SYNC) {
      PQclear(result);
      break;
    }
    if (!succeeded(result) && outcome.is_ok()) {
      const std::string name = received < queued ? statements[received].name : "pipeline";
      outcome = status == PGRES_PIPELINE_ABORTED ? Status::io_error(name + ": aborted")
                                                 : Status::io_error(name + ": " + trimmed(PQresultErrorMessage(result)));
    }
    ++received;
    if (out) {
      out->emplace_back(result);
    } else {
      PQclear(result);
    }
  }
  if (!broken()) PQexitPipelineMode(connection_);
  if (outcome.is_ok() && received != queued) outcome = Status::io_error("the pipeline lost results");
  if (!outcome.is_ok()) roll_back_if_open();
  return outcome;
}

int PgConnection::socket() const { return PQsocket(connection_); }

Status PgConnection::take_notifications(std::vector<std::string>* payloads) {
  if (PQconsumeInput(connection_) != 1) return failure("cannot read notifications");
  while (PGnotify* notification = PQnotifies(connection_)) {
    payloads->emplace_back(notification->extra);
    PQfreemem(notification);
  }
  return broken() ? failure("cannot read notifications") : Status::ok();
}

}  // namespace benefitd::store::postgres
