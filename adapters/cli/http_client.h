#pragma once
// HttpClient: a small blocking HTTP/1.1 client for benefitctl and the socket tests. One
// keep-alive connection, reopened when the server closed it.
// Thread safety: one thread per client.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace benefitd::cli {

struct ClientResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  /// The first header of that name (case-insensitive), or nullopt.
  std::optional<std::string> header(std::string_view name) const;
};

struct ClientRequest {
  std::string method = "GET";
  std::string target = "/";
  std::string body;  // sent as application/json when not empty
  std::vector<std::pair<std::string, std::string>> headers;
};

/// "http://HOST:PORT" (or "HOST:PORT") split into host and port; nullopt when malformed.
std::optional<std::pair<std::string, std::string>> parse_server_url(std::string_view url);

class HttpClient {
 public:
  HttpClient(std::string host, std::string port, std::chrono::seconds timeout = std::chrono::seconds(90));
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// Sends the request and reads the answer. Throws std::runtime_error when the server cannot
  /// be reached or the exchange fails.
  ClientResponse send(const ClientRequest& request);

 private:
  class Connection;
  std::string host_, port_;
  std::chrono::seconds timeout_;
  std::unique_ptr<Connection> connection_;
};

}  // namespace benefitd::cli
