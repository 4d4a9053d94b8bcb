#pragma once
// Reading the request headers API.md gives meaning to: Authorization, Idempotency-Key,
// If-Match, If-None-Match, Prefer: wait=N, X-Correlation-Id and Content-Type.
// Thread safety: pure functions.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace benefitd::http {

/// The token of "Authorization: Bearer <token>", or nullopt.
std::optional<std::string> bearer_token(std::optional<std::string_view> authorization);

/// If-Match: absent or "*" mean no condition; `"<version>"` a version; anything else can match
/// no version (`unmatchable`).
struct IfMatch {
  std::optional<std::uint64_t> version;
  bool unmatchable = false;
};
IfMatch parse_if_match(std::optional<std::string_view> header);

/// Whether an If-None-Match header lists `etag` (weak or strong, or "*").
bool if_none_match_lists(std::string_view header, std::string_view etag);

/// The longest wait a long-poll may ask for.
inline constexpr std::chrono::seconds kMaxLongPoll{60};
/// "Prefer: wait=N" as a duration capped at kMaxLongPoll; nullopt when absent or unreadable
/// (RFC 7240: a preference that is not understood is ignored).
std::optional<std::chrono::seconds> preferred_wait(std::optional<std::string_view> prefer);

/// An Idempotency-Key must be 1..255 characters.
bool is_valid_idempotency_key(std::string_view key);

/// A client's X-Correlation-Id is kept when it is 1..128 characters of [A-Za-z0-9._:-].
bool is_acceptable_correlation_id(std::string_view id);
/// A fresh random correlation id (32 hex digits).
std::string new_correlation_id();

/// Whether a Content-Type names JSON ("application/json", any parameters, any case).
bool is_json_media_type(std::string_view content_type);

/// `"<version>"`, as the ETag of a resource.
std::string version_etag(std::uint64_t version);

}  // namespace benefitd::http
