#pragma once
// Standard Webhooks signatures (https://www.standardwebhooks.com): each delivery carries
// webhook-id, webhook-timestamp (Unix seconds) and webhook-signature "v1,<base64>", the
// base64 of HMAC-SHA256 over "<id>.<timestamp>.<body>" keyed with the shared secret. The
// receiver recomputes it, compares in constant time, and refuses timestamps too far from its
// own clock, which makes a captured request useless for a replay later on.
//
// Secrets follow the convention: "whsec_" followed by the base64 of the key bytes. Any other
// text is taken as the key bytes themselves. Either way the key must hold at least
// kMinWebhookKeyBytes bytes (the convention gives 24 to 64).
// Thread safety: pure functions.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace benefitd::notify {

inline constexpr std::size_t kMinWebhookKeyBytes = 24;
inline constexpr std::string_view kWebhookSecretPrefix = "whsec_";

/// The key bytes `secret` stands for (see above), or nullopt with `error` set.
std::optional<std::string> parse_webhook_secret(std::string_view secret, std::string* error);

/// The key held in `path` (one secret, trailing line breaks ignored), or nullopt with `error`.
std::optional<std::string> read_webhook_secret_file(const std::filesystem::path& path, std::string* error);

/// The webhook-signature header value for one delivery: "v1," + base64(HMAC-SHA256).
std::string webhook_signature(std::string_view key, std::string_view id, std::int64_t timestamp,
                              std::string_view body);

}  // namespace benefitd::notify
