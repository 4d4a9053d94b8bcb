#include "store/postgres/postgres_schema.h"

namespace benefitd::store::postgres {

namespace {

// Any fixed number: the advisory lock that serialises schema creation between processes.
constexpr const char* kSetupLockKey = "7202611170";

std::string kv_table(std::string_view schema, Table table) {
  return std::string(schema) + ".kv_" + std::string(table_name(table));
}

// A replacement's table of new rows, unqualified (an index is renamed by its bare name).
std::string next_name(Table table) { return "kv_" + std::string(table_name(table)) + "_next"; }

std::string named(std::string_view prefix, Table table) {
  return std::string(prefix) + "_" + std::string(table_name(table));
}

}  // namespace

Status check_schema_name(std::string_view schema) {
  if (schema.empty() || schema.size() > 63 || (schema[0] >= '0' && schema[0] <= '9')) {
    return Status::invalid_argument("a PostgreSQL schema name must be 1 to 63 characters, not starting with a digit");
  }
  for (const char c : schema) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return Status::invalid_argument("a PostgreSQL schema name may hold only a-z, 0-9 and '_'");
    }
  }
  return Status::ok();
}

std::string create_schema_sql(std::string_view schema_name) {
  const std::string s(schema_name);
  std::string sql = "BEGIN; SELECT pg_advisory_xact_lock(" + std::string(kSetupLockKey) + ");";
  sql += "CREATE SCHEMA IF NOT EXISTS " + s + ";";
  sql += "CREATE TABLE IF NOT EXISTS " + s +
         ".log_head (id integer PRIMARY KEY CHECK (id = 1), last_position bigint NOT NULL);";
  sql += "INSERT INTO " + s + ".log_head VALUES (1, 0) ON CONFLICT DO NOTHING;";
  sql += "CREATE TABLE IF NOT EXISTS " + s +
         ".events (position bigint PRIMARY KEY, stream bytea NOT NULL, version bigint NOT NULL, "
         "body bytea NOT NULL, UNIQUE (stream, version));";
  sql += "CREATE TABLE IF NOT EXISTS " + s +
         ".streams (stream bytea PRIMARY KEY, version bigint NOT NULL, last_hash bytea NOT NULL);";
  sql += "CREATE TABLE IF NOT EXISTS " + s + ".row_counts (name text PRIMARY KEY, row_count bigint NOT NULL);";
  // The log's times by block of positions (log_times.h); times in milliseconds since the epoch.
  sql += "CREATE TABLE IF NOT EXISTS " + s +
         ".log_times (block bigint PRIMARY KEY, first_position bigint NOT NULL, earliest bigint NOT NULL, "
         "latest bigint NOT NULL);";
  sql += "CREATE TABLE IF NOT EXISTS " + s + ".writers (id bytea PRIMARY KEY, last_group bigint NOT NULL);";
  for (const Table table : kAllTables) {
    sql += "CREATE TABLE IF NOT EXISTS " + kv_table(s, table) + " (key bytea PRIMARY KEY, value bytea NOT NULL);";
  }
  for (const Table table : kCountedTables) {
    sql += "INSERT INTO " + s + ".row_counts SELECT '" + std::string(table_name(table)) + "', count(*) FROM " +
           kv_table(s, table) + " ON CONFLICT DO NOTHING;";
  }
  sql += "COMMIT;";
  return sql;
}

std::string commit_channel(std::string_view schema) { return std::string(schema) + "_commits"; }

