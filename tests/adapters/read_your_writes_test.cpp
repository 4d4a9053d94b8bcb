// R-ENG-10: once a command has been answered 2xx, every view it changed shows it to every later
// request, without minPosition. Many clients at once, on RocksDB, through the real server.

#include <catch2/catch.hpp>

#include <thread>

#include "server_process.h"
#include "support/temp_dir.h"

using namespace benefitd::testing;

namespace {

// One client's story: register, buy, activate, add a user and change its roles, name the
// marketing contact, reveal a key, assign a seat, ask to cancel; each answer is followed at once
// by reads of every view it changed. Returns the reads that did not show the write (empty on success).
// Runs on a thread of its own, so it makes no Catch2 assertions (they are not thread-safe).
std::vector<std::string> buy_and_read_back(const ServerProcess& server, int n) {
  std::vector<std::string> misses;
  PlainCaller op(server, kOperatorToken);
  const auto check = [&](const benefitd::cli::ClientResponse& response, const std::string& what,
                         const std::function<bool(const nlohmann::json&)>& shows = {}) {
    if (response.status != 200) {
      misses.push_back(what + ": " + std::to_string(response.status));
    } else if (shows && !shows(nlohmann::json::parse(response.body))) {
      misses.push_back(what + ": stale " + response.body.substr(0, 200));
    }
  };
  const auto registered = op.send("POST", "/v1/partners",
                                  nlohmann::json{{"name", "RYW " + std::to_string(n)},
                                                 {"accountEmail", "ryw" + std::to_string(n) + "@p.test"},
                                                 {"globalAdmin", {{"email", "a" + std::to_string(n) + "@p.test"},
                                                                  {"displayName", "A"}}}}
                                      .dump());
  if (registered.status != 201) return {"register: " + std::to_string(registered.status)};
  const std::string partner_id = nlohmann::json::parse(registered.body)["partnerId"];
  check(op.send("GET", "/v1/partners/" + partner_id), "partner");
  check(op.send("GET", "/v1/partners/" + partner_id + "/users"), "users",
        [](const nlohmann::json& list) { return list["items"].size() == 1; });

  const auto bought = op.send("POST", "/v1/partners/" + partner_id + "/packages", R"({"type":"gold-competency"})");
  if (bought.status != 201) return {"buy: " + std::to_string(bought.status)};
  const auto package = nlohmann::json::parse(bought.body);
  const std::string package_id = package["packageId"];
  check(op.send("GET", "/v1/packages/" + package_id), "package");
  check(op.send("GET", "/v1/partners/" + partner_id + "/packages"), "package list",
        [](const nlohmann::json& list) { return list["items"].size() == 1; });
  std::string technical_id;
  for (const auto& benefit : package["benefits"]) {
    const std::string id = benefit["benefitId"];
    if (benefit["category"] == "technical") technical_id = id;
    check(op.send("GET", "/v1/benefits/" + id), "benefit " + id);
  }
  check(op.send("GET", "/v1/partners/" + partner_id + "/benefits"), "benefit list",
        [&](const nlohmann::json& list) { return list["items"].size() == package["benefits"].size(); });

  if (technical_id.empty()) return {"a gold package without a technical benefit"};
  const auto activated = op.send("POST", "/v1/benefits/" + technical_id + "/activate", "{}");
  if (activated.status / 100 != 2) return {"activate: " + std::to_string(activated.status)};
  // The view may already show later events (the simulated back office accepts at once), never
  // an earlier version than the answer's.
  const std::uint64_t version = nlohmann::json::parse(activated.body)["version"];
  check(op.send("GET", "/v1/benefits/" + technical_id), "activated benefit",
        [&](const nlohmann::json& view) { return view["version"].get<std::uint64_t>() >= version; });

  // Users and the marketing contact: the partner's views.
  const auto added = op.send("POST", "/v1/partners/" + partner_id + "/users",
                             nlohmann::json{{"email", "m" + std::to_string(n) + "@p.test"},
                                            {"displayName", "M"},
                                            {"roles", {"admin-agent"}}}
                                 .dump());
  if (added.status != 201) return {"add user: " + std::to_string(added.status)};
  const std::string user_id = nlohmann::json::parse(added.body)["userId"];
  check(op.send("GET", "/v1/partners/" + partner_id + "/users"), "users after adding",
        [](const nlohmann::json& list) { return list["items"].size() == 2; });
  const auto roles = op.send("PUT", "/v1/partners/" + partner_id + "/users/" + user_id + "/roles",
                             R"({"roles":["user-admin"]})");
  if (roles.status != 200) return {"change roles: " + std::to_string(roles.status)};
  check(op.send("GET", "/v1/partners/" + partner_id + "/users"), "users after a role change",
        [&](const nlohmann::json& list) {
          for (const auto& user : list["items"]) {
            if (user["userId"] == user_id) return user["roles"] == nlohmann::json::array({"user-admin"});
          }
          return false;
        });
  const auto contact = op.send("PUT", "/v1/partners/" + partner_id + "/marketing-contact",
                               nlohmann::json{{"userId", user_id},
                                              {"email", "marketing" + std::to_string(n) + "@elsewhere.test"},
                                              {"phone", "+48 22 000 00 00"},
                                              {"preferredLanguage", "pl-PL"}}
                                   .dump());
  if (contact.status != 200) return {"marketing contact: " + std::to_string(contact.status)};
  check(op.send("GET", "/v1/partners/" + partner_id), "partner with its marketing contact",
        [&](const nlohmann::json& view) { return view["marketingContact"].value("userId", "") == user_id; });

  // A software key, a Visual Studio seat, a cancellation: benefit, package and queue views.
  bool software_done = false;
  for (const auto& benefit : package["benefits"]) {
    const std::string id = benefit["benefitId"];
    if (benefit["category"] == "software" && !software_done) {
      software_done = true;
      // Every software product of the gold package is offered in German for x64.
      const auto key = op.send("POST", "/v1/benefits/" + id + "/activate", R"({"language":"de-DE","os":"x64"})");
      if (key.status != 200) return {"software activation: " + std::to_string(key.status)};
      check(op.send("GET", "/v1/benefits/" + id), "software benefit with its key",
            [](const nlohmann::json& view) { return view["status"] == "active" && view["keys"].size() == 1; });
    }
    if (benefit["category"] == "visual-studio") {
      const auto seat = op.send("POST", "/v1/benefits/" + id + "/activate", nlohmann::json{{"userId", user_id}}.dump());
      if (seat.status != 200) return {"seat assignment: " + std::to_string(seat.status)};
      check(op.send("GET", "/v1/benefits/" + id), "visual studio benefit with its seat",
            [&](const nlohmann::json& view) { return view["seats"].size() == 1 && view["seats"][0]["userId"] == user_id; });
    }
  }
  // A package whose keys were revealed cannot be cancelled with a refund (R-PKG-2): a second one.
  const auto second = op.send("POST", "/v1/partners/" + partner_id + "/packages", R"({"type":"action-pack"})");
  if (second.status != 201) return {"second purchase: " + std::to_string(second.status)};
  const std::string second_id = nlohmann::json::parse(second.body)["packageId"];
  const auto cancel = op.send("POST", "/v1/packages/" + second_id + "/cancel", R"({"reason":"read your writes"})");
  if (cancel.status != 202) return {"cancel: " + std::to_string(cancel.status)};
  const std::uint64_t cancelled_version = nlohmann::json::parse(cancel.body)["version"];
  check(op.send("GET", "/v1/packages/" + second_id), "package asked to cancel",
        [&](const nlohmann::json& view) { return view["version"].get<std::uint64_t>() >= cancelled_version; });
  check(op.send("GET", "/v1/fulfilment/requests?status=open&limit=500"), "the cancellation in the queue",
        [&](const nlohmann::json& list) {
          for (const auto& request : list["items"]) {
            if (request.value("packageId", "") == second_id) return true;
          }
          return false;
        });
  return misses;
}

}  // namespace

