// The partner machine: its states are the membership location.
#include "workflows/partner.h"

#include <utility>

#include <boost/mpl/vector/vector30.hpp>
#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>

#include "workflows/machine_support.h"
#include "workflows/partner_rules.h"

namespace benefitd::workflows {

namespace {

namespace msm = boost::msm;
namespace mpl = boost::mpl;
using machine::Allowed;
using machine::Decide;
using machine::NamedState;
using machine::Record;
using msm::front::none;
using msm::front::Row;

using PartnerBinding = machine::Binding<PartnerView, PartnerDecider>;

template <const char* Name>
struct Named : msm::front::state<NamedState> {
  std::string_view name() const override { return Name; }
};

constexpr char kNone[] = "none";
constexpr char kPmc[] = "pmc";
constexpr char kPartnerCenter[] = "partner-center";

/// Event guard: where a partner starts.
template <MembershipLocation Location>
struct RegisteredIn {
  template <class Fsm, class Source, class Target>
  bool operator()(const PartnerRegistered& event, Fsm&, Source&, Target&) const {
    return event.membershipLocation == Location;
  }
};

/// Command guard that always refuses, with R-PART-2's reason.
struct RefusedInPmc {
  template <class Fsm, class Source, class Target>
  bool operator()(const AssignMarketingContact& command, Fsm& fsm, Source&, Target&) const {
    return fsm.decider->refuseInPmc(command);
  }
};

struct PartnerDef : msm::front::state_machine_def<PartnerDef, NamedState>, PartnerBinding {
  using NotRegistered = Named<kNone>;
  using Pmc = Named<kPmc>;
  using PartnerCenter = Named<kPartnerCenter>;
  using initial_state = NotRegistered;

  // clang-format off
  // vectorN (N = the row count): more rows than mpl::vector takes (20).
  struct transition_table : mpl::vector26<
    //  source         message                   target         action  guard
    Row<NotRegistered, RegisterPartner,          none,          Decide, Allowed>,
    Row<NotRegistered, PartnerRegistered,        Pmc,           Record, RegisteredIn<MembershipLocation::pmc>>,
    Row<NotRegistered, PartnerRegistered,        PartnerCenter, Record, RegisteredIn<MembershipLocation::partnerCenter>>,
    Row<Pmc,           MigratePartner,           none,          Decide, Allowed>,
    Row<Pmc,           PartnerMigrated,          PartnerCenter, Record, none>,
    Row<Pmc,           AddUser,                  none,          Decide, Allowed>,
    Row<Pmc,           UserAdded,                none,          Record, none>,
    Row<Pmc,           ChangeUserRoles,          none,          Decide, Allowed>,
    Row<Pmc,           UserRolesChanged,         none,          Record, none>,
    Row<Pmc,           RotateUserToken,          none,          Decide, Allowed>,
    Row<Pmc,           UserTokenRotated,         none,          Record, none>,
    Row<Pmc,           RemoveUser,               none,          Decide, Allowed>,
    Row<Pmc,           UserRemoved,              none,          Record, none>,
    Row<Pmc,           ReleaseRemovedUserSeats,  none,          Decide, Allowed>,
    Row<Pmc,           AssignMarketingContact,   none,          none,   RefusedInPmc>,
    Row<PartnerCenter, AddUser,                  none,          Decide, Allowed>,
    Row<PartnerCenter, UserAdded,                none,          Record, none>,
    Row<PartnerCenter, ChangeUserRoles,          none,          Decide, Allowed>,
    Row<PartnerCenter, UserRolesChanged,         none,          Record, none>,
    Row<PartnerCenter, RotateUserToken,          none,          Decide, Allowed>,
    Row<PartnerCenter, UserTokenRotated,         none,          Record, none>,
    Row<PartnerCenter, RemoveUser,               none,          Decide, Allowed>,
    Row<PartnerCenter, UserRemoved,              none,          Record, none>,
    Row<PartnerCenter, ReleaseRemovedUserSeats,  none,          Decide, Allowed>,
    Row<PartnerCenter, AssignMarketingContact,   none,          Decide, Allowed>,
    Row<PartnerCenter, MarketingContactAssigned, none,          Record, none>
  > {};
  // clang-format on

  std::string_view name() const override;

  template <class Fsm, class Message>
  void no_transition(const Message& message, Fsm& fsm, int) {
    machine::unhandled(message, fsm, fsm.name());
  }
  template <class Fsm, class Message>
  void exception_caught(const Message&, Fsm& fsm, std::exception& error) {
    machine::caught(fsm, error);
  }
};

using PartnerMachine = msm::back::state_machine<PartnerDef>;

std::string_view PartnerDef::name() const {
  const auto& partner = static_cast<const PartnerMachine&>(*this);
  return partner.get_state_by_id(partner.current_state()[0])->name();
}

// The recorded events that lead a fresh machine to `state`, for restore: beyond its view, the
// membership location is all a partner's machine holds.
std::optional<std::vector<DomainEvent>> pathTo(std::string_view state) {
  std::vector<DomainEvent> path;
  if (state == kNone) return path;
  PartnerRegistered registered;
  if (state == kPmc) registered.membershipLocation = MembershipLocation::pmc;
  else if (state == kPartnerCenter) registered.membershipLocation = MembershipLocation::partnerCenter;
  else return std::nullopt;
  path.emplace_back(std::move(registered));
  return path;
}

}  // namespace

struct Partner::Machine {
  PartnerMachine machine;
  PartnerView view;

  Machine() {
    machine.start();
    view.membershipLocation = std::string{machine.name()};
  }
};

Partner::Partner() : machine_(std::make_unique<Machine>()) {}
Partner::~Partner() = default;
Partner::Partner(const Partner& other) : machine_(std::make_unique<Machine>(*other.machine_)) {}
Partner& Partner::operator=(const Partner& other) {
  if (this != &other) machine_ = std::make_unique<Machine>(*other.machine_);
  return *this;
}
Partner::Partner(Partner&& other) noexcept = default;
Partner& Partner::operator=(Partner&& other) noexcept = default;

const PartnerView& Partner::view() const { return machine_->view; }
std::uint64_t Partner::version() const { return machine_->view.version; }
bool Partner::exists() const { return machine_->view.membershipLocation != kNone; }

void Partner::apply(const DomainEvent& event) {
  machine::applyEvent(machine_->machine, machine_->view, &PartnerView::membershipLocation, event,
                      [this] { return "partner " + machine_->view.partnerId; });
}

void Partner::decide(PartnerDecider& decider) const {
  machine::decideOnCopy(machine_->machine, decider, [this] { return "partner " + machine_->view.partnerId; });
}

std::optional<Partner> Partner::restore(PartnerView view) {
  const auto path = pathTo(view.membershipLocation);
  return machine::restore<Partner>(std::move(view), &PartnerView::membershipLocation, path,
                                  [](Partner& partner) -> PartnerView& { return partner.machine_->view; });
}

Partner replayPartner(const std::vector<DomainEvent>& events) {
  Partner partner;
  for (const DomainEvent& event : events) partner.apply(event);
  return partner;
}

}  // namespace benefitd::workflows
