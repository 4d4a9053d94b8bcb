// The router without sockets: routing, authentication, input shape, problem mapping and the
// view headers (ETag, If-None-Match, Prefer: wait, ?minPosition=).
#include <catch2/catch.hpp>

#include <set>
#include <thread>

#include "adapters/http/problem.h"
#include "router_harness.h"

namespace benefitd::testing {
namespace {

using http::HttpResponse;
using workflows::Command;

TEST_CASE("R-ENG-9 /healthz answers 503 with the reason while the store refuses writes or the views are stalled",
          "[http][router]") {
  RouterHarness h;
  h.service.health_report.store.fault = store::WriteHealth::Fault::disk_nearly_full;
  h.service.health_report.store.reason = "the disk is nearly full: 3 MiB free, 128 MiB kept in reserve";
  HttpResponse health = h.send(request("GET", "/healthz", "", ""));
  CHECK(health.status == 503);
  CHECK(json_of(health)["status"] == "unavailable");
  CHECK(json_of(health)["store"] == "disk-nearly-full");

  // A failed write's message names files: the operator's log has it, an anonymous caller not.
  h.service.health_report.store.fault = store::WriteHealth::Fault::write_failed;
  h.service.health_report.store.reason = "the last write failed: IO error: While appending to file: /var/lib/benefitd/store/000004.log";
  health = h.send(request("GET", "/healthz", "", ""));
  CHECK(health.status == 503);
  CHECK(json_of(health)["store"] == "recovering");
  CHECK(health.body.find("/var/lib") == std::string::npos);

  h.service.health_report.store = {};
  h.service.health_report.views_position = 41;
  h.service.health_report.log_position = 42;
  h.service.health_report.views_error = "event 42: data.expiresAt: must be an RFC 3339 UTC time";
  health = h.send(request("GET", "/healthz", "", ""));
  CHECK(health.status == 503);
  CHECK(json_of(health)["views"] == "stalled");
  CHECK(json_of(health)["viewsPosition"] == 41);
  CHECK(json_of(health)["reason"].get<std::string>().find("event 42") != std::string::npos);
}

TEST_CASE("health, metrics and the OpenAPI document need no token", "[http][router]") {
  RouterHarness h;
  const HttpResponse health = h.send(request("GET", "/healthz", "", ""));
  CHECK(health.status == 200);
  CHECK(json_of(health)["status"] == "ok");
  CHECK(json_of(health)["store"] == "writable");
  CHECK(json_of(health)["views"] == "following");
  const HttpResponse openapi = h.send(request("GET", "/openapi.json", "", ""));
  CHECK(openapi.status == 200);
  CHECK(json_of(openapi)["openapi"].get<std::string>().starts_with("3."));
  h.metrics.record("GET /healthz", 200, std::chrono::milliseconds(2));
  const HttpResponse metrics = h.send(request("GET", "/metrics", "", ""));
  CHECK(metrics.status == 200);
  CHECK(metrics.body.find("benefitd_http_requests_total{route=\"GET /healthz\",status=\"200\"} 1") != std::string::npos);
  CHECK(metrics.body.find("benefitd_events_appended_total 5") != std::string::npos);
}

TEST_CASE("an unknown path is 404 and a known path with another method 405 with Allow", "[http][router]") {
  RouterHarness h;
  const HttpResponse missing = h.send(request("GET", "/v1/nothing-here"));
  CHECK(missing.status == 404);
  CHECK(missing.header("Content-Type") == "application/problem+json");
  CHECK(json_of(missing)["code"] == "not-found");
  const HttpResponse wrong = h.send(request("DELETE", "/v1/benefits/B1"));
  CHECK(wrong.status == 405);
  CHECK(wrong.header("Allow") == "GET");
  CHECK(json_of(wrong)["code"] == "method-not-allowed");
  CHECK(h.send(request("GET", "/v1/partners")).header("Allow") == "POST");
}

TEST_CASE("a missing or unknown bearer token is 401 and a user on an operator route 403", "[http][router][R-AUTH]") {
  RouterHarness h;
  const HttpResponse anonymous = h.send(request("GET", "/v1/benefits/B1", "", ""));
  CHECK(anonymous.status == 401);
  CHECK(json_of(anonymous)["code"] == "unauthenticated");
  CHECK(anonymous.header("WWW-Authenticate") == "Bearer");
  CHECK(h.send(request("GET", "/v1/benefits/B1", "", "no-such-token")).status == 401);
  auto basic = request("GET", "/v1/benefits/B1", "", "");
  basic.headers.emplace_back("Authorization", "Basic b3BlcmF0b3ItdG9rZW4=");
  CHECK(h.send(basic).status == 401);

  const HttpResponse forbidden = h.send(request("POST", "/v1/partners/P1/migrate"));
  CHECK(forbidden.status == 403);
  CHECK(json_of(forbidden)["code"] == "forbidden");
  CHECK(h.send(request("GET", "/v1/events", "", "admin-token")).status == 403);
  CHECK(h.service.commands.empty());
  CHECK(h.send(request("POST", "/v1/partners/P1/migrate", "", "operator-token")).status == 201);
}

TEST_CASE("every problem code of API.md maps to its status", "[http][problem]") {
  const std::vector<std::pair<std::string, int>> table = {
      {"invalid-request", 400}, {"unknown-user", 400}, {"marketing-email-same-as-account", 400},
      {"access-id-required", 400}, {"unauthenticated", 401}, {"forbidden", 403}, {"not-found", 404},
      {"method-not-allowed", 405}, {"invalid-transition", 409}, {"membership-in-pmc", 409},
      {"package-not-active", 409}, {"refund-window-closed", 409}, {"software-benefit-activated", 409},
      {"renewal-not-open", 409}, {"renewal-window-closed", 409}, {"marketing-contact-required", 409},
      {"no-seats-available", 409}, {"user-already-assigned", 409}, {"reassignment-too-early", 409},
      {"not-available-for-package", 409}, {"benefit-not-active", 409}, {"insufficient-balance", 409},
      {"clock-not-simulated", 409}, {"idempotency-key-in-flight", 409}, {"version-mismatch", 412},
      {"payload-too-large", 413}, {"unsupported-media-type", 415}, {"idempotency-key-reused", 422},
      {"unavailable", 503}};
  for (const auto& [code, status] : table) {
    CAPTURE(code);
    CHECK(http::status_for_code(code) == status);
    const HttpResponse response = http::problem_response(code, "because", {{"currentStatus", "active"}});
    const auto body = json_of(response);
    CHECK(response.status == status);
    CHECK(body["status"] == status);
    CHECK(body["code"] == code);
    CHECK(body["detail"] == "because");
    CHECK(body["currentStatus"] == "active");
    CHECK(body["type"].is_string());
    CHECK(body["title"].is_string());
  }
  CHECK(http::status_for_code("some-unlisted-code") == 400);
}

TEST_CASE("a domain refusal keeps its extra members", "[http][router]") {
  RouterHarness h;
  h.service.command_outcome = app::Problem{"reassignment-too-early", "wait", {{"reassignableAt", "2026-04-05T09:00:00Z"}}};
  const HttpResponse response = h.send(request("POST", "/v1/benefits/B1/seats/S1/reassign", R"({"userId":"U2"})"));
  CHECK(response.status == 409);
  CHECK(json_of(response)["reassignableAt"] == "2026-04-05T09:00:00Z");
}

TEST_CASE("register partner reads the body into the command and answers 201 with ETag and X-Position",
          "[http][router]") {
  RouterHarness h;
  const HttpResponse response = h.send(request(
      "POST", "/v1/partners",
      R"({"name":"Contoso","accountEmail":"acct@contoso.test","membershipLocation":"pmc",
          "globalAdmin":{"email":"ada@contoso.test","displayName":"Ada"}})",
      "operator-token"));
  CHECK(response.status == 201);
  CHECK(response.header("ETag") == "\"1\"");
  CHECK(response.header("X-Position") == "7");
  CHECK(response.header("Content-Type") == "application/json");
  CHECK(response.route == "POST /v1/partners");
  REQUIRE(h.service.commands.size() == 1);
  const auto& command = std::get<workflows::RegisterPartner>(h.service.commands[0]);
  CHECK(command.name == "Contoso");
  CHECK(command.accountEmail == "acct@contoso.test");
  CHECK(command.membershipLocation == workflows::MembershipLocation::pmc);
  CHECK(command.adminEmail == "ada@contoso.test");
  CHECK(command.adminDisplayName == "Ada");
  CHECK(h.service.contexts[0].actor.kind == workflows::Actor::Kind::operatorKind);
}

