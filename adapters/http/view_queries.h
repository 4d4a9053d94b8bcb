#pragma once
// The GET side of the router: reading a view route's query parameters into a re-runnable
// Service query, and answering it with ?minPosition= (read-your-writes), If-None-Match
// (304) and Prefer: wait=N (long-poll: asked again only when a view it reads changes, see
// app::Service::when_views_change). Internal to the router.
// Thread safety: a ViewQuery may run on any thread (the Service's queries are thread-safe).

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "adapters/app/service.h"
#include "adapters/http/exchange.h"
#include "adapters/http/long_polls.h"
#include "adapters/http/request_target.h"
#include "adapters/http/routes.h"

namespace benefitd::http {

/// A view's query, which a long-poll runs again when a view it reads (`watch`) changes.
struct ViewQuery {
  std::function<app::Outcome()> run;
  app::ViewWatch watch;
};

/// The query a view route asks for, or `invalid-request` for bad query parameters.
std::variant<ViewQuery, app::Problem> view_query(RouteId route, const std::vector<std::string>& params,
                                                 const RequestTarget& target, app::Service& service,
                                                 const workflows::Actor& actor);

/// ?minPosition=P, when given: nullopt, a position, or `invalid-request`.
std::variant<std::optional<app::Position>, app::Problem> min_position(const RequestTarget& target);

/// The queue a long read waits in (app::LongRead::queue), or nullopt for a read answered on
/// the thread that asks.
using LongReadQueue = std::optional<std::string>;

/// The long-read queue of a caller: its partner's, so that one partner's reads cannot starve
/// another's; the operator has one of its own.
std::string long_read_queue_of(const workflows::Actor& actor);

/// Answers a view once the views include `min_position` (else 503 after `min_position_wait`,
/// or at once while the views cannot follow the log),
/// honouring If-None-Match and Prefer: wait=N from the exchange's request. The query of a
/// `long_read` runs through Service::run_long_read in that queue, watching the request's
/// client, never on the calling thread nor on the thread that reports the views' progress.
/// Long-polls wait through `long_polls`.
void answer_view(const std::shared_ptr<Exchange>& exchange, app::Service& service, LongPolls& long_polls,
                 ViewQuery query, const LongReadQueue& long_read, std::optional<app::Position> min_position,
                 std::chrono::milliseconds min_position_wait);

}  // namespace benefitd::http