std::vector<std::pair<std::string, std::string>> prepared_statements(std::string_view schema_name) {
  const std::string s(schema_name);
  std::vector<std::pair<std::string, std::string>> statements = {
      {"begin", "BEGIN"},
      {"commit", "COMMIT"},
      {"rollback", "ROLLBACK"},
      // Taken first by every group: writers of every process queue here, one at a time.
      {"lock_head", "SELECT last_position FROM " + s + ".log_head WHERE id = 1 FOR UPDATE"},
      {"read_head", "SELECT last_position FROM " + s + ".log_head WHERE id = 1"},
      {"set_last_position", "UPDATE " + s + ".log_head SET last_position = $1::bigint WHERE id = 1"},
      {"read_counts", "SELECT name, row_count FROM " + s + ".row_counts"},
      // Widens a block's record by a commit's events in it, from whichever process.
      {"widen_log_times", "INSERT INTO " + s + ".log_times AS stored (block, first_position, earliest, latest) "
                          "VALUES ($1::bigint, $2::bigint, $3::bigint, $4::bigint) ON CONFLICT (block) DO UPDATE SET "
                          "first_position = least(stored.first_position, excluded.first_position), "
                          "earliest = least(stored.earliest, excluded.earliest), "
                          "latest = greatest(stored.latest, excluded.latest)"},
      {"read_log_times", "SELECT block, first_position, earliest, latest FROM " + s + ".log_times ORDER BY block"},
      {"set_row_count", "UPDATE " + s + ".row_counts SET row_count = $2::bigint WHERE name = $1::text"},
      {"stream_head", "SELECT version, last_hash FROM " + s + ".streams WHERE stream = $1::bytea"},
      {"put_head", "INSERT INTO " + s + ".streams (stream, version, last_hash) VALUES ($1::bytea, $2::bigint, $3::bytea) "
                   "ON CONFLICT (stream) DO UPDATE SET version = excluded.version, last_hash = excluded.last_hash"},
      {"insert_event", "INSERT INTO " + s + ".events (position, stream, version, body) "
                       "VALUES ($1::bigint, $2::bytea, $3::bigint, $4::bytea)"},
      {"mark_group", "INSERT INTO " + s + ".writers (id, last_group) VALUES ($1::bytea, $2::bigint) "
                     "ON CONFLICT (id) DO UPDATE SET last_group = excluded.last_group"},
      {"group_outcome", "SELECT last_group FROM " + s + ".writers WHERE id = $1::bytea"},
      // Delivered with the COMMIT, to every listener, in commit order.
      {"announce_commit", "SELECT pg_notify('" + commit_channel(s) + "', $1::text)"},
      {"forget_writer", "DELETE FROM " + s + ".writers WHERE id = $1::bytea"},
      {"read_stream", "SELECT body FROM " + s + ".events WHERE stream = $1::bytea AND version >= $2::bigint "
                      "ORDER BY version LIMIT $3::bigint"},
      {"read_all", "SELECT body FROM " + s + ".events WHERE position >= $1::bigint ORDER BY position LIMIT $2::bigint"},
      {"read_at", "SELECT position, body FROM " + s + ".events WHERE position = ANY($1::bigint[])"},
  };
  for (const Table table : kAllTables) {
    const std::string kv = kv_table(s, table);
    statements.emplace_back(get_statement(table), "SELECT value FROM " + kv + " WHERE key = $1::bytea");
    statements.emplace_back(scan_statement(table),
                            "SELECT key, value FROM " + kv + " WHERE key >= $1::bytea ORDER BY key LIMIT $2::bigint");
    statements.emplace_back(scan_range_statement(table), "SELECT key, value FROM " + kv +
                                                             " WHERE key >= $1::bytea AND key < $2::bytea "
                                                             "ORDER BY key LIMIT $3::bigint");
    statements.emplace_back(put_statement(table), "INSERT INTO " + kv + " (key, value) VALUES ($1::bytea, $2::bytea) "
                                                                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    statements.emplace_back(erase_statement(table), "DELETE FROM " + kv + " WHERE key = $1::bytea");
    statements.emplace_back(clear_statement(table), "DELETE FROM " + kv);
    statements.emplace_back(exists_statement(table), "SELECT 1 FROM " + kv + " WHERE key = $1::bytea");
  }
  return statements;
}

std::string replacement_create_sql(std::string_view schema, Table table) {
  const std::string next = std::string(schema) + "." + next_name(table);
  return "DROP TABLE IF EXISTS " + next + "; CREATE TABLE " + next + " (key bytea, value bytea NOT NULL, CONSTRAINT " +
         next_name(table) + "_pkey PRIMARY KEY (key));";
}

std::vector<std::pair<std::string, std::string>> replacement_statements(std::string_view schema, Table table) {
  const std::string next = std::string(schema) + "." + next_name(table);
  return {
      // The keys of one call are distinct (TableReplacement::add), as ON CONFLICT requires.
      {kReplacementPut, "INSERT INTO " + next + " (key, value) SELECT * FROM unnest($1::bytea[], $2::bytea[]) "
                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value"},
      {kReplacementErase, "DELETE FROM " + next + " WHERE key = ANY($1::bytea[])"},
      {kReplacementGet, "SELECT value FROM " + next + " WHERE key = $1::bytea"},
  };
}

std::string replacement_swap_sql(std::string_view schema, Table table) {
  const std::string s(schema);
  const std::string kv = "kv_" + std::string(table_name(table));
  // Statements other connections prepared on the old table are planned again, by name, on
  // their next use (PostgreSQL invalidates plans that depend on a dropped table).
  return "DROP TABLE " + s + "." + kv + "; ALTER TABLE " + s + "." + next_name(table) + " RENAME TO " + kv +
         "; ALTER INDEX " + s + "." + next_name(table) + "_pkey RENAME TO " + kv + "_pkey;";
}

std::string replacement_drop_sql(std::string_view schema, Table table) {
  return "DROP TABLE IF EXISTS " + std::string(schema) + "." + next_name(table) + ";";
}

std::string get_statement(Table table) { return named("get", table); }
std::string scan_statement(Table table) { return named("scan", table); }
std::string scan_range_statement(Table table) { return named("scan_range", table); }
std::string put_statement(Table table) { return named("put", table); }
std::string erase_statement(Table table) { return named("erase", table); }
std::string clear_statement(Table table) { return named("clear", table); }
std::string exists_statement(Table table) { return named("exists", table); }

}  // namespace benefitd::store::postgres
