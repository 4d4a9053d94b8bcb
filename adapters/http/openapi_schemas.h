#pragma once
// What the OpenAPI document says of each route beyond the route table: the JSON Schemas of the
// bodies the server answers (components/schemas), each route's operationId and success body,
// and the types and bounds of its query parameters. Written beside one another, from the
// replies they describe (adapters/app/replies.cpp, queries.cpp, workflows/views.cpp) and the
// readers that bound the queries (view_queries.cpp), so that a change to either has one place
// to go; the contract tests (tests/api-contract) hold them to the running server.
// Thread safety: pure functions.

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "adapters/http/routes.h"

namespace benefitd::http {

/// components/schemas: every named schema the operations refer to with
/// "#/components/schemas/<Name>".
nlohmann::json component_schemas();

// Each of the following answers nullopt for a route (or parameter) not described here yet: the
// document still lists it, in the plainest terms, and tests/adapters/openapi_test.cpp fails
// until it is described. A new route is described by adding its case below.

/// The operation's operationId: camelCase, URL-safe and unique ("activateBenefit").
std::optional<std::string_view> operation_id(RouteId route);

/// The tag that groups the operation in the document ("Benefits").
std::optional<std::string_view> operation_tag(RouteId route);

/// The schema of the route's success body ({"$ref": ...} or a oneOf of them); JSON null for
/// a route whose success has no body (204).
std::optional<nlohmann::json> success_body_schema(RouteId route);

/// The Parameter Object of query parameter `name` of `route`.
std::optional<nlohmann::json> query_parameter(RouteId route, std::string_view name);

}  // namespace benefitd::http
