// Internal to workflows/: partner commands' rules (guards) and events (actions), and the view
// updates. See benefit_rules.h for the pattern.
// Thread safety: a decider serves one decision on one thread.
#pragma once

#include <variant>

#include "workflows/actor.h"
#include "workflows/aggregate_source.h"
#include "workflows/commands.h"
#include "workflows/decision_builder.h"
#include "workflows/ids.h"
#include "workflows/views.h"

namespace benefitd::workflows {

using PartnerCommand = std::variant<RegisterPartner, MigratePartner, AddUser, ChangeUserRoles, AssignMarketingContact,
                                    RotateUserToken, RemoveUser, ReleaseRemovedUserSeats>;

struct PartnerContext {
  const PartnerView& partner;
  const Actor& actor;
  Time now;
  const AggregateSource& source;  // the benefits whose seats a removed user releases
  IdSource& ids;
  DecisionBuilder& out;
};

class PartnerDecider {
 public:
  PartnerDecider(PartnerContext context, PartnerCommand command)
      : c_(context), command_(std::move(command)) {}

  const PartnerCommand& command() const { return command_; }
  /// Authorization (R-AUTH-2, R-AUTH-5, operator-only commands), before the machine runs.
  bool admit();

  bool allows(const RegisterPartner& command);
  void decide(const RegisterPartner& command);
  bool allows(const MigratePartner& command);
  void decide(const MigratePartner& command);
  bool allows(const AddUser& command);
  void decide(const AddUser& command);
  bool allows(const ChangeUserRoles& command);
  void decide(const ChangeUserRoles& command);
  bool allows(const AssignMarketingContact& command);
  void decide(const AssignMarketingContact& command);
  bool allows(const RotateUserToken& command);
  void decide(const RotateUserToken& command);
  bool allows(const RemoveUser& command);
  void decide(const RemoveUser& command);
  bool allows(const ReleaseRemovedUserSeats& command);
  void decide(const ReleaseRemovedUserSeats& command);
  /// R-PART-2: the marketing contact is a benefit command, refused while in PMC.
  bool refuseInPmc(const AssignMarketingContact& command);
  void refuseInState(std::string_view status);

 private:
  bool reject(std::string_view code, std::string detail, nlohmann::json extra = nlohmann::json::object());
  /// The roles of a user of this partner; none for an unknown user (the rules then refuse it).
  std::vector<Role> rolesOf(const std::string& userId) const;
  /// SeatReleased for the user's seat on each active Visual Studio benefit of the partner
  /// among `benefitIds`; the decision depends on the ones where it holds none.
  void releaseSeatsOf(const std::string& userId, const std::vector<std::string>& benefitIds);
  void emit(const std::string& partnerId, DomainEvent event);

  PartnerContext c_;
  PartnerCommand command_;
};

void record(PartnerView& view, const PartnerRegistered& event);
void record(PartnerView& view, const PartnerMigrated& event);
void record(PartnerView& view, const UserAdded& event);
void record(PartnerView& view, const UserRolesChanged& event);
void record(PartnerView& view, const MarketingContactAssigned& event);
void record(PartnerView& view, const UserTokenRotated& event);
void record(PartnerView& view, const UserRemoved& event);

}  // namespace benefitd::workflows
