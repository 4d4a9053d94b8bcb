// R-ENG-10: once a command has been answered 2xx, every view it changed shows it to every later
// request, without minPosition. Many clients at once, on RocksDB, through the real server.

#include <catch2/catch.hpp>

#include <thread>

#include "server_process.h"
#include "support/temp_dir.h"

using namespace benefitd::testing;

namespace {

// One client's story: register, buy, activate; each answer is followed at once by reads of
// every view it changed. Returns the reads that did not show the write (empty on success).
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
