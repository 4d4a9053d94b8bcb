#include "adapters/cli/api_commands.h"

#include <cstdint>

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

ApiCall get(std::string target, bool list = false, std::vector<std::string> columns = {}) {
  return ApiCall{"GET", std::move(target), std::nullopt, list, std::move(columns), false};
}
ApiCall send(std::string method, std::string target, std::optional<json> body) {
  return ApiCall{std::move(method), std::move(target), std::move(body), false, {}, false};
}

const std::vector<std::string> kBenefitColumns = {"benefitId", "category", "product", "kind", "status", "expiresAt"};

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
  return send("POST", "/v1/audit/verify", body);
}

CLI::App* ApiCommands::command(CLI::App& parent, const std::string& name, const std::string& description,
                               Build build) {
  CLI::App* added = parent.add_subcommand(name, description);
  commands_.emplace_back(added, std::move(build));
  return added;
}

std::string& ApiCommands::positional(CLI::App* command, const std::string& name, const std::string& description) {
  std::string& value = strings_.emplace_back();
  command->add_option(name, value, description)->required();
  return value;
}

std::string& ApiCommands::option(CLI::App* command, const std::string& flag, const std::string& description,
                                 bool required) {
  std::string& value = strings_.emplace_back();
  auto* added = command->add_option(flag, value, description);
  if (required) added->required();
  return value;
}

std::vector<std::string>& ApiCommands::list_option(CLI::App* command, const std::string& flag,
                                                   const std::string& description) {
  std::vector<std::string>& values = lists_.emplace_back();
  command->add_option(flag, values, description);
  return values;
}

std::optional<ApiCall> ApiCommands::chosen() const {
  for (const auto& [app, build] : commands_)
    if (app->parsed()) return build();
  return std::nullopt;
}

