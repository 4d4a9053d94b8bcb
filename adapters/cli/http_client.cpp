#include "adapters/cli/http_client.h"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <limits>
#include <stdexcept>
#include <variant>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

namespace benefitd::cli {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using net::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

namespace {

/// Verifies the server as `host` names it, then completes the handshake; the reason it failed.
std::optional<std::string> client_handshake(TlsStream& stream, const std::string& host) {
  SSL* handle = stream.native_handle();
  X509_VERIFY_PARAM* verify = SSL_get0_param(handle);
  beast::error_code not_an_address;
  net::ip::make_address(host, not_an_address);
  if (not_an_address) {
    // A name: sent as SNI, and the certificate must carry it (no partial wildcards).
    SSL_set_tlsext_host_name(handle, host.c_str());
    X509_VERIFY_PARAM_set_hostflags(verify, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    X509_VERIFY_PARAM_set1_host(verify, host.c_str(), 0);
  } else {
    X509_VERIFY_PARAM_set1_ip_asc(verify, host.c_str());
  }
  beast::error_code error;
  stream.handshake(ssl::stream_base::client, error);
  if (!error) return std::nullopt;
  std::string reason = error.message();
  if (const long result = SSL_get_verify_result(handle); result != X509_V_OK)
    reason += std::string(" (") + X509_verify_cert_error_string(result) + ")";
  return reason;
}

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

std::optional<ServerAddress> parse_server_address(std::string_view url) {
  const bool https = url.starts_with("https://");
  if (https) url.remove_prefix(8);
  const auto host_port = parse_server_url(url);
  if (!host_port) return std::nullopt;
  return ServerAddress{https, host_port->first, host_port->second};
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

class HttpClient::TlsSettings {
 public:
  explicit TlsSettings(const ClientTls& tls) : context(ssl::context::tls_client) {
    SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
    context.set_verify_mode(ssl::verify_peer);
    beast::error_code error;
    if (tls.ca_file.empty()) context.set_default_verify_paths(error);
    else context.load_verify_file(tls.ca_file, error);
    if (error)
      throw std::runtime_error("cannot read the CA certificates " + tls.ca_file + ": " + error.message());
  }
  ssl::context context;
};

class HttpClient::Connection {
 public:
  explicit Connection(net::io_context& io) : stream(std::in_place_type<beast::tcp_stream>, io) {}
  Connection(net::io_context& io, ssl::context& tls) : stream(std::in_place_type<TlsStream>, io, tls) {}
  beast::tcp_stream& tcp() {
    return std::visit([](auto& layer) -> beast::tcp_stream& { return beast::get_lowest_layer(layer); }, stream);
  }
  std::variant<beast::tcp_stream, TlsStream> stream;
  beast::flat_buffer buffer;
};

HttpClient::HttpClient(std::string host, std::string port, std::chrono::seconds timeout, std::optional<ClientTls> tls)
    : host_(std::move(host)),
      port_(std::move(port)),
      tls_(tls ? std::make_unique<TlsSettings>(*tls) : nullptr),
      timeout_(timeout) {}

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
  // the request, so it is safe to send it again once on a fresh connection. Over TLS the end
  // comes as a truncated stream when the server closed without a close_notify.
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = connection_ != nullptr;
    bool written = false;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    if (request.method == "HEAD") parser.skip(true);
    try {
      if (!connection_) {
        auto fresh = tls_ ? std::make_unique<Connection>(io, tls_->context) : std::make_unique<Connection>(io);
        tcp::resolver resolver(io);
        fresh->tcp().expires_after(timeout_);
        fresh->tcp().connect(resolver.resolve(host_, port_));
        if (auto* secure = std::get_if<TlsStream>(&fresh->stream))
          if (const auto failure = client_handshake(*secure, host_))
            throw std::runtime_error("cannot talk to " + host_ + ":" + port_ + ": TLS handshake failed: " + *failure);
        connection_ = std::move(fresh);
      }
      connection_->tcp().expires_after(timeout_);
      std::visit([&](auto& stream) { bhttp::write(stream, message); }, connection_->stream);
      written = true;
      std::visit([&](auto& stream) { bhttp::read(stream, connection_->buffer, parser); }, connection_->stream);
      auto response = parser.release();
      ClientResponse answer;
      answer.status = static_cast<int>(response.result_int());
      for (const auto& field : response) answer.headers.emplace_back(field.name_string(), field.value());
      answer.body = std::move(response.body());
      if (!response.keep_alive()) connection_.reset();
      return answer;
    } catch (const beast::system_error& error) {
      connection_.reset();
      const bool never_seen = !written || error.code() == bhttp::error::end_of_stream ||
                              (error.code() == ssl::error::stream_truncated && !parser.got_some());
      if (!reused || !never_seen || attempt == 1)
        throw std::runtime_error("cannot talk to " + host_ + ":" + port_ + ": " + error.code().message());
    }
  }
  throw std::runtime_error("cannot talk to " + host_ + ":" + port_);
}

}  // namespace benefitd::cli
