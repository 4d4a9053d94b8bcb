#pragma once
// The crash loop's starting data: partners, each with a global admin (whose token the load
// uses), employees to receive Visual Studio seats, and a marketing contact so that Go-To-Market
// offers can be activated (R-GTM-1). Sent before the first kill, without idempotency keys.
// Thread safety: one thread.

#include "tests/reliability/api_client.h"
#include "tests/reliability/world.h"

namespace benefitd::reliability {

World seed_world(ApiClient& operator_client, const std::string& port, int partners, int employees_per_partner);

}  // namespace benefitd::reliability
