// One end-to-end flow per benefit category over loopback sockets against benefitd on RocksDB:
// purchase, activation through to `active`, then the simulated clock to `expired`.
#include <catch2/catch.hpp>

#include <regex>

#include "scenario.h"
#include "workflows/time.h"

namespace benefitd::testing {
namespace {

struct Flow : OnePartner {
  nlohmann::json package = buy("silver-competency");

  nlohmann::json benefit(const std::string& id) { return admin.get("/v1/benefits/" + id); }
  nlohmann::json activate(const std::string& id, const nlohmann::json& body, int expected) {
    return admin.post("/v1/benefits/" + id + "/activate", body, expected);
  }
};

bool is_product_key(const std::string& key) {
  return std::regex_match(key, std::regex("[A-Z0-9]{5}(-[A-Z0-9]{5}){4}"));
}

TEST_CASE("R-SW-1 software: get keys activates, the package's end expires it", "[http][e2e][R-SW-1]") {
  Flow flow;
  const auto purchased = benefit_of(flow.package, "software");
  CHECK(purchased["status"] == "purchased");
  const auto active = flow.activate(purchased["benefitId"], {{"language", "en-US"}, {"os", "x64"}}, 200);
  CHECK(active["status"] == "active");
  REQUIRE(active["keys"].size() == 1);
  CHECK(is_product_key(active["keys"][0]["key"]));
  CHECK(active["keys"][0]["maxActivations"] == purchased["quantity"]);
  advance_days(flow.op, 366);
  const auto expired = flow.benefit(purchased["benefitId"]);
  CHECK(expired["status"] == "expired");
  CHECK(expired["expiredAt"] == purchased["expiresAt"]);
}

TEST_CASE("R-CL-1 R-CL-2 cloud: usage-based assigns the caller, license-based reveals a key, both expire",
          "[http][e2e][R-CL-1][R-CL-2]") {
  Flow flow;
  const auto usage = benefit_of(flow.package, "cloud", "usage-based");
  const auto assigned = flow.activate(usage["benefitId"], nlohmann::json::object(), 200);
  CHECK(assigned["status"] == "active");
  CHECK(assigned["assignedUserId"] == flow.partner.admin_user_id);
  const auto license = benefit_of(flow.package, "cloud", "license-based");
  const auto keyed = flow.activate(license["benefitId"], nlohmann::json::object(), 200);
  CHECK(keyed["status"] == "active");
  REQUIRE(keyed["keys"].size() == 1);
  CHECK(keyed["keys"][0]["maxActivations"] == license["quantity"]);
  advance_days(flow.op, 366);
  CHECK(flow.benefit(usage["benefitId"])["status"] == "expired");
  CHECK(flow.benefit(license["benefitId"])["status"] == "expired");
}

TEST_CASE("R-VS-1 Visual Studio: the first seat activates, expiry comes 30 days after the package's",
          "[http][e2e][R-VS-1][R-LIFE-5]") {
  Flow flow;
  const auto vs = benefit_of(flow.package, "visual-studio");
  const auto active = flow.activate(vs["benefitId"], {{"userId", flow.partner.admin_user_id}}, 200);
  CHECK(active["status"] == "active");
  REQUIRE(active["seats"].size() == 1);
  CHECK(active["seats"][0]["userId"] == flow.partner.admin_user_id);
  advance_days(flow.op, 366);
  CHECK(flow.benefit(vs["benefitId"])["status"] == "active");
  advance_days(flow.op, 30);
  CHECK(flow.benefit(vs["benefitId"])["status"] == "expired");
}

TEST_CASE("R-TECH-1 technical: 202 while fulfilment works 3 business days, then active with IDs, then expired",
          "[http][e2e][R-TECH-1]") {
  Flow flow;
  const auto technical = benefit_of(flow.package, "technical");
  const auto requested = flow.activate(technical["benefitId"], nlohmann::json::object(), 202);
  CHECK((requested["status"] == "activation-requested" || requested["status"] == "pending"));
  advance_days(flow.op, 1);
  CHECK(flow.benefit(technical["benefitId"])["status"] == "pending");
  advance_days(flow.op, 6);
  const auto active = flow.benefit(technical["benefitId"]);
  CHECK(active["status"] == "active");
  REQUIRE(active["accessId"].is_string());
  REQUIRE(active["contractId"].is_string());
  const auto opened = flow.admin.post("/v1/benefits/" + technical["benefitId"].get<std::string>() + "/support-requests",
                                      {{"type", "product-support"},
                                       {"productFamily", "on-premises"},
                                       {"summary", "install fails"},
                                       {"accessId", active["accessId"]},
                                       {"contractId", active["contractId"]}},
                                      201);
  CHECK(opened["supportRequestId"].is_string());
  CHECK(opened["benefit"]["balances"]["productSupportIncidents"] ==
        technical["balances"]["productSupportIncidents"].get<int>() - 1);
  advance_days(flow.op, 366);
  CHECK(flow.benefit(technical["benefitId"])["status"] == "expired");
}

TEST_CASE("R-GTM-1 R-GTM-2 Go-To-Market: needs a marketing contact, takes 5 days, lasts 365 days from activation",
          "[http][e2e][R-GTM-1][R-GTM-2]") {
  Flow flow;
  const auto offer = benefit_of(flow.package, "go-to-market");
  const std::string id = offer["benefitId"];
  const auto refused = flow.admin.send("POST", "/v1/benefits/" + id + "/activate", "{}");
  CHECK(refused.status == 409);
  CHECK(nlohmann::json::parse(refused.body)["code"] == "marketing-contact-required");
  flow.admin.put("/v1/partners/" + flow.partner.partner_id + "/marketing-contact",
                 {{"userId", flow.partner.admin_user_id},
                  {"email", "marketing@contoso.test"},
                  {"phone", "+1 555 0100"},
                  {"preferredLanguage", "en-US"}},
                 200);
  flow.activate(id, nlohmann::json::object(), 202);
  advance_days(flow.op, 6);
  const auto active = flow.benefit(id);
  CHECK(active["status"] == "active");
  const auto activated = workflows::parseTime(active["activatedAt"].get<std::string>());
  REQUIRE(activated);
  CHECK(active["expiresAt"] == workflows::formatTime(*activated + workflows::days(365)));
  advance_days(flow.op, 362);
  CHECK(flow.benefit(id)["status"] == "active");  // the package ended; the offer runs on
  advance_days(flow.op, 10);
  CHECK(flow.benefit(id)["status"] == "expired");
}

}  // namespace
}  // namespace benefitd::testing
