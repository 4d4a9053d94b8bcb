// Package rules (SPEC section 4): purchase, cancellation with refund, expiry, renewal, lapse.
#include "workflows/package_rules.h"

#include "workflows/benefit_rules.h"
#include "workflows/rules.h"

namespace benefitd::workflows {

namespace {

Permission permissionFor(const PackageCommand& command) {
  if (std::holds_alternative<PurchasePackage>(command) || std::holds_alternative<RenewPackage>(command))
    return Permission::purchase;
  if (std::holds_alternative<RequestCancellation>(command)) return Permission::cancel;
  return Permission::systemOrOperator;
}

bool isPartnerCommand(const PackageCommand& command) {
  return std::holds_alternative<PurchasePackage>(command) || std::holds_alternative<RenewPackage>(command) ||
         std::holds_alternative<RequestCancellation>(command);
}

bool fromTimer(const PackageCommand& command, const Actor& actor) {
  return (std::holds_alternative<ExpirePackage>(command) || std::holds_alternative<LapsePackage>(command)) &&
         actor.kind == Actor::Kind::system;
}

}  // namespace

bool PackageDecider::reject(std::string_view code, std::string detail, nlohmann::json extra) {
  return c_.out.reject(code, std::move(detail), std::move(extra));
}

void PackageDecider::emit(const std::string& packageId, DomainEvent event) {
  c_.out.emit(packageStream(packageId), c_.package.version, std::move(event));
}

bool PackageDecider::admit() {
  if (auto refused = authorize(c_.actor, c_.partner.partnerId, permissionFor(command_)))
    return reject(refused->code, refused->detail, refused->extra);
  if (isPartnerCommand(command_) && c_.partner.inPmc())
    return reject(codes::membershipInPmc,
                  rules::kManageInPmc);
  return true;
}

void PackageDecider::refuseInState(std::string_view status) {
  if (c_.out.refused() || fromTimer(command_, c_.actor)) return;  // a stale timer has nothing to do
  reject(codes::invalidTransition, "not possible while the package is " + std::string{status},
         {{"currentStatus", status}});
}

void PackageDecider::scheduleTerm(const std::string& packageId, Time expiresAt) {
  c_.out.schedule(timerFor(ExpirePackage{packageId}, expiresAt));
  c_.out.schedule(timerFor(LapsePackage{packageId}, expiresAt + rules::kRenewalWindow));
}

std::vector<std::string> PackageDecider::newBenefitIds(const CatalogPackage& offer) {
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < offer.benefits.size(); ++i) ids.push_back(c_.ids.newId(IdKind::benefit));
  c_.out.result()["benefitIds"] = ids;
  return ids;
}

/// One new benefit stream per catalog entry, each decided by a fresh benefit machine.
void PackageDecider::grantBenefits(const std::string& packageId, const CatalogPackage& offer, Time expiresAt,
                                   const std::vector<std::string>& benefitIds,
                                   std::vector<std::vector<SeatView>> carriedSeats) {
  std::size_t visualStudioIndex = 0;
  for (std::size_t i = 0; i < offer.benefits.size(); ++i) {
    const CatalogBenefit& entry = offer.benefits[i];
    GrantBenefit grant{benefitIds[i], c_.partner.partnerId, packageId, offer.type, entry, expiresAt, {}};
    if (entry.category == Category::visualStudio && visualStudioIndex < carriedSeats.size()) {
      grant.carriedSeats = std::move(carriedSeats[visualStudioIndex++]);
      if (static_cast<int>(grant.carriedSeats.size()) > entry.quantity) grant.carriedSeats.resize(entry.quantity);
    }
    const Benefit fresh;
    BenefitDecider decider{BenefitContext{fresh.view(), nullptr, &c_.partner, c_.catalog, c_.actor, c_.now, c_.ids, c_.out},
                           std::move(grant)};
    fresh.decide(decider);
  }
}

// ---- purchase (R-PKG-1) ----

