#pragma once
// Operations: what the operator runs on a server besides commands (docs/operations.md):
// online backups of the store, the notifications parked after their last failed delivery,
// and the checks a restore runs on a data dir before it reports success.
//
// Backups are RocksDB checkpoints taken under the data dir's backups/ directory (same file
// system: the table files are hard links, so a checkpoint is instant and costs no space until
// compactions replace those files); a client then reads the files over HTTP and deletes the
// checkpoint. Client input never makes a method throw; refusals are Problems.
//
// Thread safety: every method may be called from any thread concurrently.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "adapters/app/service.h"

namespace benefitd::app {

/// The most bytes one read of a backup file answers.
inline constexpr std::size_t kMaxBackupChunkBytes = std::size_t{8} << 20;

class Operations {
 public:
  virtual ~Operations() = default;

  // ---- backups, on a running server ----

  /// Takes a checkpoint and answers its manifest (201): id, createdAt, benefitdVersion,
  /// lastPosition, lastHash (the hash of the event at lastPosition, empty for an empty log)
  /// and files [{name, size}]. Blocks for a flush and the links: call it off the I/O threads.
  /// Removes checkpoints abandoned for longer than an hour first.
  virtual Outcome create_backup() = 0;
  /// Up to `max_bytes` (at most kMaxBackupChunkBytes) of file `name` of backup `id`, from
  /// `offset`; not-found for an unknown backup or file, invalid-request for a bad name.
  virtual std::variant<std::string, Problem> read_backup_file(std::string_view id, std::string_view name,
                                                              std::uint64_t offset, std::size_t max_bytes) const = 0;
  /// Deletes the checkpoint (204), not-found if there is none.
  virtual Outcome delete_backup(std::string_view id) = 0;

  // ---- notifications ----

  /// Parked ("failed", in the dead letters, by id) or queued ("pending", in the outbox, oldest
  /// first) notifications, a page at a time: {items, nextCursor} (null on the last page).
  virtual Outcome notifications(std::string_view status, const Page& page) const = 0;
  /// Puts a parked notification back in the outbox (202) and wakes the delivery.
  virtual Outcome retry_notification(std::string_view id) = 0;
  /// Prometheus text of the delivery counters and the dead letters gauge.
  virtual std::string metrics_text() const = 0;

  // ---- restore checks, on a data dir opened offline ----

  /// Brings the views up to the log's last position, on the calling thread.
  virtual store::Status catch_up_views() = 0;
  /// The SHA-256 (hex) of every view row, keys and values in key order, and the row count.
  virtual store::Status views_digest(std::string* digest, std::uint64_t* rows) const = 0;
  /// The log's last position and the hash (hex) of the event there (empty for an empty log).
  virtual store::Status log_head(Position* position, std::string* hash) const = 0;
};

}  // namespace benefitd::app
