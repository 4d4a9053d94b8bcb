// The engine's guarantees, proven through the real Service on RocksDB with the simulated clock.

#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <sstream>
#include <set>
#include <thread>

#include "service_fixture.h"

using namespace benefitd;
using namespace std::chrono_literals;
using benefitd::testing::kStart;
using benefitd::testing::ServiceFixture;
using benefitd::testing::views_table;

namespace {

nlohmann::json benefit_view(ServiceFixture& fixture, const std::string& id) {
  return fixture.body(fixture.service->benefit(workflows::Actor::operatorActor(), id, std::nullopt));
}

}  // namespace

TEST_CASE("R-SW-2 a benefit's view is served as stored to a reader who may see its keys, without them to one who may not",
          "[service]") {
  ServiceFixture fixture;
  auto [partner, admin] = fixture.register_partner();
  const app::Reply purchase = fixture.ok(admin, workflows::PurchasePackage{partner, "action-pack"});
  const std::string software = ServiceFixture::benefit_of(purchase.body, "software");
  fixture.ok(admin, workflows::ActivateBenefit{software, std::string("en-US"), std::string("x64"), std::nullopt});
  const app::Reply added = fixture.ok(admin, workflows::AddUser{partner, "agent@contoso.example", "Agent",
                                                                {workflows::Role::adminAgent}});
  const workflows::Actor agent = workflows::Actor::user(added.body["userId"], partner, {workflows::Role::adminAgent});

  const auto shown = std::get<app::Reply>(fixture.service->benefit(admin, software, std::nullopt));
  REQUIRE_FALSE(shown.body_text.empty());
  CHECK(shown.body.is_null());
  // The stored text is what dumping its document gives, so the bytes served are unchanged.
  CHECK(nlohmann::json::parse(shown.body_text).dump() == shown.body_text);
  CHECK(shown.document()["keys"].size() == 1);
  CHECK(shown.document()["partnerId"] == partner);
  REQUIRE(shown.version);
  CHECK(*shown.version == shown.document()["version"]);

  const auto hidden = std::get<app::Reply>(fixture.service->benefit(agent, software, std::nullopt));
  CHECK(hidden.body_text.empty());
  CHECK_FALSE(hidden.body.contains("keys"));
  CHECK(hidden.body["benefitId"] == software);
  CHECK(hidden.version == shown.version);
}

TEST_CASE("R-LIFE-3 immediate software activation reveals a key and answers 200", "[service]") {
  ServiceFixture fixture;
  auto [partner, admin] = fixture.register_partner();
  const app::Reply purchase = fixture.ok(admin, workflows::PurchasePackage{partner, "action-pack"});
  CHECK(purchase.kind == app::Reply::Kind::created);
  const std::string software = ServiceFixture::benefit_of(purchase.body, "software");

  const app::Reply activated =
      fixture.ok(admin, workflows::ActivateBenefit{software, std::string("en-US"), std::string("x64"), std::nullopt});
  CHECK(activated.kind == app::Reply::Kind::ok);
  CHECK(activated.body["status"] == "active");
  REQUIRE(activated.body["keys"].size() == 1);

  // The view, once the projections include the command, says the same.
  const nlohmann::json view = benefit_view(fixture, software);
  CHECK(view["status"] == "active");
  CHECK(view["keys"][0]["key"] == activated.body["keys"][0]["key"]);
}

TEST_CASE("R-ENG-4 a retried command returns the first reply and appends nothing", "[service]") {
  ServiceFixture fixture;
  auto [partner, admin] = fixture.register_partner();
  const auto first = fixture.run(admin, workflows::PurchasePackage{partner, "silver-competency"}, "key-1", "POST /packages {silver}");
  REQUIRE(std::holds_alternative<app::Reply>(first));
  const auto& reply = std::get<app::Reply>(first);

  const auto retry = fixture.run(admin, workflows::PurchasePackage{partner, "silver-competency"}, "key-1", "POST /packages {silver}");
  REQUIRE(std::holds_alternative<app::Reply>(retry));
  CHECK(std::get<app::Reply>(retry).body == reply.body);
  CHECK(std::get<app::Reply>(retry).position == reply.position);  // nothing was appended

  const auto reused = fixture.run(admin, workflows::PurchasePackage{partner, "gold-competency"}, "key-1", "POST /packages {gold}");
  REQUIRE(std::holds_alternative<app::Problem>(reused));
  CHECK(std::get<app::Problem>(reused).code == "idempotency-key-reused");

  // The stored reply is durable: a restarted server still knows the key.
  fixture.reopen();
  const auto after_restart = fixture.run(admin, workflows::PurchasePackage{partner, "silver-competency"}, "key-1", "POST /packages {silver}");
  REQUIRE(std::holds_alternative<app::Reply>(after_restart));
  CHECK(std::get<app::Reply>(after_restart).body["packageId"] == reply.body["packageId"]);

  const auto packages = fixture.body(fixture.service->packages(admin, partner, app::Page{}));
  CHECK(packages["items"].size() == 1);
}