bool PackageDecider::allows(const PurchasePackage& command) {
  if (!c_.catalog.findPackage(command.type))
    return reject(codes::invalidRequest, "unknown package type '" + command.type + "'", {{"errors", {{{"field", "type"}}}}});
  return true;
}

void PackageDecider::decide(const PurchasePackage& command) {
  const CatalogPackage& offer = *c_.catalog.findPackage(command.type);
  const std::string packageId = c_.ids.newId(IdKind::package);
  const Time expiresAt = c_.now + days{offer.termDays};
  c_.out.result()["packageId"] = packageId;
  const std::vector<std::string> benefitIds = newBenefitIds(offer);
  emit(packageId, PackagePurchased{packageId, c_.partner.partnerId, offer.type, offer.price, offer.termDays, c_.now,
                                   expiresAt, benefitIds});
  grantBenefits(packageId, offer, expiresAt, benefitIds, {});
  scheduleTerm(packageId, expiresAt);
}

// ---- cancellation with refund (R-PKG-2, R-PKG-3, R-PKG-4) ----

bool PackageDecider::allows(const RequestCancellation&) {
  // Both refusals may apply; the software one wins. Reading the software benefits makes the
  // append depend on their versions, so a racing activation and cancellation cannot both win.
  // A renewal is a purchase of its term (R-PKG-6): only the running term's benefits count.
  for (const std::string& benefitId : c_.package.currentTermBenefitIds) {
    const Benefit* benefit = c_.source.benefit(benefitId);
    if (!benefit || benefit->view().category != Category::software) continue;
    c_.out.dependOn(benefitStream(benefitId), benefit->version());
    if (benefit->view().activatedAt)
      return reject(codes::softwareBenefitActivated,
                    "a software benefit of this package was activated (keys revealed): no refund is possible",
                    {{"benefitId", benefitId}});
  }
  if (c_.now > c_.package.refundableUntil())
    return reject(codes::refundWindowClosed, "a refund must be requested within 30 days of the term's purchase or renewal",
                  {{"refundableUntil", formatTime(c_.package.refundableUntil())}});
  return true;
}

void PackageDecider::decide(const RequestCancellation& command) {
  const std::string requestId = c_.ids.newId(IdKind::fulfilmentRequest);
  const Time expectedBy = c_.catalog.processingTime(kCancellationFulfilment).expectedBy(c_.now);
  emit(c_.package.packageId, CancellationRequested{c_.package.packageId, requestId, command.reason, c_.now, expectedBy});
  c_.out.requestFulfilment(FulfilmentRequestEffect{requestId, std::string{kCancellationFulfilment},
                                                   packageStream(c_.package.packageId), c_.now, expectedBy});
  c_.out.result()["requestId"] = requestId;
}

bool PackageDecider::allows(const CompleteCancellation& command) {
  if (c_.package.cancellationRequestId == command.requestId) return true;
  return reject(codes::invalidTransition, "cancellation request " + command.requestId + " is not open for this package",
                {{"currentStatus", c_.package.status}});
}

/// One append: the package cancelled, the full price refunded, every live benefit cancelled.
void PackageDecider::decide(const CompleteCancellation& command) {
  const std::string& packageId = c_.package.packageId;
  emit(packageId, PackageCancelled{packageId, command.requestId, c_.now});
  emit(packageId, RefundIssued{packageId, c_.package.price, c_.now});
  for (const std::string& benefitId : c_.package.benefitIds) {
    const Benefit* benefit = c_.source.benefit(benefitId);
    if (!benefit || benefit->view().terminal()) continue;
    BenefitDecider decider{BenefitContext{benefit->view(), &c_.package, &c_.partner, c_.catalog, c_.actor, c_.now,
                                          c_.ids, c_.out},
                           CancelBenefit{"package cancelled"}};
    benefit->decide(decider);
  }
}

// ---- expiry, renewal, lapse (R-PKG-5) ----

bool PackageDecider::allows(const ExpirePackage&) { return c_.now >= c_.package.expiresAt; }

void PackageDecider::decide(const ExpirePackage&) { emit(c_.package.packageId, PackageExpired{c_.package.packageId, c_.now}); }

