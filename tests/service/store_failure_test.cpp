// A failing store (a full disk, a broken device) answers 503 `unavailable` and changes
// nothing (issue: store-failure path; R-ENG-9, R-ENG-3): proven through the real Service on
// RocksDB with a FaultInjectingStore in front, and through the real Router for the HTTP form.

#include <catch2/catch.hpp>

#include <future>

#include "adapters/http/router.h"
#include "service_fixture.h"
#include "support/fault_injecting_store.h"

using namespace benefitd;
using benefitd::testing::FaultInjectingStore;
using benefitd::testing::ServiceFixture;

namespace {

// A fixture whose store fails on demand through `faults`.
struct FailingStoreFixture : ServiceFixture {
  FailingStoreFixture() {
    wrap_store = [faults = faults](std::unique_ptr<store::EventStore> store) -> std::unique_ptr<store::EventStore> {
      return std::make_unique<FaultInjectingStore>(std::move(store), faults);
    };
    reopen();
  }

  nlohmann::json benefit_view(const std::string& id) {
    return body(service->benefit(workflows::Actor::operatorActor(), id, std::nullopt));
  }

  std::shared_ptr<FaultInjectingStore::Faults> faults = std::make_shared<FaultInjectingStore::Faults>();
};

workflows::ActivateBenefit software_activation(const std::string& benefit) {
  return workflows::ActivateBenefit{benefit, std::string("en-US"), std::string("x64"), std::nullopt};
}

}  // namespace

TEST_CASE("R-ENG-9 a store that cannot write answers unavailable and changes nothing", "[service][faults]") {
  FailingStoreFixture fixture;
  auto [partner, admin] = fixture.register_partner();
  const app::Reply purchase = fixture.ok(admin, workflows::PurchasePackage{partner, "action-pack"});
  const std::string software = ServiceFixture::benefit_of(purchase.body, "software");
  const app::Position before = fixture.service->views_position();

  fixture.faults->writes = true;
  const app::Outcome failed = fixture.run(admin, software_activation(software), "retry-key", "POST activate");
  REQUIRE(std::holds_alternative<app::Problem>(failed));
  CHECK(std::get<app::Problem>(failed).code == "unavailable");
  CHECK(fixture.faults->appends_refused > 0);

  // Nothing moved: not the log, not the views, not the benefit.
  fixture.faults->writes = false;
  CHECK(fixture.service->views_position() == before);
  CHECK(fixture.benefit_view(software)["status"] == "purchased");
  const nlohmann::json log = fixture.body(fixture.service->events(workflows::Actor::operatorActor(), 1, 500));
  CHECK(log["items"].back()["position"] == before);

  // The failure was not stored as the key's answer: the retry with the same key runs the
  // command for real once the store is back.
  const app::Outcome retried = fixture.run(admin, software_activation(software), "retry-key", "POST activate");
  REQUIRE(std::holds_alternative<app::Reply>(retried));
  const app::Reply& activated = std::get<app::Reply>(retried);
  CHECK(activated.body["status"] == "active");
  fixture.settle(activated.position);
  CHECK(fixture.benefit_view(software)["status"] == "active");
}

TEST_CASE("R-ENG-9 a store that cannot read is never mistaken for a missing resource or token", "[service][faults]") {
  FailingStoreFixture fixture;
  auto [partner, admin] = fixture.register_partner();
  const app::Reply purchase = fixture.ok(admin, workflows::PurchasePackage{partner, "action-pack"});
  const std::string package = purchase.body["packageId"];

  fixture.faults->reads = true;
  CHECK_THROWS_AS(fixture.service->packages(admin, partner, app::Page{}), app::StoreUnavailable);
  CHECK_THROWS_AS(fixture.service->package(admin, package), app::StoreUnavailable);
  CHECK_THROWS_AS(fixture.service->partner(admin, partner), app::StoreUnavailable);
  CHECK_THROWS_AS(fixture.service->authenticate("any-user-token"), app::StoreUnavailable);

  fixture.faults->reads = false;
  CHECK(std::holds_alternative<app::Reply>(fixture.service->package(admin, package)));
  CHECK_FALSE(fixture.service->authenticate("any-user-token"));
}

TEST_CASE("R-ENG-9 over HTTP a store failure is a 503 problem+json and a later retry succeeds", "[service][faults][http]") {
  FailingStoreFixture fixture;
  auto [partner, admin] = fixture.register_partner();
  const app::Reply purchase = fixture.ok(admin, workflows::PurchasePackage{partner, "action-pack"});
  const std::string software = ServiceFixture::benefit_of(purchase.body, "software");

  http::HttpMetrics metrics;
  http::Router router(*fixture.service, metrics);
  const auto send = [&router](http::HttpRequest request) {
    std::promise<http::HttpResponse> answer;
    router.handle(std::move(request), [&answer](http::HttpResponse response) { answer.set_value(std::move(response)); });
    return answer.get_future().get();
  };
  const auto activate = [&software] {
    http::HttpRequest request{"POST", "/v1/benefits/" + software + "/activate", {}, R"({"language":"en-US","os":"x64"})", {}, {}};
    request.headers.emplace_back("Authorization", "Bearer " + std::string(benefitd::testing::kOperatorToken));
    request.headers.emplace_back("Content-Type", "application/json");
    return request;
  };

  fixture.faults->writes = true;
  const http::HttpResponse failed = send(activate());
  CHECK(failed.status == 503);
  CHECK(failed.header("Content-Type") == "application/problem+json");
  const auto problem = nlohmann::json::parse(failed.body);
  CHECK(problem["code"] == "unavailable");
  CHECK(problem["status"] == 503);

  // A failed read is a 503 too, not a 404 for the package nor a 401 for the token.
  fixture.faults->writes = false;
  fixture.faults->reads = true;
  http::HttpRequest package_read{"GET", "/v1/packages/" + purchase.body["packageId"].get<std::string>(), {}, "", {}, {}};
  package_read.headers.emplace_back("Authorization", "Bearer some-user-token");
  const http::HttpResponse unreadable = send(std::move(package_read));
  CHECK(unreadable.status == 503);
  CHECK(nlohmann::json::parse(unreadable.body)["code"] == "unavailable");

  fixture.faults->reads = false;
  const http::HttpResponse retried = send(activate());
  CHECK(retried.status == 200);
  CHECK(nlohmann::json::parse(retried.body)["status"] == "active");
}
