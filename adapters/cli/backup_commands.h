#pragma once
// benefitctl backup create / restore (docs/operations.md "Backups").
//
// create: asks the running server for a checkpoint (POST /v1/admin/backups), downloads its
// files in chunks into DIR/store, checking each file's size and recording its SHA-256, writes
// DIR/manifest.json last (so a directory with a manifest holds a whole backup), and deletes
// the checkpoint on the server, whatever happened.
//
// restore: into an empty (or new) data dir, offline: copies the files while checking sizes and
// SHA-256 against the manifest, then, before it reports success, opens the copy and checks
// that its log ends at the manifest's position and hash, that the hash chains verify, and that
// its views, caught up with the log, are byte for byte those a rebuild from the log gives
// (rebuilt in a scratch copy beside it, removed afterwards).
//
// Both return the process exit code: 0 done, 1 the server refused or a check failed, 2 usage,
// connection or directory errors.
// Thread safety: run one at a time.

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "adapters/cli/http_client.h"

namespace benefitd::cli {

using Headers = std::vector<std::pair<std::string, std::string>>;

/// Takes a backup through `client` (headers carry the operator's token) into `to`.
int create_backup(HttpClient& client, const Headers& headers, const std::filesystem::path& to, bool json);

/// Restores the backup in `from` into the data dir `data_dir`, which must be empty or absent.
/// Its checks (verifying the log, rebuilding the views) show their progress on stderr unless
/// `quiet`.
int restore_backup(const std::filesystem::path& from, const std::filesystem::path& data_dir, bool json, bool quiet);

}  // namespace benefitd::cli
