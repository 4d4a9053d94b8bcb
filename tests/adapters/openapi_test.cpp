// GET /openapi.json describes every endpoint of API.md, and the router serves each of them:
// every operation named, every body with a schema, every query parameter typed with the bounds
// the server enforces. (tests/api-contract holds the document to the running server's traffic.)
#include <catch2/catch.hpp>

#include <regex>
#include <set>

#include "adapters/http/openapi.h"
#include "adapters/http/openapi_schemas.h"
#include "adapters/http/problem.h"
#include "adapters/http/problem_codes.h"
#include "adapters/http/request_target.h"
#include "adapters/http/routes.h"
#include "router_harness.h"

namespace benefitd::testing {
namespace {

// API.md's endpoints, copied from the contract rather than from the route table, and the
// extensions docs/http.md adds to it.
const std::vector<std::pair<std::string, std::string>> kContractEndpoints = {
    {"post", "/v1/partners"},
    {"post", "/v1/partners/{partnerId}/migrate"},
    {"get", "/v1/clock"},
    {"post", "/v1/clock/advance"},
    {"get", "/v1/events"},
    {"post", "/v1/audit/verify"},
    {"get", "/v1/fulfilment/requests"},
    {"post", "/v1/fulfilment/requests/{requestId}/accept"},
    {"post", "/v1/fulfilment/requests/{requestId}/complete"},
    {"post", "/v1/fulfilment/requests/{requestId}/reject"},
    {"get", "/v1/partners/{partnerId}"},
    {"post", "/v1/partners/{partnerId}/users"},
    {"get", "/v1/partners/{partnerId}/users"},
    {"put", "/v1/partners/{partnerId}/users/{userId}/roles"},
    {"post", "/v1/partners/{partnerId}/users/{userId}/token"},  // R-AUTH-10, docs/http.md
    {"delete", "/v1/partners/{partnerId}/users/{userId}"},      // R-AUTH-10, docs/http.md
    {"put", "/v1/partners/{partnerId}/marketing-contact"},
    {"get", "/v1/catalog"},
    {"post", "/v1/partners/{partnerId}/packages"},
    {"get", "/v1/partners/{partnerId}/packages"},
    {"get", "/v1/packages/{packageId}"},
    {"post", "/v1/packages/{packageId}/renew"},
    {"post", "/v1/packages/{packageId}/cancel"},
    {"get", "/v1/partners/{partnerId}/benefits"},
    {"get", "/v1/partners/{partnerId}/expirations"},
    {"get", "/v1/benefits/{benefitId}"},
    {"post", "/v1/benefits/{benefitId}/activate"},
    {"post", "/v1/benefits/{benefitId}/keys"},
    {"post", "/v1/benefits/{benefitId}/seats"},
    {"post", "/v1/benefits/{benefitId}/seats/{seatId}/reassign"},
    {"post", "/v1/benefits/{benefitId}/support-requests"},
    {"get", "/v1/streams/{streamId}/events"},
    {"get", "/v1/partners/{partnerId}/audit"},
    {"get", "/v1/me"},  // who a token belongs to, for the Benefits page (issue 12)
    {"post", "/v1/admin/backups"},  // docs/operations.md
    {"get", "/v1/admin/backups/{backupId}/files/{fileName}"},
    {"delete", "/v1/admin/backups/{backupId}"},
    {"get", "/v1/notifications"},
    {"post", "/v1/notifications/{notificationId}/retry"},
    {"get", "/healthz"},
    {"get", "/metrics"},
    {"get", "/openapi.json"},
};

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

/// "/v1/benefits/{benefitId}" with sample values in place of the parameters.
std::string sample_path(std::string path) {
  std::size_t open;
  while ((open = path.find('{')) != std::string::npos) path.replace(open, path.find('}') - open + 1, "X1");
  return path;
}

TEST_CASE("the OpenAPI document lists every API.md endpoint and the router serves it", "[http][openapi]") {
  const nlohmann::json document = http::openapi_document();
  CHECK(document["openapi"] == "3.0.3");
  for (const auto& [method, path] : kContractEndpoints) {
    CAPTURE(method, path);
    REQUIRE(document["paths"].contains(path));
    CHECK(document["paths"][path].contains(method));
    const auto target = http::parse_request_target(sample_path(path));
    REQUIRE(target);
    const auto match = http::match_route(upper(method), target->segments);
    REQUIRE(std::holds_alternative<http::RouteMatch>(match));
    CHECK(std::get<http::RouteMatch>(match).route->path == path);
  }
  std::size_t operations = 0;
  for (const auto& [path, methods] : document["paths"].items()) operations += methods.size();
  CHECK(operations == kContractEndpoints.size());
  CHECK(http::all_routes().size() == kContractEndpoints.size());
}

TEST_CASE("OpenAPI operations name their path parameters and bodies", "[http][openapi]") {
  const nlohmann::json document = http::openapi_document();
  const auto& reassign = document["paths"]["/v1/benefits/{benefitId}/seats/{seatId}/reassign"]["post"];
  std::vector<std::string> names;
  for (const auto& parameter : reassign["parameters"])
    if (parameter.contains("in") && parameter["in"] == "path") names.push_back(parameter["name"]);
  CHECK(names == std::vector<std::string>{"benefitId", "seatId"});
  CHECK(reassign["requestBody"]["content"]["application/json"]["schema"]["required"] == nlohmann::json{"userId"});
  CHECK(document["paths"]["/healthz"]["get"]["security"].empty());
  CHECK_FALSE(document["paths"]["/v1/clock"]["get"]["security"].empty());
}

/// The object a local "$ref" points at ("#/components/schemas/Benefit").
const nlohmann::json& resolve(const nlohmann::json& document, const nlohmann::json& value) {
  if (!value.is_object() || !value.contains("$ref")) return value;
  const std::string pointer = value["$ref"].get<std::string>().substr(1);
  REQUIRE(document.contains(nlohmann::json::json_pointer(pointer)));
  return resolve(document, document.at(nlohmann::json::json_pointer(pointer)));
}

/// Every "$ref" anywhere under `value`.
void collect_refs(const nlohmann::json& value, std::set<std::string>* refs) {
  if (value.is_object()) {
    if (value.contains("$ref")) refs->insert(value["$ref"].get<std::string>());
    for (const auto& [key, member] : value.items()) collect_refs(member, refs);
  } else if (value.is_array()) {
    for (const auto& member : value) collect_refs(member, refs);
  }
}

TEST_CASE("OpenAPI operationIds are described, camelCase, URL-safe and unique", "[http][openapi]") {
  const nlohmann::json document = http::openapi_document();
  std::set<std::string> seen;
  const std::regex camel_case("[a-z][A-Za-z0-9]*");
  for (const http::Route& route : http::all_routes()) {
    CAPTURE(route.label());
    CHECK(http::operation_id(route.id).has_value());
    CHECK(http::operation_tag(route.id).has_value());
    std::string method(route.method);
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string id = document["paths"][std::string(route.path)][method]["operationId"];
    CHECK(std::regex_match(id, camel_case));
    CHECK(seen.insert(id).second);
  }
}

TEST_CASE("OpenAPI: every response of every route that carries a body has a schema, and every $ref resolves",
          "[http][openapi]") {
  const nlohmann::json document = http::openapi_document();
  std::set<std::string> refs;
  collect_refs(document, &refs);
  for (const std::string& ref : refs) {
    CAPTURE(ref);
    REQUIRE(ref.starts_with("#/"));
    CHECK(document.contains(nlohmann::json::json_pointer(ref.substr(1))));
  }
  for (const http::Route& route : http::all_routes()) {
    CAPTURE(route.label());
    const auto success = http::success_body_schema(route.id);
    REQUIRE(success.has_value());
    CHECK(success->is_null() == (route.success_status == 204));
    std::string method(route.method);
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto& operation = document["paths"][std::string(route.path)][method];
    CHECK(operation["responses"].contains(std::to_string(route.success_status)));
    for (const auto& [status, reference] : operation["responses"].items()) {
      CAPTURE(status);
      const nlohmann::json& response = resolve(document, reference);
      CHECK(response.contains("description"));
      const bool empty = status == "204" || status == "304";
      CHECK(response.contains("content") != empty);
      if (!response.contains("content")) continue;
      for (const auto& [media, content] : response["content"].items()) {
        CAPTURE(media);
        REQUIRE(content.contains("schema"));
        const nlohmann::json& schema = resolve(document, content["schema"]);
        CHECK((schema.contains("type") || schema.contains("allOf") || schema.contains("oneOf")));
      }
    }
    // A body the server reads: optional exactly when it requires no member.
    if (!route.body_schema.empty()) {
      const auto& body = operation["requestBody"];
      CHECK(body["required"] == (body["content"]["application/json"]["schema"].contains("required") ||
                                 body["content"]["application/json"]["schema"].contains("oneOf")));
    }
  }
  const auto& verify = document["paths"]["/v1/audit/verify"]["post"];
  CHECK(verify["requestBody"]["required"] == false);
  const auto& activate = document["paths"]["/v1/benefits/{benefitId}/activate"]["post"]["responses"];
  CHECK(activate["202"]["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/Benefit");
}

TEST_CASE("OpenAPI: each problem status lists exactly the codes the server answers with it", "[http][openapi]") {
  const nlohmann::json document = http::openapi_document();
  std::set<std::string> all_codes;
  for (const auto& code : document["components"]["schemas"]["Problem"]["properties"]["code"]["enum"])
    all_codes.insert(code.get<std::string>());
  std::set<std::string> table_codes;
  for (const http::ProblemCode& entry : http::problem_codes()) {
    table_codes.insert(std::string(entry.code));
    CHECK(http::status_for_code(entry.code) == entry.status);
  }
  CHECK(all_codes == table_codes);
  for (const auto& [name, response] : document["components"]["responses"].items()) {
    if (!response.contains("content")) continue;
    CAPTURE(name);
    const auto& narrowed = response["content"]["application/problem+json"]["schema"]["allOf"][1]["properties"];
    const int status = narrowed["status"]["enum"][0];
    for (const auto& code : narrowed["code"]["enum"]) CHECK(http::status_for_code(code.get<std::string>()) == status);
  }
  // Authenticated routes answer 401, 403 and 429; commands 409, 412, 415 and 422.
  const auto& activate = document["paths"]["/v1/benefits/{benefitId}/activate"]["post"]["responses"];
  for (const char* status : {"400", "401", "403", "404", "409", "412", "413", "415", "422", "429", "431", "503"})
    CHECK(activate.contains(status));
  CHECK(activate["429"]["$ref"] == "#/components/responses/TooManyRequests");
  CHECK(document["components"]["responses"]["TooManyRequests"]["headers"].contains("Retry-After"));
  const auto& benefit = document["paths"]["/v1/benefits/{benefitId}"]["get"]["responses"];
  CHECK(benefit.contains("304"));
  CHECK(benefit["200"]["headers"].contains("ETag"));
  CHECK(benefit["200"]["headers"].contains("X-Position"));
}

/// The router's answer to GET `path`?`name`=`value` as the operator: whether it refused that
/// parameter (400 naming it).
bool refuses(const std::string& path, const std::string& name, const std::string& value) {
  RouterHarness h;
  h.start(request("GET", sample_path(path) + "?" + name + "=" + value, "", "operator-token"));
  if (!h.answer) return false;  // waiting for the views: the query was read
  if (h.answer->status != 400) return false;
  const auto body = json_of(*h.answer);
  for (const auto& error : body.value("errors", nlohmann::json::array()))
    if (error.value("field", "") == name) return true;
  return false;
}

TEST_CASE("OpenAPI query parameters are typed with the bounds and values the server accepts", "[http][openapi]") {
  const nlohmann::json document = http::openapi_document();
  for (const http::Route& route : http::all_routes()) {
    std::string_view names = route.query;
    for (std::size_t start = 0; start < names.size();) {
      const std::size_t comma = std::min(names.find(',', start), names.size());
      const std::string name(names.substr(start, comma - start));
      start = comma + 1;
      CAPTURE(route.label(), name);
      const auto parameter = http::query_parameter(route.id, name);
      REQUIRE(parameter.has_value());
      const nlohmann::json& schema = (*parameter)["schema"];
      REQUIRE(schema.contains("type"));
      if (route.method != "GET") continue;
      const std::string path(route.path);
      if (schema["type"] == "integer") {
        const std::int64_t minimum = schema.at("minimum");
        CHECK_FALSE(refuses(path, name, std::to_string(minimum)));
        CHECK(refuses(path, name, minimum == 0 ? "-1" : std::to_string(minimum - 1)));
        CHECK(refuses(path, name, "ten"));
        if (schema.contains("maximum")) {
          const std::int64_t maximum = schema["maximum"];
          CHECK_FALSE(refuses(path, name, std::to_string(maximum)));
          CHECK(refuses(path, name, std::to_string(maximum + 1)));
        }
      } else if (schema.contains("enum")) {
        for (const auto& value : schema["enum"]) CHECK_FALSE(refuses(path, name, value.get<std::string>()));
        CHECK(refuses(path, name, "no-such-value"));
      } else if (schema.value("format", "") == "date-time") {
        CHECK_FALSE(refuses(path, name, "2026-01-05T09:00:00Z"));
        CHECK(refuses(path, name, "yesterday"));
      } else if (schema.contains("maxLength")) {
        const std::size_t longest = schema["maxLength"];
        // A cursor must also be one the list gave; only its length is checked here.
        if (name != "cursor") CHECK_FALSE(refuses(path, name, std::string(longest, 'a')));
        CHECK(refuses(path, name, std::string(longest + 1, 'a')));
      }
    }
  }
}

}  // namespace
}  // namespace benefitd::testing
