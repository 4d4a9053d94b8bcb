#pragma once
// The checks made on a stopped server's data dir, with the product's own offline tools:
// - R-ENG-5: the views the server built while it was being killed and restarted equal, row
//   for row and byte for byte, the views `benefitctl projections rebuild` makes from the log
//   (the views and checkpoints tables are read straight from the RocksDB store);
// - R-ENG-6: `benefitctl audit verify --data-dir` finds every hash chain intact;
// - the row counts the store keeps of the timers and outbox tables (the metrics' gauges) equal
//   the rows the tables hold, however often the server was killed.
// Thread safety: one thread; the server must be stopped.

#include <cstdint>
#include <filesystem>

namespace benefitd::reliability {

/// Throws CheckFailed when the rebuilt views differ from the served ones (or the tool fails).
/// Returns how many view rows were compared.
std::size_t compare_views_with_rebuild(const std::filesystem::path& data_dir, const std::filesystem::path& benefitctl);

/// Throws CheckFailed when a counted table's kept row count differs from its rows.
void check_row_counts(const std::filesystem::path& data_dir);

/// Throws CheckFailed unless the offline verification passes over exactly `events` events.
void verify_offline(const std::filesystem::path& data_dir, const std::filesystem::path& benefitctl,
                    std::uint64_t events);

}  // namespace benefitd::reliability
