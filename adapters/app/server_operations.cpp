#include "adapters/app/server_operations.h"

#include <openssl/evp.h>
#include <time.h>

#include <fstream>
#include <memory>

#include <spdlog/spdlog.h>

#include "adapters/app/random_ids.h"
#include "store/rocksdb/rocksdb_event_store.h"

namespace benefitd::app {

namespace {

// A checkpoint older than this was left by a client that stopped before deleting it. Its
// hard links keep table files that compactions replaced, so it costs disk space as it ages.
constexpr auto kAbandonedAfter = std::chrono::hours(1);
// Opening a checkpoint to read its head needs little cache.
constexpr std::size_t kCheckpointCacheBytes = std::size_t{8} << 20;
constexpr std::size_t kScanPage = 1000;

std::string utc_now(const char* format) {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm parts{};
  ::gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, format, &parts);
  return text;
}

Problem unavailable(const store::Status& status) { return Problem{"unavailable", status.message()}; }

bool is_plain_name(std::string_view name) {
  if (name.empty() || name.size() > 255 || name == "." || name == "..") return false;
  for (const char c : name) {
    const bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                         c == '_' || c == '.';
    if (!allowed) return false;
  }
  return true;
}

}  // namespace

store::Status log_head_of(const store::EventStore& store, Position* position, std::string* hash) {
  *position = store.last_position();
  hash->clear();
  if (*position == 0) return store::Status::ok();
  std::vector<store::RecordedEvent> events;
  if (store::Status status = store.read_all(*position, 1, &events); !status.is_ok()) return status;
  if (events.size() != 1) return store::Status::corruption("the log has no event at its last position");
  *hash = store::to_hex(events.front().hash);
  return store::Status::ok();
}

ServerOperations::ServerOperations(store::EventStore& store, notify::Notifier& notifier,
                                   engine::ProjectionRunner& projections, std::filesystem::path data_dir)
    : store_(store), notifier_(notifier), projections_(projections), backups_(std::move(data_dir) / "backups") {}

std::optional<std::filesystem::path> ServerOperations::backup_dir(std::string_view id) const {
  if (!is_plain_name(id) || id.find('.') != std::string_view::npos) return std::nullopt;
  return backups_ / std::string(id);
}

void ServerOperations::remove_abandoned_backups() const {
  std::error_code error;
  const auto now = std::filesystem::file_time_type::clock::now();
  for (const auto& entry : std::filesystem::directory_iterator(backups_, error)) {
    const auto written = entry.last_write_time(error);
    if (error || now - written < kAbandonedAfter) continue;
    spdlog::warn("removing the abandoned backup {}", entry.path().string());
    std::filesystem::remove_all(entry.path(), error);
  }
}

Outcome ServerOperations::create_backup() {
  std::error_code error;
  std::filesystem::create_directories(backups_, error);
  if (error) return Problem{"unavailable", "cannot create " + backups_.string() + ": " + error.message()};
  remove_abandoned_backups();

  const std::string id = utc_now("%Y%m%dT%H%M%SZ") + "-" + new_token().substr(0, 8);
  const std::filesystem::path dir = backups_ / id;
  const std::string created_at = utc_now("%Y-%m-%dT%H:%M:%SZ");
  if (store::Status status = store_.checkpoint(dir); !status.is_ok()) {
    std::filesystem::remove_all(dir, error);
    return unavailable(status);
  }
  // The checkpoint's own head: it holds at least every write acknowledged before it began.
  Position last_position = 0;
  std::string last_hash;
  {
    store::RocksDbOptions options{dir};
    options.create_if_missing = false;
    options.durability = store::Durability::none;
    options.block_cache_bytes = kCheckpointCacheBytes;
    options.reserved_disk_bytes = 0;
    std::unique_ptr<store::RocksDbEventStore> copy;
    store::Status status = store::RocksDbEventStore::open(options, &copy);
    if (status.is_ok()) status = log_head_of(*copy, &last_position, &last_hash);
    if (!status.is_ok()) {
      copy.reset();
      std::filesystem::remove_all(dir, error);
      return unavailable(status);
    }
  }
  nlohmann::json files = nlohmann::json::array();
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    if (entry.is_regular_file()) {
      files.push_back({{"name", entry.path().filename().string()}, {"size", entry.file_size()}});
    }
  }
  if (error) return Problem{"unavailable", "cannot list " + dir.string() + ": " + error.message()};
  spdlog::info("backup {} taken at log position {}", id, last_position);
  Reply reply;
  reply.kind = Reply::Kind::created;
  reply.body = {{"id", id},
                {"createdAt", created_at},
                {"benefitdVersion", BENEFITD_VERSION},
                {"lastPosition", last_position},
                {"lastHash", last_hash},
                {"files", files}};
  reply.position = last_position;
  return reply;
}

