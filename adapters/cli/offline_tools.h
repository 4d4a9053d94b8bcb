#pragma once
// benefitctl's offline tools: they open a stopped server's data dir directly (no timers,
// fulfilment or notifier run) to verify the audit chains, export CloudEvents, or rebuild the
// projections. Each returns the process exit code.
// Thread safety: run one at a time; the data dir must not be open elsewhere.

#include <filesystem>
#include <optional>
#include <string>

namespace benefitd::cli {

/// Verifies the hash chains (R-ENG-6); exit 0 when intact, 1 when broken, 2 when unreadable.
int verify_offline(const std::filesystem::path& data_dir, const std::optional<std::string>& partner_id, bool json);
/// Writes CloudEvents 1.0 JSON lines to stdout (secrets redacted).
int export_offline(const std::filesystem::path& data_dir, const std::optional<std::string>& partner_id);
/// Drops and rebuilds every view; shows progress on stderr when it is a terminal.
int rebuild_offline(const std::filesystem::path& data_dir);

}  // namespace benefitd::cli
