// Fuzz target http_request_fuzz: raw bytes as they would arrive on a connection. Beast's
// request parser reads them with the server's own limits (apply_request_limits) into as many
// pipelined requests as they hold, each goes through the server's conversion to the real
// Router over a FuzzService. What the session answers itself (unreadable or oversized input)
// stops the read, as it closes the connection.
//
// Properties (API.md, router.h): the router answers every request exactly once, with a status
// from 200 to 499, or 503 only after a wait for the views ended at its deadline (API.md's
// answer to a ?minPosition= the views do not reach); an answer carries X-Correlation-Id and
// a route label.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/buffer.hpp>

#include "adapters/http/router.h"
#include "adapters/http/session.h"
#include "fuzz_check.h"
#include "fuzz_service.h"

namespace {

using benefitd::fuzz::fuzz_require;
using benefitd::fuzz::FuzzService;
namespace bhttp = boost::beast::http;

// A request waits at most for a ?minPosition= and a long-poll, each re-asked a few times.
constexpr std::size_t kMaxWaitRounds = 64;

struct ReadRequest {
  benefitd::http::HttpRequest request;
  bool keep_alive;  // false: the session reads nothing after this request
};

/// Reads one request from the front of `input` (consuming what it used); nullopt when the
/// bytes end before a whole request or are not one the session would pass to the router.
std::optional<ReadRequest> read_request(std::string_view& input) {
  benefitd::http::RequestParser parser;
  benefitd::http::apply_request_limits(parser);
  parser.eager(true);
  boost::beast::error_code error;
  while (!parser.is_done()) {
    // All the rest of the input is offered at once, so a parser that takes none of it (or
    // asks for more) has reached the end of what the client sent.
    const std::size_t used =
        input.empty() ? 0 : parser.put(boost::asio::buffer(input.data(), input.size()), error);
    input.remove_prefix(used);
    if (error && error != bhttp::error::need_more) return std::nullopt;
    error = {};
    if (used > 0) continue;
    parser.put_eof(error);
    if (error || !parser.is_done()) return std::nullopt;
  }
  return ReadRequest{benefitd::http::plain_request(parser.get()), parser.get().keep_alive()};
}

void answer(benefitd::http::HttpRequest request) {
  FuzzService service;
  const benefitd::http::HttpMetrics metrics;
  benefitd::http::Router router(service, metrics);
  int answers = 0;
  int status = 0;
  bool labelled = false;
  router.handle(std::move(request), [&](benefitd::http::HttpResponse response) {
    ++answers;
    status = response.status;
    labelled = response.header("X-Correlation-Id").has_value() && !response.route.empty();
  });
  fuzz_require(service.settle_waits(kMaxWaitRounds), "the router stops waiting for views that do not move");
  fuzz_require(answers == 1, "the router answers exactly once");
  fuzz_require(labelled, "an answer carries X-Correlation-Id and its route label");
  const bool deadline_503 = status == 503 && service.timed_out_waits() > 0;
  fuzz_require((status >= 200 && status < 500) || deadline_503, "client input never gets a 5xx");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  while (!input.empty()) {
    auto read = read_request(input);
    if (!read) break;
    answer(std::move(read->request));
    if (!read->keep_alive) break;
  }
  return 0;
}