ApiCommands::ApiCommands(CLI::App& app, CLI::App& audit) {
  // ---- partners and users ----
  auto& partners = *app.add_subcommand("partners", "Partners (register and migrate: operator)");
  {
    CLI::App* c = command(partners, "register", "POST /v1/partners", {});
    auto& name = option(c, "--name", "Company name", true);
    auto& email = option(c, "--account-email", "Program account email", true);
    auto& admin_email = option(c, "--admin-email", "Global admin's email", true);
    auto& admin_name = option(c, "--admin-name", "Global admin's display name", true);
    auto& location = option(c, "--membership-location", "partner-center or pmc");
    commands_.back().second = [&] {
      json body = {{"name", name}, {"accountEmail", email}, {"globalAdmin", {{"email", admin_email}, {"displayName", admin_name}}}};
      put_if(body, "membershipLocation", location);
      return send("POST", "/v1/partners", body);
    };
  }
  {
    CLI::App* c = command(partners, "get", "GET /v1/partners/{partnerId}", {});
    auto& id = positional(c, "partner", "Partner id");
    commands_.back().second = [&] { return get("/v1/partners/" + url_encode(id)); };
  }
  {
    CLI::App* c = command(partners, "migrate", "POST /v1/partners/{partnerId}/migrate", {});
    auto& id = positional(c, "partner", "Partner id");
    commands_.back().second = [&] { return send("POST", "/v1/partners/" + url_encode(id) + "/migrate", std::nullopt); };
  }
  {
    CLI::App* c = command(partners, "marketing-contact", "PUT /v1/partners/{partnerId}/marketing-contact", {});
    auto& id = positional(c, "partner", "Partner id");
    auto& user = option(c, "--user", "User id", true);
    auto& email = option(c, "--email", "Marketing email (not the account email)", true);
    auto& phone = option(c, "--phone", "Phone", true);
    auto& language = option(c, "--language", "Preferred language (BCP 47)", true);
    commands_.back().second = [&] {
      return send("PUT", "/v1/partners/" + url_encode(id) + "/marketing-contact",
                  json{{"userId", user}, {"email", email}, {"phone", phone}, {"preferredLanguage", language}});
    };
  }
  auto& users = *app.add_subcommand("users", "A partner's users");
  {
    CLI::App* c = command(users, "add", "POST /v1/partners/{partnerId}/users", {});
    auto& id = positional(c, "partner", "Partner id");
    auto& email = option(c, "--email", "Email", true);
    auto& name = option(c, "--name", "Display name", true);
    auto& roles = list_option(c, "--role", "A role (repeatable): global-admin, user-admin, admin-agent, mpn-partner-admin");
    commands_.back().second = [&] {
      return send("POST", "/v1/partners/" + url_encode(id) + "/users",
                  json{{"email", email}, {"displayName", name}, {"roles", roles}});
    };
  }
  {
    CLI::App* c = command(users, "list", "GET /v1/partners/{partnerId}/users", {});
    auto& id = positional(c, "partner", "Partner id");
    auto& limit = option(c, "--limit", "Page size (1..500)");
    auto& cursor = option(c, "--cursor", "Next page's cursor");
    commands_.back().second = [&] {
      return get("/v1/partners/" + url_encode(id) + "/users" + query({{"limit", limit}, {"cursor", cursor}}), true,
                 {"userId", "email", "displayName"});
    };
  }
  {
    CLI::App* c = command(users, "roles", "PUT /v1/partners/{partnerId}/users/{userId}/roles", {});
    auto& id = positional(c, "partner", "Partner id");
    auto& user = positional(c, "user", "User id");
    auto& roles = list_option(c, "--role", "A role (repeatable); none: no roles");
    commands_.back().second = [&] {
      return send("PUT", "/v1/partners/" + url_encode(id) + "/users/" + url_encode(user) + "/roles",
                  json{{"roles", roles}});
    };
  }
  {
    CLI::App* c = command(users, "rotate-token", "POST /v1/partners/{partnerId}/users/{userId}/token", {});
    auto& id = positional(c, "partner", "Partner id");
    auto& user = positional(c, "user", "User id");
    commands_.back().second = [&] {
      return send("POST", "/v1/partners/" + url_encode(id) + "/users/" + url_encode(user) + "/token", std::nullopt);
    };
  }
  {
    CLI::App* c = command(users, "remove", "DELETE /v1/partners/{partnerId}/users/{userId}", {});
    auto& id = positional(c, "partner", "Partner id");
    auto& user = positional(c, "user", "User id");
    commands_.back().second = [&] {
      return send("DELETE", "/v1/partners/" + url_encode(id) + "/users/" + url_encode(user), std::nullopt);
    };
  }

  // ---- catalog, clock, log ----
  command(app, "catalog", "GET /v1/catalog", [] { return get("/v1/catalog"); });
  auto& clock = *app.add_subcommand("clock", "The engine clock");
  command(clock, "get", "GET /v1/clock", [] { return get("/v1/clock"); });
  {
    CLI::App* c = command(clock, "advance", "POST /v1/clock/advance (operator, simulated clock)", {});
    auto& seconds = option(c, "--seconds", "Seconds to move forward");
    auto& to = option(c, "--to", "Time to move to (RFC 3339)");
    commands_.back().second = [&] {
      json body = json::object();
      if (!seconds.empty()) body["seconds"] = std::stoll(seconds);
      put_if(body, "to", to);
      return send("POST", "/v1/clock/advance", body);
    };
  }
  {
    CLI::App* c = command(app, "events", "GET /v1/events (operator): the global log", {});
    auto& from = option(c, "--from", "First position");
    auto& limit = option(c, "--limit", "How many (1..500)");
    commands_.back().second = [&] {
      return get("/v1/events" + query({{"fromPosition", from}, {"limit", limit}}), true,
                 {"position", "streamId", "version", "type", "occurredAt"});
    };
  }
  {
    CLI::App* c = command(app, "stream", "GET /v1/streams/{streamId}/events", {});
    auto& stream = positional(c, "stream", "Stream id: partner-P, package-K or benefit-B");
    auto& from = option(c, "--from-version", "First version");
    auto& limit = option(c, "--limit", "How many (1..500)");
    commands_.back().second = [&] {
      return get("/v1/streams/" + url_encode(stream) + "/events" + query({{"fromVersion", from}, {"limit", limit}}),
                 true, {"position", "version", "type", "occurredAt"});
    };
  }
  {
    CLI::App* c = command(audit, "history", "GET /v1/partners/{partnerId}/audit", {});
    auto& id = positional(c, "partner", "Partner id");
    auto& from = option(c, "--from", "From time (RFC 3339)");
    auto& to = option(c, "--to", "To time (RFC 3339)");
    commands_.back().second = [&] {
      return get("/v1/partners/" + url_encode(id) + "/audit" + query({{"from", from}, {"to", to}}), true,
                 {"position", "streamId", "version", "type", "occurredAt"});
    };
  }

  // ---- fulfilment (operator) ----
  auto& fulfilment = *app.add_subcommand("fulfilment", "Fulfilment requests (operator)");
  {
    CLI::App* c = command(fulfilment, "list", "GET /v1/fulfilment/requests", {});
    auto& status = option(c, "--status", "e.g. open");
    commands_.back().second = [&] {
      return get("/v1/fulfilment/requests" + query({{"status", status}}), true,
                 {"requestId", "benefitId", "packageId", "kind", "status", "requestedAt", "expectedBy"});
    };
  }
  {
    CLI::App* c = command(fulfilment, "accept", "POST /v1/fulfilment/requests/{requestId}/accept", {});
    auto& id = positional(c, "request", "Request id");
    auto& expected = option(c, "--expected-by", "Expected completion (RFC 3339)");
    commands_.back().second = [&] {
      json body = json::object();
      put_if(body, "expectedBy", expected);
      return send("POST", "/v1/fulfilment/requests/" + url_encode(id) + "/accept", body);
    };
  }
  {
    CLI::App* c = command(fulfilment, "complete", "POST /v1/fulfilment/requests/{requestId}/complete", {});
    auto& id = positional(c, "request", "Request id");
    auto& access = option(c, "--access-id", "Access ID (technical)");
    auto& contract = option(c, "--contract-id", "Contract ID (technical)");
    commands_.back().second = [&] {
      json body = json::object();
      put_if(body, "accessId", access);
      put_if(body, "contractId", contract);
      return send("POST", "/v1/fulfilment/requests/" + url_encode(id) + "/complete", body);
    };
  }
  {
    CLI::App* c = command(fulfilment, "reject", "POST /v1/fulfilment/requests/{requestId}/reject", {});
    auto& id = positional(c, "request", "Request id");
    auto& reason = option(c, "--reason", "Why", true);
    commands_.back().second = [&] {
      return send("POST", "/v1/fulfilment/requests/" + url_encode(id) + "/reject", json{{"reason", reason}});
    };
  }

  // ---- packages ----
  auto& packages = *app.add_subcommand("packages", "Benefit packages");
  {
    CLI::App* c = command(packages, "buy", "POST /v1/partners/{partnerId}/packages", {});
    auto& id = positional(c, "partner", "Partner id");
    auto& type = positional(c, "type", "action-pack, silver-competency or gold-competency");
    commands_.back().second = [&] {
      return send("POST", "/v1/partners/" + url_encode(id) + "/packages", json{{"type", type}});
    };
  }
  {
    CLI::App* c = command(packages, "list", "GET /v1/partners/{partnerId}/packages", {});
    auto& id = positional(c, "partner", "Partner id");
    auto& limit = option(c, "--limit", "Page size (1..500)");
    auto& cursor = option(c, "--cursor", "Next page's cursor");
    commands_.back().second = [&] {
      return get("/v1/partners/" + url_encode(id) + "/packages" + query({{"limit", limit}, {"cursor", cursor}}), true,
                 {"packageId", "type", "status", "purchasedAt", "expiresAt"});
    };
  }
  {
    CLI::App* c = command(packages, "get", "GET /v1/packages/{packageId}", {});
    auto& id = positional(c, "package", "Package id");
    commands_.back().second = [&] { return get("/v1/packages/" + url_encode(id)); };
  }
  {
    CLI::App* c = command(packages, "renew", "POST /v1/packages/{packageId}/renew", {});
    auto& id = positional(c, "package", "Package id");
    commands_.back().second = [&] { return send("POST", "/v1/packages/" + url_encode(id) + "/renew", std::nullopt); };
  }
  {
    CLI::App* c = command(packages, "cancel", "POST /v1/packages/{packageId}/cancel (with refund)", {});
    auto& id = positional(c, "package", "Package id");
    auto& reason = option(c, "--reason", "Why", true);
    commands_.back().second = [&] {
      return send("POST", "/v1/packages/" + url_encode(id) + "/cancel", json{{"reason", reason}});
    };
  }

  // ---- benefits ----
  auto& benefits = *app.add_subcommand("benefits", "Benefits");
  {
    CLI::App* c = command(benefits, "list", "GET /v1/partners/{partnerId}/benefits", {});
    auto& id = positional(c, "partner", "Partner id");
    auto& category = option(c, "--category", "software, cloud, visual-studio, technical, go-to-market");
    auto& status = option(c, "--status", "e.g. active");
    auto& package = option(c, "--package", "Package id");
    auto& limit = option(c, "--limit", "Page size (1..500)");
    auto& cursor = option(c, "--cursor", "Next page's cursor");
    commands_.back().second = [&] {
      return get("/v1/partners/" + url_encode(id) + "/benefits" +
                     query({{"category", category}, {"status", status}, {"packageId", package}, {"limit", limit},
                            {"cursor", cursor}}),
                 true, kBenefitColumns);
    };
  }
  {
    CLI::App* c = command(benefits, "expiring", "GET /v1/partners/{partnerId}/expirations", {});
    auto& id = positional(c, "partner", "Partner id");
    auto& within = option(c, "--within", "Seconds from now");
    commands_.back().second = [&] {
      return get("/v1/partners/" + url_encode(id) + "/expirations" + query({{"within", within}}), true, kBenefitColumns);
    };
  }
  {
    CLI::App* c = command(benefits, "get", "GET /v1/benefits/{benefitId}", {});
    auto& id = positional(c, "benefit", "Benefit id");
    auto& as_of = option(c, "--as-of", "As it was at this time (RFC 3339)");
    commands_.back().second = [&] { return get("/v1/benefits/" + url_encode(id) + query({{"asOf", as_of}})); };
  }
  {
    CLI::App* c = command(benefits, "activate", "POST /v1/benefits/{benefitId}/activate", {});
    auto& id = positional(c, "benefit", "Benefit id");
    auto& language = option(c, "--language", "Software: language");
    auto& os = option(c, "--os", "Software: OS type");
    auto& user = option(c, "--user", "Visual Studio: the seat's user id");
    commands_.back().second = [&] {
      json body = json::object();
      put_if(body, "language", language);
      put_if(body, "os", os);
      put_if(body, "userId", user);
      return send("POST", "/v1/benefits/" + url_encode(id) + "/activate", body);
    };
  }
  {
    CLI::App* c = command(benefits, "key", "POST /v1/benefits/{benefitId}/keys", {});
    auto& id = positional(c, "benefit", "Benefit id");
    auto& language = option(c, "--language", "Language");
    auto& os = option(c, "--os", "OS type");
    commands_.back().second = [&] {
      json body = json::object();
      put_if(body, "language", language);
      put_if(body, "os", os);
      return send("POST", "/v1/benefits/" + url_encode(id) + "/keys", body);
    };
  }
  {
    CLI::App* c = command(benefits, "assign-seat", "POST /v1/benefits/{benefitId}/seats", {});
    auto& id = positional(c, "benefit", "Benefit id");
    auto& user = positional(c, "user", "User id");
    commands_.back().second = [&] {
      return send("POST", "/v1/benefits/" + url_encode(id) + "/seats", json{{"userId", user}});
    };
  }
  {
    CLI::App* c = command(benefits, "reassign-seat", "POST /v1/benefits/{benefitId}/seats/{seatId}/reassign", {});
    auto& id = positional(c, "benefit", "Benefit id");
    auto& seat = positional(c, "seat", "Seat id");
    auto& user = positional(c, "user", "New user id");
    commands_.back().second = [&] {
      return send("POST", "/v1/benefits/" + url_encode(id) + "/seats/" + url_encode(seat) + "/reassign",
                  json{{"userId", user}});
    };
  }
  {
    CLI::App* c = command(benefits, "support-request", "POST /v1/benefits/{benefitId}/support-requests", {});
    auto& id = positional(c, "benefit", "Benefit id");
    auto& type = option(c, "--type", "signature-cloud, product-support or presales-deployment", true);
    auto& family = option(c, "--family", "on-premises, azure, dynamics, cloud, hybrid or other", true);
    auto& summary = option(c, "--summary", "What it is about", true);
    auto& hours = option(c, "--hours", "Presales hours (1..25)");
    auto& access = option(c, "--access-id", "Access ID");
    auto& contract = option(c, "--contract-id", "Contract ID");
    commands_.back().second = [&] {
      json body = {{"type", type}, {"productFamily", family}, {"summary", summary}};
      if (!hours.empty()) body["hours"] = std::stoi(hours);
      put_if(body, "accessId", access);
      put_if(body, "contractId", contract);
      return send("POST", "/v1/benefits/" + url_encode(id) + "/support-requests", body);
    };
  }

  // ---- the server itself ----
  command(app, "health", "GET /healthz", [] { return get("/healthz"); });
  command(app, "metrics", "GET /metrics", [] { return ApiCall{"GET", "/metrics", std::nullopt, false, {}, true}; });
  command(app, "openapi", "GET /openapi.json", [] { return get("/openapi.json"); });
}

}  // namespace benefitd::cli
