#include "adapters/http/session.h"

#include <openssl/ssl.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "adapters/http/logging.h"
#include "adapters/http/problem.h"
#include "adapters/http/request_framing.h"
#include "adapters/http/request_target.h"

namespace benefitd::http {

namespace bhttp = beast::http;

namespace {

bool is_http_parse_error(const beast::error_code& error) {
  return error.category() == bhttp::make_error_code(bhttp::error::bad_target).category();
}

/// The path of a target without its query, for the access log.
std::string log_path(std::string_view target) { return std::string(target.substr(0, target.find('?'))); }

}  // namespace

void apply_request_limits(RequestParser& parser) {
  parser.body_limit(kMaxBodyBytes);
  parser.header_limit(kMaxHeaderBytes);
}

HttpRequest plain_request(const bhttp::request<bhttp::string_body>& request) {
  HttpRequest plain;
  plain.method = std::string(request.method_string());
  plain.target = std::string(request.target());
  for (const auto& field : request) plain.headers.emplace_back(field.name_string(), field.value());
  plain.body = request.body();
  return plain;
}

template <class Stream>
Stream StreamSession<Stream>::make_stream(net::ip::tcp::socket socket, net::ssl::context* tls) {
  if constexpr (kSecure) return Stream(std::move(socket), *tls);
  else return Stream(std::move(socket));
}

template <class Stream>
StreamSession<Stream>::StreamSession(net::ip::tcp::socket socket, SessionHost& host, Admission admission,
                                     std::shared_ptr<net::ssl::context> tls)
    : tls_(std::move(tls)),
      stream_(make_stream(std::move(socket), tls_.get())),
      host_(host),
      metrics_(host.metrics),
      watchdog_(stream_.get_executor()),
      admission_(admission) {
  // Until its handshake completes a TLS connection holds nothing: sheddable from the start.
  idle_ = kSecure;
  metrics_.connection_opened();
}

template <class Stream>
StreamSession<Stream>::~StreamSession() {
  host_.connections.remove(this);  // when the I/O stopped before the session closed
  metrics_.connection_closed();
}

template <class Stream>
void StreamSession<Stream>::start() {
  net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
    if constexpr (kSecure) self->handshake();
    else self->read_next();
  });
}

template <class Stream>
void StreamSession<Stream>::handshake() {
  if constexpr (kSecure) {
    // Counted as a read, so that a stop or a shed cancels it; bounded by its own timeout, so
    // that a client that opens a connection and stalls cannot hold a slot for the read timeout.
    reading_ = true;
    idle_ = true;
    watchdog_.expires_after(host_.options.tls_handshake_timeout);
    watchdog_.async_wait([self = this->shared_from_this()](beast::error_code error) {
      if (!error) self->close();
    });
    stream_.async_handshake(net::ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code error) {
      self->reading_ = false;
      if (self->closed_) return;
      if (error || self->read_side_done_) {
        // Plain HTTP on the TLS port, an old protocol version, a client that gave up: say no more.
        if (error) spdlog::debug("TLS handshake failed: {}", error.message());
        return self->close();
      }
      self->read_next();
    });
  }
}

template <class Stream>
void StreamSession<Stream>::stop() {
  net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
    self->read_side_done_ = true;
    self->stop_reading();
    self->close_if_done();
  });
}

template <class Stream>
void StreamSession<Stream>::shed() {
  metrics_.connection_shed();
  stop();
}

template <class Stream>
void StreamSession<Stream>::read_next() {
  // A client that leaves its answers unread gets no further requests read meanwhile.
  if (closed_ || reading_ || read_side_done_ || slots_.size() >= host_.options.pipeline_limit ||
      client_->saturated()) {
    return;
  }
  parser_.emplace();
  apply_request_limits(*parser_);
  reading_ = true;
  arm_watchdog();
  read_header_bytes();
}

