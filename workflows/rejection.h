// A refused command: the reason code from API.md's table (plus forbidden and not-found), a
// human sentence, and extra members for the problem document (e.g. currentStatus).
// Thread safety: plain values.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace benefitd::workflows {

struct Rejection {
  std::string code;
  std::string detail;
  nlohmann::json extra = nlohmann::json::object();
};

namespace codes {
inline constexpr std::string_view invalidRequest = "invalid-request";
inline constexpr std::string_view unknownUser = "unknown-user";
inline constexpr std::string_view marketingEmailSameAsAccount = "marketing-email-same-as-account";
inline constexpr std::string_view accessIdRequired = "access-id-required";
inline constexpr std::string_view forbidden = "forbidden";
inline constexpr std::string_view notFound = "not-found";
inline constexpr std::string_view invalidTransition = "invalid-transition";
inline constexpr std::string_view membershipInPmc = "membership-in-pmc";
inline constexpr std::string_view packageNotActive = "package-not-active";
inline constexpr std::string_view refundWindowClosed = "refund-window-closed";
inline constexpr std::string_view softwareBenefitActivated = "software-benefit-activated";
inline constexpr std::string_view renewalNotOpen = "renewal-not-open";
inline constexpr std::string_view renewalWindowClosed = "renewal-window-closed";
inline constexpr std::string_view marketingContactRequired = "marketing-contact-required";
inline constexpr std::string_view noSeatsAvailable = "no-seats-available";
inline constexpr std::string_view userAlreadyAssigned = "user-already-assigned";
inline constexpr std::string_view reassignmentTooEarly = "reassignment-too-early";
inline constexpr std::string_view notAvailableForPackage = "not-available-for-package";
inline constexpr std::string_view benefitNotActive = "benefit-not-active";
inline constexpr std::string_view insufficientBalance = "insufficient-balance";
inline constexpr std::string_view lastGlobalAdmin = "last-global-admin";
inline constexpr std::string_view userIsMarketingContact = "user-is-marketing-contact";
}  // namespace codes

}  // namespace benefitd::workflows
