#pragma once
// A notification sink that POSTs each notification as JSON to a webhook URL (--notify-webhook).
// A notification counts as delivered on a 2xx answer; anything else (an error status, no
// answer) leaves it in the outbox, and the notifier offers it again with growing back-off.
//
// With a key (--notify-webhook-secret-file), every attempt is signed as Standard Webhooks
// gives (adapters/notify/webhook_signature.h): webhook-id (the notification's id, the same on
// every attempt, for receivers to drop duplicates of at-least-once delivery),
// webhook-timestamp (the attempt's time, Unix seconds) and webhook-signature. The id also
// goes in the body and in X-Notification-Id, as before signatures.
//
// http:// or https://; over HTTPS (TLS 1.2+) the receiver's certificate is verified against
// the system's trust store, or only against the CA certificates of `ca_file` when given.
// Thread safety: the sink opens a connection per delivery, so it may be called from any thread.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace benefitd::http {

/// A sink for "http[s]://HOST:PORT/PATH" signing with `key` when it has one, or nullopt (with
/// `error` set) for a URL it cannot use or a CA file it cannot read.
std::optional<std::function<bool(const nlohmann::json&)>> webhook_sink(std::string_view url,
                                                                       std::optional<std::string> key,
                                                                       std::string ca_file, std::string* error);

}  // namespace benefitd::http
