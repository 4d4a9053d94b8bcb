#include "workflows/views.h"

#include <algorithm>

#include "workflows/json_text.h"
#include "workflows/rules.h"

namespace benefitd::workflows {

using nlohmann::json;

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

std::size_t PartnerView::globalAdminCount() const {
  return static_cast<std::size_t>(std::count_if(users.begin(), users.end(), [](const UserView& user) {
    return std::find(user.roles.begin(), user.roles.end(), Role::globalAdmin) != user.roles.end();
  }));
}

const UserView* PartnerView::findUser(std::string_view userId) const {
  for (const UserView& user : users)
    if (user.userId == userId) return &user;
  return nullptr;
}

namespace {

// The views are written once, in a template over where they go: JsonText for the stored and
// served text, JsonDocument for replies that add fields. Members are written in sorted order,
// the order of nlohmann::json's objects, so both give the same bytes.

// Builds an nlohmann::json document from the calls JsonText takes.
class JsonDocument {
 public:
  void beginObject() { open(json::object()); }
  void endObject() { open_.pop_back(); }
  void beginArray() { open(json::array()); }
  void endArray() { open_.pop_back(); }
  void key(std::string_view name) { key_ = name; }
  void value(std::string_view text) { place(json(text)); }
  void value(std::int64_t number) { place(json(number)); }
  void value(std::uint64_t number) { place(json(number)); }
  void value(int number) { place(json(number)); }
  void null() { place(json(nullptr)); }
  json take() { return std::move(root_); }

 private:
  json& place(json value) {
    if (open_.empty()) return root_ = std::move(value);
    json& parent = *open_.back();
    if (parent.is_object()) return parent[key_] = std::move(value);
    parent.push_back(std::move(value));
    return parent.back();
  }
  void open(json container) { open_.push_back(&place(std::move(container))); }

  json root_;
  std::vector<json*> open_;  // the containers being filled, innermost last
  std::string key_;
};

template <class Out>
struct Members {
  Out& out;

