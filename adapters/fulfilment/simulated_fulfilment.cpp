#include "adapters/fulfilment/simulated_fulfilment.h"

#include "workflows/catalog.h"

namespace benefitd::fulfilment {

namespace {

constexpr std::string_view kPayloadKind = "fulfilment";
constexpr std::string_view kBenefitPrefix = "benefit-";
constexpr std::string_view kPackagePrefix = "package-";

engine::Timer timer(const workflows::FulfilmentRequestEffect& request, std::string_view action,
                    workflows::Time due) {
  const nlohmann::json payload = {{"kind", kPayloadKind},
                                  {"action", action},
                                  {"requestId", request.requestId},
                                  {"subjectStream", request.subjectStream}};
  return {std::string(action) + "-" + request.requestId, due, payload.dump()};
}

}  // namespace

std::vector<engine::Timer> simulated_timers(const workflows::FulfilmentRequestEffect& request) {
  std::vector<engine::Timer> timers;
  if (request.kind != workflows::kCancellationFulfilment) {
    timers.push_back(timer(request, "accept", request.requestedAt));
  }
  timers.push_back(timer(request, "complete", request.expectedBy));
  return timers;
}

std::optional<workflows::Command> command_of(const nlohmann::json& payload) {
  if (!payload.is_object() || payload.value("kind", "") != kPayloadKind) return std::nullopt;
  const std::string action = payload.value("action", "");
  const std::string request = payload.value("requestId", "");
  const std::string subject = payload.value("subjectStream", "");
  if (subject.starts_with(kBenefitPrefix)) {
    const std::string benefit = subject.substr(kBenefitPrefix.size());
    if (action == "accept") return workflows::AcceptFulfilment{benefit, request, std::nullopt};
    if (action == "complete") {
      return workflows::CompleteFulfilment{benefit, request, std::nullopt, std::nullopt};
    }
  }
  if (subject.starts_with(kPackagePrefix) && action == "complete") {
    return workflows::CompleteCancellation{subject.substr(kPackagePrefix.size()), request};
  }
  return std::nullopt;
}

}  // namespace benefitd::fulfilment
