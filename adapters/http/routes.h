#pragma once
// The route table: every endpoint of API.md once, with its method, path template, who may
// call it, its query parameters and body schema. The router dispatches on it and the OpenAPI
// document is generated from it, so the two cannot disagree.
// Thread safety: immutable data and pure functions.

#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace benefitd::http {

enum class RouteId {
  healthz, metrics, openapi,
  register_partner, migrate_partner, get_clock, advance_clock, list_events, verify_audit,
  list_fulfilment_requests, accept_fulfilment, complete_fulfilment, reject_fulfilment,
  get_partner, add_user, list_users, change_user_roles, rotate_user_token, remove_user, set_marketing_contact,
  get_catalog,
  purchase_package, list_packages, get_package, renew_package, cancel_package,
  list_benefits, list_expirations, get_benefit, activate_benefit, reveal_key, assign_seat,
  reassign_seat, open_support_request, stream_events, partner_audit,
  whoami,
  create_backup, read_backup_file, delete_backup, list_notifications, retry_notification,
};

enum class Access {
  anyone,         // no token needed
  authenticated,  // any valid token; the engine checks roles and tenancy
  operator_only,  // the operator token; a user gets 403
};

struct Route {
  RouteId id;
  std::string_view method;
  std::string_view path;  // "/v1/benefits/{benefitId}/activate"
  Access access;
  int success_status;     // 200, 201, 202 (activation: 200 or 202) or 204
  std::string_view summary;
  std::string_view query;        // accepted query parameters, comma-separated
  std::string_view body_schema;  // JSON Schema text of the request body; empty: no body
  /// "POST /v1/benefits/{benefitId}/activate": the route's label in metrics and logs.
  std::string label() const;
  bool is_view() const {
    return method == "GET" && access != Access::anyone && !is_operation() && id != RouteId::whoami;
  }
  /// Backups and notification dead letters (operations_routes.h): neither views nor commands.
  bool is_operation() const {
    return id == RouteId::create_backup || id == RouteId::read_backup_file || id == RouteId::delete_backup ||
           id == RouteId::list_notifications || id == RouteId::retry_notification;
  }
  /// A view whose answer can hold thousands of rows: read off the I/O threads.
  bool is_long_read() const { return id == RouteId::partner_audit || id == RouteId::list_fulfilment_requests; }
  /// A GET answered from the projections' views (rather than the log, the clock or the
  /// catalog): it waits for the views to include every write acknowledged before it (R-ENG-10).
  bool reads_views() const {
    return is_view() && id != RouteId::list_events && id != RouteId::stream_events && id != RouteId::get_clock &&
           id != RouteId::get_catalog;
  }
};

/// Every route, in API.md's order.
std::span<const Route> all_routes();

struct RouteMatch {
  const Route* route;
  std::vector<std::string> params;  // path parameters, in template order
};
struct NoRoute {};
struct WrongMethod {
  std::string allow;  // "GET, POST"
};

/// The route for (method, decoded path segments).
std::variant<RouteMatch, NoRoute, WrongMethod> match_route(std::string_view method,
                                                           const std::vector<std::string>& segments);

}  // namespace benefitd::http
