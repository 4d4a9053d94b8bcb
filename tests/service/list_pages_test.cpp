// Lists the contract promises: every list answers pages of ?limit= items with a nextCursor that
// leads through the rest, and refuses a cursor it could not have given (API.md "Lists").
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "service_fixture.h"

using namespace benefitd;
using benefitd::testing::ServiceFixture;

namespace {

/// Every item's `field`, page by page of `limit`; checks each page's size on the way.
std::vector<std::string> walk(ServiceFixture& fixture, std::size_t limit, const std::string& field,
                              const std::function<app::Outcome(const app::Page&)>& list) {
  std::vector<std::string> seen;
  app::Page page;
  page.limit = limit;
  for (int pages = 0; pages < 100; ++pages) {
    const nlohmann::json body = fixture.body(list(page));
    CHECK(body["items"].size() <= limit);
    for (const auto& item : body["items"]) seen.push_back(item[field]);
    if (body["nextCursor"].is_null()) return seen;
    CHECK(body["items"].size() == limit);
    page.cursor = body["nextCursor"];
  }
  FAIL("the cursors do not end");
  return seen;
}

void check_refuses_cursor(const app::Outcome& outcome) {
  REQUIRE(std::holds_alternative<app::Problem>(outcome));
  CHECK(std::get<app::Problem>(outcome).code == "invalid-request");
}

}  // namespace

TEST_CASE("Lists the contract promises: expirations and the fulfilment queue page by limit and cursor",
          "[service][lists]") {
  ServiceFixture fixture(app::FulfilmentMode::external);
  auto [partner, admin] = fixture.register_partner();
  const workflows::Actor op = workflows::Actor::operatorActor();
  std::size_t granted = 0;
  for (int i = 0; i < 2; ++i) {
    const app::Reply purchase = fixture.ok(admin, workflows::PurchasePackage{partner, "gold-competency"});
    granted += purchase.body["benefits"].size();
    const std::string technical = ServiceFixture::benefit_of(purchase.body, "technical");
    fixture.ok(admin, workflows::ActivateBenefit{technical, std::nullopt, std::nullopt, std::nullopt});
    fixture.advance(std::chrono::seconds(60));  // distinct request times
  }
  const std::int64_t two_years = 2 * 366 * 24 * 3600;

  SECTION("expirations") {
    app::Page one;
    one.limit = 1;
    const nlohmann::json first = fixture.body(fixture.service->expirations(admin, partner, two_years, one));
    CHECK(first["items"].size() == 1);
    CHECK(first["nextCursor"].is_string());
    const auto all = walk(fixture, 3, "benefitId", [&](const app::Page& page) {
      return fixture.service->expirations(admin, partner, two_years, page);
    });
    CHECK(all.size() == granted);
    CHECK(std::set<std::string>(all.begin(), all.end()).size() == granted);
    CHECK(all == walk(fixture, 500, "benefitId", [&](const app::Page& page) {
      return fixture.service->expirations(admin, partner, two_years, page);
    }));
    for (const char* cursor : {"abc", "00000000000000000001", "1/B-x", "00000000000000000001/", "00000000000000000001/a/b"}) {
      CAPTURE(cursor);
      app::Page bad;
      bad.cursor = cursor;
      check_refuses_cursor(fixture.service->expirations(admin, partner, two_years, bad));
    }
  }
  SECTION("the fulfilment queue") {
    app::Page one;
    one.limit = 1;
    const nlohmann::json first = fixture.body(fixture.service->fulfilment_requests(op, "open", one));
    CHECK(first["items"].size() == 1);
    REQUIRE(first["nextCursor"].is_string());
    one.cursor = first["nextCursor"];
    const nlohmann::json second = fixture.body(fixture.service->fulfilment_requests(op, "open", one));
    CHECK(second["items"].size() == 1);
    CHECK(second["items"][0]["requestId"] != first["items"][0]["requestId"]);
    CHECK(second["items"][0]["requestedAt"] > first["items"][0]["requestedAt"]);
    CHECK(second["nextCursor"].is_null());
    for (const char* cursor : {"abc", "2026-01-05T09:00:00Z", "yesterday/R-1", "2026-01-05T09:00:00Z/"}) {
      CAPTURE(cursor);
      app::Page bad;
      bad.cursor = cursor;
      check_refuses_cursor(fixture.service->fulfilment_requests(op, std::nullopt, bad));
    }
  }
  SECTION("lists ordered by id refuse a cursor that is no id") {
    app::Page bad;
    bad.cursor = "P-1/../x";
    check_refuses_cursor(fixture.service->users(admin, partner, bad));
    check_refuses_cursor(fixture.service->packages(admin, partner, bad));
    check_refuses_cursor(fixture.service->benefits(admin, partner, app::BenefitFilter{}, bad));
    const auto benefits = walk(fixture, 4, "benefitId", [&](const app::Page& page) {
      return fixture.service->benefits(admin, partner, app::BenefitFilter{}, page);
    });
    CHECK(benefits.size() == granted);
  }
}