TEST_CASE("R-LIFE-6 technical fulfilment completes by timer, across a restart in the middle of pending",
          "[service][timers]") {
  ServiceFixture fixture;
  auto [partner, admin] = fixture.register_partner();
  const app::Reply purchase = fixture.ok(admin, workflows::PurchasePackage{partner, "gold-competency"});
  const std::string technical = ServiceFixture::benefit_of(purchase.body, "technical");

  const app::Reply requested = fixture.ok(admin, workflows::ActivateBenefit{technical, std::nullopt, std::nullopt, std::nullopt});
  CHECK(requested.kind == app::Reply::Kind::accepted);
  fixture.advance(0s);  // the simulated back office accepts at once
  nlohmann::json pending = benefit_view(fixture, technical);
  REQUIRE(pending["status"] == "pending");
  CHECK(pending["expectedBy"] == "2026-01-08T09:00:00Z");  // Monday + 3 business days

  fixture.reopen();
  fixture.advance(std::chrono::hours(24 * 2));  // Wednesday: not yet
  CHECK(benefit_view(fixture, technical)["status"] == "pending");

  const app::Reply advanced = fixture.advance(std::chrono::hours(24));  // Thursday 09:00
  CHECK(advanced.body["timersFired"].get<int>() >= 1);
  const nlohmann::json active = benefit_view(fixture, technical);
  CHECK(active["status"] == "active");
  CHECK(active["activatedAt"] == "2026-01-08T09:00:00Z");  // stamped with the timer's due time
  CHECK_FALSE(active["accessId"].get<std::string>().empty());

  // Fired once: a further advance and a restart fire it no more.
  const auto events_before = fixture.body(fixture.service->stream_events(
      workflows::Actor::operatorActor(), "benefit-" + technical, 1, 1000))["items"].size();
  fixture.reopen();
  fixture.advance(std::chrono::hours(1));
  const auto events_after = fixture.body(fixture.service->stream_events(
      workflows::Actor::operatorActor(), "benefit-" + technical, 1, 1000))["items"].size();
  CHECK(events_after == events_before);
}

TEST_CASE("R-LIFE-5 benefits and the package expire by timer, Visual Studio 30 days later", "[service][timers]") {
  ServiceFixture fixture;
  auto [partner, admin] = fixture.register_partner();
  const app::Reply purchase = fixture.ok(admin, workflows::PurchasePackage{partner, "action-pack"});
  const std::string software = ServiceFixture::benefit_of(purchase.body, "software");
  const std::string studio = ServiceFixture::benefit_of(purchase.body, "visual-studio");
  const std::string package = purchase.body["packageId"];

  fixture.advance(std::chrono::hours(24 * 365) - 1s);
  CHECK(benefit_view(fixture, software)["status"] == "purchased");
  fixture.advance(1s);
  CHECK(benefit_view(fixture, software)["status"] == "expired");
  CHECK(benefit_view(fixture, software)["expiredAt"] == "2027-01-05T09:00:00Z");
  CHECK(fixture.body(fixture.service->package(admin, package))["status"] == "expired");
  CHECK(benefit_view(fixture, studio)["status"] == "purchased");
  fixture.advance(std::chrono::hours(24 * 30));
  CHECK(benefit_view(fixture, studio)["status"] == "expired");
}

