// The domain's enumerations and their exact spellings in JSON (kebab-case, as in API.md).
// Parsing answers nullopt for an unknown spelling so callers can refuse it as invalid input.
// Thread safety: pure functions, safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace benefitd::workflows {

enum class Category { software, cloud, visualStudio, technical, goToMarket };
enum class Role { globalAdmin, userAdmin, adminAgent, mpnPartnerAdmin };
enum class MembershipLocation { partnerCenter, pmc };

std::string_view toString(Category category);
std::string_view toString(Role role);
std::string_view toString(MembershipLocation location);

std::optional<Category> parseCategory(std::string_view text);
std::optional<Role> parseRole(std::string_view text);
std::optional<MembershipLocation> parseMembershipLocation(std::string_view text);

/// Role lists are kept sorted and without duplicates so equal sets compare equal.
std::vector<Role> normalizedRoles(std::vector<Role> roles);

// Kinds of cloud benefit (the view's "kind").
inline constexpr std::string_view kUsageBased = "usage-based";
inline constexpr std::string_view kLicenseBased = "license-based";

// Technical support request types (R-TECH-2) and the balances they draw on.
inline constexpr std::string_view kSignatureCloud = "signature-cloud";
inline constexpr std::string_view kProductSupport = "product-support";
inline constexpr std::string_view kPresalesDeployment = "presales-deployment";

}  // namespace benefitd::workflows
