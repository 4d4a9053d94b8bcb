#include "adapters/http/router.h"

#include <memory>

#include "adapters/http/command_parsing.h"
#include "adapters/http/exchange.h"
#include "adapters/http/json_body.h"
#include "adapters/http/openapi.h"
#include "adapters/http/operations_routes.h"
#include "adapters/http/problem.h"
#include "adapters/http/request_headers.h"
#include "adapters/http/request_target.h"
#include "adapters/http/routes.h"
#include "adapters/http/view_queries.h"
#include "adapters/http/whoami.h"

namespace benefitd::http {

namespace {

using ExchangePtr = std::shared_ptr<Exchange>;

const std::string& openapi_text() {
  static const std::string text = dump_json(openapi_document());
  return text;
}

/// 200 while the engine can write and its views follow the log, else 503 with the reason in
/// words an unauthenticated caller may see (the operator's log has the details).
HttpResponse health_response(const app::Health& health) {
  nlohmann::json body = {{"status", health.ok() ? "ok" : "unavailable"},
                         {"logPosition", health.log_position},
                         {"viewsPosition", health.views_position}};
  switch (health.store.fault) {
    case store::WriteHealth::Fault::none:
      body["store"] = "writable";
      break;
    case store::WriteHealth::Fault::disk_nearly_full:
      body["store"] = "disk-nearly-full";
      body["reason"] = "the disk is nearly full: commands are refused until space is freed";
      break;
    case store::WriteHealth::Fault::write_failed:
      body["store"] = "recovering";
      body["reason"] = "a write to the store failed: commands are refused until the store recovers";
      break;
  }
  body["views"] = health.views_error ? "stalled" : "following";
  if (health.views_error && health.store.writable()) {
    body["reason"] = "the views stopped at position " + std::to_string(health.views_position) +
                     ": " + *health.views_error;
  }
  return json_response(health.ok() ? 200 : 503, body);
}

void answer_public(const ExchangePtr& exchange, RouteId route, const HttpMetrics& metrics, const LongPolls& long_polls,
                   app::Service& service) {
  switch (route) {
    case RouteId::healthz:
      return exchange->finish(health_response(service.health()));
    case RouteId::openapi: {
      HttpResponse response;
      response.set_header("Content-Type", "application/json");
      response.body = openapi_text();
      return exchange->finish(std::move(response));
    }
    default: {
      HttpResponse response;
      response.set_header("Content-Type", "text/plain; version=0.0.4");
      response.body =
          metrics.text() + long_polls.metrics_text() + service.metrics_text() + operations_metrics_text(service);
      return exchange->finish(std::move(response));
    }
  }
}

/// Checks what every body-carrying request must satisfy; nullopt when the body is acceptable.
std::optional<HttpResponse> body_problem(const HttpRequest& request) {
  if (request.body.size() > kMaxBodyBytes)
    return problem_response("payload-too-large", "request bodies are limited to 1 MiB");
  const auto content_type = request.header("Content-Type");
  const bool empty = request.body.empty();
  if ((!empty || content_type) && !(content_type && is_json_media_type(*content_type)))
    return problem_response("unsupported-media-type", "request bodies must be application/json");
  return std::nullopt;
}

/// Builds the RequestContext from the headers; a problem for a bad Idempotency-Key or an
/// If-Match that can match no version.
std::variant<app::RequestContext, HttpResponse> request_context(const Exchange& exchange,
                                                                const workflows::Actor& actor) {
  const HttpRequest& request = exchange.request();
  app::RequestContext context;
  context.actor = actor;
  context.correlation_id = exchange.correlation_id();
  if (const auto key = request.header("Idempotency-Key")) {
    if (!is_valid_idempotency_key(*key))
      return problem_response("invalid-request", "Idempotency-Key must be 1 to 255 characters",
                              {{"errors", {field_error("Idempotency-Key", "must be 1 to 255 characters")}}});
    context.idempotency_key = std::string(*key);
  }
  const IfMatch if_match = parse_if_match(request.header("If-Match"));
  if (if_match.unmatchable)
    return problem_response("version-mismatch", "If-Match must be a quoted version such as \"3\"");
  context.if_match = if_match.version;
  context.fingerprint = request.method + " " + request.target + "\n" + request.body;
  return context;
}

app::Done completion(const ExchangePtr& exchange) {
  return [exchange](app::Outcome outcome) { guarded(exchange, [&] { exchange->finish(outcome_response(outcome)); }); };
}

void run_command(const ExchangePtr& exchange, app::Service& service, const Route& route,
                 const std::vector<std::string>& params, const workflows::Actor& actor) {
  auto body = parse_json_object(exchange->request().body);
  if (auto* problem = std::get_if<app::Problem>(&body)) return exchange->finish(problem_response(*problem));
  const auto& json = std::get<nlohmann::json>(body);

  if (route.id == RouteId::verify_audit) {
    FieldReader fields(json);
    auto partner_id = fields.optional_string("partnerId", 128);
    if (!fields.ok()) return exchange->finish(problem_response(fields.problem()));
    return service.verify(actor, std::move(partner_id), completion(exchange));
  }

  auto call = parse_command(route.id, params, json);
  if (auto* problem = std::get_if<app::Problem>(&call)) return exchange->finish(problem_response(*problem));
  auto context = request_context(*exchange, actor);
  if (auto* response = std::get_if<HttpResponse>(&context)) return exchange->finish(std::move(*response));
  auto& request_context = std::get<app::RequestContext>(context);

  auto& command_call = std::get<CommandCall>(call);
  if (auto* command = std::get_if<workflows::Command>(&command_call))
    return service.execute(request_context, std::move(*command), completion(exchange));
  if (auto* advance = std::get_if<app::ClockAdvance>(&command_call))
    return service.advance_clock(request_context, *advance, completion(exchange));
  auto& fulfilment = std::get<FulfilmentCall>(command_call);
  service.answer_fulfilment(request_context, std::move(fulfilment.request_id), fulfilment.action,
                            std::move(fulfilment.answer), completion(exchange));
}

void dispatch(const ExchangePtr& exchange, app::Service& service, const HttpMetrics& metrics,
              const RouterOptions& options, LongPolls& long_polls, AuthThrottle& auth_throttle) {
  const HttpRequest& request = exchange->request();
  const auto target = parse_request_target(request.target);
  if (!target) return exchange->finish(problem_response("invalid-request", "the request target is malformed"));

  auto match = match_route(request.method, target->segments);
  if (std::holds_alternative<NoRoute>(match)) {
    if (options.page && request.method == "GET")
      if (auto page = options.page->answer(target->segments, request.header("If-None-Match"),
                                           request.header("Accept-Encoding"))) {
        exchange->set_route(page->route);
        return exchange->finish(std::move(*page));
      }
    return exchange->finish(problem_response("not-found", "there is nothing at this path"));
  }
  if (auto* wrong = std::get_if<WrongMethod>(&match)) {
    HttpResponse response = problem_response("method-not-allowed", "this path answers " + wrong->allow);
    response.set_header("Allow", wrong->allow);
    return exchange->finish(std::move(response));
  }
  const auto& [route, params] = std::get<RouteMatch>(match);
  exchange->set_route(route->label());
  if (route->access == Access::anyone) return answer_public(exchange, route->id, metrics, long_polls, service);

  const auto token = bearer_token(request.header("Authorization"));
  // A locked-out address learns nothing about a token it has not used before (auth_throttle.h).
  if (const auto wait = token ? auth_throttle.refusal(request.peer, *token) : std::nullopt) {
    HttpResponse response = problem_response(
        "too-many-requests", "too many failed authentications from this address; retry in " +
                                 std::to_string(wait->count()) + " s");
    response.set_header("Retry-After", std::to_string(wait->count()));
    return exchange->finish(std::move(response));
  }
  const auto actor = token ? service.authenticate(*token) : std::nullopt;
  if (token) actor ? auth_throttle.succeeded(request.peer, *token) : auth_throttle.failed(request.peer);
  if (!actor) {
    HttpResponse response = problem_response("unauthenticated", "a valid bearer token is required");
    response.set_header("WWW-Authenticate", "Bearer");
    return exchange->finish(std::move(response));
  }
  if (route->access == Access::operator_only && actor->kind != workflows::Actor::Kind::operatorKind)
    return exchange->finish(problem_response("forbidden", "only the operator may do this"));
  // Any valid token may learn whom it belongs to, a user without a role included.
  if (route->id == RouteId::whoami) return exchange->finish(json_response(200, identity_body(*actor)));
  // SPEC section 2 gives every action to one of the four roles; a user without one (an
  // employee who holds seats) may only replace its own token (R-AUTH-10). That covers the
  // clock and the catalog too, on which the SPEC is silent.
  if (actor->isUser() && actor->roles.empty() && route->id != RouteId::rotate_user_token)
    return exchange->finish(problem_response("forbidden", "a user without a role may only replace its own token"));

  if (route->is_operation()) return answer_operations(exchange, service, *route, params, *target);
  if (route->method != "GET") {
    if (auto problem = body_problem(request)) return exchange->finish(std::move(*problem));
    return run_command(exchange, service, *route, params, *actor);
  }
  auto position = min_position(*target);
  if (auto* problem = std::get_if<app::Problem>(&position)) return exchange->finish(problem_response(*problem));
  if (route->reads_views()) {
    // Read-your-writes by default (R-ENG-10): every write answered before this request lies at
    // or before the log's position now, so the views must include it before they answer.
    auto& wanted = std::get<std::optional<app::Position>>(position);
    wanted = std::max(wanted.value_or(0), service.log_position());
  }
  auto query = view_query(route->id, params, *target, service, *actor);
  if (auto* problem = std::get_if<app::Problem>(&query)) return exchange->finish(problem_response(*problem));
  const LongReadQueue long_read = route->is_long_read() ? LongReadQueue(long_read_queue_of(*actor)) : std::nullopt;
  answer_view(exchange, service, long_polls, std::move(std::get<ViewQuery>(query)), long_read,
              std::get<std::optional<app::Position>>(position), options.min_position_wait);
}

}  // namespace

Router::Router(app::Service& service, const HttpMetrics& metrics, RouterOptions options)
    : service_(service), metrics_(metrics), options_(options), auth_throttle_(options.auth_throttle) {}

void Router::handle(HttpRequest request, Respond respond) {
  auto exchange = std::make_shared<Exchange>(std::move(request), std::move(respond));
  guarded(exchange, [&] { dispatch(exchange, service_, metrics_, options_, long_polls_, auth_throttle_); });
}

void Router::release_long_polls() { long_polls_.release(); }

}  // namespace benefitd::http