TEST_CASE("R-LIFE-5 expirations list the benefits that can still expire, soonest first", "[service][timers]") {
  ServiceFixture fixture;
  auto [partner, admin] = fixture.register_partner();
  const app::Reply purchase = fixture.ok(admin, workflows::PurchasePackage{partner, "action-pack"});
  const std::string software = ServiceFixture::benefit_of(purchase.body, "software");
  const std::string studio = ServiceFixture::benefit_of(purchase.body, "visual-studio");
  const auto listed = [&](std::int64_t within) {
    std::vector<std::string> ids;
    const nlohmann::json body = fixture.body(fixture.service->expirations(admin, partner, within, app::Page{}));
    for (const auto& item : body["items"]) {
      ids.push_back(item["benefitId"]);
    }
    return ids;
  };
  const std::size_t granted = purchase.body["benefits"].size();
  const std::int64_t year = 365 * 24 * 3600;

  CHECK(listed(year).size() == granted - 1);  // all but Visual Studio expire with the package
  CHECK(listed(year - 1).empty());
  const auto all = listed(year + 30 * 24 * 3600);
  REQUIRE(all.size() == granted);
  CHECK(all.back() == studio);  // Visual Studio expires 30 days after the rest
  CHECK(std::count(all.begin(), all.end(), software) == 1);

  // Activation changes the benefit but not when it expires: still listed, once.
  fixture.ok(admin, workflows::ActivateBenefit{software, std::string("de-DE"), std::string("x64"), std::nullopt});
  REQUIRE(benefit_view(fixture, software)["status"] == "active");
  const auto after_activation = listed(year + 30 * 24 * 3600);
  CHECK(after_activation.size() == granted);
  CHECK(std::count(after_activation.begin(), after_activation.end(), software) == 1);

  // Expired benefits leave the list; the one still to expire stays.
  fixture.advance(std::chrono::hours(24 * 365));
  CHECK(listed(30 * 24 * 3600) == std::vector<std::string>{studio});
  fixture.advance(std::chrono::hours(24 * 30));
  CHECK(listed(year).empty());
}

TEST_CASE("R-ENG-5 rebuilding the views from the log gives identical bytes", "[service][projections]") {
  ServiceFixture fixture;
  auto [partner, admin] = fixture.register_partner();
  const app::Reply purchase = fixture.ok(admin, workflows::PurchasePackage{partner, "gold-competency"});
  fixture.ok(admin, workflows::ActivateBenefit{ServiceFixture::benefit_of(purchase.body, "software"),
                                               std::string("de-DE"), std::string("x64"), std::nullopt});
  fixture.ok(admin, workflows::ActivateBenefit{ServiceFixture::benefit_of(purchase.body, "technical"),
                                               std::nullopt, std::nullopt, std::nullopt});
  fixture.advance(std::chrono::hours(24 * 10));
  fixture.service.reset();

  const auto live = views_table(fixture.dir.path());
  REQUIRE(live.size() > 20);
  fixture.open(/*offline=*/true);
  REQUIRE(fixture.service->rebuild_projections({}).is_ok());
  fixture.service.reset();
  const auto rebuilt = views_table(fixture.dir.path());

  REQUIRE(rebuilt.size() == live.size());
  for (std::size_t i = 0; i < live.size(); ++i) {
    CHECK(rebuilt[i].key == live[i].key);
    CHECK(rebuilt[i].value == live[i].value);
  }
}

TEST_CASE("R-ENG-7 a benefit as of a past time is rebuilt from the log", "[service]") {
  ServiceFixture fixture;
  auto [partner, admin] = fixture.register_partner();
  const app::Reply purchase = fixture.ok(admin, workflows::PurchasePackage{partner, "action-pack"});
  const std::string software = ServiceFixture::benefit_of(purchase.body, "software");
  fixture.advance(std::chrono::hours(24));
  fixture.ok(admin, workflows::ActivateBenefit{software, std::string("en-US"), std::string("x64"), std::nullopt});

  const auto before = fixture.body(fixture.service->benefit(admin, software, kStart + std::chrono::hours(12)));
  CHECK(before["status"] == "purchased");
  const auto after = fixture.body(fixture.service->benefit(admin, software, kStart + std::chrono::hours(24)));
  CHECK(after["status"] == "active");
  const auto missing = fixture.service->benefit(admin, software, kStart - std::chrono::hours(1));
  REQUIRE(std::holds_alternative<app::Problem>(missing));
  CHECK(std::get<app::Problem>(missing).code == "not-found");
}

