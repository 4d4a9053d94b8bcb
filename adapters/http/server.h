#pragma once
// Server: benefitd's HTTP server on Boost.Beast. A listener accepts connections; each becomes
// a session on its own strand that reads requests (keep-alive, bounded pipelining, timeouts,
// 1 MiB bodies), hands them to the Router and writes the answers back in request order.
// Answers that complete on engine threads are posted back to the session's strand, so no I/O
// thread ever waits for the engine or the disk.
//
// At most `max_connections` connections are open: a client beyond them makes room by shedding
// the oldest idle connection; when none is idle it is answered 503 and closed. Failures to
// accept (out of descriptors) back off rather than spin (accept_backoff.h).
//
// Stopping (stop(), or SIGINT/SIGTERM when asked to handle them): the listener closes, idle
// connections close, pending long-polls are answered 304 at once, other requests in flight are
// answered, each connection's last answer says `Connection: close`, then run() returns; after
// `stop_grace` the remaining connections are dropped.
//
// With `tls` the listener serves HTTPS only (tls_context.h): each connection gets the TLS
// context current when it is accepted, and SIGHUP (when signals are handled) reloads the
// certificate and key for the connections accepted after it; a reload that fails is logged and
// changes nothing.
//
// Thread safety: start() and run() from one thread; stop() from any thread.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "adapters/http/http_metrics.h"
#include "adapters/http/tls_context.h"
#include "adapters/http/router.h"

namespace benefitd::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port
  int io_threads = 2;
  /// A connection waiting for (the rest of) a request is closed after this.
  std::chrono::seconds read_timeout{30};
  /// Writing one response may take this long.
  std::chrono::seconds write_timeout{30};
  /// Requests read ahead of their answers on one connection (pipelining).
  std::size_t pipeline_limit = 16;
  /// Connections open at once (see connection_limit.h for what the descriptors allow).
  std::size_t max_connections = 4096;
  std::chrono::seconds stop_grace{15};
  bool stop_on_signals = true;  // SIGINT and SIGTERM call stop(); SIGHUP reloads `tls`
  /// HTTPS with these certificates; nullptr: plain HTTP.
  std::shared_ptr<TlsContexts> tls;
  /// A TLS handshake may take this long.
  std::chrono::seconds tls_handshake_timeout{10};
};

class Server {
 public:
  Server(Router& router, HttpMetrics& metrics, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds and listens. On success `bound` is "HOST:PORT" (the real port when 0 was asked).
  bool start(std::string* bound, std::string* error);
  /// Serves until stopped and every connection is done. Blocks the calling thread, which
  /// becomes one of the I/O threads.
  void run();
  /// Begins a graceful stop.
  void stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace benefitd::http
