#include <catch2/catch.hpp>

#include "support/temp_dir.h"

#include <fstream>

#include "workflows/catalog.h"

using namespace benefitd::workflows;
using nlohmann::json;

namespace {

json shippedDocument() {
  std::ifstream in{BENEFITD_CATALOG_SOURCE_PATH};
  return json::parse(in);
}

std::string errorFor(const json& document) {
  try {
    Catalog::fromJson(document);
  } catch (const CatalogError& error) {
    return error.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("the shipped catalog matches SPEC section 4", "[workflows][catalog]") {
  const Catalog catalog = Catalog::fromFile(BENEFITD_CATALOG_SOURCE_PATH);
  REQUIRE(catalog.packages().size() == 3);
  const CatalogPackage* actionPack = catalog.findPackage("action-pack");
  REQUIRE(actionPack);
  CHECK(actionPack->price == "530.00");
  CHECK(actionPack->termDays == 365);
  REQUIRE(actionPack->benefits.size() == 6);
  CHECK(actionPack->benefits[0].product == "Windows Server Standard");
  CHECK(actionPack->benefits[0].quantity == 2);
  CHECK(actionPack->benefits[0].osTypes == std::vector<std::string>{"x64"});
  CHECK(actionPack->benefits[1].osTypes == std::vector<std::string>{"x86", "x64"});
  CHECK(actionPack->benefits[1].languages == std::vector<std::string>{"en-US", "de-DE", "fr-FR", "ja-JP", "pl-PL"});
  CHECK(actionPack->benefits[4].quantity == 3);
  CHECK(actionPack->benefits[5].balances == Balances{10, 0, 5});
  const CatalogPackage* gold = catalog.findPackage("gold-competency");
  REQUIRE(gold);
  CHECK(gold->price == "4730.00");
  CHECK(gold->benefits.size() == 8);
  CHECK(gold->benefits[7].kind == "ISV Co-sell ready");
  CHECK(catalog.findPackage("platinum") == nullptr);
  CHECK(catalog.goToMarketTermDays() == 365);
  CHECK(catalog.processingTime("technical").unit == ProcessingTime::Unit::businessDays);
  CHECK(catalog.processingTime("technical").amount == 3);
  CHECK(catalog.processingTime("go-to-market").unit == ProcessingTime::Unit::days);
  CHECK(catalog.processingTime("cancellation").amount == 2);
  CHECK(catalog.processingTime("software").immediate());
}

TEST_CASE("a bad catalog is refused with an error naming the field", "[workflows][catalog]") {
  json document = shippedDocument();
  SECTION("negative quantity") {
    document["packages"][1]["benefits"][2]["quantity"] = -1;
    CHECK_THAT(errorFor(document), Catch::Contains("packages[1].benefits[2].quantity"));
  }
  SECTION("price not a decimal string") {
    document["packages"][0]["price"] = "530";
    CHECK_THAT(errorFor(document), Catch::Contains("packages[0].price"));
  }
  SECTION("unknown category") {
    document["packages"][0]["benefits"][0]["category"] = "hardware";
    CHECK_THAT(errorFor(document), Catch::Contains("packages[0].benefits[0].category"));
  }
  SECTION("missing processing time") {
    document["fulfilment"].erase("technical");
    CHECK_THAT(errorFor(document), Catch::Contains("fulfilment.technical"));
  }
  SECTION("duplicate package type") {
    document["packages"][2]["type"] = "action-pack";
    CHECK_THAT(errorFor(document), Catch::Contains("packages[2].type"));
  }
  SECTION("software without languages") {
    document["packages"][0]["benefits"][1].erase("languages");
    CHECK_THAT(errorFor(document), Catch::Contains("packages[0].benefits[1].languages"));
  }
  SECTION("unknown support request type") {
    document["packages"][0]["benefits"][5]["supportTypes"][0] = "phone";
    CHECK_THAT(errorFor(document), Catch::Contains("packages[0].benefits[5].supportTypes[0]"));
  }
}

TEST_CASE("another catalog file can replace the default", "[workflows][catalog]") {
  json document = shippedDocument();
  document["packages"][0]["price"] = "99.00";
  const benefitd::testing::TempDir dir;
  const std::string path = (dir.path() / "catalog.json").string();
  std::ofstream{path} << document.dump();
  CHECK(Catalog::fromFile(path).findPackage("action-pack")->price == "99.00");
  CHECK_THROWS_AS(Catalog::fromFile("does-not-exist.json"), CatalogError);
}
