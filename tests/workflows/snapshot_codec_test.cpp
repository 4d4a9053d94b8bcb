// R-ENG-7: a snapshot is a shortcut to the replay of a stream, so its bytes must give back every
// field of the view, and bytes that are not a whole snapshot of this layout must give nothing
// (the loader then replays the stream) rather than a partly filled view.

#include <catch2/catch.hpp>

#include "workflows/snapshot_codec.h"

using namespace benefitd::workflows;

namespace {

Time at(const char* text) { return *parseTime(text); }

BenefitView full_benefit() {
  BenefitView b;
  b.benefitId = "B-1";
  b.partnerId = "P-1";
  b.packageId = "K-1";
  b.packageType = "gold-competency";
  b.category = Category::visualStudio;
  b.product = "Visual Studio Enterprise";
  b.kind = "subscription";
  b.status = "active";
  b.purchasedAt = at("2026-01-05T09:00:00Z");
  b.expiresAt = at("2027-01-05T09:00:00Z");
  b.activatedAt = at("2026-01-06T10:00:00Z");
  b.lastError = "rejected once";
  b.quantity = 5;
  b.keys.push_back(KeyView{"en-US", std::nullopt, "AAAA-BBBB", 10, at("2026-01-07T00:00:00Z")});
  b.seats.push_back(SeatView{"S-1", "U-1", at("2026-01-08T00:00:00Z")});
  b.balances = Balances{3, -1, 20};
  b.languages = {"en-US", "pl-PL"};
  b.openRequestId = "R-9";
  b.version = 1ULL << 40;
  return b;
}

}  // namespace

TEST_CASE("R-ENG-7 a snapshot gives back every field of the view it was made from", "[workflows][snapshots]") {
  const BenefitView benefit = full_benefit();
  BenefitView decoded;
  REQUIRE(decodeSnapshot(encodeSnapshot(benefit), &decoded));
  CHECK(decoded == benefit);

  PartnerView partner;
  partner.partnerId = "P-1";
  partner.membershipLocation = "pmc";
  partner.users.push_back(UserView{"U-1", "a@example.com", "A", {Role::globalAdmin, Role::adminAgent}, 2});
  partner.marketingContact = MarketingContactView{"U-1", "a@example.com", "+48 1", "pl-PL"};
  partner.version = 7;
  PartnerView decoded_partner;
  REQUIRE(decodeSnapshot(encodeSnapshot(partner), &decoded_partner));
  CHECK(decoded_partner == partner);

  PackageView package;
  package.packageId = "K-1";
  package.refund = RefundView{"123.45", at("2026-01-09T00:00:00Z")};
  package.benefitIds = {"B-1", "B-2"};
  package.term = 2;
  PackageView decoded_package;
  REQUIRE(decodeSnapshot(encodeSnapshot(package), &decoded_package));
  CHECK(decoded_package == package);
}

TEST_CASE("R-ENG-7 bytes that are not a whole snapshot of this layout and kind give nothing",
          "[workflows][snapshots]") {
  const std::string bytes = encodeSnapshot(full_benefit());
  BenefitView decoded;
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    INFO("cut to " << size << " bytes");
    CHECK_FALSE(decodeSnapshot(bytes.substr(0, size), &decoded));
  }
  CHECK_FALSE(decodeSnapshot(bytes + "x", &decoded));
  std::string other_layout = bytes;
  other_layout[0] = static_cast<char>(kSnapshotLayout + 1);
  CHECK_FALSE(decodeSnapshot(other_layout, &decoded));
  PackageView package;
  CHECK_FALSE(decodeSnapshot(bytes, &package));  // a benefit's bytes are not a package's
}
