#pragma once
// ServerOperations: Operations (operations.h) over the Service's store, notifier and
// projection runner. Backups live in <data dir>/backups/<id>/, one RocksDB checkpoint each.
// Thread safety: as Operations; the store, notifier and runner are thread-safe themselves.

#include <filesystem>

#include "adapters/app/operations.h"
#include "adapters/notify/notifier.h"
#include "engine/projection_runner.h"
#include "store/event_store.h"

namespace benefitd::app {

class ServerOperations final : public Operations {
 public:
  ServerOperations(store::EventStore& store, notify::Notifier& notifier, engine::ProjectionRunner& projections,
                   std::filesystem::path data_dir);

  Outcome create_backup() override;
  std::variant<std::string, Problem> read_backup_file(std::string_view id, std::string_view name,
                                                      std::uint64_t offset, std::size_t max_bytes) const override;
  Outcome delete_backup(std::string_view id) override;
  Outcome notifications(std::string_view status, const Page& page) const override;
  Outcome retry_notification(std::string_view id) override;
  std::string metrics_text() const override;
  store::Status catch_up_views() override;
  store::Status views_digest(std::string* digest, std::uint64_t* rows) const override;
  store::Status log_head(Position* position, std::string* hash) const override;

 private:
  /// The checkpoint directory of backup `id`, or nullopt for an id no backup could have.
  std::optional<std::filesystem::path> backup_dir(std::string_view id) const;
  /// Deletes checkpoints older than kAbandonedAfter: a client that died mid-download.
  void remove_abandoned_backups() const;

  store::EventStore& store_;
  notify::Notifier& notifier_;
  engine::ProjectionRunner& projections_;
  const std::filesystem::path backups_;
};

/// The last position of `store` and the hash (hex) of its event there.
store::Status log_head_of(const store::EventStore& store, Position* position, std::string* hash);

}  // namespace benefitd::app
