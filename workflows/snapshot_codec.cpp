#include "workflows/snapshot_codec.h"

#include <concepts>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

namespace benefitd::workflows {

namespace {

template <class V, class View>
concept ViewOf = std::same_as<std::remove_const_t<V>, View>;

// Each view's fields, listed once for both directions: `f` is called with each field in turn.
void fields(ViewOf<Balances> auto& v, auto&& f) {
  f(v.productSupportIncidents); f(v.signatureCloudIncidents); f(v.advisoryHours);
}
void fields(ViewOf<KeyView> auto& v, auto&& f) {
  f(v.language); f(v.os); f(v.key); f(v.maxActivations); f(v.revealedAt);
}
void fields(ViewOf<SeatView> auto& v, auto&& f) {
  f(v.seatId); f(v.userId); f(v.assignedAt);
}
void fields(ViewOf<BenefitView> auto& v, auto&& f) {
  f(v.benefitId); f(v.partnerId); f(v.packageId); f(v.packageType); f(v.category); f(v.product); f(v.kind);
  f(v.status); f(v.purchasedAt); f(v.expiresAt); f(v.activationRequestedAt); f(v.pendingSince);
  f(v.expectedBy); f(v.activatedAt); f(v.cancelledAt); f(v.expiredAt); f(v.lastError); f(v.quantity);
  f(v.keys); f(v.assignedUserId); f(v.seats); f(v.accessId); f(v.contractId); f(v.balances);
  f(v.languages); f(v.osTypes); f(v.supportTypes); f(v.openRequestId); f(v.version);
}
void fields(ViewOf<RefundView> auto& v, auto&& f) {
  f(v.amount); f(v.issuedAt);
}
void fields(ViewOf<PackageView> auto& v, auto&& f) {
  f(v.packageId); f(v.partnerId); f(v.type); f(v.status); f(v.price); f(v.termDays); f(v.purchasedAt);
  f(v.termStartedAt); f(v.expiresAt); f(v.benefitIds); f(v.currentTermBenefitIds); f(v.term); f(v.refund);
  f(v.cancellationRequestId); f(v.version);
}
void fields(ViewOf<UserView> auto& v, auto&& f) {
  f(v.userId); f(v.email); f(v.displayName); f(v.roles); f(v.tokenGeneration);
}
void fields(ViewOf<MarketingContactView> auto& v, auto&& f) {
  f(v.userId); f(v.email); f(v.phone); f(v.preferredLanguage);
}
void fields(ViewOf<PartnerView> auto& v, auto&& f) {
  f(v.partnerId); f(v.name); f(v.accountEmail); f(v.membershipLocation); f(v.users); f(v.marketingContact);
  f(v.version);
}

// Which kind of view a snapshot holds, after the layout number.
constexpr unsigned char kind_of(const BenefitView*) { return 'B'; }
constexpr unsigned char kind_of(const PackageView*) { return 'K'; }
constexpr unsigned char kind_of(const PartnerView*) { return 'P'; }

template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};
template <class T>
struct IsVector : std::false_type {};
template <class T>
struct IsVector<std::vector<T>> : std::true_type {};

// Numbers are LEB128 varints (signed ones zigzagged), strings and lists their length first,
// optionals a presence byte first, times their seconds since the epoch.
class Encoder {
 public:
  explicit Encoder(std::string& out) : out_(out) {}

  template <class T>
  void operator()(const T& value) {
    if constexpr (std::is_same_v<T, std::string>) {
      unsigned_number(value.size());
      out_ += value;
    } else if constexpr (std::is_same_v<T, bool>) {
      out_ += static_cast<char>(value ? 1 : 0);
    } else if constexpr (std::is_enum_v<T>) {
      signed_number(static_cast<std::int64_t>(value));
    } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
      signed_number(value);
    } else if constexpr (std::is_integral_v<T>) {
      unsigned_number(value);
    } else if constexpr (std::is_same_v<T, Time>) {
      signed_number(value.time_since_epoch().count());
    } else if constexpr (IsOptional<T>::value) {
      (*this)(value.has_value());
      if (value) (*this)(*value);
    } else if constexpr (IsVector<T>::value) {
      unsigned_number(value.size());
      for (const auto& item : value) (*this)(item);
    } else {
      fields(value, *this);
    }
  }

