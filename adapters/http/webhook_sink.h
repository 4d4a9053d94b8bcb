#pragma once
// A notification sink that POSTs each notification as JSON to a webhook URL (--notify-webhook).
// A notification counts as delivered on a 2xx answer; anything else (an error status, no
// answer) leaves it in the outbox, and the notifier offers it again with growing back-off.
// Each carries its unique id in the body and in X-Notification-Id, for receivers to drop
// duplicates of at-least-once delivery.
// Thread safety: the sink keeps one connection; the notifier calls it from one thread.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace benefitd::http {

/// A sink for "http://HOST:PORT/PATH", or nullopt (with `error` set) for a URL it cannot use.
std::optional<std::function<bool(const nlohmann::json&)>> webhook_sink(std::string_view url,
                                                                       std::string* error);

}  // namespace benefitd::http
