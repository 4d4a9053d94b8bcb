#include "adapters/cli/backup_commands.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <fstream>
#include <future>
#include <iostream>
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "adapters/app/operations.h"
#include "adapters/app/pass_progress.h"
#include "adapters/app/service.h"
#include "adapters/cli/offline_tools.h"
#include "adapters/cli/render.h"
#include "store/event.h"

namespace benefitd::cli {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kFormat = "benefitd-backup/1";
constexpr std::size_t kChunkBytes = std::size_t{8} << 20;
constexpr int kRefused = 1;
constexpr int kUsage = 2;

class Sha256 {
 public:
  Sha256() : context_(EVP_MD_CTX_new(), &EVP_MD_CTX_free) { EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr); }
  void add(std::string_view bytes) { EVP_DigestUpdate(context_.get(), bytes.data(), bytes.size()); }
  std::string hex() {
    store::Hash hash{};
    unsigned int length = 0;
    EVP_DigestFinal_ex(context_.get(), hash.data(), &length);
    return store::to_hex(hash);
  }

 private:
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context_;
};

/// A file written and fsync'd before it is closed: a backup must survive a crash after it
/// reports success.
class DurableFile {
 public:
  explicit DurableFile(const fs::path& path) : fd_(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) {}
  ~DurableFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  DurableFile(const DurableFile&) = delete;
  DurableFile& operator=(const DurableFile&) = delete;
  bool is_open() const { return fd_ >= 0; }
  bool write(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t written = ::write(fd_, bytes.data(), bytes.size());
      if (written <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(written));
    }
    return true;
  }
  bool sync_and_close() {
    const bool synced = ::fsync(fd_) == 0;
    const bool closed = ::close(fd_) == 0;
    fd_ = -1;
    return synced && closed;
  }

 private:
  int fd_;
};

bool sync_directory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  return synced;
}

/// Whether `dir` is absent or an empty directory; says why not on stderr.
bool usable_target(const fs::path& dir, std::string_view flag) {
  std::error_code error;
  if (!fs::exists(dir, error)) return true;
  if (!fs::is_directory(dir, error)) {
    std::cerr << "benefitctl: " << flag << " " << dir.string() << " is not a directory\n";
    return false;
  }
  if (!fs::is_empty(dir, error)) {
    std::cerr << "benefitctl: " << flag << " " << dir.string()
              << " is not empty: give a new or empty directory (nothing was changed)\n";
    return false;
  }
  return true;
}

bool make_private_dir(const fs::path& dir) {
  std::error_code error;
  fs::create_directories(dir, error);
  if (!error) fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, error);
  if (error) std::cerr << "benefitctl: cannot create " << dir.string() << ": " << error.message() << "\n";
  return !error;
}

/// A file name the manifest may hold: one path component.
bool is_plain_name(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos;
}

std::optional<nlohmann::json> ask(HttpClient& client, const ClientRequest& request, int expected) {
  const ClientResponse response = client.send(request);
  if (response.status == expected) {
    return response.body.empty() ? nlohmann::json::object() : nlohmann::json::parse(response.body, nullptr, false);
  }
  render_problem(response.status, nlohmann::json::parse(response.body, nullptr, false), std::cerr);
  return std::nullopt;
}

