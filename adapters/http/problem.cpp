#include "adapters/http/problem.h"

#include <array>
#include <utility>

#include <spdlog/spdlog.h>

namespace benefitd::http {

namespace {

struct CodeStatus {
  std::string_view code;
  int status;
  std::string_view title;
};

// API.md's table, plus the codes that the contract names in its prose.
constexpr std::array<CodeStatus, 33> kCodes{{
    {"invalid-request", 400, "Invalid request"},
    {"unknown-user", 400, "Unknown user"},
    {"marketing-email-same-as-account", 400, "Marketing email same as account email"},
    {"access-id-required", 400, "Access ID required"},
    {"unauthenticated", 401, "Unauthenticated"},
    {"forbidden", 403, "Forbidden"},
    {"not-found", 404, "Not found"},
    {"method-not-allowed", 405, "Method not allowed"},
    {"invalid-transition", 409, "Invalid transition"},
    {"membership-in-pmc", 409, "Membership in Partner Membership Center"},
    {"package-not-active", 409, "Package not active"},
    {"refund-window-closed", 409, "Refund window closed"},
    {"software-benefit-activated", 409, "Software benefit activated"},
    {"renewal-not-open", 409, "Renewal not open"},
    {"renewal-window-closed", 409, "Renewal window closed"},
    {"marketing-contact-required", 409, "Marketing contact required"},
    {"no-seats-available", 409, "No seats available"},
    {"user-already-assigned", 409, "User already assigned"},
    {"reassignment-too-early", 409, "Reassignment too early"},
    {"not-available-for-package", 409, "Not available for package"},
    {"benefit-not-active", 409, "Benefit not active"},
    {"insufficient-balance", 409, "Insufficient balance"},
    {"clock-not-simulated", 409, "Clock not simulated"},
    {"idempotency-key-in-flight", 409, "Idempotency key in flight"},
    {"last-global-admin", 409, "Last global admin"},
    {"user-is-marketing-contact", 409, "User is the marketing contact"},
    {"version-mismatch", 412, "Version mismatch"},
    {"payload-too-large", 413, "Payload too large"},
    {"unsupported-media-type", 415, "Unsupported media type"},
    {"idempotency-key-reused", 422, "Idempotency key reused"},
    {"too-many-requests", 429, "Too many requests"},
    {"unavailable", 503, "Unavailable"},
    // Not in the table: headers over the session's limit.
    {"header-fields-too-large", 431, "Request header fields too large"},
}};

const CodeStatus* find_code(std::string_view code) {
  for (const auto& entry : kCodes)
    if (entry.code == code) return &entry;
  return nullptr;
}

}  // namespace

int status_for_code(std::string_view code) {
  const CodeStatus* entry = find_code(code);
  return entry ? entry->status : 400;
}

std::string dump_json(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

namespace {

HttpResponse render_problem(const app::Problem& problem, std::string_view detail) {
  const CodeStatus* entry = find_code(problem.code);
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

HttpResponse json_response(int status, const nlohmann::json& body) {
  HttpResponse response;
  response.status = status;
  response.set_header("Content-Type", "application/json");
  response.body = dump_json(body);
  return response;
}

nlohmann::json field_error(std::string_view field, std::string_view message) {
  return {{"field", field}, {"message", message}};
}

}  // namespace benefitd::http