TEST_CASE("field errors are all listed in one invalid-request problem and nothing runs", "[http][router][R-ENG-9]") {
  RouterHarness h;
  const HttpResponse response = h.send(request(
      "POST", "/v1/partners", R"({"name":42,"membershipLocation":"moon","globalAdmin":{"email":""}})", "operator-token"));
  CHECK(response.status == 400);
  const auto body = json_of(response);
  CHECK(body["code"] == "invalid-request");
  std::set<std::string> fields;
  for (const auto& error : body["errors"]) fields.insert(error["field"].get<std::string>());
  CHECK(fields == std::set<std::string>{"name", "accountEmail", "membershipLocation", "globalAdmin.email",
                                        "globalAdmin.displayName"});
  CHECK(h.service.commands.empty());
}

TEST_CASE("each command route builds its command from path and body", "[http][router]") {
  RouterHarness h;
  h.send(request("POST", "/v1/partners/P1/users", R"({"email":"e@x.test","displayName":"E","roles":["user-admin","global-admin"]})"));
  h.send(request("PUT", "/v1/partners/P1/users/U7/roles", R"({"roles":[]})"));
  h.send(request("PUT", "/v1/partners/P1/marketing-contact",
                 R"({"userId":"U1","email":"m@x.test","phone":"+1 555","preferredLanguage":"en-US"})"));
  h.send(request("POST", "/v1/partners/P1/packages", R"({"type":"gold-competency"})"));
  h.send(request("POST", "/v1/packages/K1/renew"));
  h.send(request("POST", "/v1/packages/K1/cancel", R"({"reason":"too big"})"));
  h.send(request("POST", "/v1/benefits/B1/activate", R"({"language":"en-US","os":"x64"})"));
  h.send(request("POST", "/v1/benefits/B1/keys", R"({"language":"de-DE","os":"x86"})"));
  h.send(request("POST", "/v1/benefits/B1/seats", R"({"userId":"U2"})"));
  h.send(request("POST", "/v1/benefits/B1/seats/S1/reassign", R"({"userId":"U3"})"));
  h.send(request("POST", "/v1/benefits/B1/support-requests",
                 R"({"type":"presales-deployment","productFamily":"azure","summary":"help","hours":4,"accessId":"A","contractId":"C"})"));
  REQUIRE(h.service.commands.size() == 11);
  const auto& add = std::get<workflows::AddUser>(h.service.commands[0]);
  CHECK(add.partnerId == "P1");
  CHECK(add.roles == std::vector{workflows::Role::globalAdmin, workflows::Role::userAdmin});
  const auto& roles = std::get<workflows::ChangeUserRoles>(h.service.commands[1]);
  CHECK((roles.userId == "U7" && roles.roles.empty()));
  CHECK(std::get<workflows::AssignMarketingContact>(h.service.commands[2]).preferredLanguage == "en-US");
  CHECK(std::get<workflows::PurchasePackage>(h.service.commands[3]).type == "gold-competency");
  CHECK(std::get<workflows::RenewPackage>(h.service.commands[4]).packageId == "K1");
  CHECK(std::get<workflows::RequestCancellation>(h.service.commands[5]).reason == "too big");
  const auto& activate = std::get<workflows::ActivateBenefit>(h.service.commands[6]);
  CHECK((activate.language == "en-US" && activate.os == "x64" && !activate.userId));
  CHECK(std::get<workflows::RevealKey>(h.service.commands[7]).language == "de-DE");
  CHECK(std::get<workflows::AssignSeat>(h.service.commands[8]).userId == "U2");
  const auto& reassign = std::get<workflows::ReassignSeat>(h.service.commands[9]);
  CHECK((reassign.seatId == "S1" && reassign.userId == "U3"));
  const auto& support = std::get<workflows::OpenSupportRequest>(h.service.commands[10]);
  CHECK((support.hours == 4 && support.productFamily == "azure" && support.accessId == "A"));
}

