// Lifecycle rules shared by every category (SPEC section 5) and the view updates.
#include "workflows/benefit_rules.h"

#include "workflows/rules.h"

namespace benefitd::workflows {

namespace {

nlohmann::json statusExtra(const BenefitView& benefit) { return {{"currentStatus", benefit.status}}; }

/// Which role rule guards each benefit command (R-AUTH-3, -4, -5; fulfilment and timers).
Permission permissionFor(const BenefitCommand& command, Category category) {
  return std::visit(
      [category](const auto& c) -> Permission {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, ActivateBenefit>) {
          if (category == Category::visualStudio) return Permission::assignSeats;
          if (category == Category::goToMarket) return Permission::marketing;
          return Permission::activate;
        } else if constexpr (std::is_same_v<C, AssignSeat> || std::is_same_v<C, ReassignSeat>) {
          return Permission::assignSeats;
        } else if constexpr (std::is_same_v<C, RevealKey> || std::is_same_v<C, OpenSupportRequest>) {
          return Permission::activate;
        } else {
          return Permission::systemOrOperator;
        }
      },
      command);
}

bool isPartnerCommand(const BenefitCommand& command) {
  return std::holds_alternative<ActivateBenefit>(command) || std::holds_alternative<RevealKey>(command) ||
         std::holds_alternative<AssignSeat>(command) || std::holds_alternative<ReassignSeat>(command) ||
         std::holds_alternative<OpenSupportRequest>(command);
}

bool isInternalCommand(const BenefitCommand& command) {
  return std::holds_alternative<GrantBenefit>(command) || std::holds_alternative<CancelBenefit>(command);
}

}  // namespace

const std::string& BenefitDecider::streamBenefitId() const {
  if (const auto* grant = std::get_if<GrantBenefit>(&command_)) return grant->benefitId;
  return c_.benefit.benefitId;
}

void BenefitDecider::emit(DomainEvent event) { c_.out.emit(stream_, c_.benefit.version, std::move(event)); }

bool BenefitDecider::reject(std::string_view code, std::string detail, nlohmann::json extra) {
  return c_.out.reject(code, std::move(detail), std::move(extra));
}

bool BenefitDecider::admit() {
  if (isInternalCommand(command_)) return true;
  if (auto refused = authorize(c_.actor, c_.benefit.partnerId, permissionFor(command_, c_.benefit.category))) {
    c_.out.reject(refused->code, refused->detail, refused->extra);
    return false;
  }
  if (isPartnerCommand(command_) && c_.partner && c_.partner->inPmc()) {
    std::string detail{rules::kManageInPmc};
    if (c_.benefit.category == Category::technical) detail += rules::kTechnicalInPmc;
    return reject(codes::membershipInPmc, std::move(detail));
  }
  return true;
}

void BenefitDecider::refuseInState(std::string_view status) {
  if (c_.out.refused()) return;  // a guard already gave the reason
  const bool fromTimer = std::holds_alternative<ExpireBenefit>(command_) && c_.actor.kind == Actor::Kind::system;
  if (fromTimer) return;  // a stale timer (the benefit ended, or its expiry moved later): nothing to do
  nlohmann::json extra = {{"currentStatus", status}};
  if (std::holds_alternative<OpenSupportRequest>(command_))
    reject(codes::benefitNotActive, "support requests need an active benefit; it is " + std::string{status}, extra);
  else
    reject(codes::invalidTransition, "not possible while the benefit is " + std::string{status}, extra);
}

/// R-LIFE-5: expiresAt is the last moment a benefit can be activated or used.
bool BenefitDecider::refuseExpired() {
  if (c_.now <= c_.benefit.expiresAt) return false;
  reject(codes::invalidTransition, "the benefit expired at " + formatTime(c_.benefit.expiresAt),
         {{"currentStatus", c_.benefit.status}, {"expiresAt", formatTime(c_.benefit.expiresAt)}});
  return true;
}

bool BenefitDecider::requestMatches(const std::string& requestId) {
  if (c_.benefit.openRequestId == requestId) return true;
  return reject(codes::invalidTransition, "fulfilment request " + requestId + " is not open for this benefit",
                statusExtra(c_.benefit));
}

bool BenefitDecider::keyed() const {
  return c_.benefit.category == Category::software ||
         (c_.benefit.category == Category::cloud && c_.benefit.kind == kLicenseBased);
}

// ---- grant ----

bool BenefitDecider::allows(const GrantBenefit&) { return true; }