 private:
  void unsigned_number(std::uint64_t value) {
    while (value >= 0x80) {
      out_ += static_cast<char>((value & 0x7f) | 0x80);
      value >>= 7;
    }
    out_ += static_cast<char>(value);
  }
  void signed_number(std::int64_t value) {
    unsigned_number((static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63));
  }

  std::string& out_;
};

// The Encoder's mirror: any read past the end or out of range marks the decode failed, after
// which it reads nothing more.
class Decoder {
 public:
  explicit Decoder(std::string_view in) : in_(in) {}

  bool finished_cleanly() const { return ok_ && in_.empty(); }
  bool byte_is(unsigned char expected) {
    if (!ok_ || in_.empty() || static_cast<unsigned char>(in_.front()) != expected) return ok_ = false;
    in_.remove_prefix(1);
    return true;
  }

  template <class T>
  void operator()(T& value) {
    if (!ok_) return;
    if constexpr (std::is_same_v<T, std::string>) {
      const std::uint64_t size = unsigned_number();
      if (!ok_ || size > in_.size()) return fail();
      value.assign(in_.substr(0, size));
      in_.remove_prefix(size);
    } else if constexpr (std::is_same_v<T, bool>) {
      const std::uint64_t flag = unsigned_number();
      if (flag > 1) return fail();
      value = flag == 1;
    } else if constexpr (std::is_enum_v<T>) {
      using Underlying = std::underlying_type_t<T>;
      const std::int64_t number = signed_number();
      if (number < std::numeric_limits<Underlying>::min() || number > std::numeric_limits<Underlying>::max()) {
        return fail();
      }
      value = static_cast<T>(number);
    } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
      const std::int64_t number = signed_number();
      if (number < std::numeric_limits<T>::min() || number > std::numeric_limits<T>::max()) return fail();
      value = static_cast<T>(number);
    } else if constexpr (std::is_integral_v<T>) {
      const std::uint64_t number = unsigned_number();
      if (number > std::numeric_limits<T>::max()) return fail();
      value = static_cast<T>(number);
    } else if constexpr (std::is_same_v<T, Time>) {
      value = Time{std::chrono::seconds{signed_number()}};
    } else if constexpr (IsOptional<T>::value) {
      bool present = false;
      (*this)(present);
      if (!present) {
        value.reset();
        return;
      }
      (*this)(value.emplace());
    } else if constexpr (IsVector<T>::value) {
      const std::uint64_t size = unsigned_number();
      // Every item takes at least one byte: a longer count is not a snapshot.
      if (!ok_ || size > in_.size()) return fail();
      value.resize(static_cast<std::size_t>(size));
      for (auto& item : value) (*this)(item);
    } else {
      fields(value, *this);
    }
  }

 private:
  void fail() { ok_ = false; }

  std::uint64_t unsigned_number() {
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (in_.empty()) break;
      const auto byte = static_cast<unsigned char>(in_.front());
      in_.remove_prefix(1);
      value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    fail();
    return 0;
  }
  std::int64_t signed_number() {
    const std::uint64_t zigzag = unsigned_number();
    return static_cast<std::int64_t>(zigzag >> 1) ^ -static_cast<std::int64_t>(zigzag & 1);
  }

  std::string_view in_;
  bool ok_ = true;
};

template <class View>
std::string encode(const View& view) {
  std::string out;
  out += static_cast<char>(kSnapshotLayout);
  out += static_cast<char>(kind_of(&view));
  Encoder{out}(view);
  return out;
}

template <class View>
bool decode(std::string_view bytes, View* out) {
  Decoder decoder(bytes);
  if (!decoder.byte_is(kSnapshotLayout) || !decoder.byte_is(kind_of(out))) return false;
  decoder(*out);
  return decoder.finished_cleanly();
}

}  // namespace

std::string encodeSnapshot(const BenefitView& benefit) { return encode(benefit); }
std::string encodeSnapshot(const PackageView& package) { return encode(package); }
std::string encodeSnapshot(const PartnerView& partner) { return encode(partner); }

bool decodeSnapshot(std::string_view bytes, BenefitView* out) { return decode(bytes, out); }
bool decodeSnapshot(std::string_view bytes, PackageView* out) { return decode(bytes, out); }
bool decodeSnapshot(std::string_view bytes, PartnerView* out) { return decode(bytes, out); }

}  // namespace benefitd::workflows
