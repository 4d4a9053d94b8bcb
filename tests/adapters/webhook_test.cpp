// --notify-webhook: each notification is POSTed as JSON with its id; a failed delivery is
// reported so the notifier offers it again (R-GTM-3, at least once). Over a real loopback socket.

#include <catch2/catch.hpp>

#include <boost/asio.hpp>

#include "adapters/http/webhook_sink.h"
#include "webhook_receiver.h"

using boost::asio::ip::tcp;

TEST_CASE("R-GTM-3 the webhook sink POSTs each notification and reports a failed delivery",
          "[adapters][webhook]") {
  benefitd::testing::WebhookReceiver receiver([](std::size_t n) { return n == 0 ? 503 : 200; });
  std::string error;
  const auto sink = benefitd::http::webhook_sink(receiver.url(), std::nullopt, "", &error);
  REQUIRE(sink);
  const nlohmann::json notification = {{"id", "N-7"}, {"to", "marketing@contoso.example"}, {"subject", "Offer"}};

  CHECK_FALSE((*sink)(notification));  // 503: still to deliver
  CHECK((*sink)(notification));        // delivered
  const auto requests = receiver.requests();
  REQUIRE(requests.size() == 2);
  for (const auto& request : requests) {
    CHECK(request.header("x-notification-id") == "N-7");
    CHECK(request.body.find(R"("id":"N-7")") != std::string::npos);
    CHECK(request.header("webhook-signature").empty());  // no secret, no signature
  }
}

TEST_CASE("the webhook sink refuses unusable URLs and survives an unreachable receiver", "[adapters][webhook]") {
  std::string error;
  CHECK_FALSE(benefitd::http::webhook_sink("ftp://example.invalid/x", std::nullopt, "", &error));
  CHECK(error.find("http://") != std::string::npos);
  CHECK_FALSE(benefitd::http::webhook_sink("http://127.0.0.1:1/x", std::nullopt, "/ca.pem", &error));
  CHECK_FALSE(benefitd::http::webhook_sink("https://127.0.0.1:1/x", std::nullopt, "/no/such/ca.pem", &error));
  CHECK_FALSE(benefitd::http::webhook_sink("http:///nohost", std::nullopt, "", &error));

  // A port nobody listens on: delivery fails cleanly (to be retried), it does not throw.
  boost::asio::io_context io;
  tcp::acceptor probe(io, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  const auto port = probe.local_endpoint().port();
  probe.close();
  const auto sink = benefitd::http::webhook_sink("http://127.0.0.1:" + std::to_string(port) + "/", std::nullopt, "", &error);
  REQUIRE(sink);
  CHECK_FALSE((*sink)(nlohmann::json{{"id", "N-1"}}));
}
