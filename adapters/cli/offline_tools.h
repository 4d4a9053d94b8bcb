#pragma once
// benefitctl's offline tools: they open a stopped server's store directly (no timers,
// fulfilment or notifier run) to verify the audit chains, export CloudEvents, or rebuild the
// projections: the RocksDB store of its data dir, or a PostgreSQL store no node is serving. Each returns the process exit code. Each shows its progress on stderr (see
// app::PassProgress: a bar on a terminal, a line every few seconds otherwise) unless `quiet`;
// stdout carries only the result.
// Thread safety: run one at a time; the data dir must not be open elsewhere.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "adapters/app/log_export.h"

namespace benefitd::app {
class Service;
}

namespace benefitd::cli {

/// Where a stopped server's store is: the PostgreSQL store `conninfo` names (a libpq connection
/// string) if given, else the RocksDB store of `data_dir`.
struct OfflineStore {
  std::filesystem::path data_dir;
  std::string conninfo;
};

/// Opens the store `where` names for an offline pass (ServiceOptions::offline: nothing runs or
/// is written beside the store, its block cache is the offline tools' smaller one). Prints why
/// on stderr and returns null when it cannot.
std::unique_ptr<app::Service> open_offline(const OfflineStore& where);

/// Verifies the hash chains (R-ENG-6); exit 0 when intact, 1 when broken, 2 when unreadable.
int verify_offline(const OfflineStore& where, const std::optional<std::string>& partner_id, bool json, bool quiet);
/// Writes CloudEvents 1.0 JSON lines of the events `filter` selects to stdout (secrets redacted).
int export_offline(const OfflineStore& where, const app::ExportFilter& filter, bool quiet);
/// Rebuilds every view from the log, in place of the stored ones.
int rebuild_offline(const OfflineStore& where, bool quiet);

}  // namespace benefitd::cli
