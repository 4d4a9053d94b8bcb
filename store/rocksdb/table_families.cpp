#include "store/rocksdb/table_families.h"

#include <charconv>

namespace benefitd::store {

std::string family_name(Table table, std::uint64_t generation) {
  std::string name(table_name(table));
  if (generation != 0) {
    name += '.';
    name += std::to_string(generation);
  }
  return name;
}

std::optional<TableGeneration> table_generation_of(std::string_view name) {
  const std::size_t dot = name.find('.');
  const std::string_view base = name.substr(0, dot);
  for (const Table table : kAllTables) {
    if (table_name(table) != base) continue;
    if (dot == std::string_view::npos) return TableGeneration{table, 0};
    const std::string_view digits = name.substr(dot + 1);
    std::uint64_t generation = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), generation);
    if (error != std::errc() || end != digits.data() + digits.size() || generation == 0 || digits[0] == '0') {
      return std::nullopt;
    }
    return TableGeneration{table, generation};
  }
  return std::nullopt;
}

std::string generation_key(Table table) { return "generation/" + std::string(table_name(table)); }

}  // namespace benefitd::store