template <class Stream>
void StreamSession<Stream>::read_header_bytes() {
  // Beast's parser takes a header only whole, and unfolds obs-fold as it parses: look at the
  // raw header block first, then let the parser read it from the buffer.
  const std::string_view buffered(static_cast<const char*>(buffer_.data().data()), buffer_.size());
  const std::size_t header_end = buffered.find("\r\n\r\n");
  if (header_end != std::string_view::npos && has_obs_fold(buffered.substr(0, header_end + 2))) {
    reading_ = false;
    return answer_and_close(problem_response("invalid-request", "header fields may not be folded across lines"));
  }
  if (header_end != std::string_view::npos || buffered.size() > kMaxHeaderBytes) {
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code error, std::size_t) { self->on_header(error); });
    return;
  }
  stream_.async_read_some(
      buffer_.prepare(4096), [self = this->shared_from_this()](beast::error_code error, std::size_t n) {
        self->buffer_.commit(n);
        // A TLS client that closes without a close_notify ends its stream as truncated.
        if (error == net::error::eof || error == net::ssl::error::stream_truncated)
          error = self->buffer_.size() == 0 ? bhttp::error::end_of_stream : bhttp::error::partial_message;
        if (error || self->closed_) return self->on_read(error);
        self->read_header_bytes();
      });
}

template <class Stream>
void StreamSession<Stream>::on_header(beast::error_code error) {
  if (closed_ || error) return on_read(error);  // on_read drops a header read as the session closed
  const auto& header = parser_->get();
  if (auto problem = framing_problem(header)) {
    reading_ = false;
    return answer_and_close(problem_response("invalid-request", std::move(*problem)));
  }
  if (expects_continue(header) && !parser_->is_done()) {
    Slot& slot = slots_.emplace_back(Slot{next_id_++, "-", "-", true, Clock::now(), std::nullopt, false});
    slot.interim = true;
    slot.response.emplace(bhttp::status::continue_, 11);
    write_next();
  }
  bhttp::async_read(stream_, buffer_, *parser_,
                    [self = this->shared_from_this()](beast::error_code error, std::size_t) { self->on_read(error); });
}

template <class Stream>
void StreamSession<Stream>::on_read(beast::error_code error) {
  reading_ = false;
  if (closed_) return;
  if (error) return on_read_failed(error);
  // A request read in full is answered even when a stop came meanwhile.
  dispatch(parser_->release());
  read_next();
  arm_watchdog();
}

template <class Stream>
void StreamSession<Stream>::on_read_failed(beast::error_code error) {
  // As Beast's reads take the end of a plain stream: between requests, or within one.
  if (error == net::ssl::error::stream_truncated)
    error = parser_->got_some() ? bhttp::error::partial_message : bhttp::error::end_of_stream;
  if (error == bhttp::error::end_of_stream || read_side_done_) {
    read_side_done_ = true;
    return close_if_done();
  }
  answer_unreadable(error);
}

template <class Stream>
void StreamSession<Stream>::answer_unreadable(beast::error_code error) {
  if (!is_http_parse_error(error)) {  // the connection itself failed or timed out
    read_side_done_ = true;
    return close();
  }
  answer_and_close(
      error == bhttp::error::body_limit
          ? problem_response("payload-too-large", "request bodies are limited to 1 MiB")
      : error == bhttp::error::header_limit
          ? problem_response("header-fields-too-large", "request headers are limited to 16 KiB")
          : problem_response("invalid-request", "the request is not well-formed HTTP/1.1: " + error.message()));
}

template <class Stream>
void StreamSession<Stream>::answer_and_close(HttpResponse response) {
  read_side_done_ = true;
  response.close_connection = true;
  const std::uint64_t id = next_id_++;
  slots_.push_back(Slot{id, "-", "-", false, Clock::now(), std::nullopt, false});
  deliver(id, std::move(response));
}

