// GET /openapi.json describes every endpoint of API.md, and the router serves each of them.
#include <catch2/catch.hpp>

#include "adapters/http/openapi.h"
#include "adapters/http/request_target.h"
#include "adapters/http/routes.h"

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
  for (const auto& parameter : reassign["parameters"]) names.push_back(parameter["name"]);
  CHECK(names == std::vector<std::string>{"benefitId", "seatId"});
  CHECK(reassign["requestBody"]["content"]["application/json"]["schema"]["required"] == nlohmann::json{"userId"});
  CHECK(document["paths"]["/healthz"]["get"]["security"].empty());
  CHECK_FALSE(document["paths"]["/v1/clock"]["get"]["security"].empty());
}

}  // namespace
}  // namespace benefitd::testing
