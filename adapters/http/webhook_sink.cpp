#include "adapters/http/webhook_sink.h"

#include <chrono>

#include "adapters/cli/http_client.h"
#include "adapters/notify/webhook_signature.h"

namespace benefitd::http {

namespace {

constexpr std::string_view kScheme = "http://";
constexpr auto kTimeout = std::chrono::seconds(10);

}  // namespace

std::optional<std::function<bool(const nlohmann::json&)>> webhook_sink(std::string_view url,
                                                                       std::optional<std::string> key,
                                                                       std::string* error) {
  if (!url.starts_with(kScheme)) {
    *error = "the webhook URL must start with http://";
    return std::nullopt;
  }
  const std::string_view rest = url.substr(kScheme.size());
  const std::size_t slash = rest.find('/');
  const std::string path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  const auto server = cli::parse_server_url(rest.substr(0, slash));
  if (!server) {
    *error = "the webhook URL needs a host and a port: http://HOST:PORT/PATH";
    return std::nullopt;
  }
  return [host = server->first, port = server->second, path, key = std::move(key)](const nlohmann::json& notification) {
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
      cli::HttpClient client(host, port, kTimeout);
      const cli::ClientResponse response = client.send(request);
      return response.status >= 200 && response.status < 300;
    } catch (const std::exception&) {
      return false;  // unreachable now: the notifier tries again later
    }
  };
}

}  // namespace benefitd::http
