// The benefit machine. The lifecycle proper (purchased, activation-requested, pending, active)
// is a submachine, `Live`; the outer machine adds the grant and the two terminal states, so
// expiry and cancellation are one row each from any live state and both tables stay under
// MPL's default limit of 20 rows.
#include "workflows/benefit.h"

#include <utility>

#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>

#include "workflows/benefit_rules.h"
#include "workflows/machine_support.h"

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

using BenefitBinding = machine::Binding<BenefitView, BenefitDecider>;

template <const char* Name>
struct Named : msm::front::state<NamedState> {
  std::string_view name() const override { return Name; }
};

constexpr char kNone[] = "none";
constexpr char kPurchased[] = "purchased";
constexpr char kActivationRequested[] = "activation-requested";
constexpr char kPending[] = "pending";
constexpr char kActive[] = "active";
constexpr char kExpired[] = "expired";
constexpr char kCancelled[] = "cancelled";

struct LiveDef : msm::front::state_machine_def<LiveDef, NamedState>, BenefitBinding {
  using Purchased = Named<kPurchased>;
  using Requested = Named<kActivationRequested>;
  using Pending = Named<kPending>;
  using Active = Named<kActive>;
  using initial_state = Purchased;

  // clang-format off
  struct transition_table : mpl::vector<
    //  source     message               target     action  guard
    Row<Purchased, ActivateBenefit,      none,      Decide, Allowed>,
    Row<Purchased, ActivationRequested,  Requested, Record, none>,
    Row<Requested, AcceptFulfilment,     none,      Decide, Allowed>,
    Row<Requested, FulfilmentAccepted,   Pending,   Record, none>,
    Row<Requested, CompleteFulfilment,   none,      Decide, Allowed>,
    Row<Requested, RejectFulfilment,     none,      Decide, Allowed>,
    Row<Requested, FulfilmentRejected,   Purchased, Record, none>,
    Row<Pending,   CompleteFulfilment,   none,      Decide, Allowed>,
    Row<Pending,   BenefitActivated,     Active,    Record, none>,
    Row<Pending,   RejectFulfilment,     none,      Decide, Allowed>,
    Row<Pending,   FulfilmentRejected,   Purchased, Record, none>,
    Row<Active,    RevealKey,            none,      Decide, Allowed>,
    Row<Active,    KeyRevealed,          none,      Record, none>,
    Row<Active,    AssignSeat,           none,      Decide, Allowed>,
    Row<Active,    SeatAssigned,         none,      Record, none>,
    Row<Active,    ReassignSeat,         none,      Decide, Allowed>,
    Row<Active,    SeatReassigned,       none,      Record, none>,
    Row<Active,    SeatReleased,         none,      Record, none>,
    Row<Active,    OpenSupportRequest,   none,      Decide, Allowed>,
    Row<Active,    SupportRequestOpened, none,      Record, none>
  > {};
  // clang-format on

  std::string_view name() const override;

  // Inside the outer machine an unhandled message goes back to the outer machine, which
  // reports it; these only run if Live were used on its own.
  template <class Fsm, class Message>
  void no_transition(const Message& message, Fsm& fsm, int) {
    machine::unhandled(message, fsm, fsm.name());
  }
  template <class Fsm, class Message>
  void exception_caught(const Message&, Fsm& fsm, std::exception& error) {
    machine::caught(fsm, error);
  }
};
using Live = msm::back::state_machine<LiveDef>;

std::string_view LiveDef::name() const {
  const Live& live = static_cast<const Live&>(*this);
  return live.get_state_by_id(live.current_state()[0])->name();
}

struct BenefitDef : msm::front::state_machine_def<BenefitDef, NamedState>, BenefitBinding {
  using NotGranted = Named<kNone>;
  using Expired = Named<kExpired>;
  using Cancelled = Named<kCancelled>;
  using initial_state = NotGranted;

