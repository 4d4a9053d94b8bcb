// Technical support requests (R-TECH-2..4).
#include <algorithm>
#include <array>

#include "workflows/benefit_rules.h"
#include "workflows/rules.h"

namespace benefitd::workflows {

namespace {

constexpr std::array<std::string_view, 6> kProductFamilies{"on-premises", "azure", "dynamics", "cloud", "hybrid", "other"};
// R-TECH-4: requests about these need the benefit's Access ID and Contract ID.
constexpr std::array<std::string_view, 3> kIdentifiedFamilies{"on-premises", "azure", "dynamics"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

bool BenefitDecider::allows(const OpenSupportRequest& r) {
  const BenefitView& b = c_.benefit;
  if (b.category != Category::technical)
    return reject(codes::invalidRequest, "support requests are opened on technical benefits");
  if (c_.now > b.expiresAt)
    return reject(codes::benefitNotActive, "the benefit expired at " + formatTime(b.expiresAt),
                  {{"currentStatus", b.status}});
  if (r.type != kSignatureCloud && r.type != kProductSupport && r.type != kPresalesDeployment)
    return reject(codes::invalidRequest, "type must be signature-cloud, product-support or presales-deployment",
                  {{"errors", {{{"field", "type"}}}}});
  if (!contains(kProductFamilies, r.productFamily))
    return reject(codes::invalidRequest, "productFamily must be on-premises, azure, dynamics, cloud, hybrid or other",
                  {{"errors", {{{"field", "productFamily"}}}}});
  const bool presales = r.type == kPresalesDeployment;
  if (presales && (!r.hours || *r.hours < 1 || *r.hours > rules::kMaxPresalesHoursPerRequest))
    return reject(codes::invalidRequest, "a presales request asks for 1 to 25 hours", {{"errors", {{{"field", "hours"}}}}});
  if (std::find(b.supportTypes.begin(), b.supportTypes.end(), r.type) == b.supportTypes.end())
    return reject(codes::notAvailableForPackage, r.type + " support is not available for the " + b.packageType + " package");
  if (contains(kIdentifiedFamilies, r.productFamily) && (r.accessId != b.accessId || r.contractId != b.contractId))
    return reject(codes::accessIdRequired,
                  "requests about " + r.productFamily + " products need this benefit's Access ID and Contract ID");
  const int available = presales ? b.balances.advisoryHours
                        : r.type == kSignatureCloud ? b.balances.signatureCloudIncidents
                                                    : b.balances.productSupportIncidents;
  const int needed = presales ? *r.hours : 1;
  if (available < needed)
    return reject(codes::insufficientBalance,
                  "the " + r.type + " balance has " + std::to_string(available) + " left, the request needs " +
                      std::to_string(needed),
                  {{"balance", available}});
  return true;
}

void BenefitDecider::decide(const OpenSupportRequest& r) {
  const std::string id = c_.ids.newId(IdKind::supportRequest);
  c_.out.result()["supportRequestId"] = id;
  emit(SupportRequestOpened{c_.benefit.benefitId, id, r.type, r.productFamily, r.summary,
                            r.type == kPresalesDeployment ? r.hours : std::nullopt, c_.now});
}

}  // namespace benefitd::workflows