  void text(std::string_view name, std::string_view value) const {
    out.key(name);
    out.value(value);
  }
  void optionalText(std::string_view name, const std::optional<std::string>& value) const {
    out.key(name);
    value ? out.value(std::string_view{*value}) : out.null();
  }
  void time(std::string_view name, Time value) const { text(name, formatTime(value)); }
  void optionalTime(std::string_view name, const std::optional<Time>& value) const {
    out.key(name);
    value ? out.value(formatTime(*value)) : out.null();
  }
  template <class Number>
  void number(std::string_view name, Number value) const {
    out.key(name);
    out.value(value);
  }
  void texts(std::string_view name, const std::vector<std::string>& values) const {
    out.key(name);
    out.beginArray();
    for (const std::string& value : values) out.value(std::string_view{value});
    out.endArray();
  }
};

template <class Out>
void write(Out& out, const BenefitView& b, KeyVisibility keys) {
  const Members<Out> m{out};
  const bool technical = b.category == Category::technical;
  const bool visualStudio = b.category == Category::visualStudio;
  const bool keyed = b.category == Category::software || (b.category == Category::cloud && b.kind == kLicenseBased);
  out.beginObject();
  if (technical) m.optionalText("accessId", b.accessId);
  m.optionalTime("activatedAt", b.activatedAt);
  m.optionalTime("activationRequestedAt", b.activationRequestedAt);
  if (b.category == Category::cloud && b.kind == kUsageBased) m.optionalText("assignedUserId", b.assignedUserId);
  if (technical) {
    out.key("balances");
    out.beginObject();
    m.number("advisoryHours", b.balances.advisoryHours);
    m.number("productSupportIncidents", b.balances.productSupportIncidents);
    m.number("signatureCloudIncidents", b.balances.signatureCloudIncidents);
    out.endObject();
  }
  m.text("benefitId", b.benefitId);
  m.optionalTime("cancelledAt", b.cancelledAt);
  m.text("category", toString(b.category));
  if (technical) m.optionalText("contractId", b.contractId);
  m.optionalTime("expectedBy", b.expectedBy);
  m.optionalTime("expiredAt", b.expiredAt);
  m.time("expiresAt", b.expiresAt);
  if (keyed && keys == KeyVisibility::shown) {
    out.key("keys");
    out.beginArray();
    for (const KeyView& key : b.keys) {
      out.beginObject();
      m.text("key", key.key);
      m.optionalText("language", key.language);
      m.number("maxActivations", key.maxActivations);
      m.optionalText("os", key.os);
      m.time("revealedAt", key.revealedAt);
      out.endObject();
    }
    out.endArray();
  }
  out.key("kind");
  b.kind.empty() ? out.null() : out.value(std::string_view{b.kind});
  m.optionalText("lastError", b.lastError);
  m.text("packageId", b.packageId);
  m.text("partnerId", b.partnerId);
  m.optionalTime("pendingSince", b.pendingSince);
  m.text("product", b.product);
  m.time("purchasedAt", b.purchasedAt);
  m.number("quantity", b.quantity);
  if (visualStudio) {
    out.key("seats");
    out.beginArray();
    for (const SeatView& seat : b.seats) {
      out.beginObject();
      m.time("assignedAt", seat.assignedAt);
      m.time("reassignableAt", seat.reassignableAt());
      m.text("seatId", seat.seatId);
      m.text("userId", seat.userId);
      out.endObject();
    }
    out.endArray();
    m.number("seatsTotal", b.quantity);
  }
  m.text("status", b.status);
  m.number("version", b.version);
  out.endObject();
}

template <class Out>
void write(Out& out, const PackageView& p) {
  const Members<Out> m{out};
  out.beginObject();
  m.texts("benefitIds", p.benefitIds);
  m.time("expiresAt", p.expiresAt);
  m.text("packageId", p.packageId);
  m.text("partnerId", p.partnerId);
  m.text("price", p.price);
  m.time("purchasedAt", p.purchasedAt);
  out.key("refund");
  if (p.refund) {
    out.beginObject();
    m.text("amount", p.refund->amount);
    m.time("issuedAt", p.refund->issuedAt);
    out.endObject();
  } else {
    out.null();
  }
  // R-PKG-6: the refund window is the running term's, opened by its purchase or renewal.
  out.key("refundWindow");
  out.beginObject();
  m.time("opensAt", p.termStartedAt);
  m.number("term", p.term);
  m.time("until", p.refundableUntil());
  out.endObject();
  m.time("refundableUntil", p.refundableUntil());
  m.time("renewalWindowEndsAt", p.renewalWindowEndsAt());
  m.text("status", p.status);
  std::string term = "P";  // ISO 8601 days; written in steps, as GCC 12 misreads "P" + ... (-Wrestrict)
  term += std::to_string(p.termDays);
  term += 'D';
  m.text("term", term);
  m.text("type", p.type);
  m.number("version", p.version);
  out.endObject();
}

template <class Out>
void write(Out& out, const UserView& u) {
  const Members<Out> m{out};
  out.beginObject();
  m.text("displayName", u.displayName);
  m.text("email", u.email);
  out.key("roles");
  out.beginArray();
  for (const Role role : u.roles) out.value(toString(role));
  out.endArray();
  m.text("userId", u.userId);
  out.endObject();
}

template <class Out>
void write(Out& out, const PartnerView& p) {
  const Members<Out> m{out};
  out.beginObject();
  m.text("accountEmail", p.accountEmail);
  out.key("marketingContact");
  if (p.marketingContact) {
    out.beginObject();
    m.text("email", p.marketingContact->email);
    m.text("phone", p.marketingContact->phone);
    m.text("preferredLanguage", p.marketingContact->preferredLanguage);
    m.text("userId", p.marketingContact->userId);
    out.endObject();
  } else {
    out.null();
  }
  m.text("membershipLocation", p.membershipLocation);
  m.text("name", p.name);
  m.text("partnerId", p.partnerId);
  m.number("version", p.version);
  out.endObject();
}

template <class Out, class... View>
auto render(const View&... view) {
  Out out;
  write(out, view...);
  return out.take();
}

}  // namespace

json toJson(const BenefitView& benefit, KeyVisibility keys) { return render<JsonDocument>(benefit, keys); }
json toJson(const PackageView& package) { return render<JsonDocument>(package); }
json toJson(const PartnerView& partner) { return render<JsonDocument>(partner); }
json toJson(const UserView& user) { return render<JsonDocument>(user); }

std::string toJsonText(const BenefitView& benefit, KeyVisibility keys) { return render<JsonText>(benefit, keys); }
std::string toJsonText(const PackageView& package) { return render<JsonText>(package); }
std::string toJsonText(const PartnerView& partner) { return render<JsonText>(partner); }
std::string toJsonText(const UserView& user) { return render<JsonText>(user); }

}  // namespace benefitd::workflows
