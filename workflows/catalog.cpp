#include "workflows/catalog.h"

#include <fstream>
#include <regex>
#include <set>

namespace benefitd::workflows {

namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& path, const std::string& problem) {
  throw CatalogError("catalog: " + path + ": " + problem);
}

const json& member(const json& object, const std::string& path, const char* name) {
  const auto it = object.find(name);
  if (it == object.end()) fail(path.empty() ? name : path + "." + name, "missing");
  return *it;
}

std::string stringAt(const json& object, const std::string& path, const char* name) {
  const json& value = member(object, path, name);
  if (!value.is_string() || value.get_ref<const std::string&>().empty())
    fail(path + "." + name, "must be a non-empty string");
  return value.get<std::string>();
}

int positiveIntAt(const json& object, const std::string& path, const char* name, bool zeroAllowed = false) {
  const json& value = member(object, path, name);
  if (!value.is_number_integer() || value.get<long long>() < (zeroAllowed ? 0 : 1) || value.get<long long>() > 100000)
    fail(path + "." + name, zeroAllowed ? "must be an integer >= 0" : "must be an integer >= 1");
  return value.get<int>();
}

std::vector<std::string> stringListAt(const json& object, const std::string& path, const char* name) {
  const json& value = member(object, path, name);
  const std::string where = path + "." + name;
  if (!value.is_array() || value.empty()) fail(where, "must be a non-empty array of strings");
  std::vector<std::string> items;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (!value[i].is_string() || value[i].get_ref<const std::string&>().empty())
      fail(where + "[" + std::to_string(i) + "]", "must be a non-empty string");
    if (!seen.insert(value[i].get<std::string>()).second)
      fail(where + "[" + std::to_string(i) + "]", "duplicate value");
    items.push_back(value[i].get<std::string>());
  }
  return items;
}

CatalogBenefit loadBenefit(const json& object, const std::string& path) {
  if (!object.is_object()) fail(path, "must be an object");
  CatalogBenefit benefit;
  const std::string categoryText = stringAt(object, path, "category");
  const auto category = parseCategory(categoryText);
  if (!category) fail(path + ".category", "unknown category '" + categoryText + "'");
  benefit.category = *category;
  benefit.product = stringAt(object, path, "product");
  benefit.quantity = positiveIntAt(object, path, "quantity");
  switch (benefit.category) {
    case Category::software:
      benefit.languages = stringListAt(object, path, "languages");
      benefit.osTypes = stringListAt(object, path, "osTypes");
      break;
    case Category::cloud:
      benefit.kind = stringAt(object, path, "kind");
      if (benefit.kind != kUsageBased && benefit.kind != kLicenseBased)
        fail(path + ".kind", "must be usage-based or license-based");
      break;
    case Category::visualStudio:
      break;
    case Category::technical: {
      const json& balances = member(object, path, "balances");
      const std::string where = path + ".balances";
      if (!balances.is_object()) fail(where, "must be an object");
      benefit.balances.productSupportIncidents = positiveIntAt(balances, where, "productSupportIncidents", true);
      benefit.balances.signatureCloudIncidents = positiveIntAt(balances, where, "signatureCloudIncidents", true);
      benefit.balances.advisoryHours = positiveIntAt(balances, where, "advisoryHours", true);
      benefit.supportTypes = stringListAt(object, path, "supportTypes");
      for (std::size_t i = 0; i < benefit.supportTypes.size(); ++i) {
        const std::string& type = benefit.supportTypes[i];
        if (type != kSignatureCloud && type != kProductSupport && type != kPresalesDeployment)
          fail(path + ".supportTypes[" + std::to_string(i) + "]", "unknown support request type '" + type + "'");
      }
      break;
    }
    case Category::goToMarket:
      benefit.kind = stringAt(object, path, "kind");
      break;
  }
  return benefit;
}

