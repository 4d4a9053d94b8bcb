#pragma once
// Session: one client connection (internal to the server). Reads requests with Beast's parser
// (1 MiB body limit answered 413, 16 KiB header limit answered 431, malformed requests 400),
// lets up to `pipeline_limit` requests be answered concurrently and writes the answers in
// request order. A watchdog closes a connection idle or stalled beyond its timeouts; it does
// not run while answers are pending, so long-polls keep their connection.
//
// Framing is strict (request_framing.h): obs-fold, a Transfer-Encoding other than chunked and
// a missing Host are answered 400 and the connection closed, the rest of its bytes discarded.
// `Expect: 100-continue` gets `100 Continue` once the header is accepted; HEAD is answered as
// GET without the body. The last answer a connection gives (after a stop, a shed or a client's
// `Connection: close`) says `Connection: close`.
//
// A session reads plain TCP (PlainSession) or TLS (TlsSession: the same code over Beast's
// ssl_stream). A TLS session first completes its handshake within `tls_handshake_timeout`
// (idle meanwhile, so the first to shed); it ends by sending a close_notify, without waiting
// for the client's.
//
// Thread safety: everything runs on the session's strand; router answers arriving from other
// threads are posted to it.

#include <chrono>
#include <cstdint>
#include <array>
#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "adapters/http/connection_table.h"
#include "adapters/http/router.h"
#include "adapters/http/server.h"

namespace benefitd::http {

namespace beast = boost::beast;
namespace net = boost::asio;

using RequestParser = beast::http::request_parser<beast::http::string_body>;

/// Largest request header block a session reads (431 `header-fields-too-large` beyond).
inline constexpr std::size_t kMaxHeaderBytes = 16 * 1024;

/// Gives a fresh parser the server's limits: kMaxBodyBytes of body, kMaxHeaderBytes of headers.
void apply_request_limits(RequestParser& parser);

/// The router's form of a request read by a parser.
HttpRequest plain_request(const beast::http::request<beast::http::string_body>& request);

/// What sessions share: the server's parts they use.
struct SessionHost {
  net::io_context& io;
  Router& router;
  HttpMetrics& metrics;
  const ServerOptions& options;
  ConnectionTable& connections;
};

/// Whether a session serves its client, or only answers it that the server is full.
enum class Admission { admitted, over_limit };

/// What the listener and the connection table know of a session, whatever its stream.
class Session {
 public:
  virtual ~Session() = default;
  /// Starts the session: the TLS handshake if any, then reading requests.
  virtual void start() = 0;
  /// Graceful stop: read no further requests, answer those in flight, then close. May be
  /// called from any thread.
  virtual void stop() = 0;
  /// stop() to make room for another client, counted as a shed connection.
  virtual void shed() = 0;
  /// Waiting for its next request (or its TLS handshake) with none in flight, or draining a
  /// client after its last answer: the cheapest connection to shed. May be called from any
  /// thread.
  bool idle() const { return idle_; }

 protected:
  std::atomic<bool> idle_{false};  // written on the session's strand, read by the listener
};

template <class Stream>
class StreamSession final : public Session, public std::enable_shared_from_this<StreamSession<Stream>> {
 public:
  /// `host` must outlive every running handler of the session. A session `over_limit` answers
  /// its first request 503 `unavailable` (Retry-After: 1) and closes. A TlsSession needs
  /// `tls`, the context current when the connection was accepted, which it keeps.
  StreamSession(net::ip::tcp::socket socket, SessionHost& host, Admission admission = Admission::admitted,
                std::shared_ptr<net::ssl::context> tls = nullptr);
  ~StreamSession() override;

  void start() override;
  void stop() override;
  void shed() override;

 private:
  using Clock = std::chrono::steady_clock;
  using BeastResponse = beast::http::response<beast::http::string_body>;

  /// One request in flight, in arrival order.
  struct Slot {
    std::uint64_t id;
    std::string method, path;
    bool keep_alive = true;
    Clock::time_point started;
    std::optional<BeastResponse> response;
    bool close_after = false;
    bool linger = false;   // the request was not read whole: drain the client before closing
    bool head = false;     // a HEAD request: the answer's body is left out
    bool interim = false;  // a `100 Continue` ahead of the answer
  };

  static constexpr bool kSecure = !std::is_same_v<Stream, beast::tcp_stream>;

  static Stream make_stream(net::ip::tcp::socket socket, net::ssl::context* tls);
  net::ip::tcp::socket& socket() { return beast::get_lowest_layer(stream_).socket(); }
  /// A TlsSession's first step: the TLS handshake, then read_next().
  void handshake();
  void read_next();
  void read_header_bytes();
  void on_header(beast::error_code error);
  void on_read(beast::error_code error);
  void on_read_failed(beast::error_code error);
  void answer_unreadable(beast::error_code error);
  void answer_and_close(HttpResponse response);
  void dispatch(beast::http::request<beast::http::string_body> request);
  void deliver(std::uint64_t id, HttpResponse response);
  void write_next();
  void on_write(beast::error_code error);
  void stop_reading();
  void close_if_done();
  /// Ends the sending side (a TLS close_notify, then a TCP FIN), then runs `then`.
  void end_sending(std::function<void()> then);
  void linger_then_close();
  void discard_rest();
  void close();
  void arm_watchdog();
  /// Tells client_ how many answer bytes wait to be sent, and whether they can go out now.
  void report_answers_held();

  const std::shared_ptr<net::ssl::context> tls_;  // a TlsSession's: lives as long as its stream
  Stream stream_;
  SessionHost& host_;
  HttpMetrics& metrics_;  // outlives the server's I/O; the destructor may run as it shuts down
  beast::flat_buffer buffer_;
  std::array<char, 4096> discard_;  // what a client still sends after its last answer
  std::optional<RequestParser> parser_;
  net::steady_timer watchdog_;
  std::deque<Slot> slots_;
  std::uint64_t next_id_ = 0;
  const Admission admission_;
  bool reading_ = false, writing_ = false, read_side_done_ = false, closed_ = false;
  bool ending_ = false;  // the sending side is ending: a further close_if_done closes outright
  // What long reads know of this connection: whether it is open, the answers it holds.
  const std::shared_ptr<app::ClientLink> client_ = std::make_shared<app::ClientLink>();
};

using PlainSession = StreamSession<beast::tcp_stream>;
using TlsSession = StreamSession<beast::ssl_stream<beast::tcp_stream>>;

}  // namespace benefitd::http
