#include "adapters/http/openapi.h"

#include <string>

#include "adapters/http/openapi_schemas.h"
#include "adapters/http/routes.h"

namespace benefitd::http {

namespace {

nlohmann::json path_parameters(std::string_view path) {
  nlohmann::json parameters = nlohmann::json::array();
  std::size_t open = path.find('{');
  while (open != std::string_view::npos) {
    const std::size_t close = path.find('}', open);
    parameters.push_back({{"name", path.substr(open + 1, close - open - 1)},
                          {"in", "path"},
                          {"required", true},
                          {"schema", {{"type", "string"}}}});
    open = path.find('{', close);
  }
  return parameters;
}

void add_query_parameters(std::string_view names, nlohmann::json& parameters) {
  std::size_t start = 0;
  while (start < names.size()) {
    const std::size_t comma = std::min(names.find(',', start), names.size());
    parameters.push_back({{"name", names.substr(start, comma - start)},
                          {"in", "query"},
                          {"required", false},
                          {"schema", {{"type", "string"}}}});
    start = comma + 1;
  }
}

nlohmann::json problem_response(std::string_view description) {
  return {{"description", description},
          {"content", {{"application/problem+json", {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}};
}

nlohmann::json operation(const Route& route) {
  nlohmann::json parameters = path_parameters(route.path);
  add_query_parameters(route.query, parameters);
  nlohmann::json responses;
  const std::string success = std::to_string(route.success_status);
  responses[success] = {{"description", "success"},
                        {"content", {{route.id == RouteId::metrics ? "text/plain" : "application/json",
                                      {{"schema", {{"type", route.id == RouteId::metrics ? "string" : "object"}}}}}}}};
  if (route.success_status == 204) responses[success] = {{"description", "success; no body"}};
  if (route.id == RouteId::activate_benefit) responses["202"] = {{"description", "waiting for fulfilment"}};
  if (route.id == RouteId::remove_user)
    responses["409"] = problem_response("the partner's last global admin, or its marketing contact");
  if (route.is_view()) responses["304"] = {{"description", "not modified (If-None-Match, Prefer: wait=N)"}};
  if (route.access != Access::anyone) {
    responses["400"] = problem_response("invalid request");
    responses["401"] = problem_response("missing or unknown token");
    responses["403"] = problem_response("the caller lacks the role");
    responses["404"] = problem_response("no such resource (or another partner's)");
    responses["429"] = problem_response("too many failed authentications from this address");
    responses["429"]["headers"] = {
        {"Retry-After", {{"description", "seconds until this address may try again"}, {"schema", {{"type", "integer"}}}}}};
    responses["503"] = problem_response("the store failed; nothing was changed");
  }
  nlohmann::json result = {{"operationId", route.label()},
                           {"summary", route.summary},
                           {"parameters", parameters},
                           {"responses", responses},
                           {"security", nlohmann::json::array()}};
  if (route.access != Access::anyone) result["security"].push_back({{"bearer", nlohmann::json::array()}});
  if (!route.body_schema.empty())
    result["requestBody"] = {{"required", true},
                             {"content", {{"application/json", {{"schema", nlohmann::json::parse(route.body_schema)}}}}}};
  return result;
}

}  // namespace

nlohmann::json openapi_document() {
  nlohmann::json paths = nlohmann::json::object();
  for (const Route& route : all_routes()) {
    std::string method(route.method);
    for (char& c : method) c = static_cast<char>(c - 'A' + 'a');
    paths[std::string(route.path)][method] = operation(route);
  }
  return {
      {"openapi", "3.0.3"},
      {"info", {{"title", "benefitd"}, {"version", "1"}, {"description", "Partner-program membership benefits."}}},
      {"paths", paths},
      {"components",
       {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}},
        {"schemas", component_schemas()}}},
  };
}

}  // namespace benefitd::http
