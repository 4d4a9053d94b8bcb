#pragma once
// PostgresTableReplacement: a TableReplacement that fills a table of its own in the database
// (kv_<table>_next) and puts it in place of the table in one transaction.
//
// Each add is one upsert of all its rows (and one delete of its erases), so the new rows never
// wait in this process's memory, however many: a rebuild of a long log holds no more than one
// batch. Readers keep the old table meanwhile. The commit, in one transaction that first takes
// the log head's row lock (so no group commit of any process runs beside it), drops the old
// table, renames the new one in its place, writes the other tables' writes and announces the
// commit: readers, and the database after a crash, see either the old rows without the writes
// or the new rows with them. A table that a replacement left behind (a crash, a process that
// never committed) is dropped by the next one, and by the destructor.
//
// Thread safety: that of TableReplacement. It uses one connection of its own, taken in turn.

#include <memory>
#include <mutex>
#include <string>

#include "store/postgres/pg_connection.h"
#include "store/table_replacement.h"

namespace benefitd::store {

class PostgresTableReplacement final : public TableReplacement {
 public:
  /// Creates the table of new rows, empty, on `connection` (which has the store's statements
  /// prepared), in `schema`.
  static Status start(std::unique_ptr<postgres::PgConnection> connection, std::string schema, Table table,
                      std::unique_ptr<TableReplacement>* out);
  ~PostgresTableReplacement() override;
  PostgresTableReplacement(const PostgresTableReplacement&) = delete;
  PostgresTableReplacement& operator=(const PostgresTableReplacement&) = delete;

  Status add(std::vector<KeyedWrite> rows) override;
  Status get(std::string_view key, std::optional<std::string>* out) const override;
  Status commit(std::vector<KeyedWrite> writes) override;

 private:
  PostgresTableReplacement(std::unique_ptr<postgres::PgConnection> connection, std::string schema, Table table)
      : connection_(std::move(connection)), schema_(std::move(schema)), table_(table) {}

  mutable std::mutex mutex_;  // one statement at a time on the connection
  std::unique_ptr<postgres::PgConnection> connection_;
  const std::string schema_;
  const Table table_;
  bool committed_ = false;
};

}  // namespace benefitd::store