TEST_CASE("R-GTM-3 activation request and activation each deliver one notification with a unique id",
          "[service][outbox]") {
  ServiceFixture fixture;
  auto [partner, admin] = fixture.register_partner();
  fixture.ok(admin, workflows::AssignMarketingContact{partner, admin.userId, "marketing@contoso.example",
                                                      "+1 555 0100", "en-US"});
  const app::Reply purchase = fixture.ok(admin, workflows::PurchasePackage{partner, "silver-competency"});
  const std::string offer = ServiceFixture::benefit_of(purchase.body, "go-to-market");
  fixture.ok(admin, workflows::ActivateBenefit{offer, std::nullopt, std::nullopt, std::nullopt});
  fixture.advance(std::chrono::hours(24 * 5));
  CHECK(benefit_view(fixture, offer)["status"] == "active");

  // Delivery is asynchronous: wait (bounded) for the spool to hold both.
  const auto spool = fixture.dir.path() / "notifications.jsonl";
  std::vector<nlohmann::json> delivered;
  for (int attempt = 0; attempt < 100 && delivered.size() < 2; ++attempt) {
    std::this_thread::sleep_for(100ms);
    delivered.clear();
    std::ifstream lines(spool);
    for (std::string line; std::getline(lines, line);) delivered.push_back(nlohmann::json::parse(line));
  }
  REQUIRE(delivered.size() == 2);
  std::set<std::string> ids;
  for (const auto& notification : delivered) {
    CHECK(notification["to"] == "marketing@contoso.example");
    ids.insert(notification["id"].get<std::string>());
  }
  CHECK(ids.size() == 2);
}

TEST_CASE("R-AUTH-9 tokens authenticate, are stored only as hashes, and never enter the log", "[service]") {
  ServiceFixture fixture;
  workflows::RegisterPartner command{"Fabrikam", "accounts@fabrikam.example",
                                     workflows::MembershipLocation::partnerCenter, "admin@fabrikam.example", "Admin"};
  const app::Reply reply = fixture.ok(workflows::Actor::operatorActor(), command);
  const std::string token = reply.body["globalAdmin"]["token"];
  REQUIRE(token.size() == 64);
  CHECK(fixture.service->authenticate(token));
  CHECK_FALSE(fixture.service->authenticate(token + "x"));
  CHECK(fixture.service->authenticate(testing::kOperatorToken)->kind == workflows::Actor::Kind::operatorKind);

  const auto log = fixture.body(fixture.service->events(workflows::Actor::operatorActor(), 1, 1000));
  CHECK(log.dump().find(token) == std::string::npos);
  fixture.service.reset();
  std::unique_ptr<store::RocksDbEventStore> store;
  REQUIRE(store::RocksDbEventStore::open({fixture.dir.path() / "store"}, &store).is_ok());
  for (const store::Table table : store::kAllTables) {
    std::vector<store::KeyValue> rows;
    REQUIRE(store->scan(table, "", "", 1'000'000, &rows).is_ok());
    for (const auto& row : rows) {
      CHECK(row.key.find(token) == std::string::npos);
      CHECK(row.value.find(token) == std::string::npos);
    }
  }
}

TEST_CASE("R-PKG-4 a software activation racing a cancellation: exactly one wins", "[service][race]") {
  ServiceFixture fixture;
  auto [partner, admin] = fixture.register_partner();
  for (int round = 0; round < 10; ++round) {
    INFO("round " << round);
    const app::Reply purchase = fixture.ok(admin, workflows::PurchasePackage{partner, "action-pack"});
    const std::string package = purchase.body["packageId"];
    const std::string software = ServiceFixture::benefit_of(purchase.body, "software");

    auto activation = std::async(std::launch::async, [&] {
      return fixture.run(admin, workflows::ActivateBenefit{software, std::string("en-US"), std::string("x64"), std::nullopt});
    });
    auto cancellation = std::async(std::launch::async, [&] {
      return fixture.run(admin, workflows::RequestCancellation{package, "changed our mind"});
    });
    const app::Outcome activated = activation.get();
    const app::Outcome cancelled = cancellation.get();
    const bool activation_won = std::holds_alternative<app::Reply>(activated);
    const bool cancellation_won = std::holds_alternative<app::Reply>(cancelled);
    CHECK(activation_won != cancellation_won);
    if (activation_won) {
      CHECK(std::get<app::Problem>(cancelled).code == "software-benefit-activated");
    } else {
      CHECK(std::get<app::Problem>(activated).code == "package-not-active");
    }
  }
}

