// Partner rules (SPEC sections 2 and 3).
#include "workflows/partner_rules.h"

#include <algorithm>
#include <cctype>
#include <regex>

#include "workflows/rules.h"

namespace benefitd::workflows {

namespace {

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool plausibleEmail(const std::string& email) {
  static const std::regex kEmail{R"([^@\s]+@[^@\s]+\.[^@\s]+)"};
  return email.size() <= 254 && std::regex_match(email, kEmail);
}

/// BCP 47 in its common shape: a 2-3 letter language and optional subtags ("en-US", "zh-Hant-TW").
bool languageTag(const std::string& tag) {
  static const std::regex kTag{R"([A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*)"};
  return std::regex_match(tag, kTag);
}

nlohmann::json fieldError(const char* field) { return {{"errors", {{{"field", field}}}}}; }

}  // namespace

bool PartnerDecider::reject(std::string_view code, std::string detail, nlohmann::json extra) {
  return c_.out.reject(code, std::move(detail), std::move(extra));
}

void PartnerDecider::emit(const std::string& partnerId, DomainEvent event) {
  c_.out.emit(partnerStream(partnerId), c_.partner.version, std::move(event));
}

bool PartnerDecider::admit() {
  const Actor& actor = c_.actor;
  std::optional<Rejection> refused = std::visit(
      [&](const auto& command) -> std::optional<Rejection> {
        using C = std::decay_t<decltype(command)>;
        if constexpr (std::is_same_v<C, RegisterPartner>) {
          if (actor.kind != Actor::Kind::operatorKind)
            return Rejection{std::string{codes::forbidden}, "only the operator registers partners"};
          return std::nullopt;
        } else if constexpr (std::is_same_v<C, MigratePartner>) {
          return authorize(actor, c_.partner.partnerId, Permission::operatorOnly);
        } else if constexpr (std::is_same_v<C, AddUser>) {
          return authorizeRoleChange(actor, c_.partner.partnerId, {}, command.roles);
        } else if constexpr (std::is_same_v<C, RotateUserToken>) {
          // R-AUTH-10: users may replace their own token, whatever their roles.
          if (actor.isUser() && actor.partnerId == c_.partner.partnerId && actor.userId == command.userId)
            return std::nullopt;
          return authorizeAccountChange(actor, c_.partner.partnerId, rolesOf(command.userId));
        } else if constexpr (std::is_same_v<C, RemoveUser>) {
          return authorizeAccountChange(actor, c_.partner.partnerId, rolesOf(command.userId));
        } else if constexpr (std::is_same_v<C, ReleaseRemovedUserSeats>) {
          return authorize(actor, c_.partner.partnerId, Permission::systemOrOperator);
        } else if constexpr (std::is_same_v<C, ChangeUserRoles>) {
          if (auto denied = authorize(actor, c_.partner.partnerId, Permission::manageUsers)) return denied;
          const UserView* user = c_.partner.findUser(command.userId);
          if (!user) return Rejection{std::string{codes::notFound}, "no user " + command.userId + " in this partner"};
          return authorizeRoleChange(actor, c_.partner.partnerId, user->roles, command.roles);
        } else {
          return authorize(actor, c_.partner.partnerId, Permission::marketing);
        }
      },
      command_);
  if (refused) return reject(refused->code, refused->detail, refused->extra);
  return true;
}

std::vector<Role> PartnerDecider::rolesOf(const std::string& userId) const {
  const UserView* user = c_.partner.findUser(userId);
  return user ? user->roles : std::vector<Role>{};
}

void PartnerDecider::refuseInState(std::string_view status) {
  if (c_.out.refused()) return;
  reject(codes::invalidTransition, "not possible while the partner is in " + std::string{status},
         {{"currentStatus", status}});
}

bool PartnerDecider::allows(const RegisterPartner& r) {
  if (r.name.empty()) return reject(codes::invalidRequest, "name must not be empty", fieldError("name"));
  if (!plausibleEmail(r.accountEmail))
    return reject(codes::invalidRequest, "accountEmail must be an email address", fieldError("accountEmail"));
  if (!plausibleEmail(r.adminEmail))
    return reject(codes::invalidRequest, "globalAdmin.email must be an email address", fieldError("globalAdmin.email"));
  if (r.adminDisplayName.empty())
    return reject(codes::invalidRequest, "globalAdmin.displayName must not be empty", fieldError("globalAdmin.displayName"));
  return true;
}

void PartnerDecider::decide(const RegisterPartner& r) {
  const std::string partnerId = c_.ids.newId(IdKind::partner);
  const std::string userId = c_.ids.newId(IdKind::user);
  emit(partnerId, PartnerRegistered{partnerId, r.name, r.accountEmail, r.membershipLocation, c_.now});
  emit(partnerId, UserAdded{partnerId, userId, r.adminEmail, r.adminDisplayName, {Role::globalAdmin}, c_.now});
  c_.out.result()["partnerId"] = partnerId;
  c_.out.result()["globalAdminUserId"] = userId;
}

bool PartnerDecider::allows(const MigratePartner&) { return true; }

void PartnerDecider::decide(const MigratePartner&) {
  emit(c_.partner.partnerId, PartnerMigrated{c_.partner.partnerId, c_.now});
}

bool PartnerDecider::allows(const AddUser& r) {
  if (!plausibleEmail(r.email)) return reject(codes::invalidRequest, "email must be an email address", fieldError("email"));
  if (r.displayName.empty()) return reject(codes::invalidRequest, "displayName must not be empty", fieldError("displayName"));
  return true;
}

void PartnerDecider::decide(const AddUser& r) {
  const std::string userId = c_.ids.newId(IdKind::user);
  emit(c_.partner.partnerId,
       UserAdded{c_.partner.partnerId, userId, r.email, r.displayName, normalizedRoles(r.roles), c_.now});
  c_.out.result()["userId"] = userId;
}

bool PartnerDecider::allows(const ChangeUserRoles&) { return true; }

void PartnerDecider::decide(const ChangeUserRoles& r) {
  const UserView& user = *c_.partner.findUser(r.userId);
  emit(c_.partner.partnerId,
       UserRolesChanged{c_.partner.partnerId, r.userId, user.roles, normalizedRoles(r.roles), c_.now});
  c_.out.result()["userId"] = r.userId;
}

bool PartnerDecider::allows(const AssignMarketingContact& r) {
  if (!c_.partner.findUser(r.userId))
    return reject(codes::unknownUser,
                  "user " + r.userId + " is not a user of this partner: add the user in account settings first");
  if (!plausibleEmail(r.email)) return reject(codes::invalidRequest, "email must be an email address", fieldError("email"));
  if (lowercase(r.email) == lowercase(c_.partner.accountEmail))
    return reject(codes::marketingEmailSameAsAccount,
                  "the marketing contact's email must differ from the partner's account email");
  if (r.phone.empty()) return reject(codes::invalidRequest, "phone must not be empty", fieldError("phone"));
  if (!languageTag(r.preferredLanguage))
    return reject(codes::invalidRequest, "preferredLanguage must be a BCP 47 language tag such as en-US",
                  fieldError("preferredLanguage"));
  return true;
}

void PartnerDecider::decide(const AssignMarketingContact& r) {
  emit(c_.partner.partnerId,
       MarketingContactAssigned{c_.partner.partnerId, r.userId, r.email, r.phone, r.preferredLanguage, c_.now});
}

bool PartnerDecider::allows(const RotateUserToken& r) {
  if (!c_.partner.findUser(r.userId)) return reject(codes::notFound, "no user " + r.userId + " in this partner");
  return true;
}

void PartnerDecider::decide(const RotateUserToken& r) {
  const int generation = c_.partner.findUser(r.userId)->tokenGeneration + 1;
  emit(c_.partner.partnerId, UserTokenRotated{c_.partner.partnerId, r.userId, generation, c_.now});
  c_.out.result()["userId"] = r.userId;
  c_.out.result()["tokenGeneration"] = generation;
}

bool PartnerDecider::allows(const RemoveUser& r) {
  const UserView* user = c_.partner.findUser(r.userId);
  if (!user) return reject(codes::notFound, "no user " + r.userId + " in this partner");
  const bool globalAdmin = std::find(user->roles.begin(), user->roles.end(), Role::globalAdmin) != user->roles.end();
  if (globalAdmin && c_.partner.globalAdminCount() == 1)
    return reject(codes::lastGlobalAdmin, "the partner's last global admin cannot be removed: make another user global admin first");
  // R-PART-3: the marketing contact is a user of the partner, and Go-To-Market offers still
  // being fulfilled will write to it.
  if (c_.partner.marketingContact && c_.partner.marketingContact->userId == r.userId)
    return reject(codes::userIsMarketingContact,
                  "the user is the partner's marketing contact: set another marketing contact first");
  return true;
}

void PartnerDecider::releaseSeatsOf(const std::string& userId, const std::vector<std::string>& benefitIds) {
  for (const std::string& benefitId : benefitIds) {
    const Benefit* benefit = c_.source.benefit(benefitId);
    if (!benefit) continue;
    const BenefitView& view = benefit->view();
    if (view.partnerId != c_.partner.partnerId || view.category != Category::visualStudio || view.status != "active")
      continue;
    const SeatView* seat = view.findSeatOf(userId);
    if (!seat) {
      c_.out.dependOn(benefitStream(benefitId), benefit->version());
      continue;
    }
    c_.out.emit(benefitStream(benefitId), benefit->version(), SeatReleased{benefitId, seat->seatId, userId, c_.now});
  }
}

// R-AUTH-10: the user's seats are released with the removal, in the same write. Reading every
// active Visual Studio benefit makes the write depend on it, so a seat assigned to the user
// meanwhile makes the removal decide again and release that seat too. A seat assigned after
// the removal is refused (seat commands depend on the partner, which the removal changes).
// What the removal cannot list is a benefit bought while it ran and given the user a seat
// before it committed: the timer it sets releases that one (ReleaseRemovedUserSeats).
void PartnerDecider::decide(const RemoveUser& r) {
  releaseSeatsOf(r.userId, r.benefitIds);
  emit(c_.partner.partnerId, UserRemoved{c_.partner.partnerId, r.userId, c_.now});
  c_.out.schedule(timerFor(ReleaseRemovedUserSeats{c_.partner.partnerId, r.userId, {}}, c_.now));
  c_.out.result()["userId"] = r.userId;
}

bool PartnerDecider::allows(const ReleaseRemovedUserSeats& r) {
  if (c_.partner.findUser(r.userId))
    return reject(codes::invalidTransition, "user " + r.userId + " has not been removed");
  return true;
}

// Nothing to release (the usual case) is an empty decision.
void PartnerDecider::decide(const ReleaseRemovedUserSeats& r) { releaseSeatsOf(r.userId, r.benefitIds); }

bool PartnerDecider::refuseInPmc(const AssignMarketingContact&) {
  return reject(codes::membershipInPmc,
                rules::kManageInPmc);
}

void record(PartnerView& v, const PartnerRegistered& e) {
  v.partnerId = e.partnerId;
  v.name = e.name;
  v.accountEmail = e.accountEmail;
}

void record(PartnerView&, const PartnerMigrated&) {}

void record(PartnerView& v, const UserAdded& e) {
  v.users.push_back(UserView{e.userId, e.email, e.displayName, normalizedRoles(e.roles)});
}

void record(PartnerView& v, const UserRolesChanged& e) {
  for (UserView& user : v.users)
    if (user.userId == e.userId) user.roles = normalizedRoles(e.roles);
}

void record(PartnerView& v, const UserTokenRotated& e) {
  for (UserView& user : v.users)
    if (user.userId == e.userId) user.tokenGeneration = e.generation;
}

void record(PartnerView& v, const UserRemoved& e) {
  std::erase_if(v.users, [&](const UserView& user) { return user.userId == e.userId; });
}

void record(PartnerView& v, const MarketingContactAssigned& e) {
  v.marketingContact = MarketingContactView{e.userId, e.email, e.phone, e.preferredLanguage};
}

}  // namespace benefitd::workflows
