// SPEC section 6: software keys (R-SW) and cloud services (R-CL).
#include <catch2/catch.hpp>

#include <regex>

#include "world.h"

using namespace benefitd::workflows;
using namespace benefitd::workflows::testing;

TEST_CASE("R-SW-1 get keys activates the benefit and reveals a key for the chosen language and OS",
          "[workflows][software]") {
  Scenario s;
  const std::string packageId = s.purchase("action-pack");
  const std::string windows = s.benefitOf(packageId, Category::software, 0);
  const Decision activated = s.runAs(s.globalAdmin, ActivateBenefit{windows, "ja-JP", "x64", {}});
  REQUIRE(outcome(activated) == "accepted");
  const BenefitView& view = s.benefit(windows);
  CHECK(view.status == "active");
  REQUIRE(view.keys.size() == 1);
  CHECK(std::regex_match(view.keys[0].key, std::regex{"([A-Z0-9]{5}-){4}[A-Z0-9]{5}"}));
  CHECK(view.keys[0].language == "ja-JP");
  CHECK(view.keys[0].os == "x64");
  CHECK(view.keys[0].maxActivations == 2);  // Windows Server Standard x2
  CHECK(view.keys[0].revealedAt == s.now);
  CHECK(activated.result["key"]["key"] == view.keys[0].key);
  CHECK(s.benefit(s.benefitOf(packageId, Category::software, 1)).quantity == 10);
}

TEST_CASE("R-SW-2 the same language and OS give the same key without an event, keys only for R-AUTH-3 roles",
          "[workflows][software]") {
  Scenario s;
  const std::string office = s.benefitOf(s.purchase("action-pack"), Category::software, 1);
  REQUIRE(outcome(s.runAs(s.globalAdmin, ActivateBenefit{office, "en-US", "x86", {}})) == "accepted");
  const std::string first = s.benefit(office).keys[0].key;
  const std::uint64_t version = s.benefit(office).version;

  const Decision same = s.runAs(s.mpnAdmin, RevealKey{office, "en-US", "x86"});
  CHECK(outcome(same) == "accepted");
  CHECK(same.appends.empty());
  CHECK(same.result["key"]["key"] == first);
  CHECK(s.benefit(office).version == version);

  const Decision other = s.runAs(s.mpnAdmin, RevealKey{office, "en-US", "x64"});
  CHECK(eventTypes(other) == std::vector<std::string>{"KeyRevealed"});
  CHECK(other.result["key"]["key"] != first);
  CHECK(s.benefit(office).keys.size() == 2);

  const nlohmann::json shown = toJson(s.benefit(office), KeyVisibility::shown);
  const nlohmann::json hidden = toJson(s.benefit(office), KeyVisibility::hidden);
  CHECK(shown["keys"].size() == 2);
  CHECK(shown["keys"][0]["key"] == first);
  CHECK_FALSE(hidden.contains("keys"));
  CHECK(hidden.dump().find(first) == std::string::npos);
  CHECK(maySeeKeys(s.actor(s.mpnAdmin), s.partnerId));
  CHECK_FALSE(maySeeKeys(s.actor(s.adminAgent), s.partnerId));
  // Keys are asked of active benefits only.
  const std::string windows = s.benefitOf(s.benefit(office).packageId, Category::software, 0);
  const Decision inactive = s.runAs(s.globalAdmin, RevealKey{windows, "en-US", "x64"});
  CHECK(outcome(inactive) == "invalid-transition");
  CHECK(inactive.rejection->extra["currentStatus"] == "purchased");
}