TEST_CASE("clock and fulfilment routes call their Service methods", "[http][router]") {
  RouterHarness h;
  CHECK(h.send(request("POST", "/v1/clock/advance", R"({"seconds":3600})", "operator-token")).status == 201);
  CHECK(h.send(request("POST", "/v1/clock/advance", R"({"to":"2026-02-01T00:00:00Z"})", "operator-token")).status == 201);
  CHECK(h.send(request("POST", "/v1/clock/advance", R"({"seconds":1,"to":"2026-02-01T00:00:00Z"})", "operator-token")).status == 400);
  CHECK(h.send(request("POST", "/v1/clock/advance", R"({"seconds":-1})", "operator-token")).status == 400);
  CHECK(h.send(request("POST", "/v1/clock/advance", R"({"seconds":1.5})", "operator-token")).status == 400);
  REQUIRE(h.service.advances.size() == 2);
  CHECK(h.service.advances[0].seconds == 3600);
  CHECK(h.service.advances[1].to == workflows::parseTime("2026-02-01T00:00:00Z"));

  h.send(request("POST", "/v1/fulfilment/requests/F1/accept", R"({"expectedBy":"2026-01-08T09:00:00Z"})", "operator-token"));
  h.send(request("POST", "/v1/fulfilment/requests/F1/complete", "", "operator-token"));
  CHECK(h.send(request("POST", "/v1/fulfilment/requests/F1/reject", "{}", "operator-token")).status == 400);
  h.send(request("POST", "/v1/fulfilment/requests/F2/reject", R"({"reason":"no"})", "operator-token"));
  REQUIRE(h.service.fulfilment_answers.size() == 3);
  CHECK(h.service.fulfilment_answers[1].second == app::FulfilmentAction::complete);
  CHECK(h.service.fulfilment_answers[2] == std::pair<std::string, app::FulfilmentAction>{"F2", app::FulfilmentAction::reject});

  const HttpResponse verify = h.send(request("POST", "/v1/audit/verify", R"({"partnerId":"P1"})", "operator-token"));
  CHECK(verify.status == 200);
  CHECK(json_of(verify)["ok"] == true);
}

