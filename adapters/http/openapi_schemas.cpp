#include "adapters/http/openapi_schemas.h"

#include "adapters/http/problem_codes.h"

#include <cstdint>
#include <stdexcept>
#include <string>

namespace benefitd::http {

namespace {

using nlohmann::json;

// The bounds the server's readers enforce (view_queries.cpp, app::kMaxAuditPage); the router
// tests ask the server for each bound and one past it.
constexpr int kMaxPage = 500;
constexpr int kDefaultPage = 100;
constexpr int kMaxAuditPage = 10'000;
constexpr int kMaxCursorLength = 1024;
constexpr std::int64_t kLongestWithin = 100LL * 366 * 24 * 3600;
constexpr std::int64_t kDefaultWithin = 30LL * 24 * 3600;

json ref(std::string_view name) { return {{"$ref", "#/components/schemas/" + std::string(name)}}; }
json text() { return {{"type", "string"}}; }
json text(std::string_view description) { return {{"type", "string"}, {"description", description}}; }
json id() { return {{"type", "string"}, {"minLength", 1}, {"maxLength", 128}}; }
json time() { return {{"type", "string"}, {"format", "date-time"}}; }
json counter() { return {{"type", "integer"}, {"format", "int64"}, {"minimum", 0}}; }
json choice(std::initializer_list<std::string_view> values) {
  json schema = {{"type", "string"}, {"enum", json::array()}};
  for (std::string_view value : values) schema["enum"].push_back(value);
  return schema;
}
json nullable(json schema) {
  schema["nullable"] = true;
  return schema;
}
json array_of(json items) { return {{"type", "array"}, {"items", std::move(items)}}; }

/// An object with exactly these members (the server's own views: a member the document does
/// not name is a drift the contract tests report).
json closed_object(json properties, json required) {
  return {{"type", "object"},
          {"additionalProperties", false},
          {"required", std::move(required)},
          {"properties", std::move(properties)}};
}

json with_members(json schema, json more_properties, json more_required = json::array()) {
  for (auto& [name, member] : more_properties.items()) schema["properties"][name] = member;
  for (auto& name : more_required) schema["required"].push_back(name);
  return schema;
}

json page_of(std::string_view item) {
  return closed_object({{"items", array_of(ref(item))},
                        {"nextCursor", nullable(text("pass as ?cursor= for the next page; null on the last"))}},
                       {"items", "nextCursor"});
}

const json kMoney = {{"type", "string"}, {"pattern", "^[0-9]+\\.[0-9]{2}$"}, {"example", "530.00"}};
const json kCategory = choice({"software", "cloud", "visual-studio", "technical", "go-to-market"});
const json kRole = choice({"global-admin", "user-admin", "admin-agent", "mpn-partner-admin"});

json with_description(json schema, std::string_view description) {
  schema["description"] = description;
  return schema;
}

json benefit() {
  const json balances = closed_object({{"productSupportIncidents", counter()},
                                       {"signatureCloudIncidents", counter()},
                                       {"advisoryHours", counter()}},
                                      {"productSupportIncidents", "signatureCloudIncidents", "advisoryHours"});
  return closed_object(
      {{"benefitId", id()},
       {"partnerId", id()},
       {"packageId", id()},
       {"category", kCategory},
       {"product", text()},
       {"kind", nullable(text("cloud: usage-based or license-based; go-to-market: the offer; otherwise null"))},
       {"status", choice({"purchased", "activation-requested", "pending", "active", "expired", "cancelled"})},
       {"purchasedAt", time()},
       {"activationRequestedAt", nullable(time())},
       {"pendingSince", nullable(time())},
       {"expectedBy", nullable(time())},
       {"activatedAt", nullable(time())},
       {"expiresAt", time()},
       {"cancelledAt", nullable(time())},
       {"expiredAt", nullable(time())},
       {"lastError", nullable(text())},
       {"quantity", {{"type", "integer"}, {"minimum", 1}}},
       {"keys", {{"type", "array"},
                 {"items", ref("Key")},
                 {"description", "software and license-based cloud, for callers allowed to see keys (R-SW-2)"}}},
       {"assignedUserId", nullable(text("usage-based cloud: the user it is assigned to"))},
       {"seats", {{"type", "array"}, {"items", ref("Seat")}, {"description", "visual-studio"}}},
       {"seatsTotal", {{"type", "integer"}, {"minimum", 1}, {"description", "visual-studio"}}},
       {"accessId", nullable(text("technical"))},
       {"contractId", nullable(text("technical"))},
       {"balances", with_description(balances, "technical")},
       {"version", counter()}},
      {"benefitId", "partnerId", "packageId", "category", "product", "kind", "status", "purchasedAt",
       "activationRequestedAt", "pendingSince", "expectedBy", "activatedAt", "expiresAt", "cancelledAt", "expiredAt",
       "lastError", "quantity", "version"});
}

json package() {
  return closed_object(
      {{"packageId", id()},
       {"partnerId", id()},
       {"type", text("the catalog's package type: action-pack, silver-competency, gold-competency")},
       {"status", choice({"active", "cancellation-requested", "cancelled", "expired", "lapsed"})},
       {"price", kMoney},
       {"purchasedAt", time()},
       {"expiresAt", time()},
       {"renewalWindowEndsAt", time()},
       {"refundableUntil", time()},
       {"refundWindow", closed_object({{"term", {{"type", "integer"}, {"minimum", 1}}},
                                       {"opensAt", time()},
                                       {"until", time()}},
                                      {"term", "opensAt", "until"})},
       {"term", {{"type", "string"}, {"pattern", "^P[0-9]+D$"}, {"example", "P365D"}}},
       {"benefitIds", array_of(id())},
       {"refund", nullable(closed_object({{"amount", kMoney}, {"issuedAt", time()}}, {"amount", "issuedAt"}))},
       {"version", counter()}},
      {"packageId", "partnerId", "type", "status", "price", "purchasedAt", "expiresAt", "renewalWindowEndsAt",
       "refundableUntil", "refundWindow", "term", "benefitIds", "refund", "version"});
}

json partner() {
  return closed_object(
      {{"partnerId", id()},
       {"name", text()},
       {"accountEmail", text()},
       {"membershipLocation", choice({"partner-center", "pmc"})},
       {"marketingContact",
        nullable(closed_object(
            {{"userId", id()}, {"email", text()}, {"phone", text()}, {"preferredLanguage", text()}},
            {"userId", "email", "phone", "preferredLanguage"}))},
       {"version", counter()}},
      {"partnerId", "name", "accountEmail", "membershipLocation", "marketingContact", "version"});
}

json user() {
  return closed_object({{"userId", id()}, {"email", text()}, {"displayName", text()}, {"roles", array_of(kRole)}},
                       {"userId", "email", "displayName", "roles"});
}

const json kToken = text("the bearer token, shown once: a retry with the same Idempotency-Key answers without it");

json audit_event() {
  return closed_object(
      {{"position", counter()},
       {"streamId", text("partner-<partnerId>, package-<packageId> or benefit-<benefitId>")},
       {"version", counter()},
       {"type", text("the event type, e.g. BenefitActivated")},
       {"schemaVersion", counter()},
       {"occurredAt", time()},
       {"actor", closed_object({{"kind", choice({"user", "operator", "system"})}, {"userId", id()}}, {"kind"})},
       {"correlationId", text()},
       {"causationId", text()},
       {"command", text("the command that appended it")},
       {"data", {{"type", "object"}, {"description", "the event's members (secrets redacted for callers who may not see keys)"}}},
       {"hash", {{"type", "string"}, {"pattern", "^[0-9a-f]{64}$"}}},
       {"prevHash", {{"type", "string"}, {"pattern", "^[0-9a-f]{64}$"}}}},
      {"position", "streamId", "version", "type", "schemaVersion", "occurredAt", "actor", "correlationId",
       "causationId", "data", "hash", "prevHash"});
}

json fulfilment_request() {
  return closed_object(
      {{"requestId", id()},
       {"benefitId", id()},
       {"packageId", id()},
       {"partnerId", id()},
       {"kind", choice({"software", "cloud", "visual-studio", "technical", "go-to-market", "cancellation"})},
       {"status", choice({"open", "completed", "rejected"})},
       {"requestedAt", time()},
       {"expectedBy", nullable(time())},
       {"acceptedAt", time()},
       {"completedAt", time()},
       {"reason", text("why it was rejected")}},
      {"requestId", "partnerId", "kind", "status", "requestedAt", "expectedBy"});
}

json catalog() {
  // The catalog is the operator's file (--catalog), answered as loaded: its members beyond
  // these are the operator's and pass through.
  const json processing = {{"type", "object"},
                           {"required", {"unit"}},
                           {"properties",
                            {{"unit", choice({"immediate", "days", "business-days"})},
                             {"amount", {{"type", "integer"}, {"minimum", 1}}}}}};
  const json benefit = {
      {"type", "object"},
      {"required", {"category", "product", "quantity"}},
      {"properties",
       {{"category", kCategory},
        {"product", text()},
        {"quantity", {{"type", "integer"}, {"minimum", 1}}},
        {"kind", text()},
        {"languages", array_of(text())},
        {"osTypes", array_of(text())},
        {"balances", {{"type", "object"},
                      {"properties",
                       {{"productSupportIncidents", counter()},
                        {"signatureCloudIncidents", counter()},
                        {"advisoryHours", counter()}}}}},
        {"supportTypes", array_of(choice({"signature-cloud", "product-support", "presales-deployment"}))}}}};
  const json package = {{"type", "object"},
                        {"required", {"type", "price", "termDays", "benefits"}},
                        {"properties",
                         {{"type", text()},
                          {"price", kMoney},
                          {"termDays", {{"type", "integer"}, {"minimum", 1}}},
                          {"benefits", array_of(benefit)}}}};
  json fulfilment = {{"type", "object"}, {"required", json::array()}, {"properties", json::object()}};
  for (const char* kind : {"software", "cloud", "visual-studio", "technical", "go-to-market", "cancellation"}) {
    fulfilment["required"].push_back(kind);
    fulfilment["properties"][kind] = processing;
  }
  return {{"type", "object"},
          {"required", {"schemaVersion", "goToMarketTermDays", "fulfilment", "packages"}},
          {"properties",
           {{"schemaVersion", {{"type", "integer"}, {"enum", {1}}}},
            {"goToMarketTermDays", {{"type", "integer"}, {"minimum", 1}}},
            {"fulfilment", fulfilment},
            {"packages", array_of(package)}}}};
}

json problem() {
  json codes = json::array();
  for (const ProblemCode& entry : problem_codes()) codes.push_back(entry.code);
  // Open: a problem may carry details beside the standard members (API.md "Errors").
  return {{"type", "object"},
          {"required", {"type", "title", "status", "detail", "code"}},
          {"properties",
           {{"type", text("/problems/<code>")},
            {"title", text()},
            {"status", {{"type", "integer"}, {"minimum", 400}, {"maximum", 599}}},
            {"detail", text("a human sentence")},
            {"code", {{"type", "string"}, {"enum", codes}}},
            {"errors", with_description(
                           array_of(closed_object({{"field", text("the member, query parameter or header")},
                                                   {"message", text()},
                                                   {"allowed", array_of(text())}},
                                                  {"field"})),
                           "invalid-request: the fields at fault, with what is allowed where the server knows")},
            {"currentStatus", text("the resource's status when a transition was refused")},
            {"reassignableAt", time()},
            {"now", time()}}}};
}

json health() {
  return closed_object({{"status", choice({"ok", "unavailable"})},
                        {"store", choice({"writable", "disk-nearly-full", "recovering"})},
                        {"views", choice({"following", "stalled"})},
                        {"logPosition", counter()},
                        {"viewsPosition", counter()},
                        {"reason", text("why the server is unavailable, in words")}},
                       {"status", "store", "views", "logPosition", "viewsPosition"});
}

}  // namespace

nlohmann::json component_schemas() {
  json schemas = {
      {"Problem", problem()},
      {"Health", health()},
      {"Benefit", benefit()},
      {"Key", closed_object({{"key", text()},
                             {"language", nullable(text())},
                             {"os", nullable(text())},
                             {"maxActivations", {{"type", "integer"}, {"minimum", 0}}},
                             {"revealedAt", time()}},
                            {"key", "language", "os", "maxActivations", "revealedAt"})},
      {"Seat", closed_object({{"seatId", id()}, {"userId", id()}, {"assignedAt", time()}, {"reassignableAt", time()}},
                             {"seatId", "userId", "assignedAt", "reassignableAt"})},
      {"Package", package()},
      {"Partner", partner()},
      {"User", user()},
      {"AuditEvent", audit_event()},
      {"FulfilmentRequest", fulfilment_request()},
      {"Catalog", catalog()},
      {"Clock", closed_object({{"now", time()}, {"mode", choice({"system", "simulated"})}}, {"now", "mode"})},
      {"ClockAdvanced", closed_object({{"now", time()}, {"timersFired", counter()}}, {"now", "timersFired"})},
      {"VerifyReport",
       closed_object({{"ok", {{"type", "boolean"}}},
                      {"eventsChecked", counter()},
                      {"firstBadPosition", counter()},
                      {"streamId", text()},
                      {"problem", text("what is wrong at firstBadPosition")}},
                     {"ok", "eventsChecked"})},
      {"UserToken", closed_object({{"userId", id()}, {"token", kToken}}, {"userId"})},
      {"RevealedKey", closed_object({{"key", ref("Key")}}, {"key"})},
      {"SupportRequestOpened",
       closed_object({{"supportRequestId", id()}, {"benefit", ref("Benefit")}}, {"supportRequestId", "benefit"})},
      {"BenefitPage", page_of("Benefit")},
      {"PackagePage", page_of("Package")},
      {"UserPage", page_of("User")},
      {"AuditEventPage", page_of("AuditEvent")},
      {"FulfilmentRequestPage", page_of("FulfilmentRequest")},
  };
  schemas["RegisteredPartner"] = with_members(
      partner(), {{"globalAdmin", closed_object({{"userId", id()}, {"token", kToken}}, {"userId"})}}, {"globalAdmin"});
  schemas["NewUser"] = with_members(user(), {{"token", kToken}});
  schemas["Identity"] = with_description(
      closed_object({{"kind", choice({"operator", "user"})},
                     {"userId", id()},
                     {"partnerId", id()},
                     {"roles", array_of(kRole)}},
                    {"kind", "roles"}),
      "who the bearer token belongs to: the operator, or a user of a partner (userId, partnerId) with its roles");
  schemas["PackageWithBenefits"] =
      with_members(package(), {{"benefits", array_of(ref("Benefit"))}}, {"benefits"});
  schemas["BackupManifest"] = with_description(
      closed_object({{"id", id()},
                     {"createdAt", time()},
                     {"benefitdVersion", text()},
                     {"lastPosition", counter()},
                     {"lastHash", text("SHA-256 (hex) of the event at lastPosition; empty for an empty log")},
                     {"files", array_of(closed_object({{"name", text()}, {"size", counter()}}, {"name", "size"}))}},
                    {"id", "createdAt", "benefitdVersion", "lastPosition", "lastHash", "files"}),
      "a checkpoint of the store on the server, to download file by file and then delete");
  schemas["Notification"] = closed_object(
      {{"id", id()},
       {"status", choice({"failed", "pending"})},
       {"notification", {{"type", "object"}, {"description", "the notification as delivered (id, to, subject, body)"}}},
       {"attempts", counter()},
       {"failedAt", time()},
       {"outboxKey", text("where it waited in the outbox, and returns to on a retry")}},
      {"id", "status", "notification"});
  schemas["NotificationPage"] = page_of("Notification");
  schemas["NotificationRetried"] =
      closed_object({{"id", id()}, {"status", choice({"pending"})}}, {"id", "status"});
  return schemas;
}

std::optional<std::string_view> operation_id(RouteId route) {
  switch (route) {
    case RouteId::healthz: return "getHealth";
    case RouteId::metrics: return "getMetrics";
    case RouteId::openapi: return "getOpenApiDocument";
    case RouteId::register_partner: return "registerPartner";
    case RouteId::migrate_partner: return "migratePartner";
    case RouteId::get_clock: return "getClock";
    case RouteId::advance_clock: return "advanceClock";
    case RouteId::list_events: return "listEvents";
    case RouteId::verify_audit: return "verifyAudit";
    case RouteId::list_fulfilment_requests: return "listFulfilmentRequests";
    case RouteId::accept_fulfilment: return "acceptFulfilment";
    case RouteId::complete_fulfilment: return "completeFulfilment";
    case RouteId::reject_fulfilment: return "rejectFulfilment";
    case RouteId::get_partner: return "getPartner";
    case RouteId::add_user: return "addUser";
    case RouteId::list_users: return "listUsers";
    case RouteId::change_user_roles: return "changeUserRoles";
    case RouteId::rotate_user_token: return "rotateUserToken";
    case RouteId::remove_user: return "removeUser";
    case RouteId::set_marketing_contact: return "setMarketingContact";
    case RouteId::get_catalog: return "getCatalog";
    case RouteId::purchase_package: return "purchasePackage";
    case RouteId::list_packages: return "listPackages";
    case RouteId::get_package: return "getPackage";
    case RouteId::renew_package: return "renewPackage";
    case RouteId::cancel_package: return "cancelPackage";
    case RouteId::list_benefits: return "listBenefits";
    case RouteId::list_expirations: return "listExpirations";
    case RouteId::get_benefit: return "getBenefit";
    case RouteId::activate_benefit: return "activateBenefit";
    case RouteId::reveal_key: return "revealKey";
    case RouteId::assign_seat: return "assignSeat";
    case RouteId::reassign_seat: return "reassignSeat";
    case RouteId::open_support_request: return "openSupportRequest";
    case RouteId::stream_events: return "listStreamEvents";
    case RouteId::partner_audit: return "getPartnerAudit";
    case RouteId::whoami: return "getIdentity";
    case RouteId::create_backup: return "createBackup";
    case RouteId::read_backup_file: return "readBackupFile";
    case RouteId::delete_backup: return "deleteBackup";
    case RouteId::list_notifications: return "listNotifications";
    case RouteId::retry_notification: return "retryNotification";
    default:
      return std::nullopt;
  }
}

std::optional<std::string_view> operation_tag(RouteId route) {
  switch (route) {
    case RouteId::healthz:
    case RouteId::metrics:
    case RouteId::openapi:
      return "Server";
    case RouteId::register_partner:
    case RouteId::migrate_partner:
    case RouteId::get_clock:
    case RouteId::advance_clock:
    case RouteId::list_events:
    case RouteId::verify_audit:
    case RouteId::list_fulfilment_requests:
    case RouteId::accept_fulfilment:
    case RouteId::complete_fulfilment:
    case RouteId::reject_fulfilment:
    case RouteId::create_backup:
    case RouteId::read_backup_file:
    case RouteId::delete_backup:
    case RouteId::list_notifications:
    case RouteId::retry_notification:
      return "Operator";
    case RouteId::get_partner:
    case RouteId::add_user:
    case RouteId::list_users:
    case RouteId::change_user_roles:
    case RouteId::rotate_user_token:
    case RouteId::remove_user:
    case RouteId::set_marketing_contact:
    case RouteId::whoami:
      return "Partners";
    case RouteId::get_catalog:
    case RouteId::purchase_package:
    case RouteId::list_packages:
    case RouteId::get_package:
    case RouteId::renew_package:
    case RouteId::cancel_package:
      return "Packages";
    case RouteId::list_benefits:
    case RouteId::list_expirations:
    case RouteId::get_benefit:
    case RouteId::activate_benefit:
    case RouteId::reveal_key:
    case RouteId::assign_seat:
    case RouteId::reassign_seat:
    case RouteId::open_support_request:
      return "Benefits";
    case RouteId::stream_events:
    case RouteId::partner_audit:
      return "Audit";
    default:
      return std::nullopt;
  }
}

std::optional<nlohmann::json> success_body_schema(RouteId route) {
  switch (route) {
    case RouteId::healthz: return ref("Health");
    case RouteId::metrics: return json{{"type", "string"}, {"description", "Prometheus text format 0.0.4"}};
    case RouteId::openapi: return json{{"type", "object"}, {"description", "this OpenAPI 3 document"}};
    case RouteId::register_partner: return ref("RegisteredPartner");
    case RouteId::migrate_partner:
    case RouteId::get_partner:
    case RouteId::set_marketing_contact:
      return ref("Partner");
    case RouteId::get_clock: return ref("Clock");
    case RouteId::advance_clock: return ref("ClockAdvanced");
    case RouteId::list_events:
    case RouteId::stream_events:
    case RouteId::partner_audit:
      return ref("AuditEventPage");
    case RouteId::verify_audit: return ref("VerifyReport");
    case RouteId::list_fulfilment_requests: return ref("FulfilmentRequestPage");
    // A benefit's request answers with the benefit; a cancellation's (complete only) with
    // the package.
    case RouteId::complete_fulfilment: return json{{"oneOf", {ref("Benefit"), ref("Package")}}};
    case RouteId::accept_fulfilment:
    case RouteId::reject_fulfilment:
    case RouteId::get_benefit:
    case RouteId::activate_benefit:
    case RouteId::assign_seat:
    case RouteId::reassign_seat:
      return ref("Benefit");
    case RouteId::add_user: return ref("NewUser");
    case RouteId::list_users: return ref("UserPage");
    case RouteId::change_user_roles: return ref("User");
    case RouteId::rotate_user_token: return ref("UserToken");
    case RouteId::remove_user: return json(nullptr);
    case RouteId::get_catalog: return ref("Catalog");
    case RouteId::purchase_package:
    case RouteId::renew_package:
      return ref("PackageWithBenefits");
    case RouteId::list_packages: return ref("PackagePage");
    case RouteId::get_package:
    case RouteId::cancel_package:
      return ref("Package");
    case RouteId::list_benefits:
    case RouteId::list_expirations:
      return ref("BenefitPage");
    case RouteId::reveal_key: return ref("RevealedKey");
    case RouteId::open_support_request: return ref("SupportRequestOpened");
    case RouteId::whoami: return ref("Identity");
    case RouteId::create_backup: return ref("BackupManifest");
    case RouteId::read_backup_file: return json{{"type", "string"}, {"format", "binary"}};
    case RouteId::delete_backup: return json(nullptr);
    case RouteId::list_notifications: return ref("NotificationPage");
    case RouteId::retry_notification: return ref("NotificationRetried");
    default:
      return std::nullopt;
  }
}

std::optional<nlohmann::json> query_parameter(RouteId route, std::string_view name) {
  const auto parameter = [name](json schema, std::string_view description) {
    return json{{"name", name}, {"in", "query"}, {"required", false}, {"description", description},
                {"schema", std::move(schema)}};
  };
  const bool numbered = route == RouteId::list_events || route == RouteId::stream_events ||
                        route == RouteId::partner_audit;
  if (name == "minPosition")
    return parameter(counter(), "answer only once the views include this log position (at most 10 s, then 503)");
  if (name == "limit") {
    const int most = route == RouteId::partner_audit ? kMaxAuditPage : kMaxPage;
    const int fallback = route == RouteId::partner_audit ? kMaxAuditPage : kDefaultPage;
    return parameter({{"type", "integer"}, {"minimum", 1}, {"maximum", most}, {"default", fallback}},
                     "the most items one page answers");
  }
  if (name == "cursor") {
    if (numbered) return parameter(counter(), "a previous page's nextCursor");
    return parameter({{"type", "string"}, {"minLength", 1}, {"maxLength", kMaxCursorLength}},
                     "a previous page's nextCursor");
  }
  if (name == "fromPosition") return parameter(counter(), "the first log position to answer");
  if (name == "status" && route == RouteId::list_notifications)
    return parameter({{"type", "string"}, {"enum", {"failed", "pending"}}, {"default", "failed"}},
                     "failed: parked after their last attempt; pending: waiting in the outbox");
  if (name == "offset" && route == RouteId::read_backup_file)
    return parameter(counter(), "the first byte to answer (default 0)");
  if (name == "length" && route == RouteId::read_backup_file)
    return parameter({{"type", "integer"}, {"minimum", 1}, {"maximum", 8 << 20}, {"default", 8 << 20}},
                     "the most bytes to answer");
  if (name == "fromVersion") return parameter(counter(), "the first stream version to answer");
  if (name == "status" && route == RouteId::list_fulfilment_requests)
    return parameter(choice({"open", "completed", "rejected"}), "only requests with this status");
  if (name == "status" && route == RouteId::list_benefits)
    return parameter(choice({"purchased", "activation-requested", "pending", "active", "expired", "cancelled"}),
                     "only benefits with this status");
  if (name == "category" && route == RouteId::list_benefits)
    return parameter(kCategory, "only benefits of this category");
  if (name == "packageId" && route == RouteId::list_benefits)
    return parameter(id(), "only benefits of this package");
  if (name == "within" && route == RouteId::list_expirations)
    return parameter({{"type", "integer"}, {"format", "int64"}, {"minimum", 0}, {"maximum", kLongestWithin},
                      {"default", kDefaultWithin}},
                     "seconds from now: benefits expiring by then");
  if (name == "asOf" && route == RouteId::get_benefit)
    return parameter(time(), "the benefit as it was at this time, rebuilt from the log");
  if ((name == "from" || name == "to") && route == RouteId::partner_audit)
    return parameter(time(), name == "from" ? "only events at or after this time" : "only events at or before this time");
  return std::nullopt;
}

}  // namespace benefitd::http
