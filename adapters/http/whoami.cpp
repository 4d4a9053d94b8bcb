#include "adapters/http/whoami.h"

#include "workflows/names.h"

namespace benefitd::http {

nlohmann::json identity_body(const workflows::Actor& actor) {
  nlohmann::json roles = nlohmann::json::array();
  if (!actor.isUser()) return {{"kind", "operator"}, {"roles", roles}};
  for (workflows::Role role : actor.roles) roles.push_back(workflows::toString(role));
  return {{"kind", "user"}, {"userId", actor.userId}, {"partnerId", actor.partnerId}, {"roles", roles}};
}

}  // namespace benefitd::http
