#pragma once
// The column families a RocksDbEventStore's tables live in, and their generations.
//
// Each table has one current column family. A table replaced in bulk
// (RocksDbEventStore::replace_table) gets a new, empty family each time, its next generation:
// its new rows are ingested there while the old family is still served, and the old family is
// then dropped whole, so no compaction ever reads the old rows to delete them. Generation 0 is
// named after the table; generation g > 0 is the table's name, a dot, and g. Which generation
// is current is recorded in the meta family under generation_key(table), in the same ingestion
// as the new generation's files: a crash leaves either the old generation current or the new
// one, and opening drops every other generation of the table.
//
// Thread safety: pure functions.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/write_request.h"

namespace benefitd::store {

struct TableGeneration {
  Table table;
  std::uint64_t generation = 0;
};

/// The column family name of `table`'s generation `generation`.
std::string family_name(Table table, std::uint64_t generation);
/// The table generation that column family `name` holds, or nullopt for a family of no table.
std::optional<TableGeneration> table_generation_of(std::string_view name);
/// The meta family's key of `table`'s current generation (8-byte big-endian value; absent
/// means generation 0).
std::string generation_key(Table table);

}  // namespace benefitd::store
