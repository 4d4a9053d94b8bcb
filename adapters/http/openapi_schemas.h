#pragma once
// The JSON Schemas of the API's bodies (components/schemas of the OpenAPI document), written
// beside the replies they describe so that a change to a reply's shape has one place to go.
// Thread safety: pure functions.

#include <nlohmann/json.hpp>

namespace benefitd::http {

/// components/schemas: every named schema the operations refer to with
/// "#/components/schemas/<Name>".
nlohmann::json component_schemas();

}  // namespace benefitd::http
