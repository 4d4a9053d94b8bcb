#include "workflows/names.h"

#include <algorithm>
#include <array>
#include <utility>

namespace benefitd::workflows {

namespace {

constexpr std::array<std::pair<Category, std::string_view>, 5> kCategories{{
    {Category::software, "software"},
    {Category::cloud, "cloud"},
    {Category::visualStudio, "visual-studio"},
    {Category::technical, "technical"},
    {Category::goToMarket, "go-to-market"},
}};
constexpr std::array<std::pair<Role, std::string_view>, 4> kRoles{{
    {Role::globalAdmin, "global-admin"},
    {Role::userAdmin, "user-admin"},
    {Role::adminAgent, "admin-agent"},
    {Role::mpnPartnerAdmin, "mpn-partner-admin"},
}};
constexpr std::array<std::pair<MembershipLocation, std::string_view>, 2> kLocations{{
    {MembershipLocation::partnerCenter, "partner-center"},
    {MembershipLocation::pmc, "pmc"},
}};

template <class Enum, std::size_t N>
std::string_view nameOf(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum value) {
  for (const auto& [candidate, name] : table)
    if (candidate == value) return name;
  return {};
}

template <class Enum, std::size_t N>
std::optional<Enum> valueOf(const std::array<std::pair<Enum, std::string_view>, N>& table, std::string_view text) {
  for (const auto& [value, name] : table)
    if (name == text) return value;
  return std::nullopt;
}

}  // namespace

std::string_view toString(Category category) { return nameOf(kCategories, category); }
std::string_view toString(Role role) { return nameOf(kRoles, role); }
std::string_view toString(MembershipLocation location) { return nameOf(kLocations, location); }

std::optional<Category> parseCategory(std::string_view text) { return valueOf(kCategories, text); }
std::optional<Role> parseRole(std::string_view text) { return valueOf(kRoles, text); }
std::optional<MembershipLocation> parseMembershipLocation(std::string_view text) { return valueOf(kLocations, text); }

std::vector<Role> normalizedRoles(std::vector<Role> roles) {
  std::sort(roles.begin(), roles.end());
  roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
  return roles;
}

}  // namespace benefitd::workflows
