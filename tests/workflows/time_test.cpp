#include <catch2/catch.hpp>

#include "workflows/time.h"

using namespace benefitd::workflows;

namespace {
Time at(const char* text) { return *parseTime(text); }
}  // namespace

TEST_CASE("RFC 3339 times round-trip with Z and seconds precision", "[workflows][time]") {
  CHECK(formatTime(at("2026-01-05T09:00:00Z")) == "2026-01-05T09:00:00Z");
  CHECK(formatTime(at("2028-02-29T23:59:59Z")) == "2028-02-29T23:59:59Z");
  CHECK(at("2026-01-05T09:00:00.750Z") == at("2026-01-05T09:00:00Z"));
  CHECK(formatTime(at("0001-10-09T00:07:08Z")) == "0001-10-09T00:07:08Z");
  CHECK(formatTime(at("9999-12-31T23:59:59Z") + std::chrono::seconds(1)) == "10000-01-01T00:00:00Z");
  CHECK_FALSE(parseTime("2026-01-05T09:00:00+01:00"));
  CHECK_FALSE(parseTime("2026-02-30T09:00:00Z"));
  CHECK_FALSE(parseTime("2026-01-05 09:00:00Z"));
  CHECK_FALSE(parseTime("2026-01-05T24:00:00Z"));
  CHECK_FALSE(parseTime("2026-01-05T09:00:00"));
  CHECK_FALSE(parseTime(""));
}

TEST_CASE("RFC 3339 times take digits only: no signs in any field", "[workflows][time]") {
  // from_chars reads a leading '-', which once let "T-1:00:00Z" through as an hour of -1.
  CHECK_FALSE(parseTime("2026-01-05T-1:00:00Z"));
  CHECK_FALSE(parseTime("2026-01-05T09:-1:00Z"));
  CHECK_FALSE(parseTime("2026-01-05T09:00:-1Z"));
  CHECK_FALSE(parseTime("-026-01-05T09:00:00Z"));
  CHECK_FALSE(parseTime("2026-01-05T+9:00:00Z"));
  CHECK_FALSE(parseTime("2026-01-05T 9:00:00Z"));
}

TEST_CASE("business days skip Saturday and Sunday in UTC", "[workflows][time]") {
  // 2026-01-05 is a Monday.
  CHECK(addBusinessDays(at("2026-01-05T10:00:00Z"), 3) == at("2026-01-08T10:00:00Z"));
  CHECK(addBusinessDays(at("2026-01-07T10:00:00Z"), 3) == at("2026-01-12T10:00:00Z"));  // Wed -> Mon
  CHECK(addBusinessDays(at("2026-01-09T10:00:00Z"), 1) == at("2026-01-12T10:00:00Z"));  // Fri -> Mon
  CHECK(addBusinessDays(at("2026-01-09T23:59:59Z"), 2) == at("2026-01-13T23:59:59Z"));  // Fri -> Tue
  CHECK(addBusinessDays(at("2026-01-10T10:00:00Z"), 1) == at("2026-01-12T10:00:00Z"));  // Sat -> Mon
  CHECK(addBusinessDays(at("2026-01-11T00:00:00Z"), 3) == at("2026-01-14T00:00:00Z"));  // Sun -> Wed
  CHECK(addBusinessDays(at("2026-01-08T10:00:00Z"), 2) == at("2026-01-12T10:00:00Z"));  // Thu -> Mon
  CHECK(addBusinessDays(at("2026-01-05T10:00:00Z"), 10) == at("2026-01-19T10:00:00Z"));  // two weekends
  CHECK(addBusinessDays(at("2026-01-05T10:00:00Z"), 0) == at("2026-01-05T10:00:00Z"));
}
