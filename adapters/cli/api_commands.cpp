#include "adapters/cli/api_commands.h"

#include <cctype>

#include "adapters/cli/option_values.h"

namespace benefitd::cli {

namespace {

using nlohmann::json;

/// "?a=1&b=2" from the pairs whose value is not empty.
std::string query(const std::vector<std::pair<std::string, std::string>>& parameters) {
  std::string text;
  for (const auto& [name, value] : parameters) {
    if (value.empty()) continue;
    text += (text.empty() ? "?" : "&") + name + "=" + url_encode(value);
  }
  return text;
}

/// Adds `value` to `body` under `name` when it was given.
void put_if(json& body, const std::string& name, const std::string& value) {
  if (!value.empty()) body[name] = value;
}

ApiCall get(std::string target) { return ApiCall{"GET", std::move(target), std::nullopt, Shape::object, {}, {}, {}}; }
ApiCall list(std::string target, Columns columns) {
  return ApiCall{"GET", std::move(target), std::nullopt, Shape::list, std::move(columns), {}, {}};
}
ApiCall send(std::string method, std::string target, std::optional<json> body) {
  return ApiCall{std::move(method), std::move(target), std::move(body), Shape::object, {}, {}, {}};
}

const Columns kBenefitColumns = {"benefitId", "category", "product", "kind", "status", "expiresAt"};
const Columns kEventColumns = {"position", "streamId", "version", "type", "actor", "occurredAt"};
const NestedColumns kPackageTables = {{"benefits", kBenefitColumns}};
constexpr std::int64_t kMaxPage = 500;

// Who may call what (SPEC.md section 2; the operator may do everything).
const std::string kAnyRole = "the operator; a partner user with any of the four roles";
const std::string kOperator = "the operator";
const std::string kActivators = "the operator; global-admin, mpn-partner-admin";
const std::string kUserAdmins = "the operator; global-admin, user-admin (only global-admin grants global-admin)";

}  // namespace

std::string url_encode(const std::string& value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ':') {
      encoded.push_back(static_cast<char>(c));
    } else {
      encoded.push_back('%');
      encoded.push_back(kHex[c >> 4]);
      encoded.push_back(kHex[c & 0xF]);
    }
  }
  return encoded;
}

ApiCall ApiCommands::verify_call(const std::string& partner_id) {
  json body = json::object();
  put_if(body, "partnerId", partner_id);
  ApiCall call = send("POST", "/v1/audit/verify", body);
  call.names = {{"partnerId", "--partner"}};
  return call;
}

CLI::App* ApiCommands::command(CLI::App& parent, const std::string& name, const std::string& endpoint, const Help& help,
                               Build build) {
  CLI::App* added = parent.add_subcommand(name, help.what);
  added->footer("\nWho: " + help.who + "\nCalls: " + endpoint + "\nExample:\n  benefitctl " + help.example +
                "\n\nGlobal options, anywhere on the line: --server URL, --token T, --json, --idempotency-key KEY,"
                " --if-match VERSION (see benefitctl --help).");
  commands_.push_back({added, std::move(build), {}});
  return added;
}

std::string& ApiCommands::positional(CLI::App* command, const std::string& name, const std::string& description,
                                     const std::string& field) {
  std::string& value = strings_.emplace_back();
  std::string shown = name;
  for (char& c : shown) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  command->add_option(name, value, description)->required()->type_name(shown);
  if (!field.empty()) commands_.back().names[field] = shown;
  return value;
}

std::string& ApiCommands::option(CLI::App* command, const std::string& flag, const std::string& description,
                                 bool required, const std::string& field) {
  std::string& value = strings_.emplace_back();
  auto* added = command->add_option(flag, value, description);
  if (required) added->required();
  if (!field.empty()) commands_.back().names[field] = flag;
  return value;
}

std::string& ApiCommands::number_option(CLI::App* command, const std::string& flag, const std::string& description,
                                        const CLI::Validator& check, const std::string& field) {
  std::string& value = option(command, flag, description, false, field);
  command->get_option(flag)->transform(check)->type_name(check.get_name());
  return value;
}