TEST_CASE("activation waiting for fulfilment answers 202", "[http][router][R-LIFE-3]") {
  RouterHarness h;
  h.service.command_outcome = app::Reply{app::Reply::Kind::accepted, {{"status", "pending"}}, 3, 12};
  const HttpResponse response = h.send(request("POST", "/v1/benefits/B1/activate", "{}"));
  CHECK(response.status == 202);
  CHECK(response.header("X-Position") == "12");
}

TEST_CASE("request headers reach the RequestContext", "[http][router][R-ENG-4]") {
  RouterHarness h;
  auto with_headers = request("POST", "/v1/packages/K1/cancel", R"({"reason":"r"})");
  with_headers.headers.emplace_back("Idempotency-Key", "key-1");
  with_headers.headers.emplace_back("If-Match", "\"4\"");
  with_headers.headers.emplace_back("X-Correlation-Id", "corr-123");
  const HttpResponse response = h.send(with_headers);
  CHECK(response.header("X-Correlation-Id") == "corr-123");
  REQUIRE(h.service.contexts.size() == 1);
  const auto& context = h.service.contexts[0];
  CHECK(context.idempotency_key == "key-1");
  CHECK(context.if_match == 4u);
  CHECK(context.correlation_id == "corr-123");
  CHECK(context.fingerprint == "POST /v1/packages/K1/cancel\n{\"reason\":\"r\"}");
  CHECK(context.actor.userId == "U1");

  auto generated = request("POST", "/v1/packages/K1/renew");
  generated.headers.emplace_back("X-Correlation-Id", "bad id with spaces");
  const HttpResponse fresh = h.send(generated);
  REQUIRE(fresh.header("X-Correlation-Id"));
  CHECK(fresh.header("X-Correlation-Id")->size() == 32);
  CHECK(h.service.contexts[1].correlation_id == *fresh.header("X-Correlation-Id"));
}

