#pragma once
// The request target split into decoded path segments and query parameters. Percent-encoding
// is decoded once; a target that is malformed (bad escapes, invalid UTF-8, control characters,
// "." or ".." segments) is refused as a whole rather than normalised, so that no path trick
// can reach a route by a detour.
// Thread safety: pure functions and plain values.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace benefitd::http {

struct RequestTarget {
  std::string path;                   // as sent, before decoding: "/v1/benefits/B1"
  std::vector<std::string> segments;  // decoded: {"v1", "benefits", "B1"}
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order

  /// The first value of a query parameter, or nullopt.
  std::optional<std::string_view> query_value(std::string_view name) const;
};

/// nullopt when the target is not an origin-form path with well-formed segments.
std::optional<RequestTarget> parse_request_target(std::string_view target);

/// Decodes %XX escapes (and '+' as space when `plus_is_space`); nullopt for a bad escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

/// True when `text` is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
bool is_valid_utf8(std::string_view text);

}  // namespace benefitd::http
