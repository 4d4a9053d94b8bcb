// Domain events: the facts appended to the streams `partner-<id>`, `package-<id>` and
// `benefit-<id>`. Type names are part of the HTTP contract (API.md). Each event lists its data
// fields once, in `fields`, which the JSON codec (event_codec.h) uses in both directions.
// Every event carries the times the views need, so replay never depends on envelope metadata.
// Events never carry tokens (R-AUTH-9).
// Thread safety: plain values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "workflows/catalog.h"
#include "workflows/names.h"
#include "workflows/time.h"

namespace benefitd::workflows {

#define BENEFITD_EVENT(Name, Version)                   \
  static constexpr std::string_view kType = #Name;     \
  static constexpr int kSchemaVersion = Version;       \
  bool operator==(const Name&) const = default

// ---- partner stream ----

struct PartnerRegistered {
  BENEFITD_EVENT(PartnerRegistered, 1);
  std::string partnerId, name, accountEmail;
  MembershipLocation membershipLocation = MembershipLocation::partnerCenter;
  Time registeredAt;
  static void fields(auto& e, auto&& f) {
    f("partnerId", e.partnerId); f("name", e.name); f("accountEmail", e.accountEmail);
    f("membershipLocation", e.membershipLocation); f("registeredAt", e.registeredAt);
  }
};

struct PartnerMigrated {
  BENEFITD_EVENT(PartnerMigrated, 1);
  std::string partnerId;
  Time migratedAt;
  static void fields(auto& e, auto&& f) { f("partnerId", e.partnerId); f("migratedAt", e.migratedAt); }
};

struct UserAdded {
  BENEFITD_EVENT(UserAdded, 1);
  std::string partnerId, userId, email, displayName;
  std::vector<Role> roles;
  Time addedAt;
  static void fields(auto& e, auto&& f) {
    f("partnerId", e.partnerId); f("userId", e.userId); f("email", e.email);
    f("displayName", e.displayName); f("roles", e.roles); f("addedAt", e.addedAt);
  }
};

struct UserRolesChanged {
  BENEFITD_EVENT(UserRolesChanged, 1);
  std::string partnerId, userId;
  std::vector<Role> previousRoles, roles;
  Time changedAt;
  static void fields(auto& e, auto&& f) {
    f("partnerId", e.partnerId); f("userId", e.userId); f("previousRoles", e.previousRoles);
    f("roles", e.roles); f("changedAt", e.changedAt);
  }
};

/// R-AUTH-10: the user's token was replaced; tokens issued before are refused. The token itself
/// is never in the log (R-AUTH-9): the credentials table holds its hash with `generation`.
struct UserTokenRotated {
  BENEFITD_EVENT(UserTokenRotated, 1);
  std::string partnerId, userId;
  int generation = 0;  // how many times the user's token has been replaced, this one included
  Time rotatedAt;
  static void fields(auto& e, auto&& f) {
    f("partnerId", e.partnerId); f("userId", e.userId); f("generation", e.generation); f("rotatedAt", e.rotatedAt);
  }
};

/// R-AUTH-10: the user is no longer a user of the partner; its token is refused. The seats it
/// held are released by SeatReleased events in the same write.
struct UserRemoved {
  BENEFITD_EVENT(UserRemoved, 1);
  std::string partnerId, userId;
  Time removedAt;
  static void fields(auto& e, auto&& f) { f("partnerId", e.partnerId); f("userId", e.userId); f("removedAt", e.removedAt); }
};

struct MarketingContactAssigned {
  BENEFITD_EVENT(MarketingContactAssigned, 1);
  std::string partnerId, userId, email, phone, preferredLanguage;
  Time assignedAt;
  static void fields(auto& e, auto&& f) {
    f("partnerId", e.partnerId); f("userId", e.userId); f("email", e.email); f("phone", e.phone);
    f("preferredLanguage", e.preferredLanguage); f("assignedAt", e.assignedAt);
  }
};

// ---- package stream ----

struct PackagePurchased {
  BENEFITD_EVENT(PackagePurchased, 1);
  std::string packageId, partnerId, type, price;
  int termDays = 0;
  Time purchasedAt, expiresAt;
  std::vector<std::string> benefitIds;
  static void fields(auto& e, auto&& f) {
    f("packageId", e.packageId); f("partnerId", e.partnerId); f("type", e.type); f("price", e.price);
    f("termDays", e.termDays); f("purchasedAt", e.purchasedAt); f("expiresAt", e.expiresAt);
    f("benefitIds", e.benefitIds);
  }
};

struct CancellationRequested {
  BENEFITD_EVENT(CancellationRequested, 1);
  std::string packageId, requestId, reason;
  Time requestedAt, expectedBy;
  static void fields(auto& e, auto&& f) {
    f("packageId", e.packageId); f("requestId", e.requestId); f("reason", e.reason);
    f("requestedAt", e.requestedAt); f("expectedBy", e.expectedBy);
  }
};

struct PackageCancelled {
  BENEFITD_EVENT(PackageCancelled, 1);
  std::string packageId, requestId;
  Time cancelledAt;
  static void fields(auto& e, auto&& f) { f("packageId", e.packageId); f("requestId", e.requestId); f("cancelledAt", e.cancelledAt); }
};

struct RefundIssued {
  BENEFITD_EVENT(RefundIssued, 1);
  std::string packageId, amount;
  Time issuedAt;
  static void fields(auto& e, auto&& f) { f("packageId", e.packageId); f("amount", e.amount); f("issuedAt", e.issuedAt); }
};

struct PackageExpired {
  BENEFITD_EVENT(PackageExpired, 1);
  std::string packageId;
  Time expiredAt;
  static void fields(auto& e, auto&& f) { f("packageId", e.packageId); f("expiredAt", e.expiredAt); }
};

struct PackageRenewed {
  BENEFITD_EVENT(PackageRenewed, 1);
  std::string packageId;
  Time renewedAt, expiresAt;
  std::vector<std::string> benefitIds;  // the new term's benefits
  // The new term's price (R-PKG-6: its refund); absent in renewals recorded before it was kept,
  // whose price is the package's.
  std::optional<std::string> price;
  static void fields(auto& e, auto&& f) {
    f("packageId", e.packageId); f("renewedAt", e.renewedAt); f("expiresAt", e.expiresAt); f("benefitIds", e.benefitIds);
    f("price", e.price);
  }
};

struct PackageLapsed {
  BENEFITD_EVENT(PackageLapsed, 1);
  std::string packageId;
  Time lapsedAt;
  static void fields(auto& e, auto&& f) { f("packageId", e.packageId); f("lapsedAt", e.lapsedAt); }
};

// ---- benefit stream ----

/// The catalog entry is copied into the event so a later catalog change never alters history.
struct BenefitGranted {
  BENEFITD_EVENT(BenefitGranted, 1);
  std::string benefitId, partnerId, packageId, packageType;
  Category category = Category::software;
  std::string product, kind;
  int quantity = 0;
  std::vector<std::string> languages, osTypes, supportTypes;
  Balances balances;
  Time grantedAt, expiresAt;
  static void fields(auto& e, auto&& f) {
    f("benefitId", e.benefitId); f("partnerId", e.partnerId); f("packageId", e.packageId);
    f("packageType", e.packageType); f("category", e.category); f("product", e.product); f("kind", e.kind);
    f("quantity", e.quantity); f("languages", e.languages); f("osTypes", e.osTypes);
    f("supportTypes", e.supportTypes); f("balances", e.balances); f("grantedAt", e.grantedAt);
    f("expiresAt", e.expiresAt);
  }
};

struct ActivationRequested {
  BENEFITD_EVENT(ActivationRequested, 1);
  std::string benefitId, requestId;
  Time requestedAt;
  std::optional<std::string> language, os, userId;  // what the caller asked for, per category
  static void fields(auto& e, auto&& f) {
    f("benefitId", e.benefitId); f("requestId", e.requestId); f("requestedAt", e.requestedAt);
    f("language", e.language); f("os", e.os); f("userId", e.userId);
  }
};

struct FulfilmentAccepted {
  BENEFITD_EVENT(FulfilmentAccepted, 1);
  std::string benefitId, requestId;
  Time acceptedAt, expectedBy;
  static void fields(auto& e, auto&& f) {
    f("benefitId", e.benefitId); f("requestId", e.requestId); f("acceptedAt", e.acceptedAt); f("expectedBy", e.expectedBy);
  }
};

struct FulfilmentRejected {
  BENEFITD_EVENT(FulfilmentRejected, 1);
  std::string benefitId, requestId, reason;
  Time rejectedAt;
  static void fields(auto& e, auto&& f) {
    f("benefitId", e.benefitId); f("requestId", e.requestId); f("reason", e.reason); f("rejectedAt", e.rejectedAt);
  }
};

struct BenefitActivated {
  BENEFITD_EVENT(BenefitActivated, 1);
  std::string benefitId, requestId;
  Time activatedAt, expiresAt;
  std::optional<std::string> assignedUserId, accessId, contractId;
  static void fields(auto& e, auto&& f) {
    f("benefitId", e.benefitId); f("requestId", e.requestId); f("activatedAt", e.activatedAt);
    f("expiresAt", e.expiresAt); f("assignedUserId", e.assignedUserId); f("accessId", e.accessId);
    f("contractId", e.contractId);
  }
};

struct KeyRevealed {
  BENEFITD_EVENT(KeyRevealed, 1);
  std::string benefitId;
  std::optional<std::string> language, os;  // absent for license-based cloud keys
  std::string key;
  int maxActivations = 0;
  Time revealedAt;
  static void fields(auto& e, auto&& f) {
    f("benefitId", e.benefitId); f("language", e.language); f("os", e.os); f("key", e.key);
    f("maxActivations", e.maxActivations); f("revealedAt", e.revealedAt);
  }
};

struct SeatAssigned {
  BENEFITD_EVENT(SeatAssigned, 1);
  std::string benefitId, seatId, userId;
  Time assignedAt;          // for a seat carried over at renewal: its original assignment time
  bool carriedOver = false;
  static void fields(auto& e, auto&& f) {
    f("benefitId", e.benefitId); f("seatId", e.seatId); f("userId", e.userId); f("assignedAt", e.assignedAt);
    f("carriedOver", e.carriedOver);
  }
};

struct SeatReassigned {
  BENEFITD_EVENT(SeatReassigned, 1);
  std::string benefitId, seatId, fromUserId, toUserId;
  Time reassignedAt;
  static void fields(auto& e, auto&& f) {
    f("benefitId", e.benefitId); f("seatId", e.seatId); f("fromUserId", e.fromUserId); f("toUserId", e.toUserId);
    f("reassignedAt", e.reassignedAt);
  }
};

/// R-AUTH-10: a removed user's seat is free again (the benefit stays active).
struct SeatReleased {
  BENEFITD_EVENT(SeatReleased, 1);
  std::string benefitId, seatId, userId;
  Time releasedAt;
  static void fields(auto& e, auto&& f) {
    f("benefitId", e.benefitId); f("seatId", e.seatId); f("userId", e.userId); f("releasedAt", e.releasedAt);
  }
};

struct SupportRequestOpened {
  BENEFITD_EVENT(SupportRequestOpened, 1);
  std::string benefitId, supportRequestId, requestType, productFamily, summary;
  std::optional<int> hours;
  Time openedAt;
  static void fields(auto& e, auto&& f) {
    f("benefitId", e.benefitId); f("supportRequestId", e.supportRequestId); f("type", e.requestType);
    f("productFamily", e.productFamily); f("summary", e.summary); f("hours", e.hours); f("openedAt", e.openedAt);
  }
};

struct BenefitCancelled {
  BENEFITD_EVENT(BenefitCancelled, 1);
  std::string benefitId, reason;
  Time cancelledAt;
  static void fields(auto& e, auto&& f) { f("benefitId", e.benefitId); f("reason", e.reason); f("cancelledAt", e.cancelledAt); }
};

struct BenefitExpired {
  BENEFITD_EVENT(BenefitExpired, 1);
  std::string benefitId;
  Time expiredAt;
  static void fields(auto& e, auto&& f) { f("benefitId", e.benefitId); f("expiredAt", e.expiredAt); }
};

/// R-GTM-3: an email to the marketing contact, queued in the outbox with a unique id.
struct NotificationQueued {
  BENEFITD_EVENT(NotificationQueued, 1);
  std::string benefitId, notificationId, to, subject;
  Time queuedAt;
  static void fields(auto& e, auto&& f) {
    f("benefitId", e.benefitId); f("notificationId", e.notificationId); f("to", e.to); f("subject", e.subject);
    f("queuedAt", e.queuedAt);
  }
};

#undef BENEFITD_EVENT

using DomainEvent =
    std::variant<PartnerRegistered, PartnerMigrated, UserAdded, UserRolesChanged, MarketingContactAssigned,
                 PackagePurchased, CancellationRequested, PackageCancelled, RefundIssued, PackageExpired,
                 PackageRenewed, PackageLapsed, BenefitGranted, ActivationRequested, FulfilmentAccepted,
                 FulfilmentRejected, BenefitActivated, KeyRevealed, SeatAssigned, SeatReassigned,
                 SupportRequestOpened, BenefitCancelled, BenefitExpired, NotificationQueued, UserTokenRotated,
                 UserRemoved, SeatReleased>;

/// The event's type name, e.g. "BenefitActivated".
std::string_view eventType(const DomainEvent& event);

}  // namespace benefitd::workflows