TEST_CASE("R-LIFE-2 racing activations of one benefit: exactly one succeeds", "[service][race]") {
  ServiceFixture fixture;
  auto [partner, admin] = fixture.register_partner();
  const app::Reply purchase = fixture.ok(admin, workflows::PurchasePackage{partner, "gold-competency"});
  const std::string technical = ServiceFixture::benefit_of(purchase.body, "technical");
  std::vector<std::future<app::Outcome>> racers;
  for (int i = 0; i < 8; ++i) {
    racers.push_back(std::async(std::launch::async, [&] {
      return fixture.run(admin, workflows::ActivateBenefit{technical, std::nullopt, std::nullopt, std::nullopt});
    }));
  }
  int won = 0;
  for (auto& racer : racers) {
    const app::Outcome outcome = racer.get();
    if (std::holds_alternative<app::Reply>(outcome)) {
      ++won;
    } else {
      CHECK(std::get<app::Problem>(outcome).code == "invalid-transition");
    }
  }
  CHECK(won == 1);
  const auto events = fixture.body(fixture.service->stream_events(workflows::Actor::operatorActor(),
                                                                  "benefit-" + technical, 1, 100))["items"];
  int requested = 0;
  for (const auto& event : events) requested += event["type"] == "ActivationRequested";
  CHECK(requested == 1);
}

TEST_CASE("lists page by cursor without gaps or repeats", "[service][lists]") {
  ServiceFixture fixture;
  auto [partner, admin] = fixture.register_partner();
  for (int i = 0; i < 4; ++i) {
    fixture.ok(admin, workflows::AddUser{partner, "user" + std::to_string(i) + "@contoso.example", "User",
                                         {workflows::Role::userAdmin}});
  }
  std::set<std::string> seen;
  app::Page page{2, ""};
  int pages = 0;
  for (;; ++pages) {
    const auto body = fixture.body(fixture.service->users(admin, partner, page));
    CHECK(body["items"].size() <= 2);
    for (const auto& user : body["items"]) CHECK(seen.insert(user["userId"].get<std::string>()).second);
    if (body["nextCursor"].is_null()) break;
    page.cursor = body["nextCursor"];
  }
  CHECK(seen.size() == 5);  // the global admin and four users
  CHECK(pages == 2);
}

TEST_CASE("R-PKG-3 the cancellation service request completes by timer: package, refund and benefits in one append",
          "[service][timers]") {
  ServiceFixture fixture;
  auto [partner, admin] = fixture.register_partner();
  const app::Reply purchase = fixture.ok(admin, workflows::PurchasePackage{partner, "action-pack"});
  const std::string package = purchase.body["packageId"];
  const app::Reply requested = fixture.ok(admin, workflows::RequestCancellation{package, "no longer needed"});
  CHECK(requested.kind == app::Reply::Kind::accepted);
  CHECK(requested.body["status"] == "cancellation-requested");

  fixture.advance(std::chrono::hours(24 * 2) - 1s);  // Monday + 2 business days, less a second
  CHECK(fixture.body(fixture.service->package(admin, package))["status"] == "cancellation-requested");
  fixture.advance(1s);
  const auto cancelled = fixture.body(fixture.service->package(admin, package));
  CHECK(cancelled["status"] == "cancelled");
  CHECK(cancelled["refund"]["amount"] == "530.00");
  for (const auto& benefit : purchase.body["benefits"]) {
    CHECK(benefit_view(fixture, benefit["benefitId"])["status"] == "cancelled");
  }
  // Package cancelled, refund and every benefit: one command, so one correlation id.
  const auto audit = fixture.body(fixture.service->partner_audit(admin, partner, std::nullopt, std::nullopt, 0, app::kMaxAuditPage))["items"];
  std::set<std::string> correlations;
  for (const auto& event : audit) {
    if (event["type"] == "PackageCancelled" || event["type"] == "RefundIssued" || event["type"] == "BenefitCancelled") {
      correlations.insert(event["correlationId"].get<std::string>());
    }
  }
  CHECK(correlations.size() == 1);
}

