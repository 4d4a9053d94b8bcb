// The crash loop's HTTP caller.
#include "tests/reliability/api_client.h"

#include <chrono>
#include <stdexcept>
#include <utility>

namespace benefitd::reliability {

namespace {
/// "HOST:PORT", or a bare port on 127.0.0.1.
std::pair<std::string, std::string> host_and_port(const std::string& address) {
  const std::size_t colon = address.rfind(':');
  if (colon == std::string::npos) return {"127.0.0.1", address};
  return {address.substr(0, colon), address.substr(colon + 1)};
}
}  // namespace

ApiClient::ApiClient(const std::string& address, std::string token)
    : http_(host_and_port(address).first, host_and_port(address).second, std::chrono::seconds(60)),
      token_(std::move(token)) {}

Answer ApiClient::send(cli::ClientRequest request) {
  request.headers.emplace_back("Authorization", "Bearer " + token_);
  const cli::ClientResponse response = http_.send(request);
  Answer answer{response.status, response.body, std::nullopt};
  if (const auto position = response.header("X-Position")) answer.position = std::stoull(*position);
  return answer;
}

Answer ApiClient::command(const CommandRequest& request, const std::string& correlation_id) {
  cli::ClientRequest http_request{request.method, request.path, request.body, {{"X-Correlation-Id", correlation_id}}};
  if (!request.idempotency_key.empty()) http_request.headers.emplace_back("Idempotency-Key", request.idempotency_key);
  return send(std::move(http_request));
}

nlohmann::json ApiClient::call(const std::string& method, const std::string& target, const nlohmann::json& body,
                              int expected) {
  const Answer answer = send({method, target, body.is_null() ? "" : body.dump(), {}});
  if (answer.status != expected)
    throw std::runtime_error(method + " " + target + " answered " + std::to_string(answer.status) + " (expected " +
                             std::to_string(expected) + "): " + answer.body);
  return answer.json();
}

}  // namespace benefitd::reliability
