// Internal to workflows/: package commands' rules (guards) and events (actions), and the
// view updates. See benefit_rules.h for the pattern. Purchase, renewal and cancellation also
// decide for the package's benefits, through the benefit machine.
// Thread safety: a decider serves one decision on one thread.
#pragma once

#include <variant>

#include "workflows/actor.h"
#include "workflows/aggregate_source.h"
#include "workflows/catalog.h"
#include "workflows/commands.h"
#include "workflows/decision_builder.h"
#include "workflows/ids.h"
#include "workflows/views.h"

namespace benefitd::workflows {

using PackageCommand =
    std::variant<PurchasePackage, RenewPackage, RequestCancellation, CompleteCancellation, ExpirePackage, LapsePackage>;

struct PackageContext {
  const PackageView& package;  // empty for a purchase
  const PartnerView& partner;
  const Catalog& catalog;
  const AggregateSource& source;
  const Actor& actor;
  Time now;
  IdSource& ids;
  DecisionBuilder& out;
};

class PackageDecider {
 public:
  PackageDecider(PackageContext context, PackageCommand command)
      : c_(context), command_(std::move(command)) {}

  const PackageCommand& command() const { return command_; }
  /// Authorization (R-AUTH-1, R-AUTH-6) and membership location (R-PART-2).
  bool admit();

  bool allows(const PurchasePackage& command);
  void decide(const PurchasePackage& command);
  bool allows(const RenewPackage& command);
  void decide(const RenewPackage& command);
  bool allows(const RequestCancellation& command);
  void decide(const RequestCancellation& command);
  bool allows(const CompleteCancellation& command);
  void decide(const CompleteCancellation& command);
  bool allows(const ExpirePackage& command);
  void decide(const ExpirePackage& command);
  bool allows(const LapsePackage& command);
  void decide(const LapsePackage& command);
  /// R-PKG-5: after the package lapsed.
  bool refuseLapsedRenewal(const RenewPackage& command);
  void refuseInState(std::string_view status);

 private:
  bool reject(std::string_view code, std::string detail, nlohmann::json extra = nlohmann::json::object());
  void emit(const std::string& packageId, DomainEvent event);
  std::vector<std::string> newBenefitIds(const CatalogPackage& offer);
  void grantBenefits(const std::string& packageId, const CatalogPackage& offer, Time expiresAt,
                     const std::vector<std::string>& benefitIds, std::vector<std::vector<SeatView>> carriedSeats);
  void scheduleTerm(const std::string& packageId, Time expiresAt);

  PackageContext c_;
  PackageCommand command_;
};

void record(PackageView& view, const PackagePurchased& event);
void record(PackageView& view, const CancellationRequested& event);
void record(PackageView& view, const PackageCancelled& event);
void record(PackageView& view, const RefundIssued& event);
void record(PackageView& view, const PackageExpired& event);
void record(PackageView& view, const PackageRenewed& event);
void record(PackageView& view, const PackageLapsed& event);

}  // namespace benefitd::workflows