TEST_CASE("bad Idempotency-Key is 400 and an unmatchable If-Match 412, before anything runs",
          "[http][router][R-ENG-4]") {
  RouterHarness h;
  auto long_key = request("POST", "/v1/packages/K1/renew");
  long_key.headers.emplace_back("Idempotency-Key", std::string(256, 'k'));
  CHECK(h.send(long_key).status == 400);
  auto empty_key = request("POST", "/v1/packages/K1/renew");
  empty_key.headers.emplace_back("Idempotency-Key", "");
  CHECK(h.send(empty_key).status == 400);
  auto bad_if_match = request("POST", "/v1/packages/K1/renew");
  bad_if_match.headers.emplace_back("If-Match", "three");
  const HttpResponse mismatch = h.send(bad_if_match);
  CHECK(mismatch.status == 412);
  CHECK(json_of(mismatch)["code"] == "version-mismatch");
  CHECK(h.service.commands.empty());
  auto star = request("POST", "/v1/packages/K1/renew");
  star.headers.emplace_back("If-Match", "*");
  CHECK(h.send(star).status == 201);
  CHECK_FALSE(h.service.contexts.back().if_match.has_value());
}

TEST_CASE("bodies must be JSON objects of at most 1 MiB", "[http][router][R-ENG-9]") {
  RouterHarness h;
  auto text = request("POST", "/v1/packages/K1/cancel", "reason=r");
  text.headers = {{"Authorization", "Bearer admin-token"}, {"Content-Type", "text/plain"}};
  CHECK(json_of(h.send(text))["code"] == "unsupported-media-type");
  auto untyped = request("POST", "/v1/packages/K1/cancel", R"({"reason":"r"})");
  untyped.headers = {{"Authorization", "Bearer admin-token"}};
  CHECK(h.send(untyped).status == 415);
  auto charset = request("POST", "/v1/packages/K1/cancel", R"({"reason":"r"})");
  charset.headers = {{"Authorization", "Bearer admin-token"}, {"Content-Type", "Application/JSON; charset=utf-8"}};
  CHECK(h.send(charset).status == 201);

  const std::string huge = R"({"reason":")" + std::string(http::kMaxBodyBytes, 'a') + R"("})";
  const HttpResponse too_large = h.send(request("POST", "/v1/packages/K1/cancel", huge));
  CHECK(too_large.status == 413);
  CHECK(json_of(too_large)["code"] == "payload-too-large");
  CHECK(h.service.commands.size() == 1);
}

TEST_CASE("a Service refusal with an unlisted code is a 400 and an exception a 503", "[http][router][R-ENG-9]") {
  RouterHarness h;
  h.service.command_outcome = app::Problem{"something-new", "no", {}};
  CHECK(h.send(request("POST", "/v1/packages/K1/renew")).status == 400);
  h.service.throw_from_queries = true;
  const HttpResponse failed = h.send(request("GET", "/v1/benefits/B1"));
  CHECK(failed.status == 503);
  CHECK(json_of(failed)["code"] == "unavailable");
}

