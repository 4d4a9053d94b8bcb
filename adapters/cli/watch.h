#pragma once
// `benefitctl benefits watch`: follows one benefit live with the API's long-poll (GET with
// If-None-Match and Prefer: wait=N), printing a line each time its status changes, until the
// status is terminal (expired, cancelled) or the one asked for.
// Thread safety: one thread; it owns the client it is given for the duration of the call.

#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

#include "adapters/cli/api_commands.h"
#include "adapters/cli/http_client.h"

namespace benefitd::cli {

/// Watches until done. `headers` go with every request (the bearer token). Prints
/// "TIME  STATUS" lines (with --json: the benefit view, one JSON per line) to `out`, flushed
/// at once. Returns 0 when the benefit reached `request.until` (or, without it, a terminal
/// status), 1 when it became terminal without reaching `until` or the server refused (the
/// problem goes to `err`). Throws std::runtime_error when the server cannot be reached.
int watch_benefit(HttpClient& client, const std::vector<std::pair<std::string, std::string>>& headers,
                  const WatchRequest& request, bool json, std::ostream& out, std::ostream& err);

}  // namespace benefitd::cli
