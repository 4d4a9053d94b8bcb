#include "workflows/actor.h"

#include <algorithm>

namespace benefitd::workflows {

namespace {

std::vector<Role> rolesFor(Permission permission) {
  switch (permission) {
    case Permission::view:
    case Permission::purchase:
      return {Role::globalAdmin, Role::userAdmin, Role::adminAgent, Role::mpnPartnerAdmin};
    case Permission::manageUsers: return {Role::globalAdmin, Role::userAdmin};
    case Permission::activate:
    case Permission::marketing:
    case Permission::cancel:
    case Permission::audit: return {Role::globalAdmin, Role::mpnPartnerAdmin};
    case Permission::assignSeats: return {Role::globalAdmin};
    case Permission::operatorOnly:
    case Permission::systemOrOperator: return {};
  }
  return {};
}

Rejection forbidden(std::string detail) { return Rejection{std::string{codes::forbidden}, std::move(detail)}; }

}  // namespace

bool Actor::hasRole(Role role) const { return std::find(roles.begin(), roles.end(), role) != roles.end(); }

std::string_view Actor::kindName() const {
  switch (kind) {
    case Kind::operatorKind: return "operator";
    case Kind::user: return "user";
    case Kind::system: return "system";
  }
  return "system";
}

std::optional<Rejection> authorize(const Actor& actor, std::string_view resourcePartnerId, Permission permission) {
  switch (actor.kind) {
    case Actor::Kind::operatorKind: return std::nullopt;
    case Actor::Kind::system:
      if (permission == Permission::systemOrOperator) return std::nullopt;
      return forbidden("only a partner user or the operator may do this");
    case Actor::Kind::user: break;
  }
  if (actor.partnerId != resourcePartnerId)
    return Rejection{std::string{codes::notFound}, "no such resource"};
  const std::vector<Role> allowed = rolesFor(permission);
  if (std::any_of(allowed.begin(), allowed.end(), [&](Role role) { return actor.hasRole(role); })) return std::nullopt;
  if (allowed.empty()) return forbidden("only the operator may do this");
  std::string names;
  for (const Role role : allowed) names += (names.empty() ? "" : ", ") + std::string{toString(role)};
  return forbidden("this needs one of the roles: " + names);
}

std::optional<Rejection> authorizeRoleChange(const Actor& actor, std::string_view partnerId, const std::vector<Role>& before,
                                             const std::vector<Role>& after) {
  if (auto refused = authorize(actor, partnerId, Permission::manageUsers)) return refused;
  const auto holds = [](const std::vector<Role>& roles) {
    return std::find(roles.begin(), roles.end(), Role::globalAdmin) != roles.end();
  };
  if (holds(before) != holds(after) && actor.isUser() && !actor.hasRole(Role::globalAdmin))
    return forbidden("only a global admin grants or removes the global-admin role");
  return std::nullopt;
}

std::optional<Rejection> authorizeAccountChange(const Actor& actor, std::string_view partnerId,
                                                const std::vector<Role>& targetRoles) {
  if (auto refused = authorize(actor, partnerId, Permission::manageUsers)) return refused;
  const bool targetIsGlobalAdmin = std::find(targetRoles.begin(), targetRoles.end(), Role::globalAdmin) != targetRoles.end();
  if (targetIsGlobalAdmin && actor.isUser() && !actor.hasRole(Role::globalAdmin))
    return forbidden("only a global admin may change a global admin's account");
  return std::nullopt;
}

bool maySeeKeys(const Actor& actor, std::string_view resourcePartnerId) {
  return actor.kind == Actor::Kind::operatorKind ||
         (actor.isUser() && !authorize(actor, resourcePartnerId, Permission::activate));
}

}  // namespace benefitd::workflows
