#pragma once
// The PostgreSQL store's tables and statements, in one schema of the database:
//   log_head   (id = 1, last_position)    the log's head row; its row lock orders the writers
//   events     (position, stream, version, body)  body = the event's stored form (event_codec.h)
//   streams    (stream, version, last_hash)      each stream's head
//   row_counts (name, row_count)                 the counted tables' row counts
//   writers    (id, last_group)                  each open store's last committed group
//   log_times  (block, first_position, earliest, latest)  the log's times by block (log_times.h)
//   kv_<table> (key, value)                      one per store::Table, following kAllTables
//   kv_<table>_next (key, value)                 a replacement's new rows while it fills
// Streams, keys and values are bytea: they are opaque bytes, ordered bytewise as in RocksDB.
// Thread safety: pure functions.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/status.h"
#include "store/write_request.h"

namespace benefitd::store::postgres {

/// Whether `schema` is a plain lower-case identifier (letters, digits, '_'; at most 63 bytes),
/// so that it needs no quoting anywhere.
Status check_schema_name(std::string_view schema);

/// SQL that creates whatever of the schema is missing, serialised against other processes
/// doing the same, and counts the rows of a counted table that has no recorded count yet.
std::string create_schema_sql(std::string_view schema);

/// The channel on which each commit announces the log's new last position (NOTIFY), so that
/// the stores of other processes hear of commits they did not make.
std::string commit_channel(std::string_view schema);

/// Every statement the store prepares on each connection: (name, SQL).
std::vector<std::pair<std::string, std::string>> prepared_statements(std::string_view schema);

/// A replacement of `table` (postgres_table_replacement.h): SQL that creates its table of new
/// rows empty (dropping one a crashed replacement left), its statements (prepared once that
/// table exists), SQL that puts its table in place of `table` inside the caller's transaction,
/// and SQL that drops its table.
std::string replacement_create_sql(std::string_view schema, Table table);
std::vector<std::pair<std::string, std::string>> replacement_statements(std::string_view schema, Table table);
std::string replacement_swap_sql(std::string_view schema, Table table);
std::string replacement_drop_sql(std::string_view schema, Table table);
/// Names of the replacement's statements: put rows ($1 keys, $2 values: bytea arrays), erase
/// rows ($1 keys), get a row ($1 key).
inline constexpr const char* kReplacementPut = "replacement_put";
inline constexpr const char* kReplacementErase = "replacement_erase";
inline constexpr const char* kReplacementGet = "replacement_get";

/// Names of the per-table statements, for `table`.
std::string get_statement(Table table);
std::string scan_statement(Table table);        // from a key, unbounded above
std::string scan_range_statement(Table table);  // from a key to below another
std::string put_statement(Table table);
std::string erase_statement(Table table);
std::string clear_statement(Table table);
std::string exists_statement(Table table);

}  // namespace benefitd::store::postgres
