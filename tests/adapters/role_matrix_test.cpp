// R-AUTH: every endpoint for every role over loopback sockets. Anonymous callers get 401;
// users without the role 403; another partner's users 404 exactly as for a missing resource;
// allowed callers are never refused for who they are (nor answered 5xx).
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "scenario.h"
#include "support/temp_dir.h"

namespace benefitd::testing {
namespace {

enum class Role { anonymous, operator_, global_admin, user_admin, admin_agent, mpn_partner_admin, no_role, other_partner };
const std::vector<Role> kAllRoles = {Role::anonymous,    Role::operator_,  Role::global_admin,      Role::user_admin,
                                     Role::admin_agent, Role::no_role,     Role::mpn_partner_admin, Role::other_partner};
const std::set<Role> kViewers = {Role::global_admin, Role::user_admin, Role::admin_agent, Role::mpn_partner_admin};
const std::set<Role> kUserManagers = {Role::global_admin, Role::user_admin};
const std::set<Role> kActivators = {Role::global_admin, Role::mpn_partner_admin};
const std::set<Role> kSeatAssigners = {Role::global_admin};
// Not partner data, but still a role's (R-AUTH-10: a user without one reads nothing).
const std::set<Role> kAnyRole = {Role::global_admin, Role::user_admin, Role::admin_agent, Role::mpn_partner_admin,
                                 Role::other_partner};

std::string name_of(Role role) {
  static const std::map<Role, std::string> names = {
      {Role::anonymous, "anonymous"},     {Role::operator_, "operator"},       {Role::global_admin, "global-admin"},
      {Role::user_admin, "user-admin"},   {Role::admin_agent, "admin-agent"},  {Role::mpn_partner_admin, "mpn-partner-admin"},
      {Role::no_role, "no-role"},         {Role::other_partner, "other partner"}};
  return names.at(role);
}

struct Endpoint {
  std::string method, target, body;
  std::set<Role> allowed;    // besides the operator, who may do everything
  bool operator_only = false;
  bool partner_scoped = true;  // names partner A's resources: other partners get 404
};

/// The status a denied caller must get, or nullopt when the caller is allowed.
std::optional<int> denial(const Endpoint& endpoint, Role role) {
  if (role == Role::anonymous) return 401;
  if (role == Role::operator_) return std::nullopt;
  if (endpoint.operator_only) return 403;
  if (role == Role::other_partner && endpoint.partner_scoped) return 404;
  if (endpoint.allowed.count(role)) return std::nullopt;
  return 403;
}

TEST_CASE("R-AUTH-1..8 the role x endpoint matrix", "[http][auth][R-AUTH-8]") {
  TempDir dir;
  ServerProcess server(dir.path() / "data", {"--fulfilment", "external"});
  Caller op(server, kOperatorToken);
  const auto a = register_partner(op, "alpha");
  const auto b = register_partner(op, "beta");
  Caller admin(server, a.admin_token);
  std::map<Role, std::string> tokens = {{Role::anonymous, ""},
                                        {Role::operator_, kOperatorToken},
                                        {Role::global_admin, a.admin_token},
                                        {Role::other_partner, b.admin_token}};
  tokens[Role::user_admin] = add_user(admin, a.partner_id, "ua@alpha.test", {"user-admin"}).token;
  tokens[Role::admin_agent] = add_user(admin, a.partner_id, "aa@alpha.test", {"admin-agent"}).token;
  tokens[Role::mpn_partner_admin] = add_user(admin, a.partner_id, "mpa@alpha.test", {"mpn-partner-admin"}).token;
  tokens[Role::no_role] = add_user(admin, a.partner_id, "staff@alpha.test", {}).token;
  const auto spare = add_user(admin, a.partner_id, "spare@alpha.test", {});

  const std::string partner = "/v1/partners/" + a.partner_id;
  const auto package = admin.post(partner + "/packages", {{"type", "silver-competency"}}, 201);
  const auto second = admin.post(partner + "/packages", {{"type", "silver-competency"}}, 201);
  const std::string package_id = package["packageId"], second_package_id = second["packageId"];
  const std::string software = benefit_of(package, "software")["benefitId"];
  const std::string vs = benefit_of(package, "visual-studio")["benefitId"];
  const std::string technical = benefit_of(package, "technical")["benefitId"];
  const auto seated = admin.post("/v1/benefits/" + vs + "/activate", {{"userId", a.admin_user_id}}, 200);
  const std::string seat = seated["seats"][0]["seatId"];
  admin.post("/v1/benefits/" + technical + "/activate", nlohmann::json::object(), 202);
  admin.post("/v1/benefits/" + benefit_of(second, "technical")["benefitId"].get<std::string>() + "/activate",
             nlohmann::json::object(), 202);
  const auto requests = op.get("/v1/fulfilment/requests?status=open");
  REQUIRE(requests["items"].size() >= 2);
  const std::string request_a = requests["items"][0]["requestId"], request_b = requests["items"][1]["requestId"];

  const nlohmann::json key = {{"language", "en-US"}, {"os", "x64"}};
  const std::vector<Endpoint> endpoints = {
      {"GET", partner, "", kViewers},
      {"POST", partner + "/users", R"({"email":"new@alpha.test","displayName":"New","roles":[]})", kUserManagers},
      {"GET", partner + "/users", "", kViewers},
      {"PUT", partner + "/users/" + spare.user_id + "/roles", R"({"roles":[]})", kUserManagers},
      {"PUT", partner + "/marketing-contact",
       nlohmann::json{{"userId", a.admin_user_id}, {"email", "m@alpha.test"}, {"phone", "1"}, {"preferredLanguage", "en-US"}}.dump(),
       kActivators},
      {"POST", partner + "/users/" + spare.user_id + "/token", "", kUserManagers},
      {"GET", "/v1/catalog", "", kAnyRole, false, false},
      {"GET", "/v1/clock", "", kAnyRole, false, false},
      {"POST", partner + "/packages", R"({"type":"action-pack"})", kViewers},
      {"GET", partner + "/packages", "", kViewers},
      {"GET", "/v1/packages/" + package_id, "", kViewers},
      {"POST", "/v1/packages/" + package_id + "/renew", "", kViewers},
      {"POST", "/v1/packages/" + second_package_id + "/cancel", R"({"reason":"test"})", kActivators},
      {"GET", partner + "/benefits", "", kViewers},
      {"GET", partner + "/expirations?within=86400", "", kViewers},
      {"GET", "/v1/benefits/" + software, "", kViewers},
      {"POST", "/v1/benefits/" + software + "/activate", key.dump(), kActivators},
      {"POST", "/v1/benefits/" + software + "/keys", key.dump(), kActivators},
      {"POST", "/v1/benefits/" + vs + "/seats", nlohmann::json{{"userId", spare.user_id}}.dump(), kSeatAssigners},
      {"POST", "/v1/benefits/" + vs + "/seats/" + seat + "/reassign", nlohmann::json{{"userId", spare.user_id}}.dump(),
       kSeatAssigners},
      {"POST", "/v1/benefits/" + technical + "/support-requests",
       R"({"type":"product-support","productFamily":"other","summary":"s"})", kActivators},
      {"GET", "/v1/streams/benefit-" + software + "/events", "", kActivators},
      {"GET", partner + "/audit", "", kActivators},
      {"POST", "/v1/partners", R"({"name":"g","accountEmail":"a@g.test","globalAdmin":{"email":"b@g.test","displayName":"B"}})",
       {}, true},
      {"POST", partner + "/migrate", "", {}, true},
      {"POST", "/v1/clock/advance", R"({"seconds":1})", {}, true},
      {"GET", "/v1/events", "", {}, true},
      {"POST", "/v1/audit/verify", "{}", {}, true},
      {"GET", "/v1/fulfilment/requests", "", {}, true},
      {"POST", "/v1/fulfilment/requests/" + request_a + "/accept", "{}", {}, true},
      {"POST", "/v1/fulfilment/requests/" + request_a + "/complete", "{}", {}, true},
      {"POST", "/v1/fulfilment/requests/" + request_b + "/reject", R"({"reason":"no"})", {}, true},
  };

  std::map<Role, std::unique_ptr<Caller>> callers;
  for (Role role : kAllRoles) callers[role] = std::make_unique<Caller>(server, tokens[role]);

  // Refusals first: they change nothing, so every later call meets the same state.
  for (const Endpoint& endpoint : endpoints) {
    for (Role role : kAllRoles) {
      const auto expected = denial(endpoint, role);
      if (!expected) continue;
      CAPTURE(endpoint.method, endpoint.target, name_of(role));
      const auto answer = callers[role]->send(endpoint.method, endpoint.target, endpoint.body);
      INFO(answer.body);
      CHECK(answer.status == *expected);
    }
  }
  for (const Endpoint& endpoint : endpoints) {
    for (Role role : kAllRoles) {
      if (denial(endpoint, role)) continue;
      CAPTURE(endpoint.method, endpoint.target, name_of(role));
      const auto answer = callers[role]->send(endpoint.method, endpoint.target, endpoint.body);
      INFO(answer.body);
      CHECK(answer.status != 401);
      CHECK(answer.status != 403);
      CHECK(answer.status != 404);
      CHECK(answer.status < 500);
    }
  }
}

TEST_CASE("R-AUTH-8 another partner's resources answer 404 exactly like missing ones", "[http][auth][R-AUTH-8]") {
  TempDir dir;
  ServerProcess server(dir.path() / "data");
  Caller op(server, kOperatorToken);
  const auto a = register_partner(op, "alpha");
  const auto b = register_partner(op, "beta");
  Caller alpha(server, a.admin_token);
  Caller beta(server, b.admin_token);
  const auto package = alpha.post("/v1/partners/" + a.partner_id + "/packages", {{"type", "action-pack"}}, 201);
  const std::string benefit = benefit_of(package, "software")["benefitId"];
  const std::string package_id = package["packageId"];
  const std::vector<std::pair<std::string, std::string>> theirs = {
      {"GET", "/v1/partners/" + a.partner_id},
      {"GET", "/v1/benefits/" + benefit},
      {"POST", "/v1/benefits/" + benefit + "/activate"},
      {"GET", "/v1/packages/" + package_id},
      {"POST", "/v1/packages/" + package_id + "/cancel"},
      {"GET", "/v1/streams/package-" + package_id + "/events"},
      {"GET", "/v1/partners/" + a.partner_id + "/audit"},
  };
  for (const auto& [method, target] : theirs) {
    CAPTURE(method, target);
    const std::string body = method == "POST" ? R"({"reason":"x","language":"en-US","os":"x64"})" : "";
    const auto foreign = beta.send(method, target, body);
    std::string missing_target = target;
    for (const std::string& id : {a.partner_id, benefit, package_id})
      if (auto at = missing_target.find(id); at != std::string::npos) missing_target.replace(at, id.size(), "nope" + id);
    const auto missing = beta.send(method, missing_target, body);
    CHECK(foreign.status == 404);
    CHECK(missing.status == 404);
    auto foreign_body = nlohmann::json::parse(foreign.body), missing_body = nlohmann::json::parse(missing.body);
    CHECK(foreign_body["code"] == missing_body["code"]);
    CHECK(foreign_body["title"] == missing_body["title"]);
  }
  CHECK(alpha.get("/v1/benefits/" + benefit)["status"] == "purchased");
}

}  // namespace
}  // namespace benefitd::testing
