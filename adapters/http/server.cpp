#include "adapters/http/server.h"

#include <condition_variable>
#include <csignal>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <spdlog/spdlog.h>

#include "adapters/http/accept_backoff.h"
#include "adapters/http/connection_table.h"
#include "adapters/http/session.h"

namespace benefitd::http {

using net::ip::tcp;

/// Connections beyond the cap still open while they are refused or shed: well within the
/// store's reserve of descriptors (connection_limit.h).
constexpr std::size_t kMostClosing = 32;

class Server::Impl {
 public:
  Impl(Router& router, HttpMetrics& metrics, ServerOptions options)
      : options_(std::move(options)),
        io_(options_.io_threads),
        host_{io_, router, metrics, options_, connections_},
        strand_(net::make_strand(io_)),
        acceptor_(strand_),
        retry_timer_(strand_),
        signals_(strand_),
        reload_signals_(strand_) {}

  bool start(std::string* bound, std::string* error) {
    beast::error_code ec;
    const auto address = net::ip::make_address(options_.host, ec);
    if (ec) return fail(error, "bad listen address '" + options_.host + "': " + ec.message());
    const tcp::endpoint endpoint(address, options_.port);
    if (acceptor_.open(endpoint.protocol(), ec); ec) return fail(error, "open: " + ec.message());
    if (acceptor_.set_option(net::socket_base::reuse_address(true), ec); ec) return fail(error, ec.message());
    if (acceptor_.bind(endpoint, ec); ec) return fail(error, "bind " + listen_text(endpoint) + ": " + ec.message());
    if (acceptor_.listen(net::socket_base::max_listen_connections, ec); ec)
      return fail(error, "listen: " + ec.message());
    *bound = listen_text(acceptor_.local_endpoint());
    if (options_.stop_on_signals) {
      signals_.add(SIGINT);
      signals_.add(SIGTERM);
      signals_.async_wait([this](beast::error_code signal_error, int signal) {
        if (signal_error) return;
        spdlog::info("signal {}: stopping", signal);
        begin_stop();
      });
      if (options_.tls) {
        reload_signals_.add(SIGHUP);
        reload_on_signal();
      }
    }
    accept_next();
    return true;
  }

  void run() {
    std::vector<std::thread> threads;
    for (int i = 1; i < options_.io_threads; ++i) threads.emplace_back([this] { io_.run(); });
    std::thread grace([this] { enforce_grace(); });
    io_.run();
    for (auto& thread : threads) thread.join();
    {
      const std::scoped_lock lock(mutex_);
      finished_ = true;
    }
    stopped_.notify_all();
    grace.join();
  }

  void stop() {
    net::post(strand_, [this] { begin_stop(); });
  }

 private:
  static bool fail(std::string* error, std::string message) {
    *error = std::move(message);
    return false;
  }
  static std::string listen_text(const tcp::endpoint& endpoint) {
    return endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
  }

  /// SIGHUP: new connections get the certificate and key as the files now hold them.
  void reload_on_signal() {
    reload_signals_.async_wait([this](beast::error_code signal_error, int) {
      if (signal_error) return;
      std::string error;
      if (options_.tls->reload(&error))
        spdlog::info("SIGHUP: TLS certificate reloaded from {}", options_.tls->files().certificate.string());
      else
        spdlog::error("SIGHUP: cannot reload the TLS certificate, still serving the previous one: {}", error);
      reload_on_signal();
    });
  }

  void accept_next() {
    acceptor_.async_accept(net::make_strand(io_), [this](beast::error_code error, tcp::socket socket) {
      if (stopping_) return;
      if (error) return retry_accept(error);
      backoff_.succeeded();
      Admission admission = Admission::admitted;
      if (connections_.counted() >= options_.max_connections) {
        if (auto oldest = connections_.take_oldest_idle()) {
          oldest->shed();
        } else {
          host_.metrics.connection_refused();
          if (connections_.uncounted() >= kMostClosing) {
            // Answering a refusal holds a descriptor until the client has read it: past this
            // many, a newcomer is closed unanswered rather than eat the store's reserve.
            beast::error_code ignored;
            socket.close(ignored);
            return accept_next();
          }
          admission = Admission::over_limit;
        }
      }
      std::shared_ptr<Session> session;
      if (options_.tls)
        session = std::make_shared<TlsSession>(std::move(socket), host_, admission, options_.tls->current());
      else
        session = std::make_shared<PlainSession>(std::move(socket), host_, admission);
      connections_.add(session, admission == Admission::admitted);
      session->start();
      accept_next();
    });
  }

  /// Out of descriptors and the like: free one if a connection is idle, then pause rather than
  /// spin, and say so in the log without flooding it.
  void retry_accept(const beast::error_code& error) {
    if (error == net::error::no_descriptors || error == std::errc::too_many_files_open_in_system)
      if (auto oldest = connections_.take_oldest_idle()) oldest->shed();
    const AcceptBackoff::Step step = backoff_.failed(AcceptBackoff::Clock::now());
    if (step.report)
      spdlog::warn("accept failed {} time(s) since the last report: {}; retrying in {} ms", *step.report,
                   error.message(), step.delay.count());
    retry_timer_.expires_after(step.delay);
    retry_timer_.async_wait([this](beast::error_code wait_error) {
      if (!wait_error && !stopping_) accept_next();
    });
  }

  /// Runs on the listener's strand.
  void begin_stop() {
    if (stopping_) return;
    stopping_ = true;
    beast::error_code ignored;
    acceptor_.close(ignored);
    signals_.cancel(ignored);
    reload_signals_.cancel(ignored);
    retry_timer_.cancel();
    {
      const std::scoped_lock lock(mutex_);
      stop_requested_ = true;
    }
    stopped_.notify_all();
    // Sessions first: the released long-polls' answers then reach sessions that know they
    // are stopping, and say `Connection: close`.
    for (const auto& session : connections_.all()) session->stop();
    host_.router.release_long_polls();
  }

  /// After a stop, gives the connections `stop_grace` to finish, then stops the I/O threads.
  /// Once every connection has closed nothing is left to serve: the engine's work still
  /// pending (a released long-poll's wait) finishes as the Service closes.
  void enforce_grace() {
    {
      std::unique_lock lock(mutex_);
      stopped_.wait(lock, [this] { return stop_requested_ || finished_; });
      if (finished_) return;
    }
    if (!connections_.wait_until_empty(std::chrono::steady_clock::now() + options_.stop_grace))
      spdlog::warn("connections still open {} s after stopping; closing them", options_.stop_grace.count());
    io_.stop();
  }

  ServerOptions options_;
  ConnectionTable connections_;  // outlives io_: sessions destroyed with it leave the table
  net::io_context io_;  // declared first among the I/O objects: destroyed after them
  SessionHost host_;
  net::strand<net::io_context::executor_type> strand_;  // the listener's: accepting and stopping
  tcp::acceptor acceptor_;
  net::steady_timer retry_timer_;
  net::signal_set signals_;
  net::signal_set reload_signals_;
  bool stopping_ = false;  // on strand_
  AcceptBackoff backoff_;  // on strand_
  std::mutex mutex_;
  std::condition_variable stopped_;
  bool stop_requested_ = false, finished_ = false;
};

Server::Server(Router& router, HttpMetrics& metrics, ServerOptions options)
    : impl_(std::make_unique<Impl>(router, metrics, std::move(options))) {}
Server::~Server() = default;
bool Server::start(std::string* bound, std::string* error) { return impl_->start(bound, error); }
void Server::run() { impl_->run(); }
void Server::stop() { impl_->stop(); }

}  // namespace benefitd::http