TEST_CASE("R-PKG-5 a package not renewed lapses by timer 30 days after expiry", "[service][timers]") {
  ServiceFixture fixture;
  auto [partner, admin] = fixture.register_partner();
  const app::Reply purchase = fixture.ok(admin, workflows::PurchasePackage{partner, "action-pack"});
  const std::string package = purchase.body["packageId"];
  fixture.advance(std::chrono::hours(24 * 365));
  CHECK(fixture.body(fixture.service->package(admin, package))["status"] == "expired");
  fixture.advance(std::chrono::hours(24 * 30) - 1s);
  CHECK(fixture.body(fixture.service->package(admin, package))["status"] == "expired");
  fixture.advance(1s);
  CHECK(fixture.body(fixture.service->package(admin, package))["status"] == "lapsed");
  CHECK(fixture.refused(admin, workflows::RenewPackage{package}).code == "renewal-window-closed");
}

TEST_CASE("R-SW-2 R-AUTH-9 the CloudEvents export redacts revealed keys and holds no token", "[service][audit]") {
  ServiceFixture fixture;
  auto [partner, admin] = fixture.register_partner();
  const app::Reply other = fixture.ok(workflows::Actor::operatorActor(),
                                      workflows::RegisterPartner{"Fabrikam", "accounts@fabrikam.example",
                                                                 workflows::MembershipLocation::partnerCenter,
                                                                 "admin@fabrikam.example", "Admin"});
  const std::string token = other.body["globalAdmin"]["token"];
  const app::Reply purchase = fixture.ok(admin, workflows::PurchasePackage{partner, "action-pack"});
  const std::string software = ServiceFixture::benefit_of(purchase.body, "software");
  const app::Reply activated =
      fixture.ok(admin, workflows::ActivateBenefit{software, std::string("en-US"), std::string("x64"), std::nullopt});
  const std::string key = activated.body["keys"][0]["key"];

  std::ostringstream all;
  REQUIRE(fixture.service->export_cloudevents({}, all).is_ok());
  CHECK(all.str().find(key) == std::string::npos);
  CHECK(all.str().find(token) == std::string::npos);

  std::ostringstream mine;
  REQUIRE(fixture.service->export_cloudevents({partner, std::nullopt, std::nullopt}, mine).is_ok());
  std::istringstream lines(mine.str());
  std::map<std::string, int> types;
  for (std::string line; std::getline(lines, line);) {
    const auto event = nlohmann::json::parse(line);
    for (const char* attribute : {"specversion", "id", "source", "type", "subject", "time"}) {
      CHECK(event.contains(attribute));
    }
    CHECK(event["specversion"] == "1.0");
    ++types[event["type"]];
    if (event["type"] == "KeyRevealed") CHECK(event["data"]["key"] == "REDACTED");
  }
  CHECK(types["KeyRevealed"] == 1);
  CHECK(types["PartnerRegistered"] == 1);  // this partner's only: the other one's is left out
}

TEST_CASE("R-ENG-6 verification runs off the caller's thread and reports the chains, one partner's or all",
          "[service][audit]") {
  ServiceFixture fixture;
  auto [partner, admin] = fixture.register_partner();
  const app::Reply purchase = fixture.ok(admin, workflows::PurchasePackage{partner, "action-pack"});
  const auto verify = [&fixture](const workflows::Actor& actor, std::optional<std::string> partner_id) {
    std::promise<std::pair<app::Outcome, std::thread::id>> answered;
    fixture.service->verify(actor, std::move(partner_id), [&answered](app::Outcome outcome) {
      answered.set_value({std::move(outcome), std::this_thread::get_id()});
    });
    return answered.get_future().get();
  };

  const auto [all, thread] = verify(workflows::Actor::operatorActor(), std::nullopt);
  CHECK(thread != std::this_thread::get_id());
  const nlohmann::json report = fixture.body(all);
  CHECK(report["ok"] == true);
  CHECK(report["eventsChecked"] == purchase.position);  // every event of the log

  const nlohmann::json mine = fixture.body(verify(workflows::Actor::operatorActor(), partner).first);
  CHECK(mine["ok"] == true);
  CHECK(mine["eventsChecked"] > 0);

  const auto missing = verify(workflows::Actor::operatorActor(), std::string("P-none")).first;
  REQUIRE(std::holds_alternative<app::Problem>(missing));
  CHECK(std::get<app::Problem>(missing).code == "not-found");
  // A partner's own admin may not verify: operator only (over HTTP the router answers 403 first).
  const auto user = verify(admin, partner).first;
  REQUIRE(std::holds_alternative<app::Problem>(user));
  CHECK(std::get<app::Problem>(user).code == "not-found");
}

