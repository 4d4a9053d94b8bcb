#include "adapters/cli/http_client.h"

#include <limits>
#include <stdexcept>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace benefitd::cli {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace net = boost::asio;
using net::ip::tcp;

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

}  // namespace

std::optional<std::string> ClientResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (iequals(key, name)) return value;
  return std::nullopt;
}

std::optional<std::pair<std::string, std::string>> parse_server_url(std::string_view url) {
  if (url.starts_with("http://")) url.remove_prefix(7);
  while (url.ends_with("/")) url.remove_suffix(1);
  const std::size_t colon = url.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == url.size()) return std::nullopt;
  std::string host(url.substr(0, colon));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return std::pair{host, std::string(url.substr(colon + 1))};
}

class HttpClient::Connection {
 public:
  Connection(net::io_context& io) : stream(io) {}
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
};

HttpClient::HttpClient(std::string host, std::string port, std::chrono::seconds timeout)
    : host_(std::move(host)), port_(std::move(port)), timeout_(timeout) {}

HttpClient::~HttpClient() = default;

ClientResponse HttpClient::send(const ClientRequest& request) {
  static thread_local net::io_context io;
  bhttp::request<bhttp::string_body> message;
  message.method_string(request.method);
  message.target(request.target);
  message.version(11);
  message.set(bhttp::field::host, host_);
  message.set(bhttp::field::user_agent, "benefitctl");
  if (!request.body.empty()) message.set(bhttp::field::content_type, "application/json");
  for (const auto& [name, value] : request.headers) message.set(name, value);
  message.body() = request.body;
  message.prepare_payload();

  // A kept-alive connection may have been closed by the server while idle: the write then
  // fails or the read finds the end of the stream before any answer, and the server never saw
  // the request, so it is safe to send it again once on a fresh connection.
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = connection_ != nullptr;
    bool written = false;
    try {
      if (!connection_) {
        auto fresh = std::make_unique<Connection>(io);
        tcp::resolver resolver(io);
        fresh->stream.expires_after(timeout_);
        fresh->stream.connect(resolver.resolve(host_, port_));
        connection_ = std::move(fresh);
      }
      connection_->stream.expires_after(timeout_);
      bhttp::write(connection_->stream, message);
      written = true;
      bhttp::response_parser<bhttp::string_body> parser;
      parser.body_limit(std::numeric_limits<std::uint64_t>::max());
      if (request.method == "HEAD") parser.skip(true);
      bhttp::read(connection_->stream, connection_->buffer, parser);
      auto response = parser.release();
      ClientResponse answer;
      answer.status = static_cast<int>(response.result_int());
      for (const auto& field : response) answer.headers.emplace_back(field.name_string(), field.value());
      answer.body = std::move(response.body());
      if (!response.keep_alive()) connection_.reset();
      return answer;
    } catch (const beast::system_error& error) {
      connection_.reset();
      const bool never_seen = !written || error.code() == bhttp::error::end_of_stream;
      if (!reused || !never_seen || attempt == 1)
        throw std::runtime_error("cannot talk to " + host_ + ":" + port_ + ": " + error.code().message());
    }
  }
  throw std::runtime_error("cannot talk to " + host_ + ":" + port_);
}

}  // namespace benefitd::cli
