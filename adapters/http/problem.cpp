#include "adapters/http/problem.h"

#include <utility>

#include <spdlog/spdlog.h>

#include "adapters/http/problem_codes.h"

namespace benefitd::http {

namespace {

const ProblemCode* find_code(std::string_view code) {
  for (const auto& entry : problem_codes())
    if (entry.code == code) return &entry;
  return nullptr;
}

}  // namespace

int status_for_code(std::string_view code) {
  const ProblemCode* entry = find_code(code);
  return entry ? entry->status : 400;
}

std::string dump_json(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

namespace {

HttpResponse render_problem(const app::Problem& problem, std::string_view detail) {
  const ProblemCode* entry = find_code(problem.code);
  const int status = entry ? entry->status : 400;
  nlohmann::json body = problem.extra.is_object() ? problem.extra : nlohmann::json::object();
  body["type"] = "/problems/" + problem.code;
  body["title"] = entry ? std::string(entry->title) : problem.code;
  body["status"] = status;
  body["detail"] = detail;
  body["code"] = problem.code;
  HttpResponse response;
  response.status = status;
  response.set_header("Content-Type", "application/problem+json");
  response.body = dump_json(body);
  return response;
}

}  // namespace

HttpResponse problem_response(const app::Problem& problem) {
  if (problem.code != "unavailable") return render_problem(problem, problem.detail);
  spdlog::error("answering unavailable: {}", problem.detail);
  return render_problem(problem, kStoreFailureDetail);
}

HttpResponse problem_response(std::string code, std::string detail, nlohmann::json extra) {
  return render_problem(app::Problem{std::move(code), std::string(), std::move(extra)}, detail);
}

HttpResponse json_response(int status, const nlohmann::json& body) { return json_text_response(status, dump_json(body)); }

HttpResponse json_text_response(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.set_header("Content-Type", "application/json");
  response.body = std::move(body);
  return response;
}

nlohmann::json field_error(std::string_view field, std::string_view message) {
  return {{"field", field}, {"message", message}};
}

}  // namespace benefitd::http
