// The views' text, written without a document, against nlohmann's dump() of the same values.

#include <catch2/catch.hpp>

#include <limits>
#include <random>

#include "workflows/json_text.h"
#include "workflows/views.h"

using namespace benefitd::workflows;
using nlohmann::json;

namespace {

Time at(const char* text) { return *parseTime(text); }

// Every ASCII byte, quotes, backslashes and control characters included, and multi-byte UTF-8.
std::string awkwardText(std::mt19937& random) {
  static const std::vector<std::string> kPieces = {"\"", "\\", "/", "\b", "\f", "\n", "\r", "\t",
                                                   std::string(1, '\0'), "\x01", "\x1f", "\x7f",
                                                   "é", "日本", "😀", "plain", " "};
  std::string text;
  const int pieces = static_cast<int>(random() % 6);
  for (int i = 0; i < pieces; ++i) {
    if (random() % 3 == 0) {
      text.push_back(static_cast<char>(random() % 0x80));
    } else {
      text += kPieces[random() % kPieces.size()];
    }
  }
  return text;
}

std::optional<std::string> maybeText(std::mt19937& random) {
  if (random() % 2 == 0) return std::nullopt;
  return awkwardText(random);
}

std::optional<Time> maybeTime(std::mt19937& random) {
  if (random() % 2 == 0) return std::nullopt;
  return at("2026-01-05T09:00:00Z") + std::chrono::seconds(random() % 100'000'000);
}

BenefitView randomBenefit(std::mt19937& random) {
  static const Category kCategories[] = {Category::software, Category::cloud, Category::visualStudio,
                                         Category::technical, Category::goToMarket};
  static const std::string kKinds[] = {"", std::string{kLicenseBased}, std::string{kUsageBased}};
  BenefitView b;
  b.benefitId = awkwardText(random);
  b.partnerId = awkwardText(random);
  b.packageId = awkwardText(random);
  b.category = kCategories[random() % 5];
  b.product = awkwardText(random);
  b.kind = kKinds[random() % 3];
  b.status = awkwardText(random);
  b.purchasedAt = at("2026-01-05T09:00:00Z");
  b.expiresAt = at("2027-01-05T09:00:00Z");
  b.activationRequestedAt = maybeTime(random);
  b.pendingSince = maybeTime(random);
  b.expectedBy = maybeTime(random);
  b.activatedAt = maybeTime(random);
  b.cancelledAt = maybeTime(random);
  b.expiredAt = maybeTime(random);
  b.lastError = maybeText(random);
  b.quantity = static_cast<int>(random() % 2000) - 1000;
  for (int i = static_cast<int>(random() % 3); i > 0; --i) {
    b.keys.push_back({maybeText(random), maybeText(random), awkwardText(random), static_cast<int>(random() % 100),
                      at("2026-02-01T00:00:00Z")});
  }
  b.assignedUserId = maybeText(random);
  for (int i = static_cast<int>(random() % 3); i > 0; --i) {
    b.seats.push_back({awkwardText(random), awkwardText(random), at("2026-03-01T12:30:00Z")});
  }
  b.accessId = maybeText(random);
  b.contractId = maybeText(random);
  b.balances = {static_cast<int>(random() % 10), static_cast<int>(random() % 10), static_cast<int>(random() % 100)};
  b.version = random() % 2 == 0 ? random() : std::numeric_limits<std::uint64_t>::max();
  return b;
}

}  // namespace

TEST_CASE("JSON text escapes strings and writes numbers as dump() does", "[workflows][views]") {
  for (int byte = 0; byte < 0x80; ++byte) {
    const std::string text = "a" + std::string(1, static_cast<char>(byte)) + "b";
    JsonText out;
    out.value(text);
    CHECK(out.take() == json(text).dump());
  }
  for (const std::string text : {"", "é日本😀", "\"\\\"", "\x7f"}) {
    JsonText out;
    out.value(text);
    CHECK(out.take() == json(text).dump());
  }
  JsonText out;
  out.beginArray();
  out.value(std::numeric_limits<std::int64_t>::min());
  out.value(std::numeric_limits<std::int64_t>::max());
  out.value(std::numeric_limits<std::uint64_t>::max());
  out.value(0);
  out.null();
  out.beginObject();
  out.endObject();
  out.beginArray();
  out.endArray();
  out.beginObject();
  out.key("k\n");
  out.beginArray();
  out.value("v");
  out.endArray();
  out.key("n");
  out.null();
  out.endObject();
  out.endArray();
  const json expected = {std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(),
                         std::numeric_limits<std::uint64_t>::max(), 0, nullptr, json::object(), json::array(),
                         json{{"k\n", {"v"}}, {"n", nullptr}}};
  CHECK(out.take() == expected.dump());
}

