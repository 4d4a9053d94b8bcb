// Internal to workflows/: the rules the benefit machine's guards consult and the events its
// actions emit, per command. The lifecycle part is in benefit_rules.cpp, category parts in
// software_rules.cpp, visual_studio_rules.cpp, technical_rules.cpp and go_to_market_rules.cpp.
// `allows` answers a guard (recording the rejection when it says no); `decide` is the row's
// action. `record` applies an event to the view.
// Thread safety: a decider serves one decision on one thread.
#pragma once

#include <variant>

#include "workflows/actor.h"
#include "workflows/catalog.h"
#include "workflows/commands.h"
#include "workflows/decision_builder.h"
#include "workflows/ids.h"
#include "workflows/views.h"

namespace benefitd::workflows {

/// Issued by the package when it grants its benefits (purchase, renewal). Seats carried over
/// from the previous term's Visual Studio benefit keep their assignment time (R-PKG-5).
struct GrantBenefit {
  std::string benefitId, partnerId, packageId, packageType;
  CatalogBenefit entry;
  Time packageExpiresAt;
  std::vector<SeatView> carriedSeats;
};

/// Issued by the package when its cancellation completes (R-PKG-3).
struct CancelBenefit {
  std::string reason;
};

using BenefitCommand = std::variant<GrantBenefit, ActivateBenefit, AcceptFulfilment, CompleteFulfilment,
                                    RejectFulfilment, RevealKey, AssignSeat, ReassignSeat, OpenSupportRequest,
                                    ExpireBenefit, CancelBenefit>;

/// Everything a benefit decision may read. package and partner are those of the benefit.
struct BenefitContext {
  const BenefitView& benefit;
  const PackageView* package;
  const PartnerView* partner;
  const Catalog& catalog;
  const Actor& actor;
  Time now;
  IdSource& ids;
  DecisionBuilder& out;
};

class BenefitDecider {
 public:
  BenefitDecider(BenefitContext context, BenefitCommand command)
      : c_(context), command_(std::move(command)), stream_(benefitStream(streamBenefitId())) {}

  const BenefitCommand& command() const { return command_; }

  /// Authorization and membership location, checked before the machine runs.
  bool admit();

  bool allows(const GrantBenefit& command);
  void decide(const GrantBenefit& command);
  bool allows(const ActivateBenefit& command);
  void decide(const ActivateBenefit& command);
  bool allows(const AcceptFulfilment& command);
  void decide(const AcceptFulfilment& command);
  bool allows(const CompleteFulfilment& command);
  void decide(const CompleteFulfilment& command);
  bool allows(const RejectFulfilment& command);
  void decide(const RejectFulfilment& command);
  bool allows(const RevealKey& command);
  void decide(const RevealKey& command);
  bool allows(const AssignSeat& command);
  void decide(const AssignSeat& command);
  bool allows(const ReassignSeat& command);
  void decide(const ReassignSeat& command);
  bool allows(const OpenSupportRequest& command);
  void decide(const OpenSupportRequest& command);
  bool allows(const ExpireBenefit& command);
  void decide(const ExpireBenefit& command);
  bool allows(const CancelBenefit& command);
  void decide(const CancelBenefit& command);

  /// The machine has no row for the command in the current state (or a guard said no without
  /// a reason). Timer commands that no longer apply are dropped silently: nothing to do.
  void refuseInState(std::string_view status);

 private:
  void emit(DomainEvent event);
  bool reject(std::string_view code, std::string detail, nlohmann::json extra = nlohmann::json::object());
  bool refuseExpired();
  bool requestMatches(const std::string& requestId);
  // Category parts of activation.
  bool allowsSoftwareActivation(const ActivateBenefit& command);
  bool allowsVisualStudioActivation(const ActivateBenefit& command);
  bool allowsGoToMarketActivation();
  void completeImmediately(const std::string& requestId, const ActivateBenefit& command);
  bool validKeyChoice(const std::optional<std::string>& language, const std::optional<std::string>& os);
  void revealKey(const std::optional<std::string>& language, const std::optional<std::string>& os);
  void assignSeat(const std::string& userId, Time assignedAt, bool carriedOver, std::string seatId);
  void notifyMarketingContact(std::string subject);
  bool keyed() const;
  /// The benefit the decision writes: the one being granted, else the one decided on.
  const std::string& streamBenefitId() const;

  BenefitContext c_;
  BenefitCommand command_;
  std::string stream_;
};

// Applying events to the view (the machine's Record action).
void record(BenefitView& view, const BenefitGranted& event);
void record(BenefitView& view, const ActivationRequested& event);
void record(BenefitView& view, const FulfilmentAccepted& event);
void record(BenefitView& view, const FulfilmentRejected& event);
void record(BenefitView& view, const BenefitActivated& event);
void record(BenefitView& view, const KeyRevealed& event);
void record(BenefitView& view, const SeatAssigned& event);
void record(BenefitView& view, const SeatReassigned& event);
void record(BenefitView& view, const SeatReleased& event);
void record(BenefitView& view, const SupportRequestOpened& event);
void record(BenefitView& view, const BenefitExpired& event);
void record(BenefitView& view, const BenefitCancelled& event);
void record(BenefitView& view, const NotificationQueued& event);

}  // namespace benefitd::workflows