std::vector<std::string>& ApiCommands::list_option(CLI::App* command, const std::string& flag,
                                                   const std::string& description, const std::string& field) {
  std::vector<std::string>& values = lists_.emplace_back();
  command->add_option(flag, values, description);
  if (!field.empty()) commands_.back().names[field] = flag;
  return values;
}

std::pair<std::string&, std::string&> ApiCommands::paging(CLI::App* command) {
  std::string& limit = number_option(command, "--limit", "Page size (1..500)", whole_number(1, kMaxPage), "limit");
  std::string& cursor =
      option(command, "--cursor", "The page after the one that printed 'more: --cursor C'", false, "cursor");
  return {limit, cursor};
}

std::optional<ApiCall> ApiCommands::chosen() const {
  for (const auto& [app, build, names] : commands_) {
    if (!app->parsed() || !build) continue;
    ApiCall call = build();
    call.names.insert(names.begin(), names.end());
    return call;
  }
  return std::nullopt;
}

std::optional<WatchRequest> ApiCommands::watch_chosen() const {
  if (watch_ == nullptr || !watch_->parsed()) return std::nullopt;
  return watch_request_;
}

ApiCommands::ApiCommands(CLI::App& app, CLI::App& audit) {
  // ---- partners and users ----
  auto& partners = *app.add_subcommand("partners", "Partners: register, show, migrate, marketing contact");
  {
    CLI::App* c = command(partners, "register", "POST /v1/partners",
                          {"Register a partner and its global admin; prints the admin's token once.", kOperator,
                           "partners register --name Contoso --account-email program@contoso.test "
                           "--admin-email ada@contoso.test --admin-name \"Ada Admin\""});
    auto& name = option(c, "--name", "Company name", true, "name");
    auto& email = option(c, "--account-email", "Program account email", true, "accountEmail");
    auto& admin_email = option(c, "--admin-email", "Global admin's email", true, "globalAdmin.email");
    auto& admin_name = option(c, "--admin-name", "Global admin's display name", true, "globalAdmin.displayName");
    auto& location = option(c, "--membership-location", "partner-center (default) or pmc", false, "membershipLocation");
    commands_.back().build = [&] {
      json body = {{"name", name},
                   {"accountEmail", email},
                   {"globalAdmin", {{"email", admin_email}, {"displayName", admin_name}}}};
      put_if(body, "membershipLocation", location);
      return send("POST", "/v1/partners", body);
    };
  }
  {
    CLI::App* c = command(
        partners, "get", "GET /v1/partners/{partnerId}",
        {"Show a partner: name, account email, membership location, marketing contact.", kAnyRole, "partners get P-1"});
    auto& id = positional(c, "partner", "Partner id");
    commands_.back().build = [&] { return get("/v1/partners/" + url_encode(id)); };
  }
  {
    CLI::App* c = command(partners, "migrate", "POST /v1/partners/{partnerId}/migrate",
                          {"Move a partner from the Partner Membership Center to Partner Center (one way).", kOperator,
                           "partners migrate P-1"});
    auto& id = positional(c, "partner", "Partner id");
    commands_.back().build = [&] { return send("POST", "/v1/partners/" + url_encode(id) + "/migrate", std::nullopt); };
  }
  {
    CLI::App* c = command(partners, "marketing-contact", "PUT /v1/partners/{partnerId}/marketing-contact",
                          {"Set (or replace) the partner's marketing contact.", kActivators,
                           "partners marketing-contact P-1 --user U-2 --email mkt@contoso.test --phone +1-555-0100 "
                           "--language en-US"});
    auto& id = positional(c, "partner", "Partner id");
    auto& user = option(c, "--user", "The contact's user id", true, "userId");
    auto& email = option(c, "--email", "Marketing email (not the account email)", true, "email");
    auto& phone = option(c, "--phone", "Phone", true, "phone");
    auto& language =
        option(c, "--language", "Preferred language, a BCP 47 tag such as en-US", true, "preferredLanguage");
    commands_.back().build = [&] {
      return send("PUT", "/v1/partners/" + url_encode(id) + "/marketing-contact",
                  json{{"userId", user}, {"email", email}, {"phone", phone}, {"preferredLanguage", language}});
    };
  }
  auto& users = *app.add_subcommand("users", "A partner's users: add, list, roles, tokens, removal");
  {
    CLI::App* c = command(users, "add", "POST /v1/partners/{partnerId}/users",
                          {"Add a user to a partner; prints the user's token once.", kUserAdmins,
                           "users add P-1 --email bob@contoso.test --name Bob --role admin-agent"});
    auto& id = positional(c, "partner", "Partner id");
    auto& email = option(c, "--email", "Email", true, "email");
    auto& name = option(c, "--name", "Display name", true, "displayName");
    auto& roles = list_option(c, "--role",
                              "A role (repeatable): global-admin, user-admin, admin-agent, mpn-partner-admin", "roles");
    commands_.back().build = [&] {
      return send("POST", "/v1/partners/" + url_encode(id) + "/users",
                  json{{"email", email}, {"displayName", name}, {"roles", roles}});
    };
  }
  {
    CLI::App* c = command(
        users, "list", "GET /v1/partners/{partnerId}/users",
        {"List a partner's users with their roles (never their tokens).", kAnyRole, "users list P-1 --limit 50"});
    auto& id = positional(c, "partner", "Partner id");
    auto [limit, cursor] = paging(c);
    commands_.back().build = [&] {
      return list("/v1/partners/" + url_encode(id) + "/users" + query({{"limit", limit}, {"cursor", cursor}}),
                  {"userId", "email", "displayName", "roles"});
    };
  }
  {
    CLI::App* c = command(users, "roles", "PUT /v1/partners/{partnerId}/users/{userId}/roles",
                          {"Replace a user's roles (no --role: no roles at all).", kUserAdmins,
                           "users roles P-1 U-2 --role mpn-partner-admin"});
    auto& id = positional(c, "partner", "Partner id");
    auto& user = positional(c, "user", "User id");
    auto& roles = list_option(c, "--role", "A role (repeatable); none: no roles", "roles");
    commands_.back().build = [&] {
      return send("PUT", "/v1/partners/" + url_encode(id) + "/users/" + url_encode(user) + "/roles",
                  json{{"roles", roles}});
    };
  }
  {
    CLI::App* c = command(users, "rotate-token", "POST /v1/partners/{partnerId}/users/{userId}/token",
                          {"Give a user a new token; the old one is refused from now on.",
                           "the operator; the user itself, global-admin, user-admin", "users rotate-token P-1 U-2"});
    auto& id = positional(c, "partner", "Partner id");
    auto& user = positional(c, "user", "User id");
    commands_.back().build = [&] {
      return send("POST", "/v1/partners/" + url_encode(id) + "/users/" + url_encode(user) + "/token", std::nullopt);
    };
  }
  {
    CLI::App* c = command(
        users, "remove", "DELETE /v1/partners/{partnerId}/users/{userId}",
        {"Remove a user: its token is refused and its seats are released.", kUserAdmins, "users remove P-1 U-2"});
    auto& id = positional(c, "partner", "Partner id");
    auto& user = positional(c, "user", "User id");
    commands_.back().build = [&] {
      return send("DELETE", "/v1/partners/" + url_encode(id) + "/users/" + url_encode(user), std::nullopt);
    };
  }

  // ---- catalog, clock, log ----
  command(app, "catalog", "GET /v1/catalog",
          {"Show the catalog: packages, their prices and benefits.", "any caller with a token", "catalog"},
          [] { return get("/v1/catalog"); });
  auto& clock = *app.add_subcommand("clock", "The engine clock: show it, move it (simulated clock)");
  command(clock, "get", "GET /v1/clock",
          {"Show the engine's time and clock mode.", "any caller with a token", "clock get"},
          [] { return get("/v1/clock"); });
  {
    CLI::App* c = command(clock, "advance", "POST /v1/clock/advance",
                          {"Move a simulated clock forward; every timer due by then fires first.", kOperator,
                           "clock advance --seconds 3d"});
    auto& seconds =
        number_option(c, "--seconds", "How far to move: 90, 90s, 15m, 2h, 3d or 1w", duration_in_seconds(), "seconds");
    auto& to = option(c, "--to", "Time to move to (RFC 3339)", false, "to");
    c->get_option("--seconds")->excludes(c->get_option("--to"));
    c->require_option(1);
    commands_.back().build = [&] {
      json body = json::object();
      if (!seconds.empty()) body["seconds"] = std::stoll(seconds);  // validated: a whole number
      put_if(body, "to", to);
      return send("POST", "/v1/clock/advance", body);
    };
  }
  {
    CLI::App* c = command(app, "events", "GET /v1/events",
                          {"Read the global event log from a position.", kOperator, "events --from 1 --limit 20"});
    auto& from = number_option(c, "--from", "First position", whole_number(0, INT64_MAX), "fromPosition");
    auto [limit, cursor] = paging(c);
    commands_.back().build = [&] {
      return list("/v1/events" + query({{"fromPosition", from}, {"limit", limit}, {"cursor", cursor}}), kEventColumns);
    };
  }
  {
    CLI::App* c = command(app, "stream", "GET /v1/streams/{streamId}/events",
                          {"Read one stream's events: a partner's, a package's or a benefit's.",
                           "the operator; global-admin, mpn-partner-admin", "stream benefit-B-1"});
    auto& stream = positional(c, "stream", "Stream id: partner-P, package-K or benefit-B");
    auto& from = number_option(c, "--from-version", "First version", whole_number(0, INT64_MAX), "fromVersion");
    auto [limit, cursor] = paging(c);
    commands_.back().build = [&] {
      return list("/v1/streams/" + url_encode(stream) + "/events" +
                      query({{"fromVersion", from}, {"limit", limit}, {"cursor", cursor}}),
                  {"position", "version", "type", "actor", "occurredAt"});
    };
  }
  {
    CLI::App* c = command(
        audit, "history", "GET /v1/partners/{partnerId}/audit",
        {"Every event of a partner's streams, in log order, with who caused it.",
         "the operator; global-admin, mpn-partner-admin", "audit history P-1 --from 2026-01-01T00:00:00Z --limit 100"});
    auto& id = positional(c, "partner", "Partner id");
    auto& from = option(c, "--from", "From time (RFC 3339)", false, "from");
    auto& to = option(c, "--to", "To time (RFC 3339)", false, "to");
    auto [limit, cursor] = paging(c);
    commands_.back().build = [&] {
      return list("/v1/partners/" + url_encode(id) + "/audit" +
                      query({{"from", from}, {"to", to}, {"limit", limit}, {"cursor", cursor}}),
                  kEventColumns);
    };
  }

  // ---- fulfilment (operator) ----
  auto& fulfilment = *app.add_subcommand("fulfilment", "Fulfilment requests, the back office (operator)");
  {
    CLI::App* c = command(fulfilment, "list", "GET /v1/fulfilment/requests",
                          {"List fulfilment requests.", kOperator, "fulfilment list --status open"});
    auto& status = option(c, "--status", "open, completed or rejected", false, "status");
    auto [limit, cursor] = paging(c);
    commands_.back().build = [&] {
      return list("/v1/fulfilment/requests" + query({{"status", status}, {"limit", limit}, {"cursor", cursor}}),
                  {"requestId", "benefitId", "packageId", "kind", "status", "requestedAt", "expectedBy"});
    };
  }
  {
    CLI::App* c = command(fulfilment, "accept", "POST /v1/fulfilment/requests/{requestId}/accept",
                          {"Accept a request: its benefit becomes pending.", kOperator,
                           "fulfilment accept F-1 --expected-by 2026-01-09T09:00:00Z"});
    auto& id = positional(c, "request", "Request id");
    auto& expected = option(c, "--expected-by", "Expected completion (RFC 3339)", false, "expectedBy");
    commands_.back().build = [&] {
      json body = json::object();
      put_if(body, "expectedBy", expected);
      return send("POST", "/v1/fulfilment/requests/" + url_encode(id) + "/accept", body);
    };
  }
  {
    CLI::App* c = command(fulfilment, "complete", "POST /v1/fulfilment/requests/{requestId}/complete",
                          {"Complete a request: its benefit becomes active.", kOperator,
                           "fulfilment complete F-1 --access-id A-1 --contract-id C-1"});
    auto& id = positional(c, "request", "Request id");
    auto& access = option(c, "--access-id", "Access ID (technical)", false, "accessId");
    auto& contract = option(c, "--contract-id", "Contract ID (technical)", false, "contractId");
    commands_.back().build = [&] {
      json body = json::object();
      put_if(body, "accessId", access);
      put_if(body, "contractId", contract);
      return send("POST", "/v1/fulfilment/requests/" + url_encode(id) + "/complete", body);
    };
  }
  {
    CLI::App* c = command(fulfilment, "reject", "POST /v1/fulfilment/requests/{requestId}/reject",
                          {"Reject a request; the benefit records the reason.", kOperator,
                           "fulfilment reject F-1 --reason \"no such tenant\""});
    auto& id = positional(c, "request", "Request id");
    auto& reason = option(c, "--reason", "Why", true, "reason");
    commands_.back().build = [&] {
      return send("POST", "/v1/fulfilment/requests/" + url_encode(id) + "/reject", json{{"reason", reason}});
    };
  }

  // ---- packages ----
  auto& packages = *app.add_subcommand("packages", "Benefit packages: buy, list, show, renew, cancel");
  {
    CLI::App* c = command(packages, "buy", "POST /v1/partners/{partnerId}/packages",
                          {"Buy a package; prints it with a table of the benefits it grants.", kAnyRole,
                           "packages buy P-1 silver-competency"});
    auto& id = positional(c, "partner", "Partner id");
    auto& type = positional(c, "type", "action-pack, silver-competency or gold-competency", "type");
    commands_.back().build = [&] {
      ApiCall call = send("POST", "/v1/partners/" + url_encode(id) + "/packages", json{{"type", type}});
      call.nested = kPackageTables;
      return call;
    };
  }
  {
    CLI::App* c = command(packages, "list", "GET /v1/partners/{partnerId}/packages",
                          {"List a partner's packages.", kAnyRole, "packages list P-1"});
    auto& id = positional(c, "partner", "Partner id");
    auto [limit, cursor] = paging(c);
    commands_.back().build = [&] {
      return list("/v1/partners/" + url_encode(id) + "/packages" + query({{"limit", limit}, {"cursor", cursor}}),
                  {"packageId", "type", "status", "purchasedAt", "expiresAt"});
    };
  }
  {
    CLI::App* c = command(packages, "get", "GET /v1/packages/{packageId}",
                          {"Show a package: status, price, term, refund.", kAnyRole, "packages get K-1"});
    auto& id = positional(c, "package", "Package id");
    commands_.back().build = [&] { return get("/v1/packages/" + url_encode(id)); };
  }
  {
    CLI::App* c = command(
        packages, "renew", "POST /v1/packages/{packageId}/renew",
        {"Renew a package inside its renewal window; prints the new benefits.", kAnyRole, "packages renew K-1"});
    auto& id = positional(c, "package", "Package id");
    commands_.back().build = [&] {
      ApiCall call = send("POST", "/v1/packages/" + url_encode(id) + "/renew", std::nullopt);
      call.nested = kPackageTables;
      return call;
    };
  }
  {
    CLI::App* c = command(packages, "cancel", "POST /v1/packages/{packageId}/cancel",
                          {"Request cancellation with refund (inside the refund window).", kActivators,
                           "packages cancel K-1 --reason \"bought by mistake\""});
    auto& id = positional(c, "package", "Package id");
    auto& reason = option(c, "--reason", "Why", true, "reason");
    commands_.back().build = [&] {
      return send("POST", "/v1/packages/" + url_encode(id) + "/cancel", json{{"reason", reason}});
    };
  }

  // ---- benefits ----
  auto& benefits = *app.add_subcommand("benefits", "Benefits: list, show, follow, activate, keys, seats, support");
  {
    CLI::App* c = command(benefits, "list", "GET /v1/partners/{partnerId}/benefits",
                          {"List a partner's benefits, ordered by id.", kAnyRole,
                           "benefits list P-1 --category software --status purchased"});
    auto& id = positional(c, "partner", "Partner id");
    auto& category =
        option(c, "--category", "software, cloud, visual-studio, technical, go-to-market", false, "category");
    auto& status =
        option(c, "--status", "purchased, activation-requested, pending, active, expired, cancelled", false, "status");
    auto& package = option(c, "--package", "Package id", false, "packageId");
    auto [limit, cursor] = paging(c);
    commands_.back().build = [&] {
      return list("/v1/partners/" + url_encode(id) + "/benefits" +
                      query({{"category", category},
                             {"status", status},
                             {"packageId", package},
                             {"limit", limit},
                             {"cursor", cursor}}),
                  kBenefitColumns);
    };
  }
  {
    CLI::App* c = command(benefits, "expiring", "GET /v1/partners/{partnerId}/expirations",
                          {"List the benefits that expire within a time from now, soonest first.", kAnyRole,
                           "benefits expiring P-1 --within 30d"});
    auto& id = positional(c, "partner", "Partner id");
    auto& within =
        number_option(c, "--within", "How far ahead to look: 90, 15m, 2h, 3d, 1w", duration_in_seconds(), "within");
    auto [limit, cursor] = paging(c);
    commands_.back().build = [&] {
      return list("/v1/partners/" + url_encode(id) + "/expirations" +
                      query({{"within", within}, {"limit", limit}, {"cursor", cursor}}),
                  kBenefitColumns);
    };
  }
  {
    CLI::App* c = command(
        benefits, "get", "GET /v1/benefits/{benefitId}",
        {"Show a benefit, now or as it was at a time.", kAnyRole, "benefits get B-1 --as-of 2026-02-01T00:00:00Z"});
    auto& id = positional(c, "benefit", "Benefit id");
    auto& as_of = option(c, "--as-of", "As it was at this time (RFC 3339)", false, "asOf");
    commands_.back().build = [&] { return get("/v1/benefits/" + url_encode(id) + query({{"asOf", as_of}})); };
  }
  {
    watch_ = command(benefits, "watch", "GET /v1/benefits/{benefitId} (long-poll)",
                     {"Follow a benefit's status live, a line per change, until it is expired or cancelled "
                      "(or reaches --until); Ctrl-C stops.",
                      kAnyRole, "benefits watch B-1 --until active"});
    watch_->add_option("benefit", watch_request_.benefit_id, "Benefit id")->required()->type_name("BENEFIT");
    watch_->add_option("--until", watch_request_.until, "Stop at this status too")
        ->check(CLI::IsMember({"activation-requested", "pending", "active"}));
    watch_->add_option("--wait", watch_request_.wait_seconds, "Longest wait of one long-poll: 1..60 s, e.g. 30 or 1m")
        ->transform(duration_in_seconds())
        ->type_name("DURATION")
        ->check(CLI::Range(1, 60))
        ->capture_default_str();
  }
  {
    CLI::App* c =
        command(benefits, "activate", "POST /v1/benefits/{benefitId}/activate",
                {"Activate a benefit: at once, or after fulfilment (then follow it with benefits watch).",
                 kActivators + " (Visual Studio: global-admin)", "benefits activate B-1 --language en-US --os x64"});
    auto& id = positional(c, "benefit", "Benefit id");
    auto& language = option(c, "--language", "Software, license-based cloud: language", false, "language");
    auto& os = option(c, "--os", "Software, license-based cloud: OS type", false, "os");
    auto& user = option(c, "--user", "Visual Studio: the first seat's user id", false, "userId");
    commands_.back().build = [&] {
      json body = json::object();
      put_if(body, "language", language);
      put_if(body, "os", os);
      put_if(body, "userId", user);
      return send("POST", "/v1/benefits/" + url_encode(id) + "/activate", body);
    };
  }
  {
    CLI::App* c = command(benefits, "key", "POST /v1/benefits/{benefitId}/keys",
                          {"Reveal another product key of an active software benefit.", kActivators,
                           "benefits key B-1 --language de-DE --os x64"});
    auto& id = positional(c, "benefit", "Benefit id");
    auto& language = option(c, "--language", "Language", false, "language");
    auto& os = option(c, "--os", "OS type", false, "os");
    commands_.back().build = [&] {
      json body = json::object();
      put_if(body, "language", language);
      put_if(body, "os", os);
      return send("POST", "/v1/benefits/" + url_encode(id) + "/keys", body);
    };
  }
  {
    CLI::App* c = command(benefits, "assign-seat", "POST /v1/benefits/{benefitId}/seats",
                          {"Assign a further Visual Studio seat to a user.", "the operator; global-admin",
                           "benefits assign-seat B-1 U-2"});
    auto& id = positional(c, "benefit", "Benefit id");
    auto& user = positional(c, "user", "User id", "userId");
    commands_.back().build = [&] {
      return send("POST", "/v1/benefits/" + url_encode(id) + "/seats", json{{"userId", user}});
    };
  }
  {
    CLI::App* c = command(benefits, "reassign-seat", "POST /v1/benefits/{benefitId}/seats/{seatId}/reassign",
                          {"Give a Visual Studio seat to another user (once its reassignment time has come).",
                           "the operator; global-admin", "benefits reassign-seat B-1 S-1 U-3"});
    auto& id = positional(c, "benefit", "Benefit id");
    auto& seat = positional(c, "seat", "Seat id");
    auto& user = positional(c, "user", "New user id", "userId");
    commands_.back().build = [&] {
      return send("POST", "/v1/benefits/" + url_encode(id) + "/seats/" + url_encode(seat) + "/reassign",
                  json{{"userId", user}});
    };
  }
  {
    CLI::App* c = command(benefits, "support-request", "POST /v1/benefits/{benefitId}/support-requests",
                          {"Open a support request on an active technical benefit.", kActivators,
                           "benefits support-request B-1 --type presales-deployment --family azure "
                           "--summary \"landing zone\" --hours 4h"});
    auto& id = positional(c, "benefit", "Benefit id");
    auto& type = option(c, "--type", "signature-cloud, product-support or presales-deployment", true, "type");
    auto& family = option(c, "--family", "on-premises, azure, dynamics, cloud, hybrid or other", true, "productFamily");
    auto& summary = option(c, "--summary", "What it is about", true, "summary");
    auto& hours = number_option(c, "--hours", "Presales hours (1..25): 4 or 4h", duration_in_hours(), "hours");
    auto& access = option(c, "--access-id", "Access ID", false, "accessId");
    auto& contract = option(c, "--contract-id", "Contract ID", false, "contractId");
    commands_.back().build = [&] {
      json body = {{"type", type}, {"productFamily", family}, {"summary", summary}};
      if (!hours.empty()) body["hours"] = std::stoll(hours);  // validated: a whole number
      put_if(body, "accessId", access);
      put_if(body, "contractId", contract);
      return send("POST", "/v1/benefits/" + url_encode(id) + "/support-requests", body);
    };
  }

  // ---- the server itself ----
  command(app, "health", "GET /healthz",
          {"Whether the server can write and its views follow the log.", "anyone (no token needed)", "health"},
          [] { return get("/healthz"); });
  command(app, "metrics", "GET /metrics",
          {"The server's Prometheus metrics, as text.", "anyone (no token needed)", "metrics"},
          [] { return ApiCall{"GET", "/metrics", std::nullopt, Shape::text, {}, {}, {}}; });
  command(app, "openapi", "GET /openapi.json",
          {"The API's operations as a table (--json: the whole OpenAPI document).", "anyone (no token needed)",
           "openapi --json"},
          [] { return ApiCall{"GET", "/openapi.json", std::nullopt, Shape::operations, {}, {}, {}}; });
}

}  // namespace benefitd::cli
