#include "adapters/http/webhook_sink.h"

#include <chrono>

#include "adapters/cli/http_client.h"
#include "adapters/notify/webhook_signature.h"

namespace benefitd::http {

namespace {

constexpr auto kTimeout = std::chrono::seconds(10);

}  // namespace

std::optional<std::function<bool(const nlohmann::json&)>> webhook_sink(std::string_view url,
                                                                       std::optional<std::string> key,
                                                                       std::string ca_file, std::string* error) {
  const bool https = url.starts_with("https://");
  if (!https && !url.starts_with("http://")) {
    *error = "the webhook URL must start with http:// or https://";
    return std::nullopt;
  }
  const std::string_view rest = url.substr(https ? 8 : 7);
  const std::size_t slash = rest.find('/');
  const std::string path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  const auto server = cli::parse_server_url(rest.substr(0, slash));
  if (!server) {
    *error = "the webhook URL needs a host and a port: http[s]://HOST:PORT/PATH";
    return std::nullopt;
  }
  if (!https && !ca_file.empty()) {
    *error = "a CA file is for an https:// webhook";
    return std::nullopt;
  }
  std::optional<cli::ClientTls> tls;
  if (https) {
    tls = cli::ClientTls{std::move(ca_file)};
    try {
      cli::HttpClient probe(server->first, server->second, kTimeout, tls);  // reads the CA file now
    } catch (const std::exception& failure) {
      *error = failure.what();
      return std::nullopt;
    }
  }
  return [host = server->first, port = server->second, path, key = std::move(key),
          tls = std::move(tls)](const nlohmann::json& notification) {
    cli::ClientRequest request;
    request.method = "POST";
    request.target = path;
    request.body = notification.dump();
    const std::string id = notification.value("id", "");
    request.headers.emplace_back("X-Notification-Id", id);
    if (key) {
      const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count();
      request.headers.emplace_back("webhook-id", id);
      request.headers.emplace_back("webhook-timestamp", std::to_string(now));
      request.headers.emplace_back("webhook-signature", notify::webhook_signature(*key, id, now, request.body));
    }
    try {
      // A connection per delivery: the client's connection belongs to the thread that opened
      // it, and must close on that thread.
      cli::HttpClient client(host, port, kTimeout, tls);
      const cli::ClientResponse response = client.send(request);
      return response.status >= 200 && response.status < 300;
    } catch (const std::exception&) {
      return false;  // unreachable now: the notifier tries again later
    }
  };
}

}  // namespace benefitd::http