/// Downloads one file of the server's checkpoint into `path`; its SHA-256, or nullopt.
std::optional<std::string> download(HttpClient& client, const Headers& headers, const std::string& id,
                                    const std::string& name, std::uint64_t size, const fs::path& path) {
  DurableFile file(path);
  if (!file.is_open()) {
    std::cerr << "benefitctl: cannot write " << path.string() << "\n";
    return std::nullopt;
  }
  Sha256 hash;
  std::uint64_t offset = 0;
  while (offset < size) {
    const ClientRequest request{"GET",
                                "/v1/admin/backups/" + id + "/files/" + name + "?offset=" + std::to_string(offset) +
                                    "&length=" + std::to_string(kChunkBytes),
                                "", headers};
    const ClientResponse response = client.send(request);
    if (response.status != 200) {
      render_problem(response.status, nlohmann::json::parse(response.body, nullptr, false), std::cerr);
      return std::nullopt;
    }
    if (response.body.empty()) break;
    hash.add(response.body);
    if (!file.write(response.body)) {
      std::cerr << "benefitctl: cannot write " << path.string() << "\n";
      return std::nullopt;
    }
    offset += response.body.size();
  }
  if (offset != size) {
    std::cerr << "benefitctl: " << name << " has " << offset << " bytes, the server listed " << size << "\n";
    return std::nullopt;
  }
  if (!file.sync_and_close()) {
    std::cerr << "benefitctl: cannot write " << path.string() << "\n";
    return std::nullopt;
  }
  return hash.hex();
}

int download_backup(HttpClient& client, const Headers& headers, const nlohmann::json& taken, const fs::path& to,
                    bool json) {
  const std::string id = taken.value("id", "");
  nlohmann::json manifest = taken;
  manifest["format"] = kFormat;
  manifest["files"] = nlohmann::json::array();
  std::uint64_t bytes = 0;
  if (!make_private_dir(to / "store")) return kUsage;
  for (const auto& file : taken.at("files")) {
    const std::string name = file.at("name");
    const std::uint64_t size = file.at("size");
    if (!is_plain_name(name)) {
      std::cerr << "benefitctl: the server listed an unusable file name '" << name << "'\n";
      return kRefused;
    }
    const auto sha256 = download(client, headers, id, name, size, to / "store" / name);
    if (!sha256) return kRefused;
    manifest["files"].push_back({{"name", name}, {"size", size}, {"sha256", *sha256}});
    bytes += size;
  }
  if (!sync_directory(to / "store")) {
    std::cerr << "benefitctl: cannot sync " << (to / "store").string() << "\n";
    return kUsage;
  }
  // The manifest last, through a rename: a directory with a manifest holds a whole backup.
  {
    DurableFile file(to / "manifest.json.tmp");
    if (!file.is_open() || !file.write(manifest.dump(2) + "\n") || !file.sync_and_close()) {
      std::cerr << "benefitctl: cannot write " << (to / "manifest.json").string() << "\n";
      return kUsage;
    }
  }
  std::error_code error;
  fs::rename(to / "manifest.json.tmp", to / "manifest.json", error);
  if (error || !sync_directory(to)) {
    std::cerr << "benefitctl: cannot write " << (to / "manifest.json").string() << "\n";
    return kUsage;
  }
  if (json) {
    std::cout << manifest.dump() << "\n";
  } else {
    std::cout << "backup " << id << " in " << to.string() << ": " << manifest["files"].size() << " files, " << bytes
              << " bytes, log position " << manifest.value("lastPosition", 0) << "\n";
  }
  return 0;
}

// ---- restore ----

/// Copies `from` to `to`, checking the size and SHA-256 the manifest gives.
bool copy_checked(const fs::path& from, const fs::path& to, std::uint64_t size, const std::string& sha256) {
  std::ifstream in(from, std::ios::binary);
  DurableFile out(to);
  if (!in || !out.is_open()) {
    std::cerr << "benefitctl: cannot copy " << from.string() << " to " << to.string() << "\n";
    return false;
  }
  Sha256 hash;
  std::uint64_t copied = 0;
  std::string buffer(1 << 20, '\0');
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const std::string_view chunk(buffer.data(), static_cast<std::size_t>(in.gcount()));
    if (chunk.empty()) break;
    hash.add(chunk);
    if (!out.write(chunk)) {
      std::cerr << "benefitctl: cannot write " << to.string() << "\n";
      return false;
    }
    copied += chunk.size();
  }
  if (!out.sync_and_close()) {
    std::cerr << "benefitctl: cannot write " << to.string() << "\n";
    return false;
  }
  if (copied != size || hash.hex() != sha256) {
    std::cerr << "benefitctl: " << from.string() << " is not the file the backup recorded (size or SHA-256 differs)\n";
    return false;
  }
  return true;
}

