#include "adapters/http/openapi.h"

#include <cctype>
#include <string>

#include "adapters/http/openapi_schemas.h"
#include "adapters/http/problem_codes.h"
#include "adapters/http/routes.h"

namespace benefitd::http {

namespace {

using nlohmann::json;

json component(std::string_view kind, std::string_view name) {
  return {{"$ref", "#/components/" + std::string(kind) + "/" + std::string(name)}};
}

// What every status of the API means, and the name of its problem response in
// components/responses.
struct ProblemStatus {
  int status;
  std::string_view response;
  std::string_view description;
};
constexpr ProblemStatus kProblemStatuses[] = {
    {400, "InvalidRequest", "The request is malformed: its framing, target, query, headers or body"},
    {401, "Unauthenticated", "A missing or unknown bearer token"},
    {403, "Forbidden", "The caller's roles do not allow this"},
    {404, "NotFound", "No such resource (or another partner's)"},
    {409, "Conflict", "Refused by the resource's state (the code says why), or the Idempotency-Key's first "
                      "request is still running"},
    {412, "VersionMismatch", "If-Match names another version than the resource's"},
    {413, "PayloadTooLarge", "The body is over 1 MiB"},
    {415, "UnsupportedMediaType", "The body is not application/json"},
    {422, "IdempotencyKeyReused", "The Idempotency-Key was used with another method, path or body"},
    {429, "TooManyRequests", "Too many failed authentications from this address"},
    {431, "HeaderFieldsTooLarge", "The header is over 16 KiB"},
    {503, "Unavailable", "The store failed or the views could not catch up (nothing was changed), or the server "
                         "has too many connections open"},
};

json problem_content(int status) {
  json codes = json::array();
  for (const ProblemCode& entry : problem_codes())
    if (entry.status == status) codes.push_back(entry.code);
  json narrowed = {{"type", "object"},
                   {"properties", {{"status", {{"type", "integer"}, {"enum", {status}}}},
                                   {"code", {{"type", "string"}, {"enum", codes}}}}}};
  return {{"application/problem+json",
           {{"schema", {{"allOf", {component("schemas", "Problem"), std::move(narrowed)}}}}}}};
}

json correlation_header() { return {{"X-Correlation-Id", component("headers", "X-Correlation-Id")}}; }

json problem_responses() {
  json responses = json::object();
  for (const ProblemStatus& entry : kProblemStatuses) {
    json response = {{"description", entry.description}, {"content", problem_content(entry.status)},
                     {"headers", correlation_header()}};
    if (entry.status == 401) response["headers"]["WWW-Authenticate"] = component("headers", "WWW-Authenticate");
    if (entry.status == 429) response["headers"]["Retry-After"] = component("headers", "Retry-After");
    if (entry.status == 503) response["headers"]["Retry-After"] = component("headers", "Retry-After-Optional");
    responses[entry.response] = std::move(response);
  }
  responses["NotModified"] = {
      {"description", "The view still has the ETag of If-None-Match (at once, or after Prefer: wait=N)"},
      {"headers", {{"ETag", component("headers", "ETag")}, {"X-Correlation-Id", component("headers", "X-Correlation-Id")}}}};
  return responses;
}

json header(std::string_view description, json schema, bool required) {
  return {{"description", description}, {"required", required}, {"schema", std::move(schema)}};
}

json response_headers() {
  const json position = {{"type", "integer"}, {"format", "int64"}, {"minimum", 0}};
  return {
      {"ETag", header("The resource's version (\"<version>\"), or a digest of the answer", 
                      {{"type", "string"}, {"pattern", "^\"[0-9a-z]+\"$"}}, true)},
      {"X-Position", header("The global log position the answer includes (after a command: after it)", position, true)},
      {"Retry-After", header("Seconds to wait before trying again", {{"type", "integer"}, {"minimum", 0}}, true)},
      {"Retry-After-Optional",
       header("Seconds to wait before trying again (when the server has too many connections open)",
              {{"type", "integer"}, {"minimum", 0}}, false)},
      {"WWW-Authenticate", header("The scheme to authenticate with", {{"type", "string"}, {"enum", {"Bearer"}}}, true)},
      {"X-Correlation-Id", header("The request's correlation id (the client's X-Correlation-Id when acceptable, else "
                                  "a new one), also in the access log and the events' correlationId",
                                  {{"type", "string"}, {"maxLength", 128}}, false)},
  };
}

json header_parameter(std::string_view name, std::string_view description, json schema) {
  return {{"name", name}, {"in", "header"}, {"required", false}, {"description", description},
          {"schema", std::move(schema)}};
}

json request_header_parameters() {
  return {
      {"Idempotency-Key",
       header_parameter("Idempotency-Key",
                        "A retry with the same key, method, path and body answers the first answer and changes nothing",
                        {{"type", "string"}, {"minLength", 1}, {"maxLength", 255}})},
      {"If-Match", header_parameter("If-Match", "Refuse (412) unless the resource's version is this one: \"<version>\"",
                                    {{"type", "string"}, {"pattern", "^(\\*|\"[0-9]+\")$"}})},
      {"If-None-Match",
       header_parameter("If-None-Match", "Answer 304 while the view's ETag is one of these", {{"type", "string"}})},
      {"Prefer", header_parameter("Prefer",
                                  "With If-None-Match, wait=N: wait up to N seconds (at most 60) for the view to change "
                                  "before answering 304",
                                  {{"type", "string"}, {"pattern", "^wait=[0-9]+$"}})},
      {"X-Correlation-Id",
       header_parameter("X-Correlation-Id", "A correlation id of the caller's (1 to 128 of A-Z a-z 0-9 . _ : -)",
                        {{"type", "string"}, {"pattern", "^[A-Za-z0-9._:-]{1,128}$"}})},
  };
}

json path_parameters(std::string_view path) {
  json parameters = json::array();
  std::size_t open = path.find('{');
  while (open != std::string_view::npos) {
    const std::size_t close = path.find('}', open);
    parameters.push_back({{"name", path.substr(open + 1, close - open - 1)},
                          {"in", "path"},
                          {"required", true},
                          {"schema", {{"type", "string"}, {"minLength", 1}}}});
    open = path.find('{', close);
  }
  return parameters;
}

void add_query_parameters(const Route& route, json& parameters) {
  std::string_view names = route.query;
  std::size_t start = 0;
  while (start < names.size()) {
    const std::size_t comma = std::min(names.find(',', start), names.size());
    const std::string_view name = names.substr(start, comma - start);
    parameters.push_back(query_parameter(route.id, name)
                             .value_or(json{{"name", name}, {"in", "query"}, {"schema", {{"type", "string"}}}}));
    start = comma + 1;
  }
}

/// A command of the engine: a body checked for size and media type, then parsed.
bool is_command(const Route& route) { return route.method != "GET" && !route.is_operation(); }
/// Commands that go through the engine's idempotency and version checks (all but verify).
bool is_keyed_command(const Route& route) { return is_command(route) && route.id != RouteId::verify_audit; }
bool has_path_parameter(const Route& route) { return route.path.find('{') != std::string_view::npos; }

/// Views, commands and the operations (but a backup file's bytes) answer through
/// outcome_response (exchange.h), with ETag and X-Position.
bool answers_outcome(const Route& route) {
  return route.is_view() || is_command(route) || (route.is_operation() && route.id != RouteId::read_backup_file);
}

json success_response(const Route& route, std::string_view description) {
  const json schema = success_body_schema(route.id).value_or(json{{"description", "not described yet"}});
  json response = {{"description", description}, {"headers", correlation_header()}};
  if (answers_outcome(route)) {
    response["headers"]["X-Position"] = component("headers", "X-Position");
    if (!schema.is_null()) response["headers"]["ETag"] = component("headers", "ETag");
  }
  if (!schema.is_null()) {
    const char* media = route.id == RouteId::metrics            ? "text/plain"
                        : route.id == RouteId::read_backup_file ? "application/octet-stream"
                                                                : "application/json";
    response["content"] = {{media, {{"schema", schema}}}};
  }
  return response;
}

json responses_of(const Route& route) {
  json responses = json::object();
  const std::string success = std::to_string(route.success_status);
  responses[success] = success_response(route, route.success_status == 204 ? "Done; no body" : "Success");
  if (route.id == RouteId::activate_benefit) {
    responses["200"] = success_response(route, "Active now");
    responses["202"] = success_response(route, "Waiting for fulfilment (status activation-requested or pending)");
  }
  if (route.id == RouteId::cancel_package)
    responses["202"] = success_response(route, "Cancellation requested; the refund follows fulfilment");
  if (route.is_view()) responses["304"] = component("responses", "NotModified");

  // What any request may be answered, before the route is known: a malformed request, a body
  // or header over the limits, a server with too many connections open.
  responses["400"] = component("responses", "InvalidRequest");
  responses["413"] = component("responses", "PayloadTooLarge");
  responses["431"] = component("responses", "HeaderFieldsTooLarge");
  responses["503"] = component("responses", "Unavailable");
  if (route.id == RouteId::healthz) {
    json unavailable = {
        {"description", "The store cannot write or the views cannot follow the log (the reason says which); or the "
                        "server has too many connections open"},
        {"headers", {{"X-Correlation-Id", component("headers", "X-Correlation-Id")},
                     {"Retry-After", component("headers", "Retry-After-Optional")}}},
        {"content", {{"application/json", {{"schema", component("schemas", "Health")}}}}}};
    unavailable["content"].update(problem_content(503));
    responses["503"] = std::move(unavailable);
  }
  if (route.access == Access::anyone) return responses;

  responses["401"] = component("responses", "Unauthenticated");
  responses["403"] = component("responses", "Forbidden");
  responses["429"] = component("responses", "TooManyRequests");
  // The operations answer 404 on a server without them (a store that cannot back up).
  if (has_path_parameter(route) || route.id == RouteId::verify_audit || route.is_operation())
    responses["404"] = component("responses", "NotFound");
  if (is_command(route)) responses["415"] = component("responses", "UnsupportedMediaType");
  if (is_keyed_command(route)) {
    responses["409"] = component("responses", "Conflict");
    responses["412"] = component("responses", "VersionMismatch");
    responses["422"] = component("responses", "IdempotencyKeyReused");
  }
  return responses;
}

json request_body(const Route& route) {
  json schema = json::parse(route.body_schema);
  // A body with no required member may be left out: the server reads an empty body as {}.
  const bool required = schema.contains("required") || schema.contains("oneOf");
  return {{"required", required}, {"content", {{"application/json", {{"schema", std::move(schema)}}}}}};
}

/// "POST /v1/admin/backups" -> "postAdminBackups": URL-safe and unique for a route not
/// described yet.
std::string fallback_operation_id(const Route& route) {
  std::string id(route.method);
  for (char& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  bool upper = true;
  for (char c : route.path.substr(route.path.starts_with("/v1/") ? 3 : 0)) {
    if (c == '/' || c == '-' || c == '{' || c == '}') {
      upper = true;
    } else if (std::isalnum(static_cast<unsigned char>(c))) {
      id += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    }
  }
  return id;
}

json operation(const Route& route) {
  json parameters = path_parameters(route.path);
  add_query_parameters(route, parameters);
  parameters.push_back(component("parameters", "X-Correlation-Id"));
  if (is_keyed_command(route)) {
    parameters.push_back(component("parameters", "Idempotency-Key"));
    parameters.push_back(component("parameters", "If-Match"));
  }
  if (route.is_view()) {
    parameters.push_back(component("parameters", "If-None-Match"));
    parameters.push_back(component("parameters", "Prefer"));
  }
  json result = {{"operationId", operation_id(route.id).value_or(fallback_operation_id(route))},
                 {"summary", route.summary},
                 {"parameters", std::move(parameters)},
                 {"responses", responses_of(route)},
                 {"security", json::array()}};
  if (const auto tag = operation_tag(route.id)) result["tags"] = {*tag};
  if (route.access != Access::anyone) result["security"].push_back({{"bearer", json::array()}});
  if (route.access == Access::operator_only) result["description"] = "The operator token only; a user gets 403.";
  if (!route.body_schema.empty()) result["requestBody"] = request_body(route);
  return result;
}

}  // namespace

nlohmann::json openapi_document() {
  json paths = json::object();
  for (const Route& route : all_routes()) {
    std::string method(route.method);
    for (char& c : method) c = static_cast<char>(c - 'A' + 'a');
    paths[std::string(route.path)][method] = operation(route);
  }
  json tags = json::array();
  for (const char* tag : {"Server", "Operator", "Partners", "Packages", "Benefits", "Audit"})
    tags.push_back({{"name", tag}});
  return {
      {"openapi", "3.0.3"},
      {"info",
       {{"title", "benefitd"},
        {"version", "1"},
        {"description", "Partner-program membership benefits. Times are RFC 3339 UTC; money is a decimal string; "
                        "lists page with ?limit= and ?cursor=; refusals are application/problem+json with a code."}}},
      {"servers", {{{"url", "/"}, {"description", "the server that serves this document"}}}},
      {"tags", std::move(tags)},
      {"paths", std::move(paths)},
      {"components",
       {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}},
        {"schemas", component_schemas()},
        {"responses", problem_responses()},
        {"headers", response_headers()},
        {"parameters", request_header_parameters()}}},
  };
}

}  // namespace benefitd::http