void BenefitDecider::decide(const GrantBenefit& g) {
  // R-LIFE-5: Visual Studio keeps 30 days of grace after the package expires.
  const Time expiresAt =
      g.entry.category == Category::visualStudio ? g.packageExpiresAt + rules::kVisualStudioGrace : g.packageExpiresAt;
  emit(BenefitGranted{g.benefitId, g.partnerId, g.packageId, g.packageType, g.entry.category, g.entry.product,
                      g.entry.kind, g.entry.quantity, g.entry.languages, g.entry.osTypes, g.entry.supportTypes,
                      g.entry.balances, c_.now, expiresAt});
  c_.out.schedule(timerFor(ExpireBenefit{g.benefitId}, expiresAt));
  if (g.carriedSeats.empty()) return;
  // R-PKG-5: the new term's Visual Studio benefit starts with the previous term's seats.
  const std::string requestId = c_.ids.newId(IdKind::fulfilmentRequest);
  emit(ActivationRequested{g.benefitId, requestId, c_.now, std::nullopt, std::nullopt, std::nullopt});
  emit(FulfilmentAccepted{g.benefitId, requestId, c_.now, c_.now});
  emit(BenefitActivated{g.benefitId, requestId, c_.now, expiresAt, std::nullopt, std::nullopt, std::nullopt});
  for (const SeatView& seat : g.carriedSeats) emit(SeatAssigned{g.benefitId, seat.seatId, seat.userId, seat.assignedAt, true});
}

// ---- activation (R-LIFE-2, R-LIFE-3) ----

bool BenefitDecider::allows(const ActivateBenefit& command) {
  if (refuseExpired()) return false;
  if (!c_.package || c_.package->status != "active")
    return reject(codes::packageNotActive,
                  "benefits of this package cannot be activated while the package is " +
                      (c_.package ? c_.package->status : std::string{"unknown"}),
                  {{"packageStatus", c_.package ? c_.package->status : "unknown"}});
  switch (c_.benefit.category) {
    case Category::software: return allowsSoftwareActivation(command);
    case Category::visualStudio: return allowsVisualStudioActivation(command);
    case Category::goToMarket: return allowsGoToMarketActivation();
    case Category::cloud:
    case Category::technical: return true;
  }
  return true;
}

void BenefitDecider::decide(const ActivateBenefit& command) {
  const BenefitView& b = c_.benefit;
  const std::string requestId = c_.ids.newId(IdKind::fulfilmentRequest);
  const bool keyChoice = b.category == Category::software;
  const std::optional<std::string> userId =
      b.category == Category::visualStudio ? command.userId : std::optional<std::string>{};
  emit(ActivationRequested{b.benefitId, requestId, c_.now, keyChoice ? command.language : std::nullopt,
                           keyChoice ? command.os : std::nullopt, userId});
  const ProcessingTime& processing = c_.catalog.processingTime(toString(b.category));
  if (processing.immediate()) {
    completeImmediately(requestId, command);
    return;
  }
  c_.out.requestFulfilment(
      FulfilmentRequestEffect{requestId, std::string{toString(b.category)}, stream_, c_.now, processing.expectedBy(c_.now)});
  c_.out.result()["requestId"] = requestId;
  if (b.category == Category::goToMarket) notifyMarketingContact("activation-requested");
}

/// R-LIFE-3: immediate categories pass through every state in one command, same timestamp.
void BenefitDecider::completeImmediately(const std::string& requestId, const ActivateBenefit& command) {
  const BenefitView& b = c_.benefit;
  emit(FulfilmentAccepted{b.benefitId, requestId, c_.now, c_.now});
  std::optional<std::string> assignedUser;
  if (b.category == Category::cloud && b.kind == kUsageBased && c_.actor.isUser()) assignedUser = c_.actor.userId;  // R-CL-1
  emit(BenefitActivated{b.benefitId, requestId, c_.now, b.expiresAt, assignedUser, std::nullopt, std::nullopt});
  if (b.category == Category::software) revealKey(command.language, command.os);       // R-SW-1
  if (b.category == Category::cloud && b.kind == kLicenseBased) revealKey(std::nullopt, std::nullopt);  // R-CL-2
  if (b.category == Category::visualStudio) assignSeat(*command.userId, c_.now, false, c_.ids.newId(IdKind::seat));  // R-VS-1
}

// ---- fulfilment answers (R-LIFE-3, R-LIFE-4) ----

bool BenefitDecider::allows(const AcceptFulfilment& command) { return requestMatches(command.requestId); }

void BenefitDecider::decide(const AcceptFulfilment& command) {
  const Time requestedAt = c_.benefit.activationRequestedAt.value_or(c_.now);
  const Time expectedBy =
      command.expectedBy.value_or(c_.catalog.processingTime(toString(c_.benefit.category)).expectedBy(requestedAt));
  emit(FulfilmentAccepted{c_.benefit.benefitId, command.requestId, c_.now, expectedBy});
}

bool BenefitDecider::allows(const CompleteFulfilment& command) { return requestMatches(command.requestId); }