/// A scratch copy of the restored store for the rebuild: table files (which RocksDB never
/// changes once written) are hard links, the rest copies.
bool scratch_copy(const fs::path& store, const fs::path& scratch) {
  if (!make_private_dir(scratch)) return false;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(store, error)) {
    const fs::path target = scratch / entry.path().filename();
    if (entry.path().extension() == ".sst") fs::create_hard_link(entry.path(), target, error);
    if (entry.path().extension() != ".sst" || error) {
      error.clear();
      fs::copy_file(entry.path(), target, error);
    }
    if (error) break;
  }
  if (error) std::cerr << "benefitctl: cannot copy " << store.string() << ": " << error.message() << "\n";
  return !error;
}

struct Restored {
  app::Position position = 0;
  std::string hash;
  std::uint64_t events_checked = 0;
  std::string views_digest;
  std::uint64_t view_rows = 0;
};

/// Checks the restored data dir: its head against the manifest, its chains, and its views
/// caught up with the log. Prints why on failure.
bool check_restored(const fs::path& data_dir, const nlohmann::json& manifest, Restored* restored, bool quiet) {
  auto service = open_offline({.data_dir = data_dir, .conninfo = {}});
  if (!service || service->operations() == nullptr) return false;
  app::Operations& operations = *service->operations();
  if (store::Status status = operations.log_head(&restored->position, &restored->hash); !status.is_ok()) {
    std::cerr << "benefitctl: the restored log cannot be read: " << status.message() << "\n";
    return false;
  }
  if (restored->position != manifest.value("lastPosition", std::uint64_t{0}) ||
      restored->hash != manifest.value("lastHash", "")) {
    std::cerr << "benefitctl: the restored log ends at position " << restored->position << " (hash " << restored->hash
              << "), the manifest says " << manifest.value("lastPosition", 0) << " (" << manifest.value("lastHash", "")
              << ")\n";
    return false;
  }
  app::PassProgress progress = app::PassProgress::on_stderr("verifying the restored log", quiet);
  std::promise<app::Outcome> verified;
  service->verify(
      workflows::Actor::operatorActor(), std::nullopt,
      [&verified](app::Outcome outcome) { verified.set_value(std::move(outcome)); }, progress.report());
  const app::Outcome outcome = verified.get_future().get();
  progress.finish();
  if (const auto* problem = std::get_if<app::Problem>(&outcome)) {
    std::cerr << "benefitctl: the chains cannot be verified: " << problem->detail << "\n";
    return false;
  }
  const nlohmann::json& report = std::get<app::Reply>(outcome).body;
  if (!report.value("ok", false)) {
    std::cerr << "benefitctl: the restored log does not verify:\n";
    render_object(report, std::cerr);
    return false;
  }
  restored->events_checked = report.value("eventsChecked", std::uint64_t{0});
  store::Status status = operations.catch_up_views();
  if (status.is_ok()) status = operations.views_digest(&restored->views_digest, &restored->view_rows);
  if (!status.is_ok()) {
    std::cerr << "benefitctl: the restored views cannot catch up with the log: " << status.message() << "\n";
    return false;
  }
  return true;
}

/// The digest of views rebuilt from the log of the store copied into `scratch`.
std::optional<std::string> rebuilt_views_digest(const fs::path& scratch, bool quiet) {
  auto service = open_offline({.data_dir = scratch, .conninfo = {}});
  if (!service || service->operations() == nullptr) return std::nullopt;
  app::PassProgress progress = app::PassProgress::on_stderr("rebuilding the views to compare", quiet);
  store::Status status = service->rebuild_projections(progress.report());
  progress.finish();
  std::string digest;
  std::uint64_t rows = 0;
  if (status.is_ok()) status = service->operations()->views_digest(&digest, &rows);
  if (!status.is_ok()) {
    std::cerr << "benefitctl: the views cannot be rebuilt from the restored log: " << status.message() << "\n";
    return std::nullopt;
  }
  return digest;
}

}  // namespace