TEST_CASE("Lists the contract promises: a filtered list of benefits examines a bounded number per page, and its "
          "cursors still lead to every benefit that passes",
          "[service][lists]") {
  ServiceFixture fixture(app::FulfilmentMode::external);
  auto [partner, admin] = fixture.register_partner();
  // More benefits than one page examines, of which one technical benefit is asked for at the end.
  const std::size_t packages = app::kBenefitsExaminedPerPage / 8 + 2;
  std::string requested;
  for (std::size_t i = 0; i < packages; ++i) {
    const app::Reply purchase = fixture.ok(admin, workflows::PurchasePackage{partner, "gold-competency"});
    if (i + 1 == packages) requested = ServiceFixture::benefit_of(purchase.body, "technical");
  }
  fixture.ok(admin, workflows::ActivateBenefit{requested, std::nullopt, std::nullopt, std::nullopt});
  const std::size_t benefits = packages * 8;
  REQUIRE(benefits > app::kBenefitsExaminedPerPage);

  const auto list = [&](const app::BenefitFilter& filter, const app::Page& page) {
    return fixture.body(fixture.service->benefits(admin, partner, filter, page));
  };
  {  // a filter almost none pass: short pages, one for every page's worth examined
    app::BenefitFilter asked;
    asked.status = "activation-requested";
    std::vector<std::string> found;
    std::size_t pages = 0;
    app::Page page;
    page.limit = 500;
    for (nlohmann::json body = list(asked, page);; body = list(asked, page)) {
      ++pages;
      REQUIRE(pages <= benefits / app::kBenefitsExaminedPerPage + 1);
      for (const auto& item : body["items"]) found.push_back(item["benefitId"]);
      if (body["nextCursor"].is_null()) break;
      page.cursor = body["nextCursor"];
    }
    CHECK(found == std::vector<std::string>{requested});
    CHECK(pages == (benefits + app::kBenefitsExaminedPerPage - 1) / app::kBenefitsExaminedPerPage);
  }
  {  // a page that examines the partner's last benefit at the bound: no cursor to an empty page
    app::Page first;
    first.limit = benefits - app::kBenefitsExaminedPerPage;
    const std::string before = list(app::BenefitFilter{}, first)["nextCursor"];
    app::BenefitFilter asked;
    asked.status = "activation-requested";
    app::Page page;
    page.cursor = before;
    const nlohmann::json body = list(asked, page);
    CHECK(body["nextCursor"].is_null());
    CHECK(body["items"].size() == (requested > before ? 1U : 0U));
  }
  {  // a filter many pass: every one of them, in benefitId order, none twice
    app::BenefitFilter software;
    software.category = "software";
    std::vector<std::string> found;
    app::Page page;
    page.limit = 100;
    for (int pages = 0;; ++pages) {
      REQUIRE(pages < 100);
      const nlohmann::json body = list(software, page);
      CHECK(body["items"].size() <= page.limit);
      for (const auto& item : body["items"]) {
        CHECK(item["category"] == "software");
        found.push_back(item["benefitId"]);
      }
      if (body["nextCursor"].is_null()) break;
      page.cursor = body["nextCursor"];
    }
    CHECK(found.size() == packages * 2);  // a gold package has two software benefits
    CHECK(std::is_sorted(found.begin(), found.end()));
    CHECK(std::set<std::string>(found.begin(), found.end()).size() == found.size());
  }
  {  // no filter: full pages, as before
    app::Page page;
    page.limit = 500;
    const nlohmann::json first = list(app::BenefitFilter{}, page);
    CHECK(first["items"].size() == 500);
    CHECK(first["nextCursor"] == first["items"][499]["benefitId"]);
  }
}