template <class Stream>
void StreamSession<Stream>::dispatch(bhttp::request<bhttp::string_body> request) {
  const std::uint64_t id = next_id_++;
  Slot& slot = slots_.emplace_back(Slot{id, std::string(request.method_string()), log_path(request.target()),
                                        request.keep_alive(), Clock::now(), std::nullopt, false});
  if (!request.keep_alive()) read_side_done_ = true;
  if (admission_ == Admission::over_limit) {
    HttpResponse refusal = problem_response("unavailable", "the server has too many connections open; retry later");
    refusal.set_header("Retry-After", "1");
    refusal.close_connection = true;
    read_side_done_ = true;
    return deliver(id, std::move(refusal));
  }
  // HEAD is GET without the body (RFC 9110 section 9.3.2): the router answers it as a GET.
  slot.head = request.method() == bhttp::verb::head;
  if (slot.head) request.method(bhttp::verb::get);
  // The answer may come from an engine thread; the tracked executor keeps the I/O threads
  // running until it has come (or the Service dropped the request).
  auto work = net::prefer(host_.io.get_executor(), net::execution::outstanding_work.tracked);
  HttpRequest plain = plain_request(request);
  plain.client = client_;
  beast::error_code no_peer;
  plain.peer = socket().remote_endpoint(no_peer).address().to_string();
  host_.router.handle(std::move(plain), [self = this->shared_from_this(), id, work](HttpResponse response) {
    net::post(self->stream_.get_executor(), [self, id, response = std::move(response)]() mutable {
      self->deliver(id, std::move(response));
    });
  });
}

template <class Stream>
void StreamSession<Stream>::deliver(std::uint64_t id, HttpResponse response) {
  if (closed_) return;
  auto slot = std::find_if(slots_.begin(), slots_.end(), [id](const Slot& s) { return s.id == id; });
  if (slot == slots_.end()) return;
  const auto duration = std::chrono::duration<double>(Clock::now() - slot->started);
  const auto correlation = response.header("X-Correlation-Id").value_or("-");
  metrics_.record(response.route, response.status, duration);
  log_request({slot->method, slot->path, response.status, duration, correlation, response.route});

  BeastResponse& beast_response = slot->response.emplace();
  beast_response.version(11);
  beast_response.result(static_cast<unsigned>(response.status));
  beast_response.set(bhttp::field::server, "benefitd");
  for (const auto& [name, value] : response.headers) beast_response.set(name, value);
  slot->close_after = response.close_connection || !slot->keep_alive;
  slot->linger = response.close_connection;
  beast_response.keep_alive(!slot->close_after);
  beast_response.body() = std::move(response.body);
  if (response.status != 304) beast_response.prepare_payload();
  if (slot->head) beast_response.body().clear();  // Content-Length stays the GET's
  write_next();
  report_answers_held();
}

template <class Stream>
void StreamSession<Stream>::write_next() {
  if (closed_ || writing_ || slots_.empty() || !slots_.front().response) return;
  Slot& next = slots_.front();
  if (read_side_done_ && slots_.size() == 1 && !next.interim) {
    // The last answer this connection gives: the client learns it is closing.
    next.close_after = true;
    next.response->keep_alive(false);
  }
  writing_ = true;
  arm_watchdog();
  bhttp::async_write(
      stream_, *slots_.front().response,
      [self = this->shared_from_this()](beast::error_code error, std::size_t) { self->on_write(error); });
}

template <class Stream>
void StreamSession<Stream>::on_write(beast::error_code error) {
  writing_ = false;
  if (closed_) return;
  if (error) return close();
  const bool close_after = slots_.front().close_after, linger = slots_.front().linger;
  slots_.pop_front();
  report_answers_held();
  if (close_after && linger) return linger_then_close();
  if (close_after) read_side_done_ = true;  // nothing unread to wait for: close once done
  if (read_side_done_) stop_reading();
  write_next();
  read_next();
  close_if_done();
  arm_watchdog();
}

template <class Stream>
void StreamSession<Stream>::stop_reading() {
  // Cancelling would also abort a write in progress; on_write comes back here when it is done.
  if (reading_ && !writing_) {
    beast::error_code ignored;
    socket().cancel(ignored);
  }
}