int create_backup(HttpClient& client, const Headers& headers, const fs::path& to, bool json) {
  if (!usable_target(to, "--to") || !make_private_dir(to)) return kUsage;
  const auto taken = ask(client, {"POST", "/v1/admin/backups", "", headers}, 201);
  if (!taken || taken->is_discarded() || !taken->contains("files") || !(*taken)["id"].is_string()) {
    if (taken) std::cerr << "benefitctl: the server's answer is not a backup manifest\n";
    return kRefused;
  }
  const std::string id = (*taken)["id"];
  int code = kRefused;
  try {
    code = download_backup(client, headers, *taken, to, json);
  } catch (const std::exception& error) {
    std::cerr << "benefitctl: " << error.what() << "\n";
    code = kUsage;
  }
  // The checkpoint pins table files on the server's disk: delete it whatever happened.
  try {
    const ClientResponse deleted = client.send({"DELETE", "/v1/admin/backups/" + id, "", headers});
    if (deleted.status != 204) std::cerr << "benefitctl: the server kept its copy of backup " << id << "\n";
  } catch (const std::exception& error) {
    std::cerr << "benefitctl: the server kept its copy of backup " << id << ": " << error.what() << "\n";
  }
  return code;
}

int restore_backup(const fs::path& from, const fs::path& data_dir, bool json, bool quiet) {
  std::ifstream manifest_file(from / "manifest.json");
  const auto manifest = nlohmann::json::parse(manifest_file, nullptr, false);
  if (!manifest_file || manifest.is_discarded() || manifest.value("format", "") != kFormat ||
      !manifest.contains("files") || !manifest["files"].is_array()) {
    std::cerr << "benefitctl: " << (from / "manifest.json").string() << " is not a " << kFormat
              << " manifest: is --from a backup made by `benefitctl backup create`?\n";
    return kUsage;
  }
  if (!usable_target(data_dir, "--data-dir") || !make_private_dir(data_dir / "store")) return kUsage;
  for (const auto& file : manifest["files"]) {
    const std::string name = file.value("name", "");
    if (!is_plain_name(name) || !copy_checked(from / "store" / name, data_dir / "store" / name,
                                              file.value("size", std::uint64_t{0}), file.value("sha256", ""))) {
      return kRefused;
    }
  }
  if (!sync_directory(data_dir / "store")) {
    std::cerr << "benefitctl: cannot sync " << (data_dir / "store").string() << "\n";
    return kUsage;
  }

  Restored restored;
  if (!check_restored(data_dir, manifest, &restored, quiet)) return kRefused;
  const fs::path scratch = data_dir / ".restore-check";
  std::optional<std::string> rebuilt;
  if (scratch_copy(data_dir / "store", scratch / "store")) rebuilt = rebuilt_views_digest(scratch, quiet);
  std::error_code ignored;
  fs::remove_all(scratch, ignored);
  if (!rebuilt) return kRefused;
  if (*rebuilt != restored.views_digest) {
    std::cerr << "benefitctl: the restored views differ from views rebuilt from its log; `benefitctl projections "
                 "rebuild --data-dir "
              << data_dir.string() << "` replaces them\n";
    return kRefused;
  }

  const nlohmann::json report = {{"restored", manifest.value("id", "")},
                                 {"dataDir", data_dir.string()},
                                 {"lastPosition", restored.position},
                                 {"lastHash", restored.hash},
                                 {"eventsChecked", restored.events_checked},
                                 {"viewRows", restored.view_rows},
                                 {"views", "identical to a rebuild from the log"}};
  if (json) std::cout << report.dump() << "\n";
  else render_object(report, std::cout);
  return 0;
}

}  // namespace benefitd::cli
