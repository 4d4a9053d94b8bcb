#include "adapters/app/replies.h"

#include <map>

#include "workflows/commands.h"
#include "workflows/views.h"

namespace benefitd::app {

namespace {

// The aggregates as the decision leaves them: those of its streams after its events, any other
// as the decision read it.
class AfterDecision {
 public:
  AfterDecision(const StatesAfter& after, const DecisionSource& before) : after_(after), before_(before) {}

  const workflows::Partner* partner(const std::string& id) const {
    return find(after_.partners, workflows::partnerStream(id), [&] { return before_.partner(id); });
  }
  const workflows::Package* package(const std::string& id) const {
    return find(after_.packages, workflows::packageStream(id), [&] { return before_.package(id); });
  }
  const workflows::Benefit* benefit(const std::string& id) const {
    return find(after_.benefits, workflows::benefitStream(id), [&] { return before_.benefit(id); });
  }

 private:
  template <class Aggregate, class Fallback>
  static const Aggregate* find(const std::map<std::string, std::shared_ptr<const Aggregate>>& after,
                               const std::string& stream, Fallback fallback) {
    const auto found = after.find(stream);
    return found != after.end() ? found->second.get() : fallback();
  }

  const StatesAfter& after_;
  const DecisionSource& before_;
};

Reply resource(Reply::Kind kind, nlohmann::json body, std::uint64_t version) {
  Reply reply;
  reply.kind = kind;
  reply.body = std::move(body);
  reply.version = version;
  return reply;
}

nlohmann::json benefit_json(const workflows::Benefit& benefit, const workflows::Actor& actor) {
  const workflows::BenefitView& view = benefit.view();
  return workflows::toJson(view, workflows::maySeeKeys(actor, view.partnerId)
                                     ? workflows::KeyVisibility::shown
                                     : workflows::KeyVisibility::hidden);
}

Reply benefit_reply(const AfterDecision& after, const std::string& id, const workflows::Actor& actor,
                    Reply::Kind kind = Reply::Kind::ok) {
  const workflows::Benefit* benefit = after.benefit(id);
  if (benefit == nullptr) return resource(kind, nlohmann::json::object(), 0);
  return resource(kind, benefit_json(*benefit, actor), benefit->version());
}

Reply package_reply(const AfterDecision& after, const std::string& id, Reply::Kind kind,
                    const std::vector<std::string>* benefit_ids, const workflows::Actor& actor) {
  const workflows::Package* package = after.package(id);
  if (package == nullptr) return resource(kind, nlohmann::json::object(), 0);
  nlohmann::json body = workflows::toJson(package->view());
  if (benefit_ids != nullptr) {
    body["benefits"] = nlohmann::json::array();
    for (const std::string& benefit_id : *benefit_ids) {
      if (const workflows::Benefit* benefit = after.benefit(benefit_id)) {
        body["benefits"].push_back(benefit_json(*benefit, actor));
      }
    }
  }
  return resource(kind, std::move(body), package->version());
}

Reply partner_reply(const AfterDecision& after, const std::string& id, Reply::Kind kind) {
  const workflows::Partner* partner = after.partner(id);
  if (partner == nullptr) return resource(kind, nlohmann::json::object(), 0);
  return resource(kind, workflows::toJson(partner->view()), partner->version());
}

Reply user_reply(const AfterDecision& after, const std::string& partner_id, const std::string& user_id,
                 Reply::Kind kind, const std::optional<std::string>& token) {
  const workflows::Partner* partner = after.partner(partner_id);
  const workflows::UserView* user = partner ? partner->view().findUser(user_id) : nullptr;
  if (user == nullptr) return resource(kind, nlohmann::json::object(), 0);
  nlohmann::json body = workflows::toJson(*user);
  if (token) body["token"] = *token;
  return resource(kind, std::move(body), partner->version());
}

std::string result_text(const workflows::Decision& decision, const char* field) {
  return decision.result.value(field, std::string());
}

}  // namespace

Problem problem_of(const workflows::Rejection& rejection) {
  return {rejection.code, rejection.detail, rejection.extra.is_object() ? rejection.extra : nlohmann::json::object()};
}

Reply reply_to(const workflows::Command& command, const workflows::Decision& decision,
               const StatesAfter& states_after, const DecisionSource& before, const workflows::Actor& actor,
               const std::optional<std::string>& token) {
  const AfterDecision after(states_after, before);
  using Kind = Reply::Kind;
  return std::visit(
      [&](const auto& c) -> Reply {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, workflows::RegisterPartner>) {
          const std::string partner_id = result_text(decision, "partnerId");
          Reply reply = partner_reply(after, partner_id, Kind::created);
          reply.body["globalAdmin"] = {{"userId", result_text(decision, "globalAdminUserId")}};
          if (token) reply.body["globalAdmin"]["token"] = *token;
          return reply;
        } else if constexpr (std::is_same_v<C, workflows::MigratePartner> ||
                             std::is_same_v<C, workflows::AssignMarketingContact>) {
          return partner_reply(after, c.partnerId, Kind::ok);
        } else if constexpr (std::is_same_v<C, workflows::AddUser>) {
          return user_reply(after, c.partnerId, result_text(decision, "userId"), Kind::created, token);
        } else if constexpr (std::is_same_v<C, workflows::ChangeUserRoles>) {
          return user_reply(after, c.partnerId, c.userId, Kind::ok, std::nullopt);
        } else if constexpr (std::is_same_v<C, workflows::RotateUserToken>) {
          const workflows::Partner* partner = after.partner(c.partnerId);
          nlohmann::json body = {{"userId", c.userId}};
          if (token) body["token"] = *token;
          return resource(Kind::ok, std::move(body), partner ? partner->version() : 0);
        } else if constexpr (std::is_same_v<C, workflows::RemoveUser>) {
          return Reply{Kind::no_content, nlohmann::json::object(), std::nullopt, 0};
        } else if constexpr (std::is_same_v<C, workflows::ReleaseRemovedUserSeats>) {
          return Reply{Kind::ok, {{"userId", c.userId}, {"released", decision.appends.size()}}, std::nullopt, 0};
        } else if constexpr (std::is_same_v<C, workflows::PurchasePackage>) {
          const std::string package_id = result_text(decision, "packageId");
          const workflows::Package* package = after.package(package_id);
          const auto ids = package ? package->view().benefitIds : std::vector<std::string>{};
          return package_reply(after, package_id, Kind::created, &ids, actor);
        } else if constexpr (std::is_same_v<C, workflows::RenewPackage>) {
          const workflows::Package* package = after.package(c.packageId);
          const auto ids = package ? package->view().currentTermBenefitIds : std::vector<std::string>{};
          return package_reply(after, c.packageId, Kind::ok, &ids, actor);
        } else if constexpr (std::is_same_v<C, workflows::RequestCancellation>) {
          return package_reply(after, c.packageId, Kind::accepted, nullptr, actor);
        } else if constexpr (std::is_same_v<C, workflows::CompleteCancellation> ||
                             std::is_same_v<C, workflows::ExpirePackage> ||
                             std::is_same_v<C, workflows::LapsePackage>) {
          return package_reply(after, c.packageId, Kind::ok, nullptr, actor);
        } else if constexpr (std::is_same_v<C, workflows::ActivateBenefit>) {
          const workflows::Benefit* benefit = after.benefit(c.benefitId);
          const bool active = benefit != nullptr && benefit->view().status == "active";
          return benefit_reply(after, c.benefitId, actor, active ? Kind::ok : Kind::accepted);
        } else if constexpr (std::is_same_v<C, workflows::RevealKey>) {
          const workflows::Benefit* benefit = after.benefit(c.benefitId);
          return resource(Kind::ok, {{"key", decision.result.value("key", nlohmann::json::object())}},
                          benefit ? benefit->version() : 0);
        } else if constexpr (std::is_same_v<C, workflows::OpenSupportRequest>) {
          Reply reply = benefit_reply(after, c.benefitId, actor, Kind::created);
          reply.body = {{"supportRequestId", result_text(decision, "supportRequestId")},
                        {"benefit", std::move(reply.body)}};
          return reply;
        } else {
          // The remaining commands act on one benefit: activation steps, seats, expiry.
          return benefit_reply(after, c.benefitId, actor);
        }
      },
      command);
}

