// R-ENG-11: every time the engine stores lies within years 0001..9999; a command whose times,
// derived ones included, would leave that range is refused with invalid-request and writes
// nothing; and nothing the encoder writes is refused by the decoder.

#include <catch2/catch.hpp>

#include <climits>

#include "world.h"
#include "workflows/event_codec.h"
#include "workflows/storable_time.h"

using namespace benefitd::workflows;
using namespace benefitd::workflows::testing;

namespace {

// Sets every field of an event to one end of its range: the earliest or latest storable
// time, the smallest or largest int, an empty string or one full of quotes, escapes, control
// characters and non-ASCII text, and non-empty lists.
struct Extremes {
  bool high;

  template <class T>
  void operator()(const char*, T& value) const { set(value); }

  void set(std::string& value) const {
    value = high ? std::string("\"quote\" \\ back\x01\x1f tab\t \xc5\xbc\xc3\xb3\xc5\x82w \xf0\x9f\x8e\x89") : std::string();
  }
  void set(int& value) const { value = high ? INT_MAX : INT_MIN; }
  void set(bool& value) const { value = high; }
  void set(Time& value) const { value = high ? latestStorableTime() : earliestStorableTime(); }
  void set(Balances& value) const { set(value.productSupportIncidents), set(value.signatureCloudIncidents), set(value.advisoryHours); }
  template <class E>
    requires std::is_enum_v<E>
  void set(E&) const {}  // every value of an enum is covered by the codec's own tests
  template <class T>
  void set(std::optional<T>& value) const {
    T inner{};
    set(inner);
    value = high ? std::optional<T>(inner) : std::nullopt;
  }
  template <class T>
  void set(std::vector<T>& values) const {
    values.assign(high ? 3 : 0, T{});
    for (T& value : values) set(value);
  }
};

template <std::size_t... I>
void roundTripEveryType(bool high, std::index_sequence<I...>) {
  (
      [&] {
        using Event = std::variant_alternative_t<I, DomainEvent>;
        Event event{};
        Event::fields(event, Extremes{high});
        const DomainEvent original = event;
        INFO(std::string(Event::kType) << (high ? " at its highest" : " at its lowest"));
        const nlohmann::json encoded = encodeEvent(original);
        // The store holds the text: decode what a reader would read.
        DomainEvent decoded;
        REQUIRE_NOTHROW(decoded = decodeEvent(nlohmann::json::parse(encoded.dump())));
        CHECK(decoded == original);
      }(),
      ...);
}

}  // namespace

TEST_CASE("R-ENG-11 every event type encodes and decodes back with extreme values", "[workflows][events]") {
  for (const bool high : {false, true}) {
    roundTripEveryType(high, std::make_index_sequence<std::variant_size_v<DomainEvent>>{});
  }
}

TEST_CASE("R-ENG-11 the storable range is years 0001 to 9999, and a time beyond it would not decode", "[workflows][events]") {
  CHECK(formatTime(earliestStorableTime()) == "0001-01-01T00:00:00Z");
  CHECK(formatTime(latestStorableTime()) == "9999-12-31T23:59:59Z");
  CHECK(isStorable(latestStorableTime()));
  CHECK_FALSE(isStorable(latestStorableTime() + std::chrono::seconds{1}));
  CHECK_FALSE(isStorable(earliestStorableTime() - std::chrono::seconds{1}));
  // Why the guard exists: the decoder refuses what lies beyond the range.
  const DomainEvent expired = PackageExpired{"k-1", latestStorableTime() + days{1}};
  CHECK_THROWS_AS(decodeEvent(nlohmann::json::parse(encodeEvent(expired).dump())), EventDecodeError);
}

TEST_CASE("R-ENG-11 a purchase whose term would end after 9999 is refused with invalid-request and appends nothing",
          "[workflows][package]") {
  Scenario s;
  s.now = at("9999-06-01T00:00:00Z");
  const Decision refused = s.runAs(s.globalAdmin, PurchasePackage{s.partnerId, "silver-competency"});
  CHECK(outcome(refused) == "invalid-request");
  CHECK(refused.eventCount() == 0);
  CHECK(refused.timers.empty());
  CHECK(refused.rejection->detail.find("10000-05-31T00:00:00Z") != std::string::npos);
}

TEST_CASE("R-ENG-11 derived times count: a renewal window or a seat's reassignment date past 9999 refuses the command",
          "[workflows][package]") {
  Scenario s;
  // The term itself ends inside the range (9999-12-05), but the renewal window (+30 d) and the
  // lapse timer would not.
  s.now = at("9998-12-05T00:00:00Z");
  const Decision refused = s.runAs(s.globalAdmin, PurchasePackage{s.partnerId, "silver-competency"});
  CHECK(outcome(refused) == "invalid-request");
  CHECK(refused.eventCount() == 0);

  // Bought in time (its renewal window ends 9999-12-25), a Visual Studio seat assigned within
  // 90 days of the end of 9999 would be reassignable only in 10000.
  s.now = at("9998-11-25T00:00:00Z");
  const std::string packageId = s.purchase("silver-competency");
  const std::string benefitId = s.benefitOf(packageId, Category::visualStudio);
  s.now = at("9999-10-15T00:00:00Z");
  const Decision seat = s.runAs(s.globalAdmin, ActivateBenefit{benefitId, std::nullopt, std::nullopt, s.employee});
  CHECK(outcome(seat) == "invalid-request");
  CHECK(seat.eventCount() == 0);
  // The same command earlier in the year is accepted: the limit is the range, nothing else.
  s.now = at("9999-09-01T00:00:00Z");
  CHECK(outcome(s.runAs(s.globalAdmin, ActivateBenefit{benefitId, std::nullopt, std::nullopt, s.employee})) == "accepted");
}
