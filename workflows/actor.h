// Who issues a command, and what they may do (SPEC section 2). The engine resolves a token to
// an Actor (a user's roles as currently recorded on the partner); the domain decides.
// Thread safety: pure functions over plain values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "workflows/names.h"
#include "workflows/rejection.h"

namespace benefitd::workflows {

struct Actor {
  enum class Kind { operatorKind, user, system };
  Kind kind = Kind::system;
  std::string userId;     // users only
  std::string partnerId;  // users only: the partner the user belongs to
  std::vector<Role> roles;

  static Actor operatorActor() { return Actor{Kind::operatorKind, {}, {}, {}}; }
  static Actor system() { return Actor{Kind::system, {}, {}, {}}; }
  static Actor user(std::string userId, std::string partnerId, std::vector<Role> roles) {
    return Actor{Kind::user, std::move(userId), std::move(partnerId), std::move(roles)};
  }
  bool isUser() const { return kind == Kind::user; }
  bool hasRole(Role role) const;
  /// "user", "operator" or "system", as in the audit event's actor.kind.
  std::string_view kindName() const;
};

/// The rows of SPEC section 2's table.
enum class Permission {
  view,            // any of the four roles
  purchase,        // R-AUTH-1: any of the four roles
  manageUsers,     // R-AUTH-2: global-admin, user-admin
  activate,        // R-AUTH-3: global-admin, mpn-partner-admin (also keys, support requests)
  assignSeats,     // R-AUTH-4: global-admin only
  marketing,       // R-AUTH-5: global-admin, mpn-partner-admin
  cancel,          // R-AUTH-6: global-admin, mpn-partner-admin
  audit,           // R-AUTH-7: global-admin, mpn-partner-admin
  operatorOnly,    // back office: register, migrate, fulfilment
  systemOrOperator // timers (the engine acts as `system`)
};

/// nullopt when allowed. A user acting on another partner's resource gets `not-found`
/// (R-AUTH-8: indistinguishable from a missing resource); a user lacking the role `forbidden`.
/// The operator may do everything a user may; `system` only timer and fulfilment work.
std::optional<Rejection> authorize(const Actor& actor, std::string_view resourcePartnerId, Permission permission);

/// R-AUTH-2: only a global admin grants or removes global-admin. Checks manageUsers first.
std::optional<Rejection> authorizeRoleChange(const Actor& actor, std::string_view partnerId,
                                             const std::vector<Role>& before, const std::vector<Role>& after);

/// R-AUTH-10: acting on another user's account (a new token, removal) needs manageUsers, and
/// a global admin's account needs a global admin: whoever holds the account's new token acts
/// with its roles.
std::optional<Rejection> authorizeAccountChange(const Actor& actor, std::string_view partnerId,
                                                const std::vector<Role>& targetRoles);

/// R-SW-2: keys are shown to the operator and to R-AUTH-3 roles of the owning partner.
bool maySeeKeys(const Actor& actor, std::string_view resourcePartnerId);

}  // namespace benefitd::workflows