TEST_CASE("a command completing on another thread answers exactly once", "[http][router]") {
  RouterHarness h;
  h.service.complete_commands_inline = false;
  h.start(request("POST", "/v1/packages/K1/renew"));
  CHECK_FALSE(h.answer.has_value());
  std::thread engine([&] { h.service.complete_pending(); });
  engine.join();
  REQUIRE(h.answer.has_value());
  CHECK(h.answer->status == 201);
  CHECK(h.answers == 1);
}

TEST_CASE("views carry ETag and X-Position, If-None-Match gives 304", "[http][router]") {
  RouterHarness h;
  h.service.advance_views(9);
  const HttpResponse first = h.send(request("GET", "/v1/benefits/B1"));
  CHECK(first.status == 200);
  CHECK(first.header("ETag") == "\"1\"");
  CHECK(first.header("X-Position") == "9");
  auto conditional = request("GET", "/v1/benefits/B1");
  conditional.headers.emplace_back("If-None-Match", "\"1\"");
  const HttpResponse unchanged = h.send(conditional);
  CHECK(unchanged.status == 304);
  CHECK(unchanged.body.empty());
  CHECK(unchanged.header("ETag") == "\"1\"");

  const HttpResponse list = h.send(request("GET", "/v1/partners/P1/benefits"));
  REQUIRE(list.header("ETag"));
  auto list_conditional = request("GET", "/v1/partners/P1/benefits");
  list_conditional.headers.emplace_back("If-None-Match", std::string(*list.header("ETag")));
  CHECK(h.send(list_conditional).status == 304);
}

TEST_CASE("a long-poll answers when the view changes", "[http][router]") {
  RouterHarness h;
  h.start(long_poll_of_benefit("\"1\"", 30));
  CHECK_FALSE(h.answer.has_value());
  REQUIRE(h.service.waiting() == 1);
  h.service.advance_views(1);  // views moved, but not this benefit: keep waiting
  CHECK_FALSE(h.answer.has_value());
  CHECK(h.service.waiting() == 1);
  h.service.benefit_version = 2;
  h.service.benefit_body["status"] = "active";
  h.service.advance_views(2);
  REQUIRE(h.answer.has_value());
  CHECK(h.answer->status == 200);
  CHECK(h.answer->header("ETag") == "\"2\"");
  CHECK(json_of(*h.answer)["status"] == "active");
}

TEST_CASE("a long-poll gives 304 when its time is up", "[http][router]") {
  RouterHarness h;
  h.start(long_poll_of_benefit("\"1\"", 5));
  CHECK_FALSE(h.answer.has_value());
  h.service.expire_waits();
  REQUIRE(h.answer.has_value());
  CHECK(h.answer->status == 304);
  CHECK(h.answers == 1);
}

TEST_CASE("minPosition waits for the views, or answers 503 when they do not arrive", "[http][router]") {
  RouterHarness h;
  h.start(request("GET", "/v1/benefits/B1?minPosition=5"));
  CHECK_FALSE(h.answer.has_value());
  h.service.advance_views(5);
  REQUIRE(h.answer.has_value());
  CHECK(h.answer->status == 200);
  CHECK(h.answer->header("X-Position") == "5");

  h.start(request("GET", "/v1/benefits/B1?minPosition=9"));
  h.service.expire_waits();
  REQUIRE(h.answer.has_value());
  CHECK(h.answer->status == 503);
  CHECK(json_of(*h.answer)["code"] == "unavailable");

  CHECK(h.send(request("GET", "/v1/benefits/B1?minPosition=3")).status == 200);
  CHECK(h.send(request("GET", "/v1/benefits/B1?minPosition=-1")).status == 400);
}

