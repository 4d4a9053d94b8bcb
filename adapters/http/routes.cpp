#include "adapters/http/routes.h"

#include <array>

namespace benefitd::http {

namespace {

constexpr std::string_view kPage = "limit,cursor,minPosition";
constexpr std::string_view kView = "minPosition";

// Body schemas, in JSON Schema as OpenAPI 3.0 reads it, with the bounds command_parsing.cpp
// enforces (lengths in bytes there: a character bound here is never tighter).
constexpr std::string_view kRegisterPartner = R"({"type":"object","required":["name","accountEmail","globalAdmin"],"properties":{"name":{"type":"string","minLength":1,"maxLength":200},"accountEmail":{"type":"string","format":"email","minLength":1,"maxLength":254},"membershipLocation":{"type":"string","enum":["partner-center","pmc"]},"globalAdmin":{"type":"object","required":["email","displayName"],"properties":{"email":{"type":"string","format":"email","minLength":1,"maxLength":254},"displayName":{"type":"string","minLength":1,"maxLength":200}}}}})";
constexpr std::string_view kAdvanceClock = R"({"type":"object","properties":{"seconds":{"type":"integer","minimum":0,"maximum":3162240000},"to":{"type":"string","format":"date-time"}},"oneOf":[{"required":["seconds"]},{"required":["to"]}]})";
constexpr std::string_view kVerify = R"({"type":"object","properties":{"partnerId":{"type":"string","minLength":1,"maxLength":128}}})";
constexpr std::string_view kAccept = R"({"type":"object","properties":{"expectedBy":{"type":"string","format":"date-time"}}})";
constexpr std::string_view kComplete = R"({"type":"object","properties":{"accessId":{"type":"string","minLength":1,"maxLength":128},"contractId":{"type":"string","minLength":1,"maxLength":128}}})";
constexpr std::string_view kReason = R"({"type":"object","required":["reason"],"properties":{"reason":{"type":"string","minLength":1,"maxLength":4000}}})";
constexpr std::string_view kAddUser = R"({"type":"object","required":["email","displayName","roles"],"properties":{"email":{"type":"string","format":"email","minLength":1,"maxLength":254},"displayName":{"type":"string","minLength":1,"maxLength":200},"roles":{"type":"array","items":{"type":"string","enum":["global-admin","user-admin","admin-agent","mpn-partner-admin"]}}}})";
constexpr std::string_view kChangeRoles = R"({"type":"object","required":["roles"],"properties":{"roles":{"type":"array","items":{"type":"string","enum":["global-admin","user-admin","admin-agent","mpn-partner-admin"]}}}})";
constexpr std::string_view kMarketingContact = R"({"type":"object","required":["userId","email","phone","preferredLanguage"],"properties":{"userId":{"type":"string","minLength":1,"maxLength":128},"email":{"type":"string","format":"email","minLength":1,"maxLength":254},"phone":{"type":"string","minLength":1,"maxLength":64},"preferredLanguage":{"type":"string","minLength":1,"maxLength":64}}})";
constexpr std::string_view kPurchase = R"({"type":"object","required":["type"],"properties":{"type":{"type":"string","enum":["action-pack","silver-competency","gold-competency"]}}})";
constexpr std::string_view kActivate = R"({"type":"object","properties":{"language":{"type":"string","minLength":1,"maxLength":64},"os":{"type":"string","minLength":1,"maxLength":64},"userId":{"type":"string","minLength":1,"maxLength":128}}})";
constexpr std::string_view kKey = R"({"type":"object","properties":{"language":{"type":"string","minLength":1,"maxLength":64},"os":{"type":"string","minLength":1,"maxLength":64}}})";
constexpr std::string_view kUser = R"({"type":"object","required":["userId"],"properties":{"userId":{"type":"string","minLength":1,"maxLength":128}}})";
constexpr std::string_view kSupportRequest = R"({"type":"object","required":["type","productFamily","summary"],"properties":{"type":{"type":"string","enum":["signature-cloud","product-support","presales-deployment"]},"productFamily":{"type":"string","enum":["on-premises","azure","dynamics","cloud","hybrid","other"]},"summary":{"type":"string","minLength":1,"maxLength":4000},"hours":{"type":"integer","minimum":1,"maximum":25},"accessId":{"type":"string","minLength":1,"maxLength":128},"contractId":{"type":"string","minLength":1,"maxLength":128}}})";

using enum RouteId;
using enum Access;

constexpr std::array kRoutes{
    Route{healthz, "GET", "/healthz", anyone, 200, "Liveness", "", ""},
    Route{metrics, "GET", "/metrics", anyone, 200, "Prometheus metrics", "", ""},
    Route{openapi, "GET", "/openapi.json", anyone, 200, "This document", "", ""},
    Route{register_partner, "POST", "/v1/partners", operator_only, 201, "Register a partner", "", kRegisterPartner},
    Route{migrate_partner, "POST", "/v1/partners/{partnerId}/migrate", operator_only, 200,
          "Migrate a partner from the Partner Membership Center", "", ""},
    Route{get_clock, "GET", "/v1/clock", authenticated, 200, "The engine clock", kView, ""},
    Route{advance_clock, "POST", "/v1/clock/advance", operator_only, 200, "Advance the simulated clock", "",
          kAdvanceClock},
    Route{list_events, "GET", "/v1/events", operator_only, 200, "The global log", "fromPosition,limit,cursor,minPosition", ""},
    Route{verify_audit, "POST", "/v1/audit/verify", operator_only, 200, "Verify the hash chains", "", kVerify},
    Route{list_fulfilment_requests, "GET", "/v1/fulfilment/requests", operator_only, 200, "Fulfilment requests",
          "status,limit,cursor,minPosition", ""},
    Route{accept_fulfilment, "POST", "/v1/fulfilment/requests/{requestId}/accept", operator_only, 200,
          "Accept a fulfilment request", "", kAccept},
    Route{complete_fulfilment, "POST", "/v1/fulfilment/requests/{requestId}/complete", operator_only, 200,
          "Complete a fulfilment request", "", kComplete},
    Route{reject_fulfilment, "POST", "/v1/fulfilment/requests/{requestId}/reject", operator_only, 200,
          "Reject a fulfilment request", "", kReason},
    Route{get_partner, "GET", "/v1/partners/{partnerId}", authenticated, 200, "A partner", kView, ""},
    Route{add_user, "POST", "/v1/partners/{partnerId}/users", authenticated, 201, "Add a user", "", kAddUser},
    Route{list_users, "GET", "/v1/partners/{partnerId}/users", authenticated, 200, "The partner's users", kPage, ""},
    Route{change_user_roles, "PUT", "/v1/partners/{partnerId}/users/{userId}/roles", authenticated, 200,
          "Change a user's roles", "", kChangeRoles},
    Route{rotate_user_token, "POST", "/v1/partners/{partnerId}/users/{userId}/token", authenticated, 200,
          "Replace a user's token (shown once; the old one is refused from now on)", "", ""},
    Route{remove_user, "DELETE", "/v1/partners/{partnerId}/users/{userId}", authenticated, 204,
          "Remove a user (its token is refused, its seats released)", "", ""},
    Route{set_marketing_contact, "PUT", "/v1/partners/{partnerId}/marketing-contact", authenticated, 200,
          "Set the marketing contact", "", kMarketingContact},
    Route{get_catalog, "GET", "/v1/catalog", authenticated, 200, "The catalog", kView, ""},
    Route{purchase_package, "POST", "/v1/partners/{partnerId}/packages", authenticated, 201, "Purchase a package",
          "", kPurchase},
    Route{list_packages, "GET", "/v1/partners/{partnerId}/packages", authenticated, 200, "The partner's packages",
          kPage, ""},
    Route{get_package, "GET", "/v1/packages/{packageId}", authenticated, 200, "A package", kView, ""},
    Route{renew_package, "POST", "/v1/packages/{packageId}/renew", authenticated, 200, "Renew a package", "", ""},
    Route{cancel_package, "POST", "/v1/packages/{packageId}/cancel", authenticated, 202,
          "Request cancellation with refund", "", kReason},
    Route{list_benefits, "GET", "/v1/partners/{partnerId}/benefits", authenticated, 200, "The partner's benefits",
          "category,status,packageId,limit,cursor,minPosition", ""},
    Route{list_expirations, "GET", "/v1/partners/{partnerId}/expirations", authenticated, 200,
          "Benefits expiring soon", "within,limit,cursor,minPosition", ""},
    Route{get_benefit, "GET", "/v1/benefits/{benefitId}", authenticated, 200, "A benefit", "asOf,minPosition", ""},
    Route{activate_benefit, "POST", "/v1/benefits/{benefitId}/activate", authenticated, 200,
          "Activate a benefit (202 while it waits for fulfilment)", "", kActivate},
    Route{reveal_key, "POST", "/v1/benefits/{benefitId}/keys", authenticated, 200, "Reveal another product key", "",
          kKey},
    Route{assign_seat, "POST", "/v1/benefits/{benefitId}/seats", authenticated, 200, "Assign a seat", "", kUser},
    Route{reassign_seat, "POST", "/v1/benefits/{benefitId}/seats/{seatId}/reassign", authenticated, 200,
          "Reassign a seat", "", kUser},
    Route{open_support_request, "POST", "/v1/benefits/{benefitId}/support-requests", authenticated, 201,
          "Open a support request", "", kSupportRequest},
    Route{stream_events, "GET", "/v1/streams/{streamId}/events", authenticated, 200, "A stream's events",
          "fromVersion,limit,cursor,minPosition", ""},
    Route{partner_audit, "GET", "/v1/partners/{partnerId}/audit", authenticated, 200, "The partner's audit history",
          "from,to,limit,cursor,minPosition", ""},
    Route{whoami, "GET", "/v1/me", authenticated, 200, "Who the bearer token belongs to", "", ""},
    Route{create_backup, "POST", "/v1/admin/backups", operator_only, 201,
          "Take an online backup (a checkpoint on the server) and list its files", "", ""},
    Route{read_backup_file, "GET", "/v1/admin/backups/{backupId}/files/{fileName}", operator_only, 200,
          "Bytes of a backup's file (application/octet-stream)", "offset,length", ""},
    Route{delete_backup, "DELETE", "/v1/admin/backups/{backupId}", operator_only, 204,
          "Delete a backup's checkpoint from the server", "", ""},
    Route{list_notifications, "GET", "/v1/notifications", operator_only, 200,
          "Notifications parked after their last failed delivery (status=failed) or still queued (pending)",
          "status,limit,cursor", ""},
    Route{retry_notification, "POST", "/v1/notifications/{notificationId}/retry", operator_only, 202,
          "Deliver a parked notification again", "", ""},
};

/// Whether `segments` fit the template, collecting the parameters.
bool matches(std::string_view path, const std::vector<std::string>& segments, std::vector<std::string>* params) {
  std::size_t index = 0, start = 1;
  params->clear();
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    const std::string_view part = path.substr(start, end - start);
    if (index >= segments.size()) return false;
    const std::string& segment = segments[index++];
    if (part.front() == '{') {
      if (segment.empty()) return false;
      params->push_back(segment);
    } else if (part != segment) {
      return false;
    }
    start = end + 1;
  }
  return index == segments.size();
}

}  // namespace

std::string Route::label() const { return std::string(method) + " " + std::string(path); }

std::span<const Route> all_routes() { return kRoutes; }

std::variant<RouteMatch, NoRoute, WrongMethod> match_route(std::string_view method,
                                                           const std::vector<std::string>& segments) {
  std::vector<std::string> params;
  std::string allow;
  for (const Route& route : kRoutes) {
    if (!matches(route.path, segments, &params)) continue;
    if (route.method == method) return RouteMatch{&route, std::move(params)};
    if (!allow.empty()) allow += ", ";
    allow += route.method;
  }
  if (allow.empty()) return NoRoute{};
  return WrongMethod{std::move(allow)};
}

}  // namespace benefitd::http
