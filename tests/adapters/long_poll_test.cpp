// Long-polls through the real benefitd: woken by a change of the views they read, and left
// alone by changes to other views (counted by benefitd_long_poll_reruns_total).
#include <catch2/catch.hpp>

#include <future>
#include <string>
#include <thread>

#include "scenario.h"

namespace benefitd::testing {
namespace {

using namespace std::chrono_literals;

/// The value of an unlabelled metric on GET /metrics.
std::uint64_t metric(const ServerProcess& server, const std::string& name) {
  Caller anonymous(server, "");
  const auto metrics = anonymous.send("GET", "/metrics");
  REQUIRE(metrics.status == 200);
  const auto at = metrics.body.find("\n" + name + " ");
  REQUIRE(at != std::string::npos);
  return std::stoull(metrics.body.substr(at + name.size() + 2));
}

/// Waits (up to a generous timeout) until `count` long-polls are waiting.
void await_waiting(const ServerProcess& server, std::uint64_t count) {
  const auto give_up = std::chrono::steady_clock::now() + 30s;
  while (metric(server, "benefitd_long_polls_waiting") != count) {
    REQUIRE(std::chrono::steady_clock::now() < give_up);
    std::this_thread::sleep_for(20ms);
  }
}

/// A long-poll of `target` by `token` with the ETag of a first GET, run on a thread of its own.
std::future<cli::ClientResponse> start_poll(const ServerProcess& server, const std::string& token,
                                            const std::string& target) {
  Caller reader(server, token);
  const auto first = reader.send("GET", target);
  REQUIRE(first.status == 200);
  REQUIRE(first.header("ETag"));
  return std::async(std::launch::async, [&server, token, target, etag = *first.header("ETag")] {
    Caller poller(server, token);
    return poller.send("GET", target, "", {{"If-None-Match", etag}, {"Prefer", "wait=60"}});
  });
}

TEST_CASE_METHOD(OnePartner,
                 "Long-poll wake-ups per key: a poll on benefit A answers when A changes and is not re-run when "
                 "another partner's benefit B changes",
                 "[http][server][long-poll]") {
  const PartnerAccess fabrikam = register_partner(op, "fabrikam");
  Caller fabrikam_admin(server, fabrikam.admin_token);
  const std::string a = benefit_of(buy("action-pack"), "cloud", "usage-based")["benefitId"];
  const std::string b = benefit_of(fabrikam_admin.post("/v1/partners/" + fabrikam.partner_id + "/packages",
                                                       {{"type", "action-pack"}}, 201),
                                   "cloud", "usage-based")["benefitId"];

  auto poll_a = start_poll(server, partner.admin_token, "/v1/benefits/" + a);
  auto poll_list = start_poll(server, partner.admin_token, "/v1/partners/" + partner.partner_id + "/benefits");
  await_waiting(server, 2);
  const std::uint64_t reruns = metric(server, "benefitd_long_poll_reruns_total");

  // B changes, and the views include it (the Caller's GET waits for them): the watches of its
  // commit were woken before that GET was answered.
  fabrikam_admin.post("/v1/benefits/" + b + "/activate", nlohmann::json::object(), 200);
  CHECK(fabrikam_admin.get("/v1/benefits/" + b)["status"] == "active");
  CHECK(metric(server, "benefitd_long_poll_reruns_total") == reruns);
  CHECK(metric(server, "benefitd_long_polls_waiting") == 2);
  CHECK(poll_a.wait_for(0s) == std::future_status::timeout);
  CHECK(poll_list.wait_for(0s) == std::future_status::timeout);

  // A changes: both polls of contoso's views answer with the new state.
  admin.post("/v1/benefits/" + a + "/activate", nlohmann::json::object(), 200);
  const auto changed = poll_a.get();
  CHECK(changed.status == 200);
  CHECK(nlohmann::json::parse(changed.body)["status"] == "active");
  const auto listed = poll_list.get();
  REQUIRE(listed.status == 200);
  bool a_active = false;
  const auto list = nlohmann::json::parse(listed.body);
  for (const auto& item : list["items"])
    if (item["benefitId"] == a) a_active = item["status"] == "active";
  CHECK(a_active);
  CHECK(metric(server, "benefitd_long_poll_reruns_total") == reruns + 2);
  CHECK(metric(server, "benefitd_long_polls_waiting") == 0);
}

}  // namespace
}  // namespace benefitd::testing
