#include "adapters/http/exchange.h"

#include <spdlog/spdlog.h>

#include "adapters/http/problem.h"
#include "adapters/http/request_headers.h"
#include "store/sha256.h"

namespace benefitd::http {

Exchange::Exchange(HttpRequest request, Respond respond)
    : request_(std::move(request)), respond_(std::move(respond)) {
  const auto given = request_.header("X-Correlation-Id");
  correlation_id_ = given && is_acceptable_correlation_id(*given) ? std::string(*given) : new_correlation_id();
}

void Exchange::finish(HttpResponse response) {
  if (finished_.exchange(true)) return;
  response.route = route_;
  response.set_header("X-Correlation-Id", correlation_id_);
  respond_(std::move(response));
}

std::string etag_of(const app::Reply& reply) {
  if (reply.version) return version_etag(*reply.version);
  const std::string digest =
      store::to_hex(store::sha256(reply.body_text.empty() ? dump_json(reply.body) : reply.body_text));
  return "\"d" + digest.substr(0, 24) + "\"";
}

HttpResponse outcome_response(const app::Outcome& outcome) {
  if (const auto* problem = std::get_if<app::Problem>(&outcome)) return problem_response(*problem);
  const auto& reply = std::get<app::Reply>(outcome);
  if (reply.kind == app::Reply::Kind::no_content) {
    HttpResponse response;
    response.status = 204;
    response.set_header("X-Position", std::to_string(reply.position));
    return response;
  }
  const int status = reply.kind == app::Reply::Kind::created    ? 201
                     : reply.kind == app::Reply::Kind::accepted ? 202
                                                                : 200;
  HttpResponse response = reply.body_text.empty() ? json_response(status, reply.body)
                                                  : json_text_response(status, reply.body_text);
  response.set_header("ETag", etag_of(reply));
  response.set_header("X-Position", std::to_string(reply.position));
  return response;
}

HttpResponse service_failure_response(std::string_view what) {
  spdlog::error("request failed in the engine: {}", what);
  return problem_response("unavailable", "the server could not complete the request; nothing was changed");
}

}  // namespace benefitd::http