TEST_CASE("R-ENG-10 a read right after any answered command shows it, with many clients at once and no minPosition") {
  TempDir dir;
  ServerProcess server(dir.path() / "data");
  constexpr int kClients = 8;
  std::vector<std::vector<std::string>> misses(kClients);
  {
    std::vector<std::thread> clients;
    for (int n = 0; n < kClients; ++n) {
      clients.emplace_back([&, n] { misses[n] = buy_and_read_back(server, n); });
    }
    for (auto& client : clients) client.join();
  }
  for (const auto& client_misses : misses) {
    for (const std::string& miss : client_misses) FAIL_CHECK(miss);
  }
  CHECK(server.stop() == 0);
}

TEST_CASE("R-ENG-10 once a clock advance is answered, what its timers changed shows at once") {
  TempDir dir;
  ServerProcess server(dir.path() / "data");
  PlainCaller op(server, kOperatorToken);
  const auto registered = op.send("POST", "/v1/partners",
                                  R"({"name":"Timers","accountEmail":"t@p.test",
                                      "globalAdmin":{"email":"a@p.test","displayName":"A"}})");
  REQUIRE(registered.status == 201);
  const std::string partner_id = nlohmann::json::parse(registered.body)["partnerId"];
  const auto bought = op.send("POST", "/v1/partners/" + partner_id + "/packages", R"({"type":"action-pack"})");
  REQUIRE(bought.status == 201);
  const auto package = nlohmann::json::parse(bought.body);
  const std::string package_id = package["packageId"];

  // The package and most of its benefits expire at the end of the term, each by a timer of its
  // own; a Visual Studio benefit has 30 days of grace (R-LIFE-5).
  const auto advanced = op.send("POST", "/v1/clock/advance",
                                nlohmann::json{{"to", package["expiresAt"].get<std::string>()}}.dump());
  REQUIRE(advanced.status == 200);
  const auto clock = nlohmann::json::parse(advanced.body);
  CHECK(clock["timersFired"].get<int>() > 1);
  const auto package_view = op.send("GET", "/v1/packages/" + package_id);
  REQUIRE(package_view.status == 200);
  CHECK(nlohmann::json::parse(package_view.body)["status"] == "expired");
  // RFC 3339 UTC times of one format compare as text.
  const auto expected_status = [&](const nlohmann::json& benefit) {
    return benefit["expiresAt"].get<std::string>() <= clock["now"].get<std::string>() ? "expired" : "purchased";
  };
  int expired = 0;
  for (const auto& benefit : package["benefits"]) {
    const auto view = op.send("GET", "/v1/benefits/" + benefit["benefitId"].get<std::string>());
    REQUIRE(view.status == 200);
    const auto shown = nlohmann::json::parse(view.body);
    CHECK(shown["status"] == expected_status(shown));
    expired += shown["status"] == "expired" ? 1 : 0;
  }
  CHECK(expired > 0);
  const auto list = op.send("GET", "/v1/partners/" + partner_id + "/benefits");
  REQUIRE(list.status == 200);
  const auto listed = nlohmann::json::parse(list.body);
  CHECK(listed["items"].size() == package["benefits"].size());
  for (const auto& benefit : listed["items"]) CHECK(benefit["status"] == expected_status(benefit));
  CHECK(server.stop() == 0);
}
