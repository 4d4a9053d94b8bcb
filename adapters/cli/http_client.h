#pragma once
// HttpClient: a small blocking HTTP/1.1 client for benefitctl and the socket tests. One
// keep-alive connection, reopened when the server closed it. Over HTTPS (ClientTls) it speaks
// TLS 1.2 or 1.3 and verifies the server: its certificate chain against the given CA file or
// the system's trust store, and that the certificate names the host (DNS name or IP address)
// the client was given.
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

/// A server to talk to: "http://HOST:PORT", "https://HOST:PORT" or "HOST:PORT" (http).
struct ServerAddress {
  bool https = false;
  std::string host, port;
};
/// nullopt when malformed.
std::optional<ServerAddress> parse_server_address(std::string_view url);

/// How an HTTPS client trusts the server.
struct ClientTls {
  /// PEM file of the CA certificates to trust; empty: the system's trust store.
  std::string ca_file;
};

class HttpClient {
 public:
  /// Over HTTPS when `tls` is given. Throws std::runtime_error when its CA file cannot be read.
  HttpClient(std::string host, std::string port, std::chrono::seconds timeout = std::chrono::seconds(90),
             std::optional<ClientTls> tls = std::nullopt);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// Sends the request and reads the answer. Throws std::runtime_error when the server cannot
  /// be reached or the exchange fails.
  ClientResponse send(const ClientRequest& request);

 private:
  class Connection;
  class TlsSettings;
  std::string host_, port_;
  std::unique_ptr<TlsSettings> tls_;  // nullptr: plain HTTP
  std::chrono::seconds timeout_;
  std::unique_ptr<Connection> connection_;
};

}  // namespace benefitd::cli