std::string serialize(const Outcome& outcome) {
  if (const auto* problem = std::get_if<Problem>(&outcome)) {
    return nlohmann::json{{"problem", {{"code", problem->code}, {"detail", problem->detail}, {"extra", problem->extra}}}}
        .dump();
  }
  const Reply& reply = std::get<Reply>(outcome);
  nlohmann::json stored = {{"kind", static_cast<int>(reply.kind)}, {"body", reply.document()}};
  if (reply.version) stored["version"] = *reply.version;
  return nlohmann::json{{"reply", std::move(stored)}}.dump();
}

Outcome deserialize(const std::string& bytes) {
  const auto stored = nlohmann::json::parse(bytes, nullptr, false);
  if (stored.is_object() && stored.contains("problem")) {
    const auto& problem = stored["problem"];
    return Problem{problem.value("code", "unavailable"), problem.value("detail", ""),
                   problem.value("extra", nlohmann::json::object())};
  }
  if (stored.is_object() && stored.contains("reply")) {
    const auto& reply = stored["reply"];
    Reply result;
    result.kind = static_cast<Reply::Kind>(reply.value("kind", 0));
    result.body = reply.value("body", nlohmann::json::object());
    if (reply.contains("version")) result.version = reply["version"].get<std::uint64_t>();
    return result;
  }
  return Problem{"unavailable", "a stored reply could not be read", nlohmann::json::object()};
}

std::string command_name(const workflows::Command& command) {
  static constexpr const char* kNames[] = {
      "RegisterPartner", "MigratePartner", "AddUser", "ChangeUserRoles", "AssignMarketingContact",
      "PurchasePackage", "RenewPackage", "RequestCancellation", "CompleteCancellation", "ExpirePackage",
      "LapsePackage", "ActivateBenefit", "AcceptFulfilment", "CompleteFulfilment", "RejectFulfilment",
      "RevealKey", "AssignSeat", "ReassignSeat", "OpenSupportRequest", "ExpireBenefit", "RotateUserToken",
      "RemoveUser", "ReleaseRemovedUserSeats"};
  static_assert(std::size(kNames) == std::variant_size_v<workflows::Command>);
  return kNames[command.index()];
}

}  // namespace benefitd::app
