#include "adapters/http/command_parsing.h"

#include <stdexcept>

#include "adapters/http/json_body.h"

namespace benefitd::http {

namespace {

using workflows::Command;

constexpr std::size_t kNameLength = 200;
constexpr std::size_t kEmailLength = 254;
constexpr std::size_t kIdLength = 128;
constexpr std::size_t kShortText = 64;
constexpr std::size_t kLongText = 4000;
constexpr std::int64_t kLongestAdvance = 100LL * 366 * 24 * 3600;  // a century of seconds

Command register_partner(FieldReader& fields) {
  workflows::RegisterPartner command;
  command.name = fields.required_text("name", kNameLength);
  command.accountEmail = fields.required_string("accountEmail", kEmailLength);
  if (auto location = fields.optional_choice("membershipLocation", {"partner-center", "pmc"}))
    command.membershipLocation = *workflows::parseMembershipLocation(*location);
  if (const nlohmann::json* admin = fields.required_object("globalAdmin")) {
    FieldReader admin_fields(*admin, "globalAdmin.", fields);
    command.adminEmail = admin_fields.required_string("email", kEmailLength);
    command.adminDisplayName = admin_fields.required_text("displayName", kNameLength);
  }
  return command;
}

Command activate(FieldReader& fields, const std::string& benefit_id) {
  return workflows::ActivateBenefit{benefit_id, fields.optional_string("language", kShortText),
                                    fields.optional_string("os", kShortText),
                                    fields.optional_string("userId", kIdLength)};
}

Command support_request(FieldReader& fields, const std::string& benefit_id) {
  workflows::OpenSupportRequest command;
  command.benefitId = benefit_id;
  command.type = fields.required_choice("type", {"signature-cloud", "product-support", "presales-deployment"});
  command.productFamily =
      fields.required_choice("productFamily", {"on-premises", "azure", "dynamics", "cloud", "hybrid", "other"});
  command.summary = fields.required_text("summary", kLongText);
  if (auto hours = fields.optional_integer("hours", 1, 25)) command.hours = static_cast<int>(*hours);
  command.accessId = fields.optional_string("accessId", kIdLength);
  command.contractId = fields.optional_string("contractId", kIdLength);
  return command;
}

app::ClockAdvance clock_advance(FieldReader& fields, const nlohmann::json& body) {
  app::ClockAdvance advance;
  advance.seconds = fields.optional_integer("seconds", 0, kLongestAdvance);
  advance.to = fields.optional_time("to");
  const bool has_seconds = body.contains("seconds") && !body["seconds"].is_null();
  const bool has_to = body.contains("to") && !body["to"].is_null();
  if (has_seconds == has_to) fields.add_error("seconds", "give exactly one of seconds and to");
  return advance;
}

FulfilmentCall fulfilment(RouteId route, FieldReader& fields, const std::string& request_id) {
  FulfilmentCall call{request_id, app::FulfilmentAction::accept, {}};
  switch (route) {
    case RouteId::accept_fulfilment:
      call.answer.expected_by = fields.optional_time("expectedBy");
      break;
    case RouteId::complete_fulfilment:
      call.action = app::FulfilmentAction::complete;
      call.answer.access_id = fields.optional_string("accessId", kIdLength);
      call.answer.contract_id = fields.optional_string("contractId", kIdLength);
      break;
    default:
      call.action = app::FulfilmentAction::reject;
      call.answer.reason = fields.required_string("reason", kLongText);
      break;
  }
  return call;
}

CommandCall read_call(RouteId route, const std::vector<std::string>& p, FieldReader& fields,
                      const nlohmann::json& body) {
  switch (route) {
    case RouteId::register_partner:
      return register_partner(fields);
    case RouteId::migrate_partner:
      return Command{workflows::MigratePartner{p.at(0)}};
    case RouteId::advance_clock:
      return clock_advance(fields, body);
    case RouteId::accept_fulfilment:
    case RouteId::complete_fulfilment:
    case RouteId::reject_fulfilment:
      return fulfilment(route, fields, p.at(0));
    case RouteId::add_user: {
      workflows::AddUser command{p.at(0), fields.required_string("email", kEmailLength),
                                 fields.required_text("displayName", kNameLength), {}};
      command.roles = fields.required_roles("roles");
      return Command{std::move(command)};
    }
    case RouteId::change_user_roles:
      return Command{workflows::ChangeUserRoles{p.at(0), p.at(1), fields.required_roles("roles")}};
    case RouteId::rotate_user_token:
      return Command{workflows::RotateUserToken{p.at(0), p.at(1)}};
    case RouteId::remove_user:
      return Command{workflows::RemoveUser{p.at(0), p.at(1), {}}};
    case RouteId::set_marketing_contact: {
      workflows::AssignMarketingContact command{p.at(0), {}, {}, {}, {}};
      command.userId = fields.required_string("userId", kIdLength);
      command.email = fields.required_string("email", kEmailLength);
      command.phone = fields.required_string("phone", kShortText);
      command.preferredLanguage = fields.required_string("preferredLanguage", kShortText);
      return Command{std::move(command)};
    }
    case RouteId::purchase_package:
      return Command{workflows::PurchasePackage{p.at(0), fields.required_string("type", kShortText)}};
    case RouteId::renew_package:
      return Command{workflows::RenewPackage{p.at(0)}};
    case RouteId::cancel_package:
      return Command{workflows::RequestCancellation{p.at(0), fields.required_string("reason", kLongText)}};
    case RouteId::activate_benefit:
      return activate(fields, p.at(0));
    case RouteId::reveal_key:
      return Command{workflows::RevealKey{p.at(0), fields.optional_string("language", kShortText),
                                          fields.optional_string("os", kShortText)}};
    case RouteId::assign_seat:
      return Command{workflows::AssignSeat{p.at(0), fields.required_string("userId", kIdLength)}};
    case RouteId::reassign_seat:
      return Command{workflows::ReassignSeat{p.at(0), p.at(1), fields.required_string("userId", kIdLength)}};
    case RouteId::open_support_request:
      return support_request(fields, p.at(0));
    default:
      throw std::logic_error("parse_command called for a route that is not a command");
  }
}

}  // namespace

std::variant<CommandCall, app::Problem> parse_command(RouteId route, const std::vector<std::string>& params,
                                                      const nlohmann::json& body) {
  FieldReader fields(body);
  CommandCall call = read_call(route, params, fields, body);
  if (!fields.ok()) return fields.problem();
  return call;
}

}  // namespace benefitd::http