bool PackageDecider::allows(const RenewPackage&) {
  const PackageView& p = c_.package;
  if (c_.now < p.expiresAt)
    return reject(codes::renewalNotOpen, "renewal opens when the package expires, at " + formatTime(p.expiresAt),
                  {{"renewalOpensAt", formatTime(p.expiresAt)}});
  if (c_.now > p.renewalWindowEndsAt())
    return reject(codes::renewalWindowClosed, "renewal closed 30 days after expiry, at " + formatTime(p.renewalWindowEndsAt()),
                  {{"renewalWindowEndsAt", formatTime(p.renewalWindowEndsAt())}});
  if (!c_.catalog.findPackage(p.type))
    return reject(codes::invalidRequest, "the catalog no longer offers " + p.type + " packages");
  return true;
}

void PackageDecider::decide(const RenewPackage&) {
  const PackageView& p = c_.package;
  const Time expiresAt = p.expiresAt + days{p.termDays};
  // Seats of the ending term's Visual Studio benefits, in catalog order.
  std::vector<std::vector<SeatView>> carriedSeats;
  for (const std::string& benefitId : p.currentTermBenefitIds) {
    const Benefit* benefit = c_.source.benefit(benefitId);
    if (!benefit || benefit->view().category != Category::visualStudio) continue;
    c_.out.dependOn(benefitStream(benefitId), benefit->version());  // a seat assigned meanwhile must carry over too
    carriedSeats.push_back(benefit->view().seats);
  }
  const CatalogPackage& offer = *c_.catalog.findPackage(p.type);
  const std::vector<std::string> benefitIds = newBenefitIds(offer);
  emit(p.packageId, PackageRenewed{p.packageId, c_.now, expiresAt, benefitIds, offer.price});
  grantBenefits(p.packageId, offer, expiresAt, benefitIds, std::move(carriedSeats));
  c_.out.result()["packageId"] = p.packageId;
  scheduleTerm(p.packageId, expiresAt);
}

bool PackageDecider::refuseLapsedRenewal(const RenewPackage&) {
  return reject(codes::renewalWindowClosed,
                "the package lapsed at " + formatTime(c_.package.renewalWindowEndsAt()) + ": renewal is closed",
                {{"renewalWindowEndsAt", formatTime(c_.package.renewalWindowEndsAt())}});
}

bool PackageDecider::allows(const LapsePackage&) { return c_.now >= c_.package.renewalWindowEndsAt(); }

void PackageDecider::decide(const LapsePackage&) { emit(c_.package.packageId, PackageLapsed{c_.package.packageId, c_.now}); }

// ---- view updates ----

void record(PackageView& v, const PackagePurchased& e) {
  v.packageId = e.packageId;
  v.partnerId = e.partnerId;
  v.type = e.type;
  v.price = e.price;
  v.termDays = e.termDays;
  v.purchasedAt = e.purchasedAt;
  v.termStartedAt = e.purchasedAt;
  v.term = 1;
  v.expiresAt = e.expiresAt;
  v.benefitIds = e.benefitIds;
  v.currentTermBenefitIds = e.benefitIds;
}

void record(PackageView& v, const CancellationRequested& e) { v.cancellationRequestId = e.requestId; }

void record(PackageView& v, const PackageCancelled&) { v.cancellationRequestId.reset(); }

void record(PackageView& v, const RefundIssued& e) { v.refund = RefundView{e.amount, e.issuedAt}; }

void record(PackageView&, const PackageExpired&) {}

void record(PackageView& v, const PackageRenewed& e) {
  v.termStartedAt = e.renewedAt;
  ++v.term;
  if (e.price) v.price = *e.price;
  v.expiresAt = e.expiresAt;
  v.benefitIds.insert(v.benefitIds.end(), e.benefitIds.begin(), e.benefitIds.end());
  v.currentTermBenefitIds = e.benefitIds;
}

void record(PackageView&, const PackageLapsed&) {}

}  // namespace benefitd::workflows