CatalogPackage loadPackage(const json& object, const std::string& path) {
  if (!object.is_object()) fail(path, "must be an object");
  CatalogPackage package;
  package.type = stringAt(object, path, "type");
  package.price = stringAt(object, path, "price");
  static const std::regex kMoney{R"(\d{1,9}\.\d{2})"};
  if (!std::regex_match(package.price, kMoney)) fail(path + ".price", "must be a decimal string such as \"530.00\"");
  package.termDays = positiveIntAt(object, path, "termDays");
  const json& benefits = member(object, path, "benefits");
  if (!benefits.is_array() || benefits.empty()) fail(path + ".benefits", "must be a non-empty array");
  for (std::size_t i = 0; i < benefits.size(); ++i)
    package.benefits.push_back(loadBenefit(benefits[i], path + ".benefits[" + std::to_string(i) + "]"));
  return package;
}

ProcessingTime loadProcessingTime(const json& object, const std::string& path) {
  if (!object.is_object()) fail(path, "must be an object");
  const std::string unit = stringAt(object, path, "unit");
  ProcessingTime time;
  if (unit == "immediate") return time;
  if (unit == "days")
    time.unit = ProcessingTime::Unit::days;
  else if (unit == "business-days")
    time.unit = ProcessingTime::Unit::businessDays;
  else
    fail(path + ".unit", "must be immediate, days or business-days");
  time.amount = positiveIntAt(object, path, "amount");
  return time;
}

}  // namespace

Time ProcessingTime::expectedBy(Time requestedAt) const {
  switch (unit) {
    case Unit::immediate: return requestedAt;
    case Unit::days: return requestedAt + days{amount};
    case Unit::businessDays: return addBusinessDays(requestedAt, amount);
  }
  return requestedAt;
}

Catalog Catalog::fromJson(const json& document) {
  if (!document.is_object()) fail("(document)", "must be a JSON object");
  const json& version = member(document, "", "schemaVersion");
  if (!version.is_number_integer() || version.get<long long>() != 1) fail("schemaVersion", "must be 1");
  Catalog catalog;
  catalog.document_ = document;
  catalog.goToMarketTermDays_ = positiveIntAt(document, "", "goToMarketTermDays");

  const json& fulfilment = member(document, "", "fulfilment");
  if (!fulfilment.is_object()) fail("fulfilment", "must be an object");
  for (const std::string_view kind : {"software", "cloud", "visual-studio", "technical", "go-to-market", "cancellation"}) {
    const std::string name{kind};
    catalog.processingTimes_[name] = loadProcessingTime(member(fulfilment, "fulfilment", name.c_str()), "fulfilment." + name);
  }

  const json& packages = member(document, "", "packages");
  if (!packages.is_array() || packages.empty()) fail("packages", "must be a non-empty array");
  std::set<std::string> types;
  for (std::size_t i = 0; i < packages.size(); ++i) {
    const std::string path = "packages[" + std::to_string(i) + "]";
    catalog.packages_.push_back(loadPackage(packages[i], path));
    if (!types.insert(catalog.packages_.back().type).second) fail(path + ".type", "duplicate package type");
  }
  return catalog;
}

Catalog Catalog::fromFile(const std::filesystem::path& path) {
  std::ifstream in{path};
  if (!in) throw CatalogError("catalog: cannot read " + path.string());
  json document;
  try {
    document = json::parse(in);
  } catch (const json::parse_error& error) {
    throw CatalogError("catalog: " + path.string() + " is not valid JSON: " + error.what());
  }
  return fromJson(document);
}

const CatalogPackage* Catalog::findPackage(std::string_view type) const {
  for (const CatalogPackage& package : packages_)
    if (package.type == type) return &package;
  return nullptr;
}

const ProcessingTime& Catalog::processingTime(std::string_view fulfilmentKind) const {
  const auto it = processingTimes_.find(fulfilmentKind);
  if (it == processingTimes_.end()) throw std::out_of_range("no processing time for " + std::string{fulfilmentKind});
  return it->second;
}

}  // namespace benefitd::workflows