TEST_CASE("views written as text are dump() of their documents, byte for byte", "[workflows][views]") {
  // The stored views and the replies must agree, and views written before the text writer
  // existed must read the same as a rebuild's.
  std::mt19937 random(20261124);
  for (int i = 0; i < 2000; ++i) {
    const BenefitView benefit = randomBenefit(random);
    for (const KeyVisibility keys : {KeyVisibility::shown, KeyVisibility::hidden}) {
      INFO("benefit " << i);
      REQUIRE(toJsonText(benefit, keys) == toJson(benefit, keys).dump());
    }

    PackageView package;
    package.packageId = awkwardText(random);
    package.partnerId = awkwardText(random);
    package.type = awkwardText(random);
    package.status = awkwardText(random);
    package.price = awkwardText(random);
    package.termDays = static_cast<int>(random() % 1000);
    package.purchasedAt = at("2026-01-05T09:00:00Z");
    package.termStartedAt = at("2026-02-05T10:00:00Z");
    package.term = static_cast<int>(1 + random() % 5);
    package.expiresAt = at("2027-01-05T09:00:00Z");
    for (int j = static_cast<int>(random() % 4); j > 0; --j) package.benefitIds.push_back(awkwardText(random));
    if (random() % 2 == 0) package.refund = RefundView{awkwardText(random), at("2026-01-20T00:00:00Z")};
    package.version = random();
    REQUIRE(toJsonText(package) == toJson(package).dump());

    PartnerView partner;
    partner.partnerId = awkwardText(random);
    partner.name = awkwardText(random);
    partner.accountEmail = awkwardText(random);
    partner.membershipLocation = awkwardText(random);
    if (random() % 2 == 0) {
      partner.marketingContact =
          MarketingContactView{awkwardText(random), awkwardText(random), awkwardText(random), awkwardText(random)};
    }
    partner.version = random();
    REQUIRE(toJsonText(partner) == toJson(partner).dump());

    UserView user{awkwardText(random), awkwardText(random), awkwardText(random), {}};
    for (int j = static_cast<int>(random() % 3); j > 0; --j) user.roles.push_back(random() % 2 ? Role::globalAdmin : Role::adminAgent);
    REQUIRE(toJsonText(user) == toJson(user).dump());
  }
}

TEST_CASE("a technical benefit's view has the contract's members and no others", "[workflows][views]") {
  BenefitView b;
  b.benefitId = "B1";
  b.partnerId = "P1";
  b.packageId = "K1";
  b.category = Category::technical;
  b.product = "Signature support";
  b.status = "active";
  b.purchasedAt = at("2026-01-05T09:00:00Z");
  b.expiresAt = at("2027-01-05T09:00:00Z");
  b.activatedAt = at("2026-01-07T09:00:00Z");
  b.quantity = 1;
  b.accessId = "A-1";
  b.balances = {3, 2, 10};
  b.keys.push_back({"en", "windows", "must not show", 5, at("2026-01-07T09:00:00Z")});
  b.version = 4;
  const json expected = {
      {"accessId", "A-1"},        {"activatedAt", "2026-01-07T09:00:00Z"},
      {"activationRequestedAt", nullptr},
      {"balances", {{"advisoryHours", 10}, {"productSupportIncidents", 3}, {"signatureCloudIncidents", 2}}},
      {"benefitId", "B1"},        {"cancelledAt", nullptr},
      {"category", "technical"},  {"contractId", nullptr},
      {"expectedBy", nullptr},    {"expiredAt", nullptr},
      {"expiresAt", "2027-01-05T09:00:00Z"},
      {"kind", nullptr},          {"lastError", nullptr},
      {"packageId", "K1"},        {"partnerId", "P1"},
      {"pendingSince", nullptr},  {"product", "Signature support"},
      {"purchasedAt", "2026-01-05T09:00:00Z"},
      {"quantity", 1},            {"status", "active"},
      {"version", 4}};
  CHECK(json::parse(toJsonText(b, KeyVisibility::shown)) == expected);
}
