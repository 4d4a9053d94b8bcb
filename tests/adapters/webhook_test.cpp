// --notify-webhook: each notification is POSTed as JSON with its id; a failed delivery is
// reported so the notifier offers it again (R-GTM-3, at least once). Over a real loopback socket.

#include <catch2/catch.hpp>

#include <boost/asio.hpp>

#include <mutex>
#include <thread>

#include "adapters/http/webhook_sink.h"

using boost::asio::ip::tcp;

namespace {

// Answers each request with the next status of `statuses` and records what it received.
class Receiver {
 public:
  explicit Receiver(std::vector<int> statuses)
      : acceptor_(io_, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)),
        statuses_(std::move(statuses)),
        thread_([this] { serve(); }) {}
  ~Receiver() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    thread_.join();
  }

  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  std::vector<std::string> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  void serve() {
    boost::system::error_code error;
    tcp::socket socket(io_);
    acceptor_.accept(socket, error);
    if (error) return;
    for (int status : statuses_) {
      boost::asio::streambuf buffer;
      boost::asio::read_until(socket, buffer, "\r\n\r\n", error);
      if (error) return;
      std::string text(boost::asio::buffers_begin(buffer.data()), boost::asio::buffers_end(buffer.data()));
      const auto length_at = text.find("Content-Length: ");
      const std::size_t length = length_at == std::string::npos ? 0 : std::stoul(text.substr(length_at + 16));
      const std::size_t have = text.size() - (text.find("\r\n\r\n") + 4);
      if (length > have) boost::asio::read(socket, buffer, boost::asio::transfer_exactly(length - have), error);
      text.assign(boost::asio::buffers_begin(buffer.data()), boost::asio::buffers_end(buffer.data()));
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(text);
      }
      const std::string answer = "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: 0\r\n\r\n";
      boost::asio::write(socket, boost::asio::buffer(answer), error);
    }
  }

  boost::asio::io_context io_;
  tcp::acceptor acceptor_;
  std::vector<int> statuses_;
  std::mutex mutex_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

}  // namespace

TEST_CASE("R-GTM-3 the webhook sink POSTs each notification and reports a failed delivery",
          "[adapters][webhook]") {
  Receiver receiver({503, 200});
  std::string error;
  const auto sink = benefitd::http::webhook_sink(
      "http://127.0.0.1:" + std::to_string(receiver.port()) + "/hooks/benefits", &error);
  REQUIRE(sink);
  const nlohmann::json notification = {{"id", "N-7"}, {"to", "marketing@contoso.example"}, {"subject", "Offer"}};

  CHECK_FALSE((*sink)(notification));  // 503: still to deliver
  CHECK((*sink)(notification));        // delivered
  const auto requests = receiver.requests();
  REQUIRE(requests.size() == 2);
  for (const std::string& request : requests) {
    CHECK(request.rfind("POST /hooks/benefits HTTP/1.1", 0) == 0);
    CHECK(request.find("X-Notification-Id: N-7") != std::string::npos);
    CHECK(request.find(R"("id":"N-7")") != std::string::npos);
  }
}

TEST_CASE("the webhook sink refuses unusable URLs and survives an unreachable receiver", "[adapters][webhook]") {
  std::string error;
  CHECK_FALSE(benefitd::http::webhook_sink("https://example.invalid/x", &error));
  CHECK(error.find("http://") != std::string::npos);
  CHECK_FALSE(benefitd::http::webhook_sink("http:///nohost", &error));

  // A port nobody listens on: delivery fails cleanly (to be retried), it does not throw.
  boost::asio::io_context io;
  tcp::acceptor probe(io, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  const auto port = probe.local_endpoint().port();
  probe.close();
  const auto sink = benefitd::http::webhook_sink("http://127.0.0.1:" + std::to_string(port) + "/", &error);
  REQUIRE(sink);
  CHECK_FALSE((*sink)(nlohmann::json{{"id", "N-1"}}));
}
