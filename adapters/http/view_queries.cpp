#include "adapters/http/view_queries.h"

#include <charconv>

#include "adapters/app/view_keys.h"
#include "adapters/http/problem.h"
#include "adapters/http/request_headers.h"

namespace benefitd::http {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxLimit = 500;
constexpr std::size_t kMaxCursor = 1024;
constexpr std::int64_t kLongestWithin = 100LL * 366 * 24 * 3600;
constexpr std::int64_t kDefaultWithin = 30LL * 24 * 3600;

/// Reads query parameters, collecting errors like FieldReader does for bodies.
class QueryReader {
 public:
  explicit QueryReader(const RequestTarget& target) : target_(target) {}

  std::optional<std::uint64_t> number(std::string_view name, std::uint64_t min, std::uint64_t max) {
    const auto text = target_.query_value(name);
    if (!text) return std::nullopt;
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (text->empty() || error != std::errc() || end != text->data() + text->size() || value < min || value > max) {
      add_error(name, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
      return std::nullopt;
    }
    return value;
  }
  std::optional<std::string> text(std::string_view name, std::size_t max_length) {
    const auto value = target_.query_value(name);
    if (!value) return std::nullopt;
    if (value->empty() || value->size() > max_length) {
      add_error(name, "must be 1 to " + std::to_string(max_length) + " characters");
      return std::nullopt;
    }
    return std::string(*value);
  }
  std::optional<workflows::Time> time(std::string_view name) {
    const auto value = target_.query_value(name);
    if (!value) return std::nullopt;
    auto parsed = workflows::parseTime(*value);
    if (!parsed) add_error(name, "must be an RFC 3339 UTC time such as 2026-01-05T09:00:00Z");
    return parsed;
  }
  app::Page page() {
    app::Page page;
    page.limit = number("limit", 1, kMaxLimit).value_or(page.limit);
    page.cursor = text("cursor", kMaxCursor).value_or("");
    return page;
  }
  void add_error(std::string_view name, std::string message) { errors_.push_back(field_error(name, message)); }
  bool ok() const { return errors_.empty(); }
  app::Problem problem() const {
    return app::Problem{"invalid-request", "the query has invalid parameters", {{"errors", errors_}}};
  }

 private:
  const RequestTarget& target_;
  nlohmann::json errors_ = nlohmann::json::array();
};

// What a long-poll of each view waits for (app::ViewWatch).
app::ViewWatch one_view(std::string key) { return {{std::move(key)}, {}}; }
/// Each event of a partner's streams writes an entry of its log (view_keys::log_of), so this
/// covers every view of the partner: its users, packages, benefits and audit.
app::ViewWatch partner_views(std::string_view partner) { return {{}, {app::view_keys::log_of(partner)}}; }
/// For answers that hang on more than the views of one partner: the log, the clock's time.
const app::ViewWatch kEveryView{};

bool is_fulfilment_status(std::string_view status) {
  for (std::string_view known : {"open", "completed", "rejected"})
    if (status == known) return true;
  return false;
}

/// A log position or stream version to start from: `?cursor=` (a previous page's nextCursor)
/// or the list's own parameter, `?fromPosition=` or `?fromVersion=`.
std::uint64_t start_of(QueryReader& query, std::string_view own) {
  const auto from = query.number(own, 0, UINT64_MAX);
  return query.number("cursor", 0, UINT64_MAX).value_or(from.value_or(0));
}

bool is_benefit_status(std::string_view status) {
  for (std::string_view known : {"purchased", "activation-requested", "pending", "active", "expired", "cancelled"})
    if (status == known) return true;
  return false;
}

ViewQuery benefits_query(QueryReader& query, app::Service& service, const workflows::Actor& actor,
                         const std::string& partner_id) {
  app::BenefitFilter filter;
  filter.category = query.text("category", 64);
  if (filter.category && !workflows::parseCategory(*filter.category))
    query.add_error("category", "must be software, cloud, visual-studio, technical or go-to-market");
  filter.status = query.text("status", 64);
  if (filter.status && !is_benefit_status(*filter.status))
    query.add_error("status", "must be a benefit status such as active");
  filter.package_id = query.text("packageId", 128);
  const app::Page page = query.page();
  return {[&service, actor, partner_id, filter, page] { return service.benefits(actor, partner_id, filter, page); },
          partner_views(partner_id)};
}

ViewQuery read_query(RouteId route, const std::vector<std::string>& p, QueryReader& query, app::Service& service,
                     const workflows::Actor& actor) {
  using enum RouteId;
  switch (route) {
    case get_clock:
      return {[&service, actor] { return service.clock(actor); }, kEveryView};
    case get_catalog:
      return {[&service] { return service.catalog(); }, kEveryView};
    case list_events: {
      const app::Position from = start_of(query, "fromPosition");
      const std::size_t limit = query.number("limit", 1, kMaxLimit).value_or(100);
      return {[&service, actor, from, limit] { return service.events(actor, from, limit); }, kEveryView};
    }
    case list_fulfilment_requests: {
      auto status = query.text("status", 32);
      if (status && !is_fulfilment_status(*status)) query.add_error("status", "must be open, completed or rejected");
      return {[&service, actor, status, page = query.page()] { return service.fulfilment_requests(actor, status, page); },
              {{}, {app::view_keys::fulfilment("")}}};
    }
    case get_partner:
      return {[&service, actor, id = p.at(0)] { return service.partner(actor, id); },
              one_view(app::view_keys::partner(p.at(0)))};
    case list_users:
      return {[&service, actor, id = p.at(0), page = query.page()] { return service.users(actor, id, page); },
              partner_views(p.at(0))};
    case list_packages:
      return {[&service, actor, id = p.at(0), page = query.page()] { return service.packages(actor, id, page); },
              partner_views(p.at(0))};
    case get_package:
      return {[&service, actor, id = p.at(0)] { return service.package(actor, id); },
              one_view(app::view_keys::package(p.at(0)))};
    case list_benefits:
      return benefits_query(query, service, actor, p.at(0));
    case list_expirations: {
      const auto within = static_cast<std::int64_t>(query.number("within", 0, kLongestWithin).value_or(kDefaultWithin));
      // The window ends at the clock's time, which moves without the views.
      return {[&service, actor, id = p.at(0), within, page = query.page()] {
                return service.expirations(actor, id, within, page);
              },
              kEveryView};
    }
    case get_benefit:
      return {[&service, actor, id = p.at(0), as_of = query.time("asOf")] { return service.benefit(actor, id, as_of); },
              one_view(app::view_keys::benefit(p.at(0)))};
    case stream_events: {
      const std::uint64_t from = start_of(query, "fromVersion");
      const std::size_t limit = query.number("limit", 1, kMaxLimit).value_or(100);
      return {[&service, actor, id = p.at(0), from, limit] { return service.stream_events(actor, id, from, limit); },
              kEveryView};
    }
    case partner_audit: {
      const app::Position start = query.number("cursor", 0, UINT64_MAX).value_or(0);
      const std::size_t limit = query.number("limit", 1, app::kMaxAuditPage).value_or(app::kMaxAuditPage);
      return {[&service, actor, id = p.at(0), from = query.time("from"), to = query.time("to"), start, limit] {
                return service.partner_audit(actor, id, from, to, start, limit);
              },
              partner_views(p.at(0))};
    }
    default:
      throw std::logic_error("view_query called for a route that is not a view");
  }
}

/// Runs `step`, which runs a view's query, on the thread its route's queries belong on: the
/// Service's thread for long reads, else the calling one.
void on_query_thread(app::Service& service, const LongReadQueue& long_read, const std::shared_ptr<Exchange>& exchange,
                     std::function<void()> step) {
  auto guarded_step = [exchange, step = std::move(step)] { guarded(exchange, step); };
  if (long_read) return service.run_long_read({*long_read, exchange->request().client, std::move(guarded_step)});
  guarded_step();
}

/// Waits for a change to the views `query` reads after position `since` (what its last run
/// saw), then asks again; answers when the ETag differs from `etag`, or 304 at `deadline` (or
/// at once when `long_polls` are released).
void long_poll(const std::shared_ptr<Exchange>& exchange, app::Service& service, LongPolls& long_polls,
               ViewQuery query, const LongReadQueue& long_read, std::string etag, app::Position since,
               Clock::time_point deadline) {
  if (!long_polls.enter(exchange, etag)) return exchange->finish(not_modified(etag));
  const app::ViewWatch watch = query.watch;
  service.when_views_change(
      watch, since, deadline,
      [exchange, &service, &long_polls, query = std::move(query), long_read, etag = std::move(etag),
       deadline](bool changed) {
        long_polls.leave(exchange.get());
        long_polls.count_rerun();
        on_query_thread(service, long_read, exchange, [=, &service, &long_polls]() mutable {
          const app::Position seen = service.views_position();
          app::Outcome outcome = query.run();
          const auto* reply = std::get_if<app::Reply>(&outcome);
          if (reply == nullptr || etag_of(*reply) != etag) return exchange->finish(outcome_response(outcome));
          if (!changed || Clock::now() >= deadline) return exchange->finish(not_modified(etag));
          long_poll(exchange, service, long_polls, std::move(query), long_read, std::move(etag), seen, deadline);
        });
      });
}

void answer_now(const std::shared_ptr<Exchange>& exchange, app::Service& service, LongPolls& long_polls,
                ViewQuery query, const LongReadQueue& long_read) {
  // Read before the query, so that a commit it might not have seen counts as a change.
  const app::Position seen = service.views_position();
  app::Outcome outcome = query.run();
  const auto* reply = std::get_if<app::Reply>(&outcome);
  const auto if_none_match = exchange->request().header("If-None-Match");
  if (reply == nullptr || !if_none_match) return exchange->finish(outcome_response(outcome));
  std::string etag = etag_of(*reply);
  if (!if_none_match_lists(*if_none_match, etag)) return exchange->finish(outcome_response(outcome));
  const auto wait = preferred_wait(exchange->request().header("Prefer"));
  if (!wait || wait->count() == 0) return exchange->finish(not_modified(etag));
  long_poll(exchange, service, long_polls, std::move(query), long_read, std::move(etag), seen, Clock::now() + *wait);
}

}  // namespace

std::variant<ViewQuery, app::Problem> view_query(RouteId route, const std::vector<std::string>& params,
                                                 const RequestTarget& target, app::Service& service,
                                                 const workflows::Actor& actor) {
  QueryReader query(target);
  ViewQuery view = read_query(route, params, query, service, actor);
  if (!query.ok()) return query.problem();
  return view;
}

std::string long_read_queue_of(const workflows::Actor& actor) {
  return actor.isUser() ? "partner:" + actor.partnerId : std::string(actor.kindName());
}

std::variant<std::optional<app::Position>, app::Problem> min_position(const RequestTarget& target) {
  QueryReader query(target);
  const auto position = query.number("minPosition", 0, UINT64_MAX);
  if (!query.ok()) return query.problem();
  return position;
}

void answer_view(const std::shared_ptr<Exchange>& exchange, app::Service& service, LongPolls& long_polls,
                 ViewQuery query, const LongReadQueue& long_read, std::optional<app::Position> min_position,
                 std::chrono::milliseconds min_position_wait) {
  const auto answer = [exchange, &service, &long_polls, query = std::move(query), long_read] {
    on_query_thread(service, long_read, exchange,
                    [=, &service, &long_polls] { answer_now(exchange, service, long_polls, query, long_read); });
  };
  if (!min_position || service.views_position() >= *min_position) return answer();
  const app::Position wanted = *min_position;
  const auto behind = [exchange, &service, wanted] {
    exchange->finish(problem_response(
        "unavailable", "the views have not reached position " + std::to_string(wanted) +
                           " yet (they are at " + std::to_string(service.views_position()) + "); retry later"));
  };
  // Views that cannot follow the log (see /healthz) would make the read wait in vain.
  if (service.views_error()) return behind();
  service.when_views_reach(wanted, Clock::now() + min_position_wait, [exchange, answer, behind](bool reached) {
    guarded(exchange, [&] {
      if (reached) return answer();
      behind();
    });
  });
}

}  // namespace benefitd::http
