// Signed webhooks (R-GTM-3 notifications, Standard Webhooks): every delivery attempt carries
// webhook-id, webhook-timestamp and a webhook-signature that a receiver verifies on its own;
// a receiver that fails N times gets the notification on attempt N+1; one that always fails
// ends with the notification in the dead letters, from where a retry delivers it once the
// receiver is back. The notifier runs on an in-memory store, the receiver on a loopback socket.
#include <catch2/catch.hpp>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>

#include "adapters/http/webhook_sink.h"
#include "adapters/notify/notifier.h"
#include "adapters/notify/webhook_signature.h"
#include "store/memory_event_store.h"
#include "support/temp_dir.h"
#include "test_certificates.h"
#include "webhook_receiver.h"

namespace benefitd::testing {
namespace {

// 32 key bytes as a whsec_ secret.
const std::string kKey = "0123456789abcdef0123456789ABCDEF";
const std::string kSecret = "whsec_" + test_base64(kKey);

// Quick retries: the back-off's shape is the notifier's, its scale the test's.
constexpr notify::NotifierOptions kQuick{.max_attempts = 4,
                                         .first_retry = std::chrono::milliseconds(5),
                                         .max_retry = std::chrono::milliseconds(40)};

nlohmann::json queue(store::EventStore& store, const std::string& id) {
  const nlohmann::json notification = {
      {"id", id}, {"to", "marketing@contoso.example"}, {"subject", "Activation"}, {"body", "Instructions"}};
  store::WriteRequest write;
  write.writes.push_back(store::KeyedWrite::put(store::Table::outbox, "00000000000000000001/" + id, notification.dump()));
  REQUIRE(store.append(std::move(write)).status.is_ok());
  return notification;
}

notify::Sink signed_sink(const WebhookReceiver& receiver) {
  std::string error;
  auto key = notify::parse_webhook_secret(kSecret, &error);
  REQUIRE(key);
  auto sink = http::webhook_sink(receiver.url(), key, "", &error);
  REQUIRE(sink);
  return *sink;
}

std::size_t rows(const store::EventStore& store, store::Table table) {
  std::vector<store::KeyValue> found;
  REQUIRE(store.scan(table, "", "", 1000, &found).is_ok());
  return found.size();
}

void check_signed(const ReceivedWebhook& request, const std::string& id) {
  INFO("headers: webhook-id " << request.header("webhook-id") << ", signature " << request.header("webhook-signature"));
  CHECK(request.header("webhook-id") == id);
  CHECK(signature_verifies(request, kKey));
  // The timestamp is the attempt's own, so a receiver refusing old ones (5 minutes is the
  // convention) accepts it, and refuses a replay of it later.
  const long long sent = std::stoll(request.header("webhook-timestamp"));
  CHECK(std::llabs(sent - static_cast<long long>(std::time(nullptr))) < 300);
  // Replayed with a fresh timestamp the signature no longer matches: it covers the timestamp.
  ReceivedWebhook replay = request;
  replay.headers["webhook-timestamp"] = std::to_string(sent + 3600);
  CHECK_FALSE(signature_verifies(replay, kKey));
}

}  // namespace

TEST_CASE("R-GTM-3 the signature follows Standard Webhooks: the specification's own example",
          "[adapters][webhook][signature]") {
  std::string error;
  const auto key = notify::parse_webhook_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", &error);
  REQUIRE(key);
  CHECK(notify::webhook_signature(*key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, R"({"test": 2432232314})") ==
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST_CASE("webhook secrets: whsec_ base64 or raw bytes, never short or malformed", "[adapters][webhook][signature]") {
  std::string error;
  CHECK(notify::parse_webhook_secret(kSecret, &error) == kKey);
  CHECK(notify::parse_webhook_secret(kKey, &error) == kKey);
  CHECK_FALSE(notify::parse_webhook_secret("whsec_not*base64!", &error));
  CHECK_FALSE(notify::parse_webhook_secret("whsec_" + test_base64("short"), &error));
  CHECK(error.find("24 bytes") != std::string::npos);
  CHECK_FALSE(notify::parse_webhook_secret("too-short", &error));

  TempDir dir;
  std::ofstream(dir.path() / "secret") << kSecret << "\n";
  CHECK(notify::read_webhook_secret_file(dir.path() / "secret", &error) == kKey);
  CHECK_FALSE(notify::read_webhook_secret_file(dir.path() / "missing", &error));
}

TEST_CASE("R-GTM-3 a receiver failing 3 times gets the notification on the 4th attempt, every attempt signed",
          "[adapters][webhook][retry]") {
  WebhookReceiver receiver([](std::size_t n) { return n < 3 ? 503 : 200; });
  store::MemoryEventStore store;
  notify::NotifierOptions options = kQuick;
  options.max_attempts = 5;
  notify::Notifier notifier(store, signed_sink(receiver), options);
  queue(store, "N-1");
  notifier.start();

  REQUIRE(receiver.wait_for(4));
  const auto requests = receiver.requests();
  REQUIRE(requests.size() == 4);
  for (const auto& request : requests) {
    check_signed(request, "N-1");
    CHECK(nlohmann::json::parse(request.body)["id"] == "N-1");
  }
  CHECK(requests.back().answered == 200);
  notifier.wake();
  // Once taken, the row leaves the outbox; nothing is parked.
  std::size_t delivered = 0;
  REQUIRE(notifier.deliver_pending(&delivered).is_ok());
  CHECK(rows(store, store::Table::outbox) == 0);
  CHECK(rows(store, store::Table::dead_letters) == 0);
  CHECK(receiver.requests().size() == 4);
}

TEST_CASE("R-GTM-3 an always failing receiver: the notification is parked after the last attempt, and a retry "
          "delivers it once the receiver is back",
          "[adapters][webhook][dead-letter]") {
  WebhookReceiver receiver([](std::size_t) { return 500; });
  store::MemoryEventStore store;
  notify::Notifier notifier(store, signed_sink(receiver), kQuick);
  queue(store, "N-2");
  const auto behind = queue(store, "N-3");

  // Delivery on the caller's thread: four failed attempts at N-2 park it, and N-3 behind it
  // gets its own turn.
  std::size_t delivered = 0;
  for (int pass = 0; pass < 4 && rows(store, store::Table::dead_letters) == 0; ++pass) {
    CHECK_FALSE(notifier.deliver_pending(&delivered).is_ok());
  }
  REQUIRE(rows(store, store::Table::dead_letters) == 1);
  std::optional<std::string> letter;
  REQUIRE(store.get(store::Table::dead_letters, "N-2", &letter).is_ok());
  REQUIRE(letter);
  const auto parked = nlohmann::json::parse(*letter);
  CHECK(parked["attempts"] == 4);
  CHECK(parked["notification"]["id"] == "N-2");
  CHECK(parked["failedAt"].is_string());
  CHECK(notifier.metrics_text().find("benefitd_notifications_failed 1") != std::string::npos);
  CHECK(notifier.metrics_text().find("benefitd_notifications_dead_lettered_total 1") != std::string::npos);

  bool found = false;
  REQUIRE(notifier.retry("N-missing", &found).is_ok());
  CHECK_FALSE(found);

  receiver.set_answer([](std::size_t) { return 204; });
  REQUIRE(notifier.retry("N-2", &found).is_ok());
  CHECK(found);
  CHECK(rows(store, store::Table::dead_letters) == 0);
  REQUIRE(notifier.deliver_pending(&delivered).is_ok());
  CHECK(delivered == 2);
  CHECK(rows(store, store::Table::outbox) == 0);

  const auto requests = receiver.requests();
  REQUIRE(requests.size() >= 6);
  for (const auto& request : requests) CHECK(signature_verifies(request, kKey));
  const auto& last_two = std::vector<ReceivedWebhook>(requests.end() - 2, requests.end());
  CHECK(last_two[0].answered == 204);
  CHECK(last_two[1].answered == 204);
  std::set<std::string> delivered_ids = {last_two[0].header("webhook-id"), last_two[1].header("webhook-id")};
  CHECK(delivered_ids == std::set<std::string>{"N-2", behind["id"]});
  CHECK(notifier.metrics_text().find("benefitd_notifications_retried_total 1") != std::string::npos);
  CHECK(notifier.metrics_text().find("benefitd_notifications_failed 0") != std::string::npos);
}

TEST_CASE("R-GTM-3 signed notifications reach an https:// receiver, whose certificate the sender verifies",
          "[adapters][webhook][tls]") {
  TempDir dir;
  const TestAuthority authority("benefitd webhook test CA");
  authority.issue("IP:127.0.0.1").write(dir.path() / "cert.pem", dir.path() / "key.pem");
  authority.write_certificate(dir.path() / "ca.pem");
  boost::asio::ssl::context tls(boost::asio::ssl::context::tls_server);
  tls.use_certificate_chain_file((dir.path() / "cert.pem").string());
  tls.use_private_key_file((dir.path() / "key.pem").string(), boost::asio::ssl::context::pem);
  WebhookReceiver receiver([](std::size_t) { return 200; }, &tls);
  REQUIRE(receiver.url().starts_with("https://"));
  std::string error;
  const auto key = notify::parse_webhook_secret(kSecret, &error);
  REQUIRE(key);
  const nlohmann::json notification = {{"id", "N-9"}, {"to", "marketing@contoso.example"}};

  const auto trusting = http::webhook_sink(receiver.url(), key, (dir.path() / "ca.pem").string(), &error);
  INFO(error);
  REQUIRE(trusting);
  CHECK((*trusting)(notification));
  REQUIRE(receiver.requests().size() == 1);
  check_signed(receiver.requests().front(), "N-9");

  // The system's trust store does not know the test CA: the handshake fails, nothing is sent,
  // and the notification stays to be retried.
  const auto untrusting = http::webhook_sink(receiver.url(), key, "", &error);
  REQUIRE(untrusting);
  CHECK_FALSE((*untrusting)(notification));
  CHECK(receiver.requests().size() == 1);
}

}  // namespace benefitd::testing
