// Hostile clients over real sockets against a real benefitd: request smuggling and framing
// (RFC 9112), HEAD and Expect: 100-continue, the connection cap and the open-file limit, and
// what a stopping server answers.
#include <catch2/catch.hpp>

#include <poll.h>
#include <sys/resource.h>

#include <memory>
#include <regex>

#include "scenario.h"

namespace benefitd::testing {
namespace {

/// One client connection spoken to in raw bytes, a response at a time.
class RawConnection {
 public:
  explicit RawConnection(const std::string& port) : fd_(connect_loopback(port)) {}
  ~RawConnection() { ::close(fd_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  void send(const std::string& bytes) {
    REQUIRE(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size()));
  }

  /// The next response's head (status line and headers) and body, read by its Content-Length;
  /// empty when nothing came within 10 s or the server closed first.
  std::string read_response(bool body_expected = true) {
    std::size_t head_end;
    while ((head_end = buffered_.find("\r\n\r\n")) == std::string::npos)
      if (!receive()) return {};
    std::string head = buffered_.substr(0, head_end + 4);
    std::size_t length = 0;
    std::smatch match;
    if (body_expected && std::regex_search(head, match, std::regex("Content-Length: *([0-9]+)", std::regex::icase)))
      length = std::stoul(match[1]);
    while (buffered_.size() < head.size() + length)
      if (!receive()) return {};
    std::string response = buffered_.substr(0, head.size() + length);
    buffered_.erase(0, response.size());
    return response;
  }

  /// Whether the server closed the connection, or its sending side, within 10 s, with nothing
  /// more to read.
  bool closed_by_server() {
    while (receive()) {
    }
    return closed_ && buffered_.empty();
  }

  /// Whether any bytes arrive within `wait_ms`.
  bool quiet_for(int wait_ms) {
    pollfd ready{fd_, POLLIN, 0};
    return ::poll(&ready, 1, wait_ms) == 0;
  }

 private:
  bool receive() {
    pollfd ready{fd_, POLLIN, 0};
    if (::poll(&ready, 1, 10000) != 1) return false;
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) {
      closed_ = true;
      return false;
    }
    buffered_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int fd_;
  std::string buffered_;
  bool closed_ = false;
};

int status_of(const std::string& response) {
  return response.starts_with("HTTP/1.1 ") ? std::stoi(response.substr(9, 3)) : 0;
}

std::string body_of(const std::string& response) { return response.substr(response.find("\r\n\r\n") + 4); }

bool says_close(const std::string& response) {
  return std::regex_search(response.substr(0, response.find("\r\n\r\n") + 2),
                           std::regex("\r\nConnection: *close\r\n", std::regex::icase));
}

/// The value of a metric without labels in /metrics, or -1.
long metric(const std::string& port, const std::string& name) {
  const std::string answer = raw_exchange(port, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  std::smatch match;
  if (!std::regex_search(answer, match, std::regex("\n" + name + " ([0-9]+)\n"))) return -1;
  return std::stol(match[1]);
}

const std::string kHealthz = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

struct Server {
  TempDir dir;
  ServerProcess server;
  explicit Server(std::vector<std::string> flags = {}) : server(dir.path() / "data", std::move(flags)) {}
  const std::string& port() const { return server.port(); }
};

TEST_CASE("Hostile clients: a Transfer-Encoding not ending in chunked is refused and its body never runs",
          "[http][server][hostile]") {
  Server s;
  // The body is a whole request: taken as "no body", it would run (and answer 200).
  const std::string smuggled = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  for (const std::string coding : {"xchunked", "gzip", "chunked, identity", "identity", "chunked, gzip, chunked"}) {
    CAPTURE(coding);
    const std::string answer = raw_exchange(s.port(), "POST /v1/partners HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " +
                                                          coding + "\r\n\r\n" + smuggled);
    CHECK(statuses_in(answer) == std::vector<int>{400});
    CHECK(says_close(answer));
  }
  // chunked alone still frames a body.
  const std::string chunked = raw_exchange(s.port(),
                                           "POST /v1/partners HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                           "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                                           "2\r\n{}\r\n0\r\n\r\n");
  CHECK(statuses_in(chunked) == std::vector<int>{401});
}

TEST_CASE("Hostile clients: obs-fold in any header is refused", "[http][server][hostile]") {
  Server s;
  for (const std::string folded : {"X-Note: one\r\n two\r\n", "X-Note: one\r\n\ttwo\r\n", "Host: x\r\n y\r\n"}) {
    CAPTURE(folded);
    const std::string host = folded.starts_with("Host") ? "" : "Host: x\r\n";
    const std::string answer = raw_exchange(s.port(), "GET /healthz HTTP/1.1\r\n" + host + folded + "\r\n" + kHealthz);
    CHECK(statuses_in(answer) == std::vector<int>{400});
  }
}

TEST_CASE("Hostile clients: an HTTP/1.1 request without exactly one Host is refused", "[http][server][hostile]") {
  Server s;
  CHECK(statuses_in(raw_exchange(s.port(), "GET /healthz HTTP/1.1\r\n\r\n" + kHealthz)) == std::vector<int>{400});
  CHECK(statuses_in(raw_exchange(s.port(), "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")) ==
        std::vector<int>{400});
  // HTTP/1.0 has no Host requirement.
  CHECK(statuses_in(raw_exchange(s.port(), "GET /healthz HTTP/1.0\r\n\r\n")) == std::vector<int>{200});
}

TEST_CASE("Hostile clients: Expect: 100-continue is answered 100 Continue before the body is sent",
          "[http][server][hostile]") {
  Server s;
  const std::string body = R"({"name":"fabrikam"})";
  RawConnection connection(s.port());
  connection.send("POST /v1/partners HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + std::string(kOperatorToken) +
                  "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                  "\r\nExpect: 100-continue\r\n\r\n");
  CHECK(status_of(connection.read_response(false)) == 100);
  connection.send(body);
  CHECK(status_of(connection.read_response()) == 400);  // a partner needs more than a name
  // A request the server refuses from its header alone gets its answer, not 100.
  RawConnection too_large(s.port());
  too_large.send("POST /v1/partners HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\nExpect: 100-continue\r\n\r\n");
  CHECK(status_of(too_large.read_response()) == 413);
}

TEST_CASE("Hostile clients: HEAD is answered like GET without the body", "[http][server][hostile]") {
  Server s;
  RawConnection connection(s.port());
  connection.send("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n" + kHealthz);
  const std::string head = connection.read_response(false);
  const std::string get = connection.read_response();
  REQUIRE(status_of(head) == 200);
  REQUIRE(status_of(get) == 200);
  std::smatch length;
  REQUIRE(std::regex_search(head, length, std::regex("Content-Length: *([0-9]+)", std::regex::icase)));
  CHECK(std::stoul(length[1]) == body_of(get).size());
  CHECK(body_of(head).empty());
  CHECK(body_of(get).size() > 0);
}

TEST_CASE("Hostile clients: beyond --max-connections the oldest idle connections are shed", "[http][server][hostile]") {
  Server s({"--max-connections", "4"});
  std::vector<std::unique_ptr<RawConnection>> connections;
  for (int i = 0; i < 10; ++i) {
    connections.push_back(std::make_unique<RawConnection>(s.port()));
    connections.back()->send(kHealthz);
    CAPTURE(i);
    CHECK(status_of(connections.back()->read_response()) == 200);
  }
  // The six oldest made room for the newer ones, in order; the four newest still serve.
  for (int i = 0; i < 6; ++i) {
    CAPTURE(i);
    CHECK(connections[i]->closed_by_server());
  }
  for (int i = 6; i < 10; ++i) {
    CAPTURE(i);
    connections[i]->send(kHealthz);
    CHECK(status_of(connections[i]->read_response()) == 200);
  }
  // Asking /metrics on an 11th connection sheds one more: 4 open counting that one.
  CHECK(metric(s.port(), "benefitd_http_connections_shed_total") == 7);
  CHECK(connections[6]->closed_by_server());
  CHECK(metric(s.port(), "benefitd_http_connections_open") == 4);  // 7, 8, 9 and the asker
  CHECK(metric(s.port(), "benefitd_http_connections_refused_total") == 0);
}

/// A long-poll of the catalog on `connection` (its ETag from a first GET): waits for a change.
void start_long_poll(RawConnection& connection) {
  const std::string auth = "Authorization: Bearer " + std::string(kOperatorToken) + "\r\n";
  connection.send("GET /v1/catalog HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n");
  const std::string first = connection.read_response();
  REQUIRE(status_of(first) == 200);
  std::smatch etag;
  REQUIRE(std::regex_search(first, etag, std::regex("ETag: *(\"[^\"]*\")", std::regex::icase)));
  connection.send("GET /v1/catalog HTTP/1.1\r\nHost: x\r\n" + auth + "If-None-Match: " + etag[1].str() +
                  "\r\nPrefer: wait=60\r\n\r\n");
}

TEST_CASE("Hostile clients: at the limit with no idle connection a new client is answered 503, not left waiting",
          "[http][server][hostile]") {
  Server s({"--max-connections", "2"});
  RawConnection first(s.port()), second(s.port());
  start_long_poll(first);
  start_long_poll(second);
  CHECK(first.quiet_for(300));  // both wait for a change
  const std::string refused = raw_exchange(s.port(), kHealthz);
  CHECK(statuses_in(refused) == std::vector<int>{503});
  CHECK(refused.find("Retry-After: 1") != std::string::npos);
  CHECK(refused.find("\"code\":\"unavailable\"") != std::string::npos);
  CHECK(s.server.stop() == 0);
}

TEST_CASE("Hostile clients: clients refused at the limit hold at most 32 connections open", "[http][server][hostile]") {
  Server s({"--max-connections", "1"});
  RawConnection busy(s.port());
  start_long_poll(busy);
  CHECK(busy.quiet_for(300));
  // Each waits for the request it would be refused; none sends one.
  std::vector<std::unique_ptr<RawConnection>> silent;
  for (int i = 0; i < 40; ++i) silent.push_back(std::make_unique<RawConnection>(s.port()));
  int closed = 0;
  for (int i = 39; i >= 32; --i) closed += silent[i]->closed_by_server() ? 1 : 0;
  CHECK(closed == 8);
  for (int i = 0; i < 32; ++i) {
    CAPTURE(i);
    CHECK(silent[i]->quiet_for(50));  // still open, waiting for its request
  }
  silent[0]->send(kHealthz);
  CHECK(status_of(silent[0]->read_response()) == 503);
}

TEST_CASE("Hostile clients: a connection draining a refused request is shed before a keep-alive one",
          "[http][server][hostile]") {
  Server s({"--max-connections", "2"});
  RawConnection refused(s.port()), kept(s.port());
  // Refused on its header; the server then drains what the client still sends, for up to 30 s.
  refused.send("POST /v1/partners HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n");
  CHECK(status_of(refused.read_response()) == 400);
  // The server ends its sending side (FIN) once the refused connection counts as idle and only
  // drains: the answer alone does not say so, its write may complete after the client read it.
  REQUIRE(refused.closed_by_server());
  kept.send(kHealthz);
  REQUIRE(status_of(kept.read_response()) == 200);
  RawConnection newcomer(s.port());
  newcomer.send(kHealthz);
  CHECK(status_of(newcomer.read_response()) == 200);
  kept.send(kHealthz);
  CHECK(status_of(kept.read_response()) == 200);
  CHECK(metric(s.port(), "benefitd_http_connections_shed_total") == 2);  // the draining one, then for /metrics
}

TEST_CASE("Hostile clients: on SIGTERM pending long-polls are answered 304 at once with Connection: close",
          "[http][server][hostile]") {
  Server s;
  RawConnection polling(s.port()), idle(s.port());
  start_long_poll(polling);
  idle.send(kHealthz);
  REQUIRE(status_of(idle.read_response()) == 200);
  CHECK(polling.quiet_for(300));
  s.server.send_signal(SIGTERM);
  // The poll asked for 60 s and the server gives stopping connections 15 s: an answer within
  // read_response's 10 s is the stop's own.
  const std::string answer = polling.read_response(false);
  CHECK(status_of(answer) == 304);
  CHECK(says_close(answer));
  CHECK(polling.closed_by_server());
  CHECK(idle.closed_by_server());
  CHECK(s.server.wait_exit() == 0);
}

TEST_CASE("Hostile clients: benefitd raises its soft open-file limit to the hard one", "[http][server][hostile]") {
  rlimit inherited{};
  REQUIRE(::getrlimit(RLIMIT_NOFILE, &inherited) == 0);
  constexpr rlim_t kLow = 64, kClients = 150;
  REQUIRE(inherited.rlim_max >= 4 * kClients);  // room to tell a raised limit from the low one
  // benefitd inherits a soft limit of 64; without raising it, it could not hold 150 clients.
  rlimit low = inherited;
  low.rlim_cur = kLow;
  REQUIRE(::setrlimit(RLIMIT_NOFILE, &low) == 0);
  std::optional<Server> s;
  try {
    s.emplace();
  } catch (...) {
    ::setrlimit(RLIMIT_NOFILE, &inherited);
    throw;
  }
  REQUIRE(::setrlimit(RLIMIT_NOFILE, &inherited) == 0);
  std::vector<std::unique_ptr<RawConnection>> clients;
  for (rlim_t i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<RawConnection>(s->port()));
    clients.back()->send(kHealthz);
  }
  int answered = 0;
  for (auto& client : clients) answered += status_of(client->read_response()) == 200 ? 1 : 0;
  CHECK(answered == static_cast<int>(kClients));
  CHECK(metric(s->port(), "benefitd_http_connections_shed_total") == 0);
}

}  // namespace
}  // namespace benefitd::testing