template <class Stream>
void StreamSession<Stream>::close_if_done() {
  if (closed_ || !read_side_done_ || reading_ || writing_ || !slots_.empty()) return;
  if (ending_) return close();  // lingering, or writing the close_notify: close outright
  ending_ = true;
  if constexpr (kSecure) {
    // Writing the close_notify is bounded like any write.
    watchdog_.expires_after(host_.options.write_timeout);
    watchdog_.async_wait([self = this->shared_from_this()](beast::error_code error) {
      if (!error) self->close();
    });
  }
  end_sending([this] { close(); });
}

template <class Stream>
void StreamSession<Stream>::end_sending(std::function<void()> then) {
  if constexpr (kSecure) {
    // A close_notify tells the client that the answers are whole. Marked as if the client's
    // had come, OpenSSL's shutdown only sends ours: a client that keeps an idle connection
    // open unread (a pool) would otherwise hold a stopping server until the watchdog fires.
    SSL_set_shutdown(stream_.native_handle(), SSL_RECEIVED_SHUTDOWN);
    stream_.async_shutdown([self = this->shared_from_this(), then = std::move(then)](beast::error_code) {
      if (self->closed_) return;
      beast::error_code ignored;
      self->socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
      then();
    });
  } else {
    beast::error_code ignored;
    socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
    then();
  }
}

template <class Stream>
void StreamSession<Stream>::linger_then_close() {
  // Closing with unread request bytes would reset the connection and could destroy the answer
  // before the client reads it (a 413 while the client still sends its body): end our side,
  // then read and drop what the client still sends until it ends too, or the read timeout.
  read_side_done_ = true;
  // Answered, nothing in flight: the first to shed when room is needed, from the moment its
  // answer is written, also while its read is being stopped.
  idle_ = true;
  if (reading_) return stop_reading();  // on_read comes back to close_if_done
  ending_ = true;
  watchdog_.expires_after(host_.options.read_timeout);
  watchdog_.async_wait([self = this->shared_from_this()](beast::error_code error) {
    if (!error) self->close();
  });
  end_sending([this] { discard_rest(); });
}

template <class Stream>
void StreamSession<Stream>::discard_rest() {
  // Below TLS too: what is left is dropped unread, whatever it says.
  socket().async_read_some(net::buffer(discard_),
                           [self = this->shared_from_this()](beast::error_code error, std::size_t) {
                             if (error || self->closed_) return self->close();
                             self->discard_rest();
                           });
}

template <class Stream>
void StreamSession<Stream>::close() {
  if (closed_) return;
  closed_ = true;
  idle_ = false;
  // A write in progress may still read its answer (its completion may be queued already).
  slots_.erase(writing_ ? std::next(slots_.begin()) : slots_.begin(), slots_.end());
  client_->closed();  // long reads still queued for it are dropped
  watchdog_.cancel();
  beast::error_code ignored;
  socket().close(ignored);
  host_.connections.remove(this);
}

template <class Stream>
void StreamSession<Stream>::report_answers_held() {
  std::size_t bytes = 0;
  for (const Slot& slot : slots_)
    if (slot.response && !slot.interim) bytes += slot.response->body().size();
  client_->answers_held(bytes, !slots_.empty() && slots_.front().response.has_value());
}

template <class Stream>
void StreamSession<Stream>::arm_watchdog() {
  if (closed_ || ending_) return;  // the watchdog set when ending stays
  idle_ = reading_ && !writing_ && slots_.empty();
  std::chrono::seconds limit{0};
  if (writing_) limit = host_.options.write_timeout;
  else if (slots_.empty() && reading_) limit = host_.options.read_timeout;
  if (limit.count() == 0) {
    // Waiting for answers (a long-poll, a command): the router always answers in bounded time.
    watchdog_.cancel();
    return;
  }
  watchdog_.expires_after(limit);
  watchdog_.async_wait([self = this->shared_from_this()](beast::error_code error) {
    if (!error) self->close();
  });
}

template class StreamSession<beast::tcp_stream>;
template class StreamSession<beast::ssl_stream<beast::tcp_stream>>;

}  // namespace benefitd::http
