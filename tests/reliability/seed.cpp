// Registering the crash loop's partners and their users.
#include "tests/reliability/seed.h"

#include <string>
#include <vector>

namespace benefitd::reliability {

World seed_world(ApiClient& operator_client, const std::string& port, int partners, int employees_per_partner) {
  std::vector<Partner> seeded;
  for (int index = 0; index < partners; ++index) {
    const std::string name = "partner" + std::to_string(index);
    const auto registered =
        operator_client.call("POST", "/v1/partners",
                             {{"name", name},
                              {"accountEmail", "program@" + name + ".test"},
                              {"globalAdmin", {{"email", "admin@" + name + ".test"}, {"displayName", "Admin"}}}},
                             201);
    Partner partner{registered["partnerId"], registered["globalAdmin"]["token"], {}};
    ApiClient admin(port, partner.admin_token);
    const std::string users = "/v1/partners/" + partner.partner_id + "/users";
    for (int employee = 0; employee < employees_per_partner; ++employee) {
      const std::string email = "employee" + std::to_string(employee) + "@" + name + ".test";
      const auto user = admin.call("POST", users, {{"email", email}, {"displayName", email}, {"roles", nlohmann::json::array()}}, 201);
      partner.employee_ids.push_back(user["userId"]);
    }
    admin.call("PUT", "/v1/partners/" + partner.partner_id + "/marketing-contact",
               {{"userId", registered["globalAdmin"]["userId"]},
                {"email", "marketing@" + name + ".test"},
                {"phone", "+1 555 0100"},
                {"preferredLanguage", "en-US"}},
               200);
    seeded.push_back(std::move(partner));
  }
  return World(std::move(seeded));
}

}  // namespace benefitd::reliability
