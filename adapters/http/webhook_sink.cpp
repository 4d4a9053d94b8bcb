#include "adapters/http/webhook_sink.h"

#include <memory>

#include "adapters/cli/http_client.h"

namespace benefitd::http {

namespace {

constexpr std::string_view kScheme = "http://";
constexpr auto kTimeout = std::chrono::seconds(10);

}  // namespace

std::optional<std::function<bool(const nlohmann::json&)>> webhook_sink(std::string_view url,
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
  auto client = std::make_shared<cli::HttpClient>(server->first, server->second, kTimeout);
  return [client, path](const nlohmann::json& notification) {
    cli::ClientRequest request;
    request.method = "POST";
    request.target = path;
    request.body = notification.dump();
    request.headers.emplace_back("X-Notification-Id", notification.value("id", ""));
    try {
      const cli::ClientResponse response = client->send(request);
      return response.status >= 200 && response.status < 300;
    } catch (const std::exception&) {
      return false;  // unreachable now: the notifier tries again later
    }
  };
}

}  // namespace benefitd::http
