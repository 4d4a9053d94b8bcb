#include "workflows/commands.h"

#include <stdexcept>

namespace benefitd::workflows {

namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
// Spelled out for compilers without aggregate deduction (clang before 17).
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

std::string stringMember(const nlohmann::json& encoded, const char* name) {
  const auto it = encoded.find(name);
  if (it == encoded.end() || !it->is_string())
    throw std::invalid_argument(std::string{"timer command: "} + name + " missing or not a string");
  return it->get<std::string>();
}

}  // namespace

std::string partnerStream(std::string_view partnerId) { return "partner-" + std::string{partnerId}; }
std::string packageStream(std::string_view packageId) { return "package-" + std::string{packageId}; }
std::string benefitStream(std::string_view benefitId) { return "benefit-" + std::string{benefitId}; }

nlohmann::json encodeTimerCommand(const TimerCommand& command) {
  return std::visit(Overloaded{
                        [](const ExpireBenefit& c) { return nlohmann::json{{"command", "expire-benefit"}, {"benefitId", c.benefitId}}; },
                        [](const ExpirePackage& c) { return nlohmann::json{{"command", "expire-package"}, {"packageId", c.packageId}}; },
                        [](const LapsePackage& c) { return nlohmann::json{{"command", "lapse-package"}, {"packageId", c.packageId}}; },
                        [](const ReleaseRemovedUserSeats& c) {
                          return nlohmann::json{
                              {"command", "release-removed-user-seats"}, {"partnerId", c.partnerId}, {"userId", c.userId}};
                        },
                    },
                    command);
}

TimerCommand decodeTimerCommand(const nlohmann::json& encoded) {
  if (!encoded.is_object()) throw std::invalid_argument("timer command: must be a JSON object");
  const std::string name = stringMember(encoded, "command");
  if (name == "expire-benefit") return ExpireBenefit{stringMember(encoded, "benefitId")};
  if (name == "expire-package") return ExpirePackage{stringMember(encoded, "packageId")};
  if (name == "lapse-package") return LapsePackage{stringMember(encoded, "packageId")};
  if (name == "release-removed-user-seats")
    return ReleaseRemovedUserSeats{stringMember(encoded, "partnerId"), stringMember(encoded, "userId"), {}};
  throw std::invalid_argument("timer command: unknown command '" + name + "'");
}

Command toCommand(const TimerCommand& command) {
  return std::visit([](const auto& c) -> Command { return c; }, command);
}

std::string targetStream(const Command& command) {
  return std::visit(Overloaded{
                        [](const RegisterPartner&) { return std::string{}; },
                        [](const auto& c) -> std::string {
                          if constexpr (requires { c.benefitId; })
                            return benefitStream(c.benefitId);
                          else if constexpr (requires { c.packageId; })
                            return packageStream(c.packageId);
                          else
                            return partnerStream(c.partnerId);
                        },
                    },
                    command);
}

}  // namespace benefitd::workflows
