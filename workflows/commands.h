// Commands: what callers ask for. Each names its target stream; the actor and the time come
// with the CommandContext (decide.h). Input shape (types, enums) is checked by the HTTP layer;
// the domain checks meaning (roles, states, windows, balances).
// Thread safety: plain values.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "workflows/names.h"
#include "workflows/time.h"

namespace benefitd::workflows {

// ---- partner (stream partner-<partnerId>) ----

/// Operator only. The partner id and the global admin's user id are generated.
struct RegisterPartner {
  std::string name, accountEmail;
  MembershipLocation membershipLocation = MembershipLocation::partnerCenter;
  std::string adminEmail, adminDisplayName;
};
struct MigratePartner { std::string partnerId; };
struct AddUser { std::string partnerId, email, displayName; std::vector<Role> roles; };
struct ChangeUserRoles { std::string partnerId, userId; std::vector<Role> roles; };
struct AssignMarketingContact { std::string partnerId, userId, email, phone, preferredLanguage; };
/// R-AUTH-10: a new token for the user (the engine makes it and keeps its hash).
struct RotateUserToken { std::string partnerId, userId; };
/// R-AUTH-10: removes the user and releases its seats. `benefitIds` are the partner's benefits
/// as the caller knows them (the domain cannot list them): the user's seat on each active
/// Visual Studio benefit among them is released, and the removal depends on each of those
/// benefits' versions, so a seat assigned meanwhile makes it decide again.
struct RemoveUser {
  std::string partnerId, userId;
  std::vector<std::string> benefitIds;
};
/// R-AUTH-10: a timer the removal sets, run as `system` once the views include the removal.
/// It releases the seats the removed user still holds among `benefitIds` (filled like
/// RemoveUser's): ones assigned on a benefit bought too late for the removal to list it.
struct ReleaseRemovedUserSeats {
  std::string partnerId, userId;
  std::vector<std::string> benefitIds;
};

// ---- package (stream package-<packageId>) ----

struct PurchasePackage { std::string partnerId, type; };
struct RenewPackage { std::string packageId; };
struct RequestCancellation { std::string packageId, reason; };
/// Fulfilment completed the cancellation service request.
struct CompleteCancellation { std::string packageId, requestId; };
/// Timer at expiresAt.
struct ExpirePackage { std::string packageId; };
/// Timer at expiresAt + 30 days (end of the renewal window).
struct LapsePackage { std::string packageId; };

// ---- benefit (stream benefit-<benefitId>) ----

/// software: language + os; license-based cloud: nothing (language/os ignored);
/// visual-studio: userId; usage-based cloud, technical, go-to-market: nothing.
struct ActivateBenefit { std::string benefitId; std::optional<std::string> language, os, userId; };
/// Fulfilment accepted the request; expectedBy defaults to the catalog's processing time.
struct AcceptFulfilment { std::string benefitId, requestId; std::optional<Time> expectedBy; };
/// Fulfilment completed the request; technical benefits take the given Access/Contract IDs
/// or generated ones.
struct CompleteFulfilment { std::string benefitId, requestId; std::optional<std::string> accessId, contractId; };
struct RejectFulfilment { std::string benefitId, requestId, reason; };
/// Another key of an active software benefit (R-SW-2); license-based cloud: the same key.
struct RevealKey { std::string benefitId; std::optional<std::string> language, os; };
struct AssignSeat { std::string benefitId, userId; };
struct ReassignSeat { std::string benefitId, seatId, userId; };
struct OpenSupportRequest {
  std::string benefitId, type, productFamily, summary;
  std::optional<int> hours;
  std::optional<std::string> accessId, contractId;
};
/// Timer at the benefit's expiresAt.
struct ExpireBenefit { std::string benefitId; };

using Command = std::variant<RegisterPartner, MigratePartner, AddUser, ChangeUserRoles, AssignMarketingContact,
                             PurchasePackage, RenewPackage, RequestCancellation, CompleteCancellation, ExpirePackage,
                             LapsePackage, ActivateBenefit, AcceptFulfilment, CompleteFulfilment, RejectFulfilment,
                             RevealKey, AssignSeat, ReassignSeat, OpenSupportRequest, ExpireBenefit,
                             RotateUserToken, RemoveUser, ReleaseRemovedUserSeats>;

/// What a durable timer runs when due. Persisted by the engine as JSON.
using TimerCommand = std::variant<ExpireBenefit, ExpirePackage, LapsePackage, ReleaseRemovedUserSeats>;

/// {"command": "expire-benefit", "benefitId": "..."} and the like.
nlohmann::json encodeTimerCommand(const TimerCommand& command);
/// Throws std::invalid_argument with a clear message for anything else.
TimerCommand decodeTimerCommand(const nlohmann::json& encoded);
Command toCommand(const TimerCommand& command);

/// The existing stream a command is addressed to (If-Match applies to it): the benefit or
/// package named, else the partner; empty for RegisterPartner (the partner is new).
std::string targetStream(const Command& command);

std::string partnerStream(std::string_view partnerId);
std::string packageStream(std::string_view packageId);
std::string benefitStream(std::string_view benefitId);

}  // namespace benefitd::workflows
