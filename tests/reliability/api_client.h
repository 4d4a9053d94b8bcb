#pragma once
// ApiClient: one caller of benefitd's HTTP API (a bearer token on one keep-alive connection)
// for the crash loop: JSON in and out, with the caller's correlation id and idempotency key
// on commands, and the answer's X-Position kept.
// Thread safety: one thread per client.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "adapters/cli/http_client.h"

namespace benefitd::reliability {

struct Answer {
  int status = 0;
  std::string body;                       // as sent, so a replay can be compared byte for byte
  std::optional<std::uint64_t> position;  // X-Position
  bool ok() const { return status >= 200 && status < 300; }
  nlohmann::json json() const { return body.empty() ? nlohmann::json() : nlohmann::json::parse(body); }
};

/// A command as sent: what a retry or a replay must send again, unchanged.
struct CommandRequest {
  std::string method = "POST";
  std::string path;
  std::string body;
  std::string idempotency_key;
};

class ApiClient {
 public:
  /// `address`: the server's "HOST:PORT", or its port on 127.0.0.1.
  ApiClient(const std::string& address, std::string token);

  /// Sends a command under `correlation_id`. Throws std::runtime_error when the exchange
  /// fails (the server died or is gone).
  Answer command(const CommandRequest& request, const std::string& correlation_id);
  /// A request without idempotency key that must answer `expected`; throws
  /// std::runtime_error otherwise. `body` is sent unless it is null.
  nlohmann::json call(const std::string& method, const std::string& target, const nlohmann::json& body,
                      int expected);
  nlohmann::json get(const std::string& target) { return call("GET", target, nullptr, 200); }

 private:
  Answer send(cli::ClientRequest request);

  cli::HttpClient http_;
  std::string token_;
};

/// One ApiClient per caller (token) on one server, made on first use.
/// Thread safety: one thread, as its clients.
class ClientPool {
 public:
  explicit ClientPool(std::string port) : port_(std::move(port)) {}
  ApiClient& of(const std::string& token) {
    auto& client = clients_[token];
    if (!client) client = std::make_unique<ApiClient>(port_, token);
    return *client;
  }

 private:
  std::string port_;
  std::map<std::string, std::unique_ptr<ApiClient>> clients_;
};

}  // namespace benefitd::reliability
