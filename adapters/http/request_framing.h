#pragma once
// Request framing checks Beast's parser leaves to the server (RFC 9112): where a request ends
// must be beyond doubt, or the bytes of one request could run as the next ("request
// smuggling"). A request failing them is answered 400 and its connection closed.
// Thread safety: pure functions.

#include <optional>
#include <string>
#include <string_view>

#include <boost/beast/http/message.hpp>

namespace benefitd::http {

/// Whether a raw header block (request line and fields, CRLF-separated) continues a line onto
/// the next with leading whitespace: obs-fold, which Beast would silently unfold.
bool has_obs_fold(std::string_view header_block);

/// Why the framing of a request whose header was read is unacceptable, or nullopt:
/// - a Transfer-Encoding other than exactly `chunked` (RFC 9112 section 6.3: a final coding
///   other than chunked leaves the body's end unknown; no other coding is supported), or any
///   Transfer-Encoding in an HTTP/1.0 request;
/// - an HTTP/1.1 request with no Host, or more than one (section 3.2).
std::optional<std::string> framing_problem(const boost::beast::http::request_header<>& header);

/// Whether the client waits for `100 Continue` before sending the body (Expect: 100-continue).
bool expects_continue(const boost::beast::http::request_header<>& header);

}  // namespace benefitd::http
