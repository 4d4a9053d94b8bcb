#pragma once
// Answers as HTTP: problem+json documents for refusals (API.md "Errors") and JSON documents
// for successes. Every JSON text leaving the server is produced here, with invalid UTF-8
// replaced rather than thrown on, so that echoing client input can never fail a response.
// Thread safety: pure functions.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "adapters/app/service.h"
#include "adapters/http/http_message.h"

namespace benefitd::http {

/// The HTTP status of an API.md problem code. A code outside the table answers 400: only
/// `unavailable` may ever produce a 5xx.
int status_for_code(std::string_view code);

/// An application/problem+json response for a problem the Service gave. The detail of an
/// `unavailable` one carries the store's own message, which can name files under the data dir
/// ("<data>/store/000004.log: No space left on device"): it is logged, and the client reads
/// kStoreFailureDetail instead.
HttpResponse problem_response(const app::Problem& problem);
/// An application/problem+json response in the HTTP layer's own words, answered as written.
HttpResponse problem_response(std::string code, std::string detail,
                              nlohmann::json extra = nlohmann::json::object());

/// What a client reads of a Service's `unavailable` problem.
inline constexpr std::string_view kStoreFailureDetail =
    "the store could not complete the request; nothing was changed. Retry later";

/// An application/json response.
HttpResponse json_response(int status, const nlohmann::json& body);
/// The same with `body` already JSON text.
HttpResponse json_text_response(int status, std::string body);

/// JSON text that never throws: invalid UTF-8 in strings is replaced by U+FFFD.
std::string dump_json(const nlohmann::json& value);

/// One field error of an `invalid-request` problem's `errors` member.
nlohmann::json field_error(std::string_view field, std::string_view message);

}  // namespace benefitd::http
