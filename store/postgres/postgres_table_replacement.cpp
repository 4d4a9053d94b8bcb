#include "store/postgres/postgres_table_replacement.h"

#include "store/postgres/postgres_schema.h"

namespace benefitd::store {

using postgres::Params;
using postgres::Result;

namespace {

/// A bytea[] in PostgreSQL's text form: each element quoted, in hex ("\\x6b6579").
class ByteaArray {
 public:
  void add(std::string_view bytes) {
    text_ += text_.size() > 1 ? ",\"\\\\x" : "\"\\\\x";
    text_ += to_hex(bytes);
    text_ += '"';
    ++count_;
  }
  std::size_t count() const { return count_; }
  std::string take() { return std::move(text_) + "}"; }

 private:
  std::string text_ = "{";
  std::size_t count_ = 0;
};

}  // namespace

Status PostgresTableReplacement::start(std::unique_ptr<postgres::PgConnection> connection, std::string schema,
                                       Table table, std::unique_ptr<TableReplacement>* out) {
  if (Status status = connection->execute(postgres::replacement_create_sql(schema, table)); !status.is_ok()) {
    return status;
  }
  for (const auto& [name, sql] : postgres::replacement_statements(schema, table)) {
    if (Status status = connection->prepare(name, sql); !status.is_ok()) return status;
  }
  out->reset(new PostgresTableReplacement(std::move(connection), std::move(schema), table));
  return Status::ok();
}

PostgresTableReplacement::~PostgresTableReplacement() {
  // Never committed: its rows go. Should this fail, the next replacement drops them.
  if (!committed_ && !connection_->broken()) (void)connection_->execute(postgres::replacement_drop_sql(schema_, table_));
}

Status PostgresTableReplacement::add(std::vector<KeyedWrite> rows) {
  ByteaArray put_keys, values, erased_keys;
  for (const KeyedWrite& row : rows) {
    if (row.value) {
      put_keys.add(row.key);
      values.add(*row.value);
    } else {
      erased_keys.add(row.key);
    }
  }
  std::vector<postgres::Statement> statements;
  if (put_keys.count() > 0) {
    statements.push_back({postgres::kReplacementPut, Params().text(put_keys.take()).text(values.take())});
  }
  if (erased_keys.count() > 0) statements.push_back({postgres::kReplacementErase, Params().text(erased_keys.take())});
  if (statements.empty()) return Status::ok();
  std::lock_guard lock(mutex_);
  return connection_->pipeline(statements);
}

Status PostgresTableReplacement::get(std::string_view key, std::optional<std::string>* out) const {
  Result result;
  {
    std::lock_guard lock(mutex_);
    if (Status status = connection_->run(postgres::kReplacementGet, Params().bytes(key), &result); !status.is_ok()) {
      return status;
    }
  }
  *out = result.rows() == 0 ? std::nullopt : std::optional<std::string>(result.bytes(0, 0));
  return Status::ok();
}

Status PostgresTableReplacement::commit(std::vector<KeyedWrite> writes) {
  std::lock_guard lock(mutex_);
  std::vector<Result> opened;
  if (Status status = connection_->pipeline({{"begin", {}}, {"lock_head", {}}}, &opened); !status.is_ok()) {
    return status;
  }
  // From here on the transaction is open; a failure rolls it back, leaving the old table.
  const auto abandon = [this](Status why) {
    if (!connection_->broken()) (void)connection_->run("rollback", {});
    return why;
  };
  const Result& head = opened[1];
  if (head.rows() != 1) return abandon(Status::corruption("the log head row is missing"));
  if (Status status = connection_->execute(postgres::replacement_swap_sql(schema_, table_)); !status.is_ok()) {
    return abandon(status);
  }
  std::vector<postgres::Statement> statements;
  for (const KeyedWrite& write : writes) {
    if (write.value) {
      statements.push_back({postgres::put_statement(write.table), Params().bytes(write.key).bytes(*write.value)});
    } else {
      statements.push_back({postgres::erase_statement(write.table), Params().bytes(write.key)});
    }
  }
  // Other processes' stores hear of it as of any commit: their long-polls read the views again.
  statements.push_back({"announce_commit", Params().text(std::to_string(head.int8(0, 0)))});
  statements.push_back({"commit", {}});
  if (Status status = connection_->pipeline(statements); !status.is_ok()) return status;  // rolled back if failed
  committed_ = true;
  return Status::ok();
}

}  // namespace benefitd::store
