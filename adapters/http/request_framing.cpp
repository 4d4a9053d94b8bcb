#include "adapters/http/request_framing.h"

#include <ranges>

#include <boost/beast/http/rfc7230.hpp>

#include "adapters/http/http_message.h"

namespace benefitd::http {

namespace bhttp = boost::beast::http;

bool has_obs_fold(std::string_view header_block) {
  return header_block.find("\r\n ") != std::string_view::npos ||
         header_block.find("\r\n\t") != std::string_view::npos;
}

std::optional<std::string> framing_problem(const bhttp::request_header<>& header) {
  std::size_t codings = 0;
  bool last_is_chunked = false;
  const auto [first, last] = header.equal_range(bhttp::field::transfer_encoding);
  for (const auto& field : std::ranges::subrange(first, last)) {
    for (const auto coding : bhttp::token_list{field.value()}) {
      ++codings;
      last_is_chunked = iequals(coding, "chunked");
    }
    if (field.value().find_first_not_of(" \t,") == std::string_view::npos) ++codings;  // an empty coding
  }
  if (header.count(bhttp::field::transfer_encoding) > 0) {
    if (header.version() < 11) return "HTTP/1.0 requests may not use Transfer-Encoding";
    if (codings != 1 || !last_is_chunked) return "Transfer-Encoding must be exactly chunked, the only coding supported";
  }
  if (header.version() >= 11 && header.count(bhttp::field::host) != 1)
    return "a request must carry exactly one Host header (RFC 9112 section 3.2)";
  return std::nullopt;
}

bool expects_continue(const bhttp::request_header<>& header) {
  const auto expect = header.find(bhttp::field::expect);
  return header.version() >= 11 && expect != header.end() && iequals(expect->value(), "100-continue");
}

}  // namespace benefitd::http
