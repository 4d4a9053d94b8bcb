#include "adapters/http/operations_routes.h"

#include <charconv>

#include "adapters/app/operations.h"
#include "adapters/http/problem.h"

namespace benefitd::http {

namespace {

constexpr std::size_t kMaxLimit = 500;
constexpr std::size_t kMaxCursor = 1024;
// Operations run on the long-read threads in a queue of their own, beside the operator's reads.
constexpr std::string_view kQueue = "operations";

/// `name` as an unsigned number in [min, max]; a field error in `errors` when it is not one.
std::optional<std::uint64_t> number(const RequestTarget& target, std::string_view name, std::uint64_t min,
                                    std::uint64_t max, nlohmann::json& errors) {
  const auto text = target.query_value(name);
  if (!text) return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (text->empty() || error != std::errc() || end != text->data() + text->size() || value < min || value > max) {
    errors.push_back(field_error(name, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max)));
    return std::nullopt;
  }
  return value;
}

HttpResponse invalid_query(nlohmann::json errors) {
  return problem_response("invalid-request", "the query has invalid parameters", {{"errors", std::move(errors)}});
}

void run_off_io_thread(app::Service& service, const std::shared_ptr<Exchange>& exchange, std::function<void()> step) {
  service.run_long_read({std::string(kQueue), exchange->request().client,
                         [exchange, step = std::move(step)] { guarded(exchange, step); }});
}

HttpResponse no_operations() { return problem_response("not-found", "there is nothing at this path"); }

void read_backup_file(const std::shared_ptr<Exchange>& exchange, app::Service& service, app::Operations* operations,
                      const std::vector<std::string>& params, const RequestTarget& target) {
  nlohmann::json errors = nlohmann::json::array();
  const std::uint64_t offset = number(target, "offset", 0, UINT64_MAX, errors).value_or(0);
  const std::uint64_t length =
      number(target, "length", 1, app::kMaxBackupChunkBytes, errors).value_or(app::kMaxBackupChunkBytes);
  if (!errors.empty()) return exchange->finish(invalid_query(std::move(errors)));
  if (operations == nullptr) return exchange->finish(no_operations());
  run_off_io_thread(service, exchange, [exchange, operations, id = params.at(0), name = params.at(1), offset, length] {
    auto bytes = operations->read_backup_file(id, name, offset, length);
    if (auto* problem = std::get_if<app::Problem>(&bytes)) return exchange->finish(problem_response(*problem));
    HttpResponse response;
    response.set_header("Content-Type", "application/octet-stream");
    response.body = std::move(std::get<std::string>(bytes));
    exchange->finish(std::move(response));
  });
}

void list_notifications(const std::shared_ptr<Exchange>& exchange, app::Operations* operations,
                        const RequestTarget& target) {
  nlohmann::json errors = nlohmann::json::array();
  app::Page page;
  page.limit = number(target, "limit", 1, kMaxLimit, errors).value_or(page.limit);
  if (const auto cursor = target.query_value("cursor")) {
    if (cursor->empty() || cursor->size() > kMaxCursor)
      errors.push_back(field_error("cursor", "must be 1 to " + std::to_string(kMaxCursor) + " characters"));
    else
      page.cursor = std::string(*cursor);
  }
  const std::string status(target.query_value("status").value_or("failed"));
  if (status != "failed" && status != "pending") errors.push_back(field_error("status", "must be failed or pending"));
  if (!errors.empty()) return exchange->finish(invalid_query(std::move(errors)));
  if (operations == nullptr) return exchange->finish(no_operations());
  exchange->finish(outcome_response(operations->notifications(status, page)));
}

}  // namespace

void answer_operations(const std::shared_ptr<Exchange>& exchange, app::Service& service, const Route& route,
                       const std::vector<std::string>& params, const RequestTarget& target) {
  // Queries are checked first: bad input is invalid-request whatever serves the route.
  app::Operations* operations = service.operations();
  switch (route.id) {
    case RouteId::read_backup_file:
      return read_backup_file(exchange, service, operations, params, target);
    case RouteId::list_notifications:
      return list_notifications(exchange, operations, target);
    default:
      break;
  }
  if (operations == nullptr) return exchange->finish(no_operations());
  switch (route.id) {
    case RouteId::create_backup:
      return run_off_io_thread(service, exchange,
                               [exchange, operations] { exchange->finish(outcome_response(operations->create_backup())); });
    case RouteId::delete_backup:
      return run_off_io_thread(service, exchange, [exchange, operations, id = params.at(0)] {
        exchange->finish(outcome_response(operations->delete_backup(id)));
      });
    case RouteId::retry_notification:
      return exchange->finish(outcome_response(operations->retry_notification(params.at(0))));
    default:
      return exchange->finish(no_operations());
  }
}

std::string operations_metrics_text(app::Service& service) {
  app::Operations* operations = service.operations();
  return operations == nullptr ? std::string() : operations->metrics_text();
}

}  // namespace benefitd::http
