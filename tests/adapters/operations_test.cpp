// Operations on a real benefitd over loopback sockets (docs/operations.md): an online backup
// taken under write load with benefitctl, restored and verified; a restore refused on a
// non-empty data dir; and signed webhook notifications that end in the dead letters, listed
// and retried by the operator.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <future>
#include <mutex>
#include <thread>

#include "adapters/app/service.h"
#include "scenario.h"
#include "support/temp_dir.h"
#include "webhook_receiver.h"

namespace benefitd::testing {
namespace {

struct Run {
  int status;
  std::string out;
};

/// Runs benefitctl with `arguments` (already shell-quoted); its stdout and stderr.
Run benefitctl(const std::string& arguments) {
  const std::string command = std::string(BENEFITCTL_PATH) + " " + arguments + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  char buffer[4096];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

struct Acknowledged {
  std::string partner_id;
  std::uint64_t position = 0;
};

/// Registers partners from `threads` threads until stopped, recording each acknowledged one.
class PartnerLoad {
 public:
  PartnerLoad(const ServerProcess& server, int threads) {
    for (int t = 0; t < threads; ++t) {
      writers_.emplace_back([this, &server, t] {
        auto client = server.client();
        for (int n = 0; !stopping_; ++n) {
          const std::string name = "load-" + std::to_string(t) + "-" + std::to_string(n);
          const nlohmann::json body = {{"name", name},
                                       {"accountEmail", "account@" + name + ".test"},
                                       {"globalAdmin", {{"email", "admin@" + name + ".test"}, {"displayName", "A"}}}};
          cli::ClientResponse response;
          try {
            response = client.send(
                {"POST", "/v1/partners", body.dump(), {{"Authorization", std::string("Bearer ") + kOperatorToken}}});
          } catch (const std::exception&) {
            ++failures_;
            continue;
          }
          if (response.status != 201) {
            ++failures_;
            continue;
          }
          std::lock_guard lock(mutex_);
          acknowledged_.push_back({nlohmann::json::parse(response.body)["partnerId"],
                                   std::stoull(response.header("X-Position").value_or("0"))});
          grew_.notify_all();
        }
      });
    }
  }
  ~PartnerLoad() { stop(); }

  /// Waits until `count` registrations were acknowledged in all; false after a minute.
  bool wait_for(std::size_t count) {
    std::unique_lock lock(mutex_);
    return grew_.wait_for(lock, std::chrono::minutes(1), [&] { return acknowledged_.size() >= count; });
  }
  std::vector<Acknowledged> acknowledged() {
    std::lock_guard lock(mutex_);
    return acknowledged_;
  }
  void stop() {
    stopping_ = true;
    for (auto& writer : writers_)
      if (writer.joinable()) writer.join();
  }
  int failures() const { return failures_; }

 private:
  std::atomic<bool> stopping_{false};
  std::atomic<int> failures_{0};
  std::mutex mutex_;
  std::condition_variable grew_;
  std::vector<Acknowledged> acknowledged_;
  std::vector<std::thread> writers_;
};

std::unique_ptr<app::Service> open_offline(const std::filesystem::path& data_dir) {
  app::ServiceOptions options;
  options.data_dir = data_dir;
  options.offline = true;
  std::string error;
  auto service = app::open_service(options, &error);
  INFO(error);
  REQUIRE(service);
  return service;
}

}  // namespace

TEST_CASE("a backup taken under write load holds every command acknowledged before it began, and restores verified",
          "[operations][backup]") {
  TempDir dir;
  const auto data = dir.path() / "data";
  const auto backup = dir.path() / "backup";
  const auto restored = dir.path() / "restored";
  std::vector<Acknowledged> before;
  std::size_t acknowledged_after = 0;
  Run taken;
  {
    ServerProcess server(data);
    PartnerLoad load(server, 2);
    REQUIRE(load.wait_for(20));
    before = load.acknowledged();
    taken = benefitctl("backup create --server http://127.0.0.1:" + server.port() + " --token " + kOperatorToken +
                       " --to " + backup.string());
    // The writes went on while the backup ran, and after it.
    REQUIRE(load.wait_for(load.acknowledged().size() + 5));
    load.stop();
    acknowledged_after = load.acknowledged().size();
    CHECK(load.failures() == 0);
    // The checkpoint on the server is gone once downloaded.
    CHECK(std::filesystem::is_empty(data / "backups"));
  }
  INFO("backup create said: " << taken.out);
  REQUIRE(taken.status == 0);
  CHECK(acknowledged_after > before.size());
  std::ifstream manifest_file(backup / "manifest.json");
  const auto manifest = nlohmann::json::parse(manifest_file);
  CHECK(manifest["format"] == "benefitd-backup/1");
  CHECK(manifest["lastHash"].get<std::string>().size() == 64);
  std::uint64_t highest_before = 0;
  for (const auto& write : before) highest_before = std::max(highest_before, write.position);
  CHECK(manifest["lastPosition"].get<std::uint64_t>() >= highest_before);
  for (const auto& file : manifest["files"]) CHECK(file["sha256"].get<std::string>().size() == 64);

  const Run restore = benefitctl("backup restore --from " + backup.string() + " --data-dir " + restored.string());
  INFO("backup restore said: " << restore.out);
  REQUIRE(restore.status == 0);
  CHECK(restore.out.find("identical to a rebuild") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(restored / ".restore-check"));

  auto service = open_offline(restored);
  for (const auto& write : before) {
    INFO("partner " << write.partner_id << " acknowledged at position " << write.position);
    CHECK(std::holds_alternative<app::Reply>(service->partner(workflows::Actor::operatorActor(), write.partner_id)));
  }
  std::promise<app::Outcome> verified;
  service->verify(workflows::Actor::operatorActor(), std::nullopt,
                  [&verified](app::Outcome outcome) { verified.set_value(std::move(outcome)); });
  const app::Outcome outcome = verified.get_future().get();
  REQUIRE(std::holds_alternative<app::Reply>(outcome));
  CHECK(std::get<app::Reply>(outcome).body["ok"] == true);
}

TEST_CASE("backup restore refuses a non-empty data dir and a directory that holds no backup, changing nothing",
          "[operations][backup]") {
  TempDir dir;
  const auto occupied = dir.path() / "occupied";
  std::filesystem::create_directories(occupied);
  std::ofstream(occupied / "keep") << "data";
  std::filesystem::create_directories(dir.path() / "backup" / "store");
  std::ofstream(dir.path() / "backup" / "manifest.json")
      << R"({"format":"benefitd-backup/1","id":"x","lastPosition":0,"lastHash":"","files":[]})";

  const Run refused =
      benefitctl("backup restore --from " + (dir.path() / "backup").string() + " --data-dir " + occupied.string());
  INFO(refused.out);
  CHECK(refused.status == 2);
  CHECK(refused.out.find("is not empty") != std::string::npos);
  CHECK(std::distance(std::filesystem::directory_iterator(occupied), {}) == 1);

  const Run not_a_backup =
      benefitctl("backup restore --from " + occupied.string() + " --data-dir " + (dir.path() / "new").string());
  CHECK(not_a_backup.status == 2);
  CHECK_FALSE(std::filesystem::exists(dir.path() / "new"));
}

TEST_CASE("R-GTM-3 signed notifications to an always failing receiver end in the dead letters, which the operator "
          "lists and retries",
          "[operations][webhook][dead-letter]") {
  TempDir dir;
  const std::string key = "0123456789abcdef0123456789ABCDEF";
  std::ofstream(dir.path() / "webhook-secret") << "whsec_" << test_base64(key) << "\n";
  WebhookReceiver receiver([](std::size_t) { return 500; });
  ServerProcess server(dir.path() / "data", {"--notify-webhook", receiver.url(), "--notify-webhook-secret-file",
                                             (dir.path() / "webhook-secret").string(), "--notify-max-attempts", "2"});
  Caller op(server, kOperatorToken);
  const PartnerAccess partner = register_partner(op, "contoso");
  Caller admin(server, partner.admin_token);
  const auto package = admin.post("/v1/partners/" + partner.partner_id + "/packages", {{"type", "silver-competency"}}, 201);
  admin.put("/v1/partners/" + partner.partner_id + "/marketing-contact",
            {{"userId", partner.admin_user_id},
             {"email", "marketing@contoso.test"},
             {"phone", "+1 555 0100"},
             {"preferredLanguage", "en-US"}},
            200);
  admin.post("/v1/benefits/" + benefit_of(package, "go-to-market")["benefitId"].get<std::string>() + "/activate",
             nlohmann::json::object(), 202);

  // Two failed attempts park the activation request's notification.
  REQUIRE(receiver.wait_for(2));
  nlohmann::json failed;
  for (int poll = 0; poll < 600; ++poll) {
    failed = op.get("/v1/notifications?status=failed");
    if (!failed["items"].empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  REQUIRE(failed["items"].size() == 1);
  const auto& letter = failed["items"][0];
  CHECK(letter["status"] == "failed");
  CHECK(letter["attempts"] == 2);
  CHECK(letter["notification"]["to"] == "marketing@contoso.test");
  const std::string id = letter["id"];
  CHECK(letter["notification"]["id"] == id);
  for (const auto& request : receiver.requests()) {
    CHECK(request.header("webhook-id") == id);
    CHECK(signature_verifies(request, key));
  }
  CHECK(op.get("/v1/notifications?status=pending")["items"].empty());
  const auto metrics = op.send("GET", "/metrics").body;
  CHECK(metrics.find("benefitd_notifications_failed 1") != std::string::npos);
  CHECK(metrics.find("benefitd_notification_attempts_failed_total 2") != std::string::npos);

  // Only the operator sees or retries them; bad input is problem+json.
  CHECK(admin.send("GET", "/v1/notifications?status=failed").status == 403);
  const auto bad_status = op.send("GET", "/v1/notifications?status=lost");
  CHECK(bad_status.status == 400);
  CHECK(bad_status.header("Content-Type") == "application/problem+json");
  const auto unknown = op.send("POST", "/v1/notifications/N-unknown/retry");
  CHECK(unknown.status == 404);
  CHECK(nlohmann::json::parse(unknown.body)["code"] == "not-found");

  // The receiver is back: a retry delivers it, signed.
  receiver.set_answer([](std::size_t) { return 200; });
  const auto retried = op.post("/v1/notifications/" + id + "/retry", nlohmann::json::object(), 202);
  CHECK(retried["status"] == "pending");
  REQUIRE(receiver.wait_for(3));
  const auto delivered = receiver.requests().back();
  CHECK(delivered.answered == 200);
  CHECK(delivered.header("webhook-id") == id);
  CHECK(signature_verifies(delivered, key));
  CHECK(op.get("/v1/notifications?status=failed")["items"].empty());
}

}  // namespace benefitd::testing