TEST_CASE("R-AUTH-7 a partner's audit history pages by log position without losing or repeating an event",
          "[service][audit]") {
  ServiceFixture fixture;
  auto [partner, admin] = fixture.register_partner();
  fixture.ok(admin, workflows::PurchasePackage{partner, "action-pack"});
  const nlohmann::json whole =
      fixture.body(fixture.service->partner_audit(admin, partner, std::nullopt, std::nullopt, 0, app::kMaxAuditPage));
  CHECK(whole["nextCursor"].is_null());
  REQUIRE(whole["items"].size() > 4);

  nlohmann::json paged = nlohmann::json::array();
  app::Position start = 0;
  for (int page = 0; page < 100; ++page) {
    const nlohmann::json answer =
        fixture.body(fixture.service->partner_audit(admin, partner, std::nullopt, std::nullopt, start, 4));
    CHECK(answer["items"].size() <= 4);
    for (const auto& event : answer["items"]) paged.push_back(event);
    if (answer["nextCursor"].is_null()) break;
    start = std::stoull(answer["nextCursor"].get<std::string>());
  }
  CHECK(paged == whole["items"]);
}

namespace {

std::uint64_t gauge(const app::Service& service, const std::string& name) {
  const std::string text = service.metrics_text();
  const auto line = text.find("\n" + name + " ");
  REQUIRE(line != std::string::npos);
  return std::stoull(text.substr(line + name.size() + 2));
}

}  // namespace

TEST_CASE("metrics count pending timers and open fulfilment requests exactly, across restarts",
          "[service][metrics]") {
  ServiceFixture fixture(app::FulfilmentMode::external);
  auto [partner, admin] = fixture.register_partner();
  for (int i = 0; i < 2; ++i) {
    const app::Reply purchase = fixture.ok(admin, workflows::PurchasePackage{partner, "gold-competency"});
    const std::string technical = ServiceFixture::benefit_of(purchase.body, "technical");
    fixture.ok(admin, workflows::ActivateBenefit{technical, std::nullopt, std::nullopt, std::nullopt});
  }
  const auto open_requests = [&] {
    return fixture.body(fixture.service->fulfilment_requests(workflows::Actor::operatorActor(), "open", app::Page{}))["items"];
  };
  const nlohmann::json requested = open_requests();
  REQUIRE(requested.size() == 2);
  const std::uint64_t timers = gauge(*fixture.service, "benefitd_timers_pending");
  CHECK(timers > 0);
  CHECK(gauge(*fixture.service, "benefitd_fulfilment_queue_depth") == 2);

  std::promise<app::Outcome> rejected;
  app::FulfilmentAnswer no_capacity;
  no_capacity.reason = "no capacity";
  fixture.service->answer_fulfilment({workflows::Actor::operatorActor(), "corr-test", std::nullopt, "", std::nullopt},
                                     requested[0]["requestId"], app::FulfilmentAction::reject, no_capacity,
                                     [&](app::Outcome outcome) { rejected.set_value(std::move(outcome)); });
  const app::Outcome rejection = rejected.get_future().get();
  REQUIRE(std::holds_alternative<app::Reply>(rejection));
  fixture.settle(std::get<app::Reply>(rejection).position);
  CHECK(gauge(*fixture.service, "benefitd_fulfilment_queue_depth") == 1);
  const nlohmann::json still_open = open_requests();
  REQUIRE(still_open.size() == 1);
  CHECK(still_open[0] == requested[1]);

  fixture.reopen();
  CHECK(gauge(*fixture.service, "benefitd_timers_pending") == timers);
  CHECK(gauge(*fixture.service, "benefitd_fulfilment_queue_depth") == 1);
  // Three years on every expiry and lapse has fired: no timer is left.
  fixture.advance(std::chrono::hours(24 * 365 * 3));
  CHECK(gauge(*fixture.service, "benefitd_timers_pending") == 0);
}