std::variant<std::string, Problem> ServerOperations::read_backup_file(std::string_view id, std::string_view name,
                                                                      std::uint64_t offset,
                                                                      std::size_t max_bytes) const {
  const auto dir = backup_dir(id);
  if (!dir || !is_plain_name(name)) return Problem{"invalid-request", "no backup file could have this name"};
  const std::filesystem::path path = *dir / std::string(name);
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    return Problem{"not-found", "backup " + std::string(id) + " has no file " + std::string(name)};
  }
  std::ifstream file(path, std::ios::binary);
  std::string bytes(std::min(max_bytes, kMaxBackupChunkBytes), '\0');
  if (file) file.seekg(static_cast<std::streamoff>(offset));
  if (!file) return std::string();  // past the end
  file.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(file.gcount()));
  return bytes;
}

Outcome ServerOperations::delete_backup(std::string_view id) {
  const auto dir = backup_dir(id);
  std::error_code error;
  if (!dir || !std::filesystem::is_directory(*dir, error)) {
    return Problem{"not-found", "there is no backup " + std::string(id)};
  }
  std::filesystem::remove_all(*dir, error);
  if (error) return Problem{"unavailable", "cannot delete " + dir->string() + ": " + error.message()};
  Reply reply;
  reply.kind = Reply::Kind::no_content;
  return reply;
}

Outcome ServerOperations::notifications(std::string_view status, const Page& page) const {
  const bool failed = status == "failed";
  if (!failed && status != "pending") {
    return Problem{"invalid-request", "status must be failed or pending",
                   {{"errors", {{{"field", "status"}, {"message", "must be failed or pending"}}}}}};
  }
  const store::Table table = failed ? store::Table::dead_letters : store::Table::outbox;
  // A cursor is the last key of the previous page: the page starts just after it.
  const std::string from = page.cursor.empty() ? "" : page.cursor + '\0';
  std::vector<store::KeyValue> rows;
  if (store::Status read = store_.scan(table, from, "", page.limit + 1, &rows); !read.is_ok()) {
    return unavailable(read);
  }
  nlohmann::json items = nlohmann::json::array();
  for (std::size_t i = 0; i < rows.size() && i < page.limit; ++i) {
    auto value = nlohmann::json::parse(rows[i].value, nullptr, false);
    if (value.is_discarded()) continue;
    nlohmann::json item = failed ? value : nlohmann::json{{"notification", value}};
    item["id"] = failed ? rows[i].key : value.value("id", "");
    item["status"] = status;
    items.push_back(std::move(item));
  }
  Reply reply;
  reply.body = {{"items", items}, {"nextCursor", nullptr}};
  if (rows.size() > page.limit) reply.body["nextCursor"] = rows[page.limit - 1].key;
  reply.position = store_.last_position();
  return reply;
}

Outcome ServerOperations::retry_notification(std::string_view id) {
  if (id.empty() || id.size() > store::kMaxKeyBytes) return Problem{"not-found", "there is no such notification"};
  bool found = false;
  if (store::Status status = notifier_.retry(id, &found); !status.is_ok()) return unavailable(status);
  if (!found) return Problem{"not-found", "no failed notification has the id " + std::string(id)};
  Reply reply;
  reply.kind = Reply::Kind::accepted;
  reply.body = {{"id", id}, {"status", "pending"}};
  reply.position = store_.last_position();
  return reply;
}

std::string ServerOperations::metrics_text() const { return notifier_.metrics_text(); }

store::Status ServerOperations::catch_up_views() { return projections_.catch_up(); }

store::Status ServerOperations::views_digest(std::string* digest, std::uint64_t* rows) const {
  const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!context || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1) {
    return store::Status::io_error("SHA-256 is not available");
  }
  *rows = 0;
  std::string from;
  for (;;) {
    std::vector<store::KeyValue> page;
    if (store::Status status = store_.scan(store::Table::views, from, "", kScanPage, &page); !status.is_ok()) {
      return status;
    }
    for (const store::KeyValue& row : page) {
      // Lengths first, so that no two different sets of rows hash the same bytes.
      const std::string lengths = std::to_string(row.key.size()) + ":" + std::to_string(row.value.size()) + ":";
      EVP_DigestUpdate(context.get(), lengths.data(), lengths.size());
      EVP_DigestUpdate(context.get(), row.key.data(), row.key.size());
      EVP_DigestUpdate(context.get(), row.value.data(), row.value.size());
      ++*rows;
    }
    if (page.size() < kScanPage) break;
    from = page.back().key + '\0';
  }
  store::Hash hash{};
  unsigned int length = 0;
  EVP_DigestFinal_ex(context.get(), hash.data(), &length);
  *digest = store::to_hex(hash);
  return store::Status::ok();
}

store::Status ServerOperations::log_head(Position* position, std::string* hash) const {
  return log_head_of(store_, position, hash);
}

}  // namespace benefitd::app