void BenefitDecider::decide(const CompleteFulfilment& command) {
  const BenefitView& b = c_.benefit;
  // Completing a request that was never accepted records the acceptance first, so the
  // benefit still passes through pending.
  if (b.status == "activation-requested") emit(FulfilmentAccepted{b.benefitId, command.requestId, c_.now, c_.now});
  BenefitActivated activated{b.benefitId, command.requestId, c_.now, b.expiresAt, std::nullopt, std::nullopt, std::nullopt};
  if (b.category == Category::technical) {  // R-TECH-1
    activated.accessId = command.accessId ? *command.accessId : c_.ids.accessId();
    activated.contractId = command.contractId ? *command.contractId : c_.ids.contractId();
  }
  if (b.category == Category::goToMarket) {  // R-GTM-2: the offer runs from its activation
    activated.expiresAt = c_.now + days{c_.catalog.goToMarketTermDays()};
    c_.out.schedule(timerFor(ExpireBenefit{b.benefitId}, activated.expiresAt));
  }
  emit(activated);
  if (b.category == Category::goToMarket) notifyMarketingContact("activated");
}

bool BenefitDecider::allows(const RejectFulfilment& command) { return requestMatches(command.requestId); }

void BenefitDecider::decide(const RejectFulfilment& command) {
  emit(FulfilmentRejected{c_.benefit.benefitId, command.requestId, command.reason, c_.now});
}

// ---- the end of a benefit ----

bool BenefitDecider::allows(const ExpireBenefit&) {
  // A timer scheduled for an earlier expiresAt (a Go-To-Market offer activated since) is stale.
  return c_.now >= c_.benefit.expiresAt;
}

void BenefitDecider::decide(const ExpireBenefit&) { emit(BenefitExpired{c_.benefit.benefitId, c_.now}); }

bool BenefitDecider::allows(const CancelBenefit&) { return true; }

void BenefitDecider::decide(const CancelBenefit& command) {
  emit(BenefitCancelled{c_.benefit.benefitId, command.reason, c_.now});
}

// ---- view updates ----

void record(BenefitView& v, const BenefitGranted& e) {
  v.benefitId = e.benefitId;
  v.partnerId = e.partnerId;
  v.packageId = e.packageId;
  v.packageType = e.packageType;
  v.category = e.category;
  v.product = e.product;
  v.kind = e.kind;
  v.quantity = e.quantity;
  v.languages = e.languages;
  v.osTypes = e.osTypes;
  v.supportTypes = e.supportTypes;
  v.balances = e.balances;
  v.purchasedAt = e.grantedAt;
  v.expiresAt = e.expiresAt;
}

void record(BenefitView& v, const ActivationRequested& e) {
  v.activationRequestedAt = e.requestedAt;
  v.openRequestId = e.requestId;
  v.lastError.reset();
}

void record(BenefitView& v, const FulfilmentAccepted& e) {
  v.pendingSince = e.acceptedAt;
  v.expectedBy = e.expectedBy;
}

void record(BenefitView& v, const FulfilmentRejected& e) {
  v.lastError = e.reason;
  v.openRequestId.reset();
  v.activationRequestedAt.reset();
  v.pendingSince.reset();
  v.expectedBy.reset();
}

void record(BenefitView& v, const BenefitActivated& e) {
  v.activatedAt = e.activatedAt;
  v.expiresAt = e.expiresAt;
  v.openRequestId.reset();
  if (e.assignedUserId) v.assignedUserId = e.assignedUserId;
  if (e.accessId) v.accessId = e.accessId;
  if (e.contractId) v.contractId = e.contractId;
}

void record(BenefitView& v, const KeyRevealed& e) {
  v.keys.push_back(KeyView{e.language, e.os, e.key, e.maxActivations, e.revealedAt});
}

void record(BenefitView& v, const SeatAssigned& e) { v.seats.push_back(SeatView{e.seatId, e.userId, e.assignedAt}); }

void record(BenefitView& v, const SeatReassigned& e) {
  for (SeatView& seat : v.seats)
    if (seat.seatId == e.seatId) {
      seat.userId = e.toUserId;
      seat.assignedAt = e.reassignedAt;  // R-VS-2: reassignment resets the assignment date
    }
}

void record(BenefitView& v, const SeatReleased& e) {
  std::erase_if(v.seats, [&](const SeatView& seat) { return seat.seatId == e.seatId; });
}

void record(BenefitView& v, const SupportRequestOpened& e) {
  if (e.requestType == kPresalesDeployment)
    v.balances.advisoryHours -= e.hours.value_or(0);
  else if (e.requestType == kSignatureCloud)
    --v.balances.signatureCloudIncidents;
  else
    --v.balances.productSupportIncidents;
}

void record(BenefitView& v, const BenefitExpired& e) {
  v.expiredAt = e.expiredAt;
  v.openRequestId.reset();
}

void record(BenefitView& v, const BenefitCancelled& e) {
  v.cancelledAt = e.cancelledAt;
  v.openRequestId.reset();
}

void record(BenefitView&, const NotificationQueued&) {}

}  // namespace benefitd::workflows
