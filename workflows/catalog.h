// The catalog (SPEC section 4): packages, their price and term, the benefits each grants, and
// the fulfilment processing times. It is data: loaded from JSON at start-up and validated in
// full; a bad document is refused with a CatalogError naming the offending field.
// Thread safety: a loaded Catalog is immutable and may be shared by any number of threads.
#pragma once

#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "workflows/names.h"
#include "workflows/time.h"

namespace benefitd::workflows {

class CatalogError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Technical support balances (R-TECH-3).
struct Balances {
  int productSupportIncidents = 0;
  int signatureCloudIncidents = 0;
  int advisoryHours = 0;
  bool operator==(const Balances&) const = default;
};

struct CatalogBenefit {
  Category category = Category::software;
  std::string product;
  std::string kind;  // cloud: usage-based | license-based; go-to-market: the offer name
  int quantity = 1;  // software/license-based cloud: activations per key; visual-studio: seats
  std::vector<std::string> languages;  // software only
  std::vector<std::string> osTypes;    // software only
  Balances balances;                   // technical only
  std::vector<std::string> supportTypes;  // technical only: request types this package offers
};

struct CatalogPackage {
  std::string type;
  std::string price;  // decimal string, two fraction digits
  int termDays = 0;
  std::vector<CatalogBenefit> benefits;
};

/// How long fulfilment takes for one kind of request.
struct ProcessingTime {
  enum class Unit { immediate, days, businessDays };
  Unit unit = Unit::immediate;
  int amount = 0;
  bool immediate() const { return unit == Unit::immediate; }
  /// When a request made at `requestedAt` is expected to complete.
  Time expectedBy(Time requestedAt) const;
};

// Fulfilment kinds: the category names plus the package cancellation service request.
inline constexpr std::string_view kCancellationFulfilment = "cancellation";

class Catalog {
 public:
  /// Validates and loads a catalog document; throws CatalogError naming the bad field.
  static Catalog fromJson(const nlohmann::json& document);
  /// Reads and loads a file; throws CatalogError for unreadable files and bad JSON too.
  static Catalog fromFile(const std::filesystem::path& path);

  /// nullptr for an unknown package type.
  const CatalogPackage* findPackage(std::string_view type) const;
  const std::vector<CatalogPackage>& packages() const { return packages_; }
  /// Processing time for a category's activation or for kCancellationFulfilment.
  const ProcessingTime& processingTime(std::string_view fulfilmentKind) const;
  int goToMarketTermDays() const { return goToMarketTermDays_; }
  /// The document as loaded, for GET /v1/catalog.
  const nlohmann::json& document() const { return document_; }

 private:
  nlohmann::json document_;
  std::vector<CatalogPackage> packages_;
  std::map<std::string, ProcessingTime, std::less<>> processingTimes_;
  int goToMarketTermDays_ = 0;
};

}  // namespace benefitd::workflows
