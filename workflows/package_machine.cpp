// The package machine.
#include "workflows/package.h"

#include <utility>

#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>

#include "workflows/machine_support.h"
#include "workflows/package_rules.h"

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

using PackageBinding = machine::Binding<PackageView, PackageDecider>;

template <const char* Name>
struct Named : msm::front::state<NamedState> {
  std::string_view name() const override { return Name; }
};

constexpr char kNone[] = "none";
constexpr char kActive[] = "active";
constexpr char kCancellationRequested[] = "cancellation-requested";
constexpr char kCancelled[] = "cancelled";
constexpr char kExpired[] = "expired";
constexpr char kLapsed[] = "lapsed";

/// Command guard that always refuses a renewal of a lapsed package, with R-PKG-5's reason.
struct RefusedLapsed {
  template <class Fsm, class Source, class Target>
  bool operator()(const RenewPackage& command, Fsm& fsm, Source&, Target&) const {
    return fsm.decider->refuseLapsedRenewal(command);
  }
};

struct PackageDef : msm::front::state_machine_def<PackageDef, NamedState>, PackageBinding {
  using NotPurchased = Named<kNone>;
  using Active = Named<kActive>;
  using CancellationRequestedState = Named<kCancellationRequested>;
  using Cancelled = Named<kCancelled>;
  using Expired = Named<kExpired>;
  using Lapsed = Named<kLapsed>;
  using initial_state = NotPurchased;

  // clang-format off
  struct transition_table : mpl::vector<
    //  source                      message                target                      action  guard
    Row<NotPurchased,               PurchasePackage,       none,                       Decide, Allowed>,
    Row<NotPurchased,               PackagePurchased,      Active,                     Record, none>,
    Row<Active,                     RequestCancellation,   none,                       Decide, Allowed>,
    Row<Active,                     CancellationRequested, CancellationRequestedState, Record, none>,
    Row<CancellationRequestedState, CompleteCancellation,  none,                       Decide, Allowed>,
    Row<CancellationRequestedState, PackageCancelled,      Cancelled,                  Record, none>,
    Row<Cancelled,                  RefundIssued,          none,                       Record, none>,
    Row<Active,                     ExpirePackage,         none,                       Decide, Allowed>,
    Row<Active,                     PackageExpired,        Expired,                    Record, none>,
    Row<Active,                     RenewPackage,          none,                       Decide, Allowed>,
    Row<Active,                     PackageRenewed,        none,                       Record, none>,
    Row<Expired,                    RenewPackage,          none,                       Decide, Allowed>,
    Row<Expired,                    PackageRenewed,        Active,                     Record, none>,
    Row<Expired,                    LapsePackage,          none,                       Decide, Allowed>,
    Row<Expired,                    PackageLapsed,         Lapsed,                     Record, none>,
    Row<Lapsed,                     RenewPackage,          none,                       none,   RefusedLapsed>
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

using PackageMachine = msm::back::state_machine<PackageDef>;

std::string_view PackageDef::name() const {
  const auto& package = static_cast<const PackageMachine&>(*this);
  return package.get_state_by_id(package.current_state()[0])->name();
}

// The recorded events that lead a fresh machine to `state`, for restore: beyond its view, the
// state is all a package holds.
std::optional<std::vector<DomainEvent>> pathTo(std::string_view state) {
  std::vector<DomainEvent> path;
  if (state == kNone) return path;
  path.emplace_back(PackagePurchased{});
  if (state == kActive) return path;
  if (state == kCancellationRequested || state == kCancelled) {
    path.emplace_back(CancellationRequested{});
    if (state == kCancelled) path.emplace_back(PackageCancelled{});
    return path;
  }
  path.emplace_back(PackageExpired{});
  if (state == kExpired) return path;
  path.emplace_back(PackageLapsed{});
  if (state == kLapsed) return path;
  return std::nullopt;
}

}  // namespace

struct Package::Machine {
  PackageMachine machine;
  PackageView view;

  Machine() {
    machine.start();
    view.status = std::string{machine.name()};
  }
};

Package::Package() : machine_(std::make_unique<Machine>()) {}
Package::~Package() = default;
Package::Package(const Package& other) : machine_(std::make_unique<Machine>(*other.machine_)) {}
Package& Package::operator=(const Package& other) {
  if (this != &other) machine_ = std::make_unique<Machine>(*other.machine_);
  return *this;
}
Package::Package(Package&& other) noexcept = default;
Package& Package::operator=(Package&& other) noexcept = default;

const PackageView& Package::view() const { return machine_->view; }
std::uint64_t Package::version() const { return machine_->view.version; }
bool Package::exists() const { return machine_->view.status != kNone; }

void Package::apply(const DomainEvent& event) {
  machine::applyEvent(machine_->machine, machine_->view, &PackageView::status, event,
                      [this] { return "package " + machine_->view.packageId; });
}

void Package::decide(PackageDecider& decider) const {
  machine::decideOnCopy(machine_->machine, decider, [this] { return "package " + machine_->view.packageId; });
}

std::optional<Package> Package::restore(PackageView view) {
  const auto path = pathTo(view.status);
  return machine::restore<Package>(std::move(view), &PackageView::status, path,
                                  [](Package& package) -> PackageView& { return package.machine_->view; });
}

Package replayPackage(const std::vector<DomainEvent>& events) {
  Package package;
  for (const DomainEvent& event : events) package.apply(event);
  return package;
}

}  // namespace benefitd::workflows
