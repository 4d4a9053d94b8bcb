#include "workflows/views.h"

#include "workflows/rules.h"

namespace benefitd::workflows {

namespace {

using nlohmann::json;

json optionalTime(const std::optional<Time>& time) { return time ? json(formatTime(*time)) : json(nullptr); }
json optionalText(const std::optional<std::string>& text) { return text ? json(*text) : json(nullptr); }

}  // namespace

Time SeatView::reassignableAt() const { return assignedAt + rules::kSeatReassignmentDelay; }

const KeyView* BenefitView::findKey(const std::optional<std::string>& language, const std::optional<std::string>& os) const {
  for (const KeyView& key : keys)
    if (key.language == language && key.os == os) return &key;
  return nullptr;
}

const SeatView* BenefitView::findSeatOf(std::string_view userId) const {
  for (const SeatView& seat : seats)
    if (seat.userId == userId) return &seat;
  return nullptr;
}

const SeatView* BenefitView::findSeat(std::string_view seatId) const {
  for (const SeatView& seat : seats)
    if (seat.seatId == seatId) return &seat;
  return nullptr;
}

Time PackageView::refundableUntil() const { return termStartedAt + rules::kRefundWindow; }
Time PackageView::renewalWindowEndsAt() const { return expiresAt + rules::kRenewalWindow; }

const UserView* PartnerView::findUser(std::string_view userId) const {
  for (const UserView& user : users)
    if (user.userId == userId) return &user;
  return nullptr;
}

json toJson(const BenefitView& b, KeyVisibility keys) {
  json view = {
      {"benefitId", b.benefitId},
      {"partnerId", b.partnerId},
      {"packageId", b.packageId},
      {"category", toString(b.category)},
      {"product", b.product},
      {"kind", b.kind.empty() ? json(nullptr) : json(b.kind)},
      {"status", b.status},
      {"purchasedAt", formatTime(b.purchasedAt)},
      {"activationRequestedAt", optionalTime(b.activationRequestedAt)},
      {"pendingSince", optionalTime(b.pendingSince)},
      {"expectedBy", optionalTime(b.expectedBy)},
      {"activatedAt", optionalTime(b.activatedAt)},
      {"expiresAt", formatTime(b.expiresAt)},
      {"cancelledAt", optionalTime(b.cancelledAt)},
      {"expiredAt", optionalTime(b.expiredAt)},
      {"lastError", optionalText(b.lastError)},
      {"quantity", b.quantity},
      {"version", b.version},
  };
  if (b.category == Category::software || (b.category == Category::cloud && b.kind == kLicenseBased)) {
    if (keys == KeyVisibility::shown) {
      json list = json::array();
      for (const KeyView& key : b.keys)
        list.push_back({{"language", optionalText(key.language)},
                        {"os", optionalText(key.os)},
                        {"key", key.key},
                        {"maxActivations", key.maxActivations},
                        {"revealedAt", formatTime(key.revealedAt)}});
      view["keys"] = std::move(list);
    }
  }
  if (b.category == Category::cloud && b.kind == kUsageBased) view["assignedUserId"] = optionalText(b.assignedUserId);
  if (b.category == Category::visualStudio) {
    json seats = json::array();
    for (const SeatView& seat : b.seats)
      seats.push_back({{"seatId", seat.seatId},
                       {"userId", seat.userId},
                       {"assignedAt", formatTime(seat.assignedAt)},
                       {"reassignableAt", formatTime(seat.reassignableAt())}});
    view["seats"] = std::move(seats);
    view["seatsTotal"] = b.quantity;
  }
  if (b.category == Category::technical) {
    view["accessId"] = optionalText(b.accessId);
    view["contractId"] = optionalText(b.contractId);
    view["balances"] = {{"productSupportIncidents", b.balances.productSupportIncidents},
                        {"signatureCloudIncidents", b.balances.signatureCloudIncidents},
                        {"advisoryHours", b.balances.advisoryHours}};
  }
  return view;
}

json toJson(const PackageView& p) {
  return {
      {"packageId", p.packageId},
      {"partnerId", p.partnerId},
      {"type", p.type},
      {"status", p.status},
      {"price", p.price},
      {"purchasedAt", formatTime(p.purchasedAt)},
      {"expiresAt", formatTime(p.expiresAt)},
      {"renewalWindowEndsAt", formatTime(p.renewalWindowEndsAt())},
      {"refundableUntil", formatTime(p.refundableUntil())},
      {"term", "P" + std::to_string(p.termDays) + "D"},
      {"benefitIds", p.benefitIds},
      {"refund", p.refund ? json{{"amount", p.refund->amount}, {"issuedAt", formatTime(p.refund->issuedAt)}} : json(nullptr)},
      {"version", p.version},
  };
}

json toJson(const UserView& u) {
  json roles = json::array();
  for (const Role role : u.roles) roles.push_back(toString(role));
  return {{"userId", u.userId}, {"email", u.email}, {"displayName", u.displayName}, {"roles", std::move(roles)}};
}

json toJson(const PartnerView& p) {
  json contact = nullptr;
  if (p.marketingContact)
    contact = {{"userId", p.marketingContact->userId},
               {"email", p.marketingContact->email},
               {"phone", p.marketingContact->phone},
               {"preferredLanguage", p.marketingContact->preferredLanguage}};
  return {{"partnerId", p.partnerId},   {"name", p.name},
          {"accountEmail", p.accountEmail}, {"membershipLocation", p.membershipLocation},
          {"marketingContact", contact}, {"version", p.version}};
}

}  // namespace benefitd::workflows