TEST_CASE("long reads run on the Service's thread for them, also after waiting for the views", "[http][router]") {
  RouterHarness h;
  h.service.hold_long_reads = true;
  for (const char* target : {"/v1/partners/P1/audit", "/v1/fulfilment/requests?status=open"}) {
    CAPTURE(target);
    h.start(request("GET", target, "", "operator-token"));
    CHECK_FALSE(h.answer.has_value());
    REQUIRE(h.service.long_reads.size() == 1);
    h.service.run_long_reads();
    REQUIRE(h.answer.has_value());
    CHECK(h.answer->status == 200);
  }

  // A read that waits for the views still runs there, not on the thread that moved them.
  h.start(request("GET", "/v1/partners/P1/audit?minPosition=4", "", "operator-token"));
  h.service.advance_views(4);
  CHECK_FALSE(h.answer.has_value());
  h.service.run_long_reads();
  REQUIRE(h.answer.has_value());
  CHECK(h.answer->header("X-Position") == "4");

  // Other views answer on the calling thread.
  CHECK(h.send(request("GET", "/v1/benefits/B1")).status == 200);
  CHECK(h.service.long_reads.empty());
}

TEST_CASE("Hostile clients: long reads wait in their caller's partner's queue, with their connection",
          "[http][router]") {
  RouterHarness h;
  h.service.hold_long_reads = true;
  h.service.tokens["other-token"] = workflows::Actor::user("U2", "P2", {workflows::Role::globalAdmin});
  const auto client = std::make_shared<app::ClientLink>();
  http::HttpRequest audit = request("GET", "/v1/partners/P1/audit", "", "admin-token");
  audit.client = client;
  h.start(audit);
  h.start(request("GET", "/v1/partners/P2/audit", "", "other-token"));
  h.start(request("GET", "/v1/fulfilment/requests", "", "operator-token"));
  REQUIRE(h.service.long_reads.size() == 3);
  CHECK(h.service.long_reads[0].queue == "partner:P1");
  CHECK(h.service.long_reads[0].client == client);
  CHECK(h.service.long_reads[1].queue == "partner:P2");
  CHECK(h.service.long_reads[1].client == nullptr);
  CHECK(h.service.long_reads[2].queue == "operator");
  h.service.run_long_reads();
}

TEST_CASE("query parameters are checked and passed on", "[http][router]") {
  RouterHarness h;
  CHECK(h.send(request("GET", "/v1/partners/P1/benefits?category=cloud&status=active&packageId=K1&limit=5&cursor=abc")).status == 200);
  REQUIRE(h.service.last_filter);
  CHECK(h.service.last_filter->category == "cloud");
  CHECK(h.service.last_filter->status == "active");
  CHECK(h.service.last_filter->package_id == "K1");
  CHECK(h.service.last_page->limit == 5);
  CHECK(h.service.last_page->cursor == "abc");
  h.send(request("GET", "/v1/partners/P1/users"));
  CHECK(h.service.last_page->limit == 100);
  CHECK(h.send(request("GET", "/v1/benefits/B1?asOf=2026-03-01T00:00:00Z")).status == 200);
  CHECK(h.service.last_as_of == std::optional{workflows::parseTime("2026-03-01T00:00:00Z")});
  for (const char* target :
       {"/v1/partners/P1/benefits?limit=0", "/v1/partners/P1/benefits?limit=501", "/v1/partners/P1/users?limit=x",
        "/v1/partners/P1/benefits?category=hardware", "/v1/partners/P1/benefits?status=sleeping",
        "/v1/benefits/B1?asOf=yesterday", "/v1/partners/P1/audit?from=2026-13-01T00:00:00Z",
        "/v1/partners/P1/expirations?within=-5", "/v1/events?fromPosition=abc"}) {
    CAPTURE(target);
    const HttpResponse response = h.send(request("GET", target, "", "operator-token"));
    CHECK(response.status == 400);
    CHECK(json_of(response)["errors"].size() == 1);
  }
}

