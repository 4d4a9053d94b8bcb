#include "workflows/decide.h"

#include "workflows/benefit_rules.h"
#include "workflows/package_rules.h"
#include "workflows/partner_rules.h"
#include "workflows/storable_time.h"

namespace benefitd::workflows {

namespace {

Decision notFound(const std::string& what) {
  Decision decision;
  decision.rejection = Rejection{std::string{codes::notFound}, "no such " + what};
  return decision;
}

Decision decidePartner(const PartnerCommand& command, const Partner& partner, const CommandContext& c) {
  DecisionBuilder out;
  PartnerDecider decider{PartnerContext{partner.view(), c.actor, c.now, c.source, c.ids, out}, command};
  partner.decide(decider);
  return std::move(out).finish();
}

Decision decidePackage(const PackageCommand& command, const Package& package, const Partner& partner,
                       const CommandContext& c) {
  DecisionBuilder out;
  PackageDecider decider{PackageContext{package.view(), partner.view(), c.catalog, c.source, c.actor, c.now, c.ids, out},
                         command};
  package.decide(decider);
  return std::move(out).finish();
}

/// Which other aggregates a benefit command reads, beyond the benefit itself: activation
/// reads the package (R-LIFE-2, R-PKG-4); seats read the partner's users (R-VS-1) and
/// Go-To-Market its marketing contact (R-GTM-1).
struct BenefitReads {
  bool package = false;
  bool partner = false;
};

BenefitReads readsOf(const BenefitCommand& command, Category category) {
  if (std::holds_alternative<ActivateBenefit>(command))
    return {true, category == Category::visualStudio || category == Category::goToMarket};
  if (std::holds_alternative<AssignSeat>(command) || std::holds_alternative<ReassignSeat>(command)) return {false, true};
  return {};
}

Decision decideBenefit(const BenefitCommand& command, const std::string& benefitId, const CommandContext& c) {
  const Benefit* benefit = c.source.benefit(benefitId);
  if (!benefit) return notFound("benefit");
  const BenefitView& view = benefit->view();
  const Package* package = c.source.package(view.packageId);
  const Partner* partner = c.source.partner(view.partnerId);
  DecisionBuilder out;
  const BenefitReads reads = readsOf(command, view.category);
  if (reads.package && package) out.dependOn(packageStream(view.packageId), package->version());
  if (reads.partner && partner) out.dependOn(partnerStream(view.partnerId), partner->version());
  BenefitDecider decider{BenefitContext{view, package ? &package->view() : nullptr, partner ? &partner->view() : nullptr,
                                        c.catalog, c.actor, c.now, c.ids, out},
                         command};
  benefit->decide(decider);
  return std::move(out).finish();
}

Decision decideUnchecked(const Command& command, const CommandContext& c) {
  return std::visit(
      [&](const auto& cmd) -> Decision {
        using C = std::decay_t<decltype(cmd)>;
        if constexpr (std::is_same_v<C, RegisterPartner>) {
          return decidePartner(cmd, Partner{}, c);
        } else if constexpr (std::is_constructible_v<PartnerCommand, C>) {
          const Partner* partner = c.source.partner(cmd.partnerId);
          if (!partner) return notFound("partner");
          return decidePartner(cmd, *partner, c);
        } else if constexpr (std::is_same_v<C, PurchasePackage>) {
          const Partner* partner = c.source.partner(cmd.partnerId);
          if (!partner) return notFound("partner");
          return decidePackage(cmd, Package{}, *partner, c);
        } else if constexpr (std::is_constructible_v<PackageCommand, C>) {
          const Package* package = c.source.package(cmd.packageId);
          if (!package) return notFound("package");
          const Partner* partner = c.source.partner(package->view().partnerId);
          if (!partner) return notFound("partner");
          return decidePackage(cmd, *package, *partner, c);
        } else {
          return decideBenefit(cmd, cmd.benefitId, c);
        }
      },
      command);
}

}  // namespace

Decision decide(const Command& command, const CommandContext& c) {
  Decision decision = decideUnchecked(command, c);
  if (decision.refused()) return decision;
  // R-ENG-11: nothing is stored that could not be read back.
  if (std::optional<std::string> problem = unstorableTime(decision)) {
    Decision refused;
    refused.rejection = Rejection{std::string{codes::invalidRequest}, std::move(*problem)};
    return refused;
  }
  return decision;
}

}  // namespace benefitd::workflows
