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

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

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

class Session : public std::enable_shared_from_this<Session> {
 public:
  /// `host` must outlive every running handler of the session. A session `over_limit` answers
  /// its first request 503 `unavailable` (Retry-After: 1) and closes.
  Session(net::ip::tcp::socket socket, SessionHost& host, Admission admission = Admission::admitted);
  ~Session();

  /// Starts reading requests.
  void start();
  /// Graceful stop: read no further requests, answer those in flight, then close. May be
  /// called from any thread.
  void stop();
  /// stop() to make room for another client, counted as a shed connection.
  void shed();
  /// Waiting for its next request with none in flight, or draining a client after its last
  /// answer: the cheapest connection to shed. May be called from any thread.
  bool idle() const { return idle_; }

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
  void linger_then_close();
  void discard_rest();
  void close();
  void arm_watchdog();
  /// Tells client_ how many answer bytes wait to be sent, and whether they can go out now.
  void report_answers_held();

  beast::tcp_stream stream_;
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
  std::atomic<bool> idle_{false};  // written on the strand, read by the listener
  // What long reads know of this connection: whether it is open, the answers it holds.
  const std::shared_ptr<app::ClientLink> client_ = std::make_shared<app::ClientLink>();
};

}  // namespace benefitd::http