TEST_CASE("R-SW-3 a language or OS the product does not offer is an invalid request", "[workflows][software]") {
  Scenario s;
  const std::string packageId = s.purchase("action-pack");
  const std::string windows = s.benefitOf(packageId, Category::software, 0);
  const std::string office = s.benefitOf(packageId, Category::software, 1);
  CHECK(outcome(s.runAs(s.globalAdmin, ActivateBenefit{windows, "es-ES", "x64", {}})) == "invalid-request");
  CHECK(outcome(s.runAs(s.globalAdmin, ActivateBenefit{windows, "en-US", "x86", {}})) == "invalid-request");  // Windows Server: x64 only
  CHECK(outcome(s.runAs(s.globalAdmin, ActivateBenefit{windows, {}, "x64", {}})) == "invalid-request");
  CHECK(outcome(s.runAs(s.globalAdmin, ActivateBenefit{windows, "en-US", {}, {}})) == "invalid-request");
  CHECK(s.benefit(windows).status == "purchased");
  REQUIRE(outcome(s.runAs(s.globalAdmin, ActivateBenefit{office, "pl-PL", "x86", {}})) == "accepted");  // Office: x86 too
  const Decision badKey = s.runAs(s.globalAdmin, RevealKey{office, "pl-PL", "arm64"});
  CHECK(outcome(badKey) == "invalid-request");
  CHECK(badKey.rejection->extra["errors"][0]["field"] == "os");
}

TEST_CASE("R-CL-1 activating a usage-based subscription assigns the caller as its user", "[workflows][cloud]") {
  Scenario s;
  const std::string azure = s.benefitOf(s.purchase("action-pack"), Category::cloud, 0);
  CHECK(s.benefit(azure).kind == "usage-based");
  CHECK(toJson(s.benefit(azure), KeyVisibility::shown)["assignedUserId"].is_null());
  REQUIRE(outcome(s.runAs(s.mpnAdmin, ActivateBenefit{azure, {}, {}, {}})) == "accepted");
  CHECK(s.benefit(azure).status == "active");
  CHECK(s.benefit(azure).assignedUserId == s.mpnAdmin);
  CHECK(toJson(s.benefit(azure), KeyVisibility::shown)["assignedUserId"] == s.mpnAdmin);
  CHECK(s.benefit(azure).keys.empty());
}

TEST_CASE("R-CL-2 activating a license-based subscription reveals a key for its licenses", "[workflows][cloud]") {
  Scenario s;
  const std::string m365 = s.benefitOf(s.purchase("action-pack"), Category::cloud, 1);
  CHECK(s.benefit(m365).kind == "license-based");
  const Decision activated = s.runAs(s.globalAdmin, ActivateBenefit{m365, {}, {}, {}});
  CHECK(eventTypes(activated) ==
        std::vector<std::string>{"ActivationRequested", "FulfilmentAccepted", "BenefitActivated", "KeyRevealed"});
  REQUIRE(s.benefit(m365).keys.size() == 1);
  CHECK(s.benefit(m365).keys[0].maxActivations == 5);  // Microsoft 365 E3 x5
  CHECK_FALSE(s.benefit(m365).keys[0].language);
  CHECK_FALSE(s.benefit(m365).keys[0].os);
  const Decision again = s.runAs(s.globalAdmin, RevealKey{m365, {}, {}});
  CHECK(again.appends.empty());
  CHECK(again.result["key"]["key"] == s.benefit(m365).keys[0].key);
  CHECK(toJson(s.benefit(m365), KeyVisibility::shown)["keys"][0]["language"].is_null());
}

TEST_CASE("R-SW-1 a malformed generated key is refused as a broken invariant, never stored", "[workflows][software]") {
  Scenario s;
  const std::string windows = s.benefitOf(s.purchase("action-pack"), Category::software, 0);
  struct BadKeys : SequentialIds {
    std::string productKey() override { return "not-a-key"; }
  } ids;
  const Actor admin = s.actor(s.globalAdmin);
  CHECK_THROWS_WITH(decide(ActivateBenefit{windows, "en-US", "x64", {}}, CommandContext{admin, s.now, s.world.catalog(), s.world, ids}),
                    Catch::Contains("malformed product key"));
  CHECK(s.benefit(windows).status == "purchased");
}