TEST_CASE("Lists the contract promises: every list checks limit 1..500, passes limit and cursor on, refuses bad enums",
          "[http][router]") {
  RouterHarness h;
  const std::vector<std::string> lists = {"/v1/partners/P1/users",          "/v1/partners/P1/packages",
                                          "/v1/partners/P1/benefits",       "/v1/partners/P1/expirations",
                                          "/v1/fulfilment/requests",        "/v1/events",
                                          "/v1/streams/partner-P1/events"};
  for (const std::string& list : lists) {
    CAPTURE(list);
    for (const char* bad : {"?limit=0", "?limit=501", "?limit=-1", "?limit=ten", "?cursor="}) {
      CAPTURE(bad);
      const HttpResponse response = h.send(request("GET", list + bad, "", "operator-token"));
      CHECK(response.status == 400);
      CHECK(json_of(response)["code"] == "invalid-request");
    }
    CHECK(h.send(request("GET", list + "?limit=500", "", "operator-token")).status == 200);
  }
  // The lists whose cursor the Service reads get limit and cursor as given.
  for (const char* list : {"/v1/partners/P1/expirations", "/v1/fulfilment/requests"}) {
    CAPTURE(list);
    h.service.last_page.reset();
    REQUIRE(h.send(request("GET", std::string(list) + "?limit=1&cursor=c1", "", "operator-token")).status == 200);
    REQUIRE(h.service.last_page);
    CHECK(h.service.last_page->limit == 1);
    CHECK(h.service.last_page->cursor == "c1");
  }
  for (const char* target : {"/v1/fulfilment/requests?status=bogus", "/v1/fulfilment/requests?status=OPEN",
                             "/v1/partners/P1/benefits?status=bogus", "/v1/partners/P1/benefits?category=bogus",
                             "/v1/events?cursor=abc", "/v1/streams/partner-P1/events?cursor=-1"}) {
    CAPTURE(target);
    const HttpResponse response = h.send(request("GET", target, "", "operator-token"));
    CHECK(response.status == 400);
    CHECK(json_of(response)["code"] == "invalid-request");
  }
  for (const char* status : {"open", "completed", "rejected"})
    CHECK(h.send(request("GET", std::string("/v1/fulfilment/requests?status=") + status, "", "operator-token")).status ==
          200);
}

TEST_CASE("Lists the contract promises: names, display names and summaries are trimmed, and refused when blank",
          "[http][router]") {
  RouterHarness h;
  const HttpResponse registered = h.send(request(
      "POST", "/v1/partners",
      R"({"name":"  Contoso \t","accountEmail":"acct@contoso.test","globalAdmin":{"email":"ada@contoso.test","displayName":" Ada Admin "}})",
      "operator-token"));
  REQUIRE(registered.status == 201);
  const auto& command = std::get<workflows::RegisterPartner>(h.service.commands.at(0));
  CHECK(command.name == "Contoso");
  CHECK(command.adminDisplayName == "Ada Admin");

  struct Blank {
    std::string method, target, body, field;
  };
  for (const Blank& blank : std::vector<Blank>{
           {"POST", "/v1/partners",
            R"({"name":"   ","accountEmail":"a@x.test","globalAdmin":{"email":"e@x.test","displayName":"E"}})", "name"},
           {"POST", "/v1/partners",
            R"({"name":"N","accountEmail":"a@x.test","globalAdmin":{"email":"e@x.test","displayName":"\t \n"}})",
            "globalAdmin.displayName"},
           {"POST", "/v1/partners/P1/users", R"({"email":"e@x.test","displayName":"  ","roles":[]})", "displayName"},
           {"POST", "/v1/benefits/B1/support-requests",
            R"({"type":"product-support","productFamily":"azure","summary":"   "})", "summary"}}) {
    CAPTURE(blank.target, blank.body);
    const std::size_t commands = h.service.commands.size();
    const HttpResponse response = h.send(request(blank.method, blank.target, blank.body, "operator-token"));
    CHECK(response.status == 400);
    const auto body = json_of(response);
    CHECK(body["code"] == "invalid-request");
    REQUIRE(body["errors"].size() == 1);
    CHECK(body["errors"][0]["field"] == blank.field);
    CHECK(h.service.commands.size() == commands);
  }
}

}  // namespace
}  // namespace benefitd::testing
