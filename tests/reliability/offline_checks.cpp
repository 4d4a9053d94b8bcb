// Rebuilding and verifying a stopped server's data dir with benefitctl.
#include "tests/reliability/offline_checks.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/rocksdb/rocksdb_event_store.h"
#include "tests/support/child_process.h"
#include "tests/reliability/check_failed.h"

namespace benefitd::reliability {

namespace {

struct ProgramResult {
  int exit_code = -1;
  std::string output;  // stdout
};

ProgramResult run_program(std::vector<std::string> arguments) {
  testing::ChildProcess child(std::move(arguments));
  ProgramResult result;
  result.output = child.read_all();
  result.exit_code = child.end(0);
  return result;
}

using Rows = std::map<std::string, std::string>;

/// The store of a stopped server; close it before another program opens it.
std::unique_ptr<store::RocksDbEventStore> open_store(const std::filesystem::path& data_dir) {
  std::unique_ptr<store::RocksDbEventStore> opened;
  store::RocksDbOptions options{data_dir / "store"};
  options.create_if_missing = false;
  if (store::Status status = store::RocksDbEventStore::open(options, &opened); !status.is_ok())
    throw CheckFailed("the store in " + data_dir.string() + " cannot be opened: " + status.message());
  return opened;
}

/// Every row of `table`.
Rows read_table(const store::EventStore& store, store::Table table) {
  Rows rows;
  std::string from;
  for (;;) {
    std::vector<store::KeyValue> page;
    if (store::Status status = store.scan(table, from, "", 1000, &page); !status.is_ok())
      throw CheckFailed("reading the " + std::string(store::table_name(table)) + " table failed: " + status.message());
    for (store::KeyValue& row : page) rows.emplace(std::move(row.key), std::move(row.value));
    if (page.size() < 1000) return rows;
    from = rows.rbegin()->first + '\0';  // the first key after the last one read
  }
}

void expect_equal(const Rows& served, const Rows& rebuilt, store::Table table) {
  const std::string name(store::table_name(table));
  for (const auto& [key, value] : served) {
    const auto other = rebuilt.find(key);
    if (other == rebuilt.end())
      throw CheckFailed("R-ENG-5: the " + name + " row " + key + " the server served is missing after a rebuild");
    if (other->second != value)
      throw CheckFailed("R-ENG-5: the " + name + " row " + key + " differs after a rebuild:\nserved:  " + value +
                        "\nrebuilt: " + other->second);
  }
  for (const auto& [key, value] : rebuilt)
    if (!served.contains(key))
      throw CheckFailed("R-ENG-5: a rebuild makes the " + name + " row " + key + ", which the server never had: " +
                        value);
}

}  // namespace

std::size_t compare_views_with_rebuild(const std::filesystem::path& data_dir, const std::filesystem::path& benefitctl) {
  Rows served_views, served_checkpoints;
  {
    const auto served = open_store(data_dir);
    served_views = read_table(*served, store::Table::views);
    served_checkpoints = read_table(*served, store::Table::checkpoints);
  }
  const ProgramResult rebuild = run_program({benefitctl.string(), "projections", "rebuild", "--data-dir", data_dir.string()});
  if (rebuild.exit_code != 0)
    throw CheckFailed("benefitctl projections rebuild exited " + std::to_string(rebuild.exit_code) + ": " +
                      rebuild.output);
  const auto rebuilt = open_store(data_dir);
  expect_equal(served_views, read_table(*rebuilt, store::Table::views), store::Table::views);
  expect_equal(served_checkpoints, read_table(*rebuilt, store::Table::checkpoints), store::Table::checkpoints);
  return served_views.size();
}

void check_row_counts(const std::filesystem::path& data_dir) {
  const auto opened = open_store(data_dir);
  for (const store::Table table : store::kCountedTables) {
    const std::size_t rows = read_table(*opened, table).size();
    const std::optional<std::size_t> kept = opened->row_count(table);
    if (kept != rows)
      throw CheckFailed("the store counts " + (kept ? std::to_string(*kept) : std::string("no")) + " rows in its " +
                        std::string(store::table_name(table)) + " table, which holds " + std::to_string(rows));
  }
}

void verify_offline(const std::filesystem::path& data_dir, const std::filesystem::path& benefitctl,
                    std::uint64_t events) {
  const ProgramResult verify =
      run_program({benefitctl.string(), "--json", "audit", "verify", "--data-dir", data_dir.string()});
  if (verify.exit_code != 0)
    throw CheckFailed("R-ENG-6: benefitctl audit verify --data-dir exited " + std::to_string(verify.exit_code) + ": " +
                      verify.output);
  const auto report = nlohmann::json::parse(verify.output);
  if (report.value("ok", false) != true || report.value("eventsChecked", std::uint64_t{0}) != events)
    throw CheckFailed("R-ENG-6: benefitctl audit verify --data-dir checked " + verify.output + ", the log has " +
                      std::to_string(events) + " events");
}

}  // namespace benefitd::reliability
