#include "adapters/http/openapi_schemas.h"

namespace benefitd::http {

nlohmann::json component_schemas() {
  return {{"Problem",
           {{"type", "object"},
            {"required", {"type", "title", "status", "code"}},
            {"properties",
             {{"type", {{"type", "string"}}},
              {"title", {{"type", "string"}}},
              {"status", {{"type", "integer"}}},
              {"detail", {{"type", "string"}}},
              {"code", {{"type", "string"}}},
              {"errors", {{"type", "array"}, {"items", {{"type", "object"}}}}}}}}}};
}

}  // namespace benefitd::http
