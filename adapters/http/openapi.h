#pragma once
// The OpenAPI 3 document of the API (GET /openapi.json), generated from the route table so
// that every route the router serves is described and nothing else is.
// Thread safety: pure function.

#include <nlohmann/json.hpp>

namespace benefitd::http {

nlohmann::json openapi_document();

}  // namespace benefitd::http