  // clang-format off
  struct transition_table : mpl::vector<
    //  source      message             target     action  guard
    Row<NotGranted, GrantBenefit,       none,      Decide, Allowed>,
    Row<NotGranted, BenefitGranted,     Live,      Record, none>,
    Row<Live,       ExpireBenefit,      none,      Decide, Allowed>,
    Row<Live,       BenefitExpired,     Expired,   Record, none>,
    Row<Live,       CancelBenefit,      none,      Decide, Allowed>,
    Row<Live,       BenefitCancelled,   Cancelled, Record, none>,
    Row<Live,       NotificationQueued, none,      Record, none>
  > {};
  // clang-format on

  /// The persisted status: the current state's name, looking into Live when inside it.
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

std::string_view BenefitDef::name() const {
  const auto& benefit = static_cast<const msm::back::state_machine<BenefitDef>&>(*this);
  return benefit.get_state_by_id(benefit.current_state()[0])->name();
}

struct BenefitMachine : msm::back::state_machine<BenefitDef> {
  /// Points both levels at the view, decider and failure slot (or detaches them with nulls).
  void bind(BenefitView* view, BenefitDecider* decider, std::string* failure) {
    for (BenefitBinding* binding : {static_cast<BenefitBinding*>(this), static_cast<BenefitBinding*>(&get_state<Live&>())}) {
      binding->view = view;
      binding->decider = decider;
      binding->failure = failure;
    }
  }
};

// The recorded events that lead a fresh machine to `state`, for restore: beyond its view, the
// state is all a benefit holds.
std::optional<std::vector<DomainEvent>> pathTo(std::string_view state) {
  std::vector<DomainEvent> path;
  if (state == kNone) return path;
  path.emplace_back(BenefitGranted{});
  if (state == kPurchased) return path;
  if (state == kExpired || state == kCancelled) {
    path.emplace_back(state == kExpired ? DomainEvent{BenefitExpired{}} : DomainEvent{BenefitCancelled{}});
    return path;
  }
  path.emplace_back(ActivationRequested{});
  if (state == kActivationRequested) return path;
  path.emplace_back(FulfilmentAccepted{});
  if (state == kPending) return path;
  path.emplace_back(BenefitActivated{});
  if (state == kActive) return path;
  return std::nullopt;
}

}  // namespace

struct Benefit::Machine {
  BenefitMachine machine;
  BenefitView view;

  Machine() {
    machine.start();
    view.status = std::string{machine.name()};
  }
};

Benefit::Benefit() : machine_(std::make_unique<Machine>()) {}
Benefit::~Benefit() = default;
Benefit::Benefit(const Benefit& other) : machine_(std::make_unique<Machine>(*other.machine_)) {}
Benefit& Benefit::operator=(const Benefit& other) {
  if (this != &other) machine_ = std::make_unique<Machine>(*other.machine_);
  return *this;
}
Benefit::Benefit(Benefit&& other) noexcept = default;
Benefit& Benefit::operator=(Benefit&& other) noexcept = default;

const BenefitView& Benefit::view() const { return machine_->view; }
std::uint64_t Benefit::version() const { return machine_->view.version; }
bool Benefit::exists() const { return machine_->view.status != kNone; }

void Benefit::apply(const DomainEvent& event) {
  machine::applyEvent(machine_->machine, machine_->view, &BenefitView::status, event,
                      [this] { return "benefit " + machine_->view.benefitId; });
}

void Benefit::decide(BenefitDecider& decider) const {
  machine::decideOnCopy(machine_->machine, decider, [this] { return "benefit " + machine_->view.benefitId; });
}

std::optional<Benefit> Benefit::restore(BenefitView view) {
  const auto path = pathTo(view.status);
  return machine::restore<Benefit>(std::move(view), &BenefitView::status, path,
                                  [](Benefit& benefit) -> BenefitView& { return benefit.machine_->view; });
}

Benefit replayBenefit(const std::vector<DomainEvent>& events) {
  Benefit benefit;
  for (const DomainEvent& event : events) benefit.apply(event);
  return benefit;
}

}  // namespace benefitd::workflows
