// The views people poll (API.md "Resources"): plain structs kept up to date by applying
// events, rendered to JSON with the contract's field names. Status strings are the state
// machines' state names, never their numeric ids.
// Thread safety: plain values; rendering is a pure function.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "workflows/catalog.h"
#include "workflows/names.h"
#include "workflows/time.h"

namespace benefitd::workflows {

struct KeyView {
  std::optional<std::string> language, os;  // absent for license-based cloud keys
  std::string key;
  int maxActivations = 0;
  Time revealedAt;

  bool operator==(const KeyView&) const = default;
};

struct SeatView {
  std::string seatId, userId;
  Time assignedAt;
  /// R-VS-2: the seat can move to another user from this moment on.
  Time reassignableAt() const;

  bool operator==(const SeatView&) const = default;
};

struct BenefitView {
  std::string benefitId, partnerId, packageId, packageType;
  Category category = Category::software;
  std::string product, kind;
  std::string status;
  Time purchasedAt, expiresAt;
  std::optional<Time> activationRequestedAt, pendingSince, expectedBy, activatedAt, cancelledAt, expiredAt;
  std::optional<std::string> lastError;
  int quantity = 0;
  std::vector<KeyView> keys;
  std::optional<std::string> assignedUserId;  // usage-based cloud
  std::vector<SeatView> seats;                // visual-studio
  std::optional<std::string> accessId, contractId;  // technical
  Balances balances;                                // technical
  // Catalog data copied at grant time: what activation and support requests may ask for.
  std::vector<std::string> languages, osTypes, supportTypes;
  std::optional<std::string> openRequestId;  // the fulfilment request in flight
  std::uint64_t version = 0;

  bool terminal() const { return status == "expired" || status == "cancelled"; }
  const KeyView* findKey(const std::optional<std::string>& language, const std::optional<std::string>& os) const;
  const SeatView* findSeatOf(std::string_view userId) const;
  const SeatView* findSeat(std::string_view seatId) const;

  bool operator==(const BenefitView&) const = default;
};

struct RefundView {
  std::string amount;
  Time issuedAt;

  bool operator==(const RefundView&) const = default;
};

struct PackageView {
  std::string packageId, partnerId, type, status, price;
  int termDays = 0;
  Time purchasedAt, termStartedAt, expiresAt;
  std::vector<std::string> benefitIds;             // every term's benefits, in grant order
  std::vector<std::string> currentTermBenefitIds;  // the benefits of the running term
  int term = 0;  // the running term: 1 from the purchase, one more per renewal
  std::optional<RefundView> refund;
  std::optional<std::string> cancellationRequestId;
  std::uint64_t version = 0;

  /// R-PKG-2: the last moment a cancellation with refund may be requested.
  Time refundableUntil() const;
  /// R-PKG-5: renewal is open from expiresAt to this moment; the package lapses at it.
  Time renewalWindowEndsAt() const;

  bool operator==(const PackageView&) const = default;
};

struct UserView {
  std::string userId, email, displayName;
  std::vector<Role> roles;
  /// R-AUTH-10: how many times the token was replaced; only a token of this generation is
  /// accepted. Never rendered.
  int tokenGeneration = 0;

  bool operator==(const UserView&) const = default;
};

struct MarketingContactView {
  std::string userId, email, phone, preferredLanguage;

  bool operator==(const MarketingContactView&) const = default;
};

struct PartnerView {
  std::string partnerId, name, accountEmail;
  std::string membershipLocation;  // the partner machine's state: "pmc" or "partner-center"
  std::vector<UserView> users;
  std::optional<MarketingContactView> marketingContact;
  std::uint64_t version = 0;

  bool inPmc() const { return membershipLocation == "pmc"; }
  const UserView* findUser(std::string_view userId) const;
  /// R-AUTH-10: the last global admin cannot be removed.
  std::size_t globalAdminCount() const;

  bool operator==(const PartnerView&) const = default;
};

enum class KeyVisibility { shown, hidden };

nlohmann::json toJson(const BenefitView& benefit, KeyVisibility keys);
nlohmann::json toJson(const PackageView& package);
nlohmann::json toJson(const PartnerView& partner);
nlohmann::json toJson(const UserView& user);

/// The same as toJson(...).dump(), written without building the document.
std::string toJsonText(const BenefitView& benefit, KeyVisibility keys);
std::string toJsonText(const PackageView& package);
std::string toJsonText(const PartnerView& partner);
std::string toJsonText(const UserView& user);

}  // namespace benefitd::workflows
