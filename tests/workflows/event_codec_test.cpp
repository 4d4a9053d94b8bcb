#include <catch2/catch.hpp>

#include "workflows/event_codec.h"

using namespace benefitd::workflows;
using nlohmann::json;

namespace {

std::string decodeError(const json& versioned) {
  try {
    decodeEvent(versioned);
  } catch (const EventDecodeError& error) {
    return error.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("events encode as versioned camelCase JSON and decode back", "[workflows][events]") {
  const Time t = *parseTime("2026-01-05T09:00:00Z");
  const DomainEvent key = KeyRevealed{"b-1", "en-US", "x64", "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE", 2, t};
  const json encoded = encodeEvent(key);
  CHECK(encoded["type"] == "KeyRevealed");
  CHECK(encoded["schemaVersion"] == 1);
  CHECK(encoded["data"]["maxActivations"] == 2);
  CHECK(encoded["data"]["revealedAt"] == "2026-01-05T09:00:00Z");
  CHECK(decodeEvent(encoded) == key);

  const DomainEvent granted =
      BenefitGranted{"b-2", "p-1", "k-1", "action-pack", Category::technical, "Technical support", "", 1, {}, {},
                     {"product-support"}, Balances{10, 0, 5}, t, t + days{365}};
  CHECK(encodeEvent(granted)["data"]["balances"]["advisoryHours"] == 5);
  CHECK(encodeEvent(granted)["data"]["category"] == "technical");
  CHECK(decodeEvent(encodeEvent(granted)) == granted);

  const DomainEvent user = UserAdded{"p-1", "u-1", "a@example.com", "Ann", {Role::globalAdmin}, t};
  CHECK(encodeEvent(user)["data"]["roles"] == json::array({"global-admin"}));
  CHECK_FALSE(encodeEvent(user)["data"].contains("token"));
  CHECK(decodeEvent(encodeEvent(user)) == user);

  const DomainEvent request = ActivationRequested{"b-1", "r-1", t, std::nullopt, std::nullopt, "u-1"};
  CHECK_FALSE(encodeEvent(request)["data"].contains("language"));
  CHECK(decodeEvent(encodeEvent(request)) == request);
  CHECK(eventType(request) == "ActivationRequested");
}

TEST_CASE("decoding unknown types, newer versions and bad data is a clear error", "[workflows][events]") {
  const json good = encodeEvent(BenefitExpired{"b-1", *parseTime("2026-01-05T09:00:00Z")});
  json unknown = good;
  unknown["type"] = "BenefitTeleported";
  CHECK_THAT(decodeError(unknown), Catch::Contains("unknown event type 'BenefitTeleported'"));
  json newer = good;
  newer["schemaVersion"] = 2;
  CHECK_THAT(decodeError(newer), Catch::Contains("BenefitExpired: schema version 2 is not supported"));
  json huge = good;
  huge["schemaVersion"] = 99999999999LL;
  CHECK_THAT(decodeError(huge), Catch::Contains("not supported"));
  json missing = good;
  missing["data"].erase("expiredAt");
  CHECK_THAT(decodeError(missing), Catch::Contains("BenefitExpired: data.expiredAt: missing"));
  json badTime = good;
  badTime["data"]["expiredAt"] = "yesterday";
  CHECK_THAT(decodeError(badTime), Catch::Contains("data.expiredAt: must be an RFC 3339 UTC time"));
  json badRole = encodeEvent(UserAdded{"p", "u", "e", "d", {Role::userAdmin}, *parseTime("2026-01-05T09:00:00Z")});
  badRole["data"]["roles"][0] = "emperor";
  CHECK_THAT(decodeError(badRole), Catch::Contains("data.roles[0]: unknown value"));
  CHECK_THAT(decodeError(json::array()), Catch::Contains("must be a JSON object"));
  CHECK_THAT(decodeError(json{{"type", "BenefitExpired"}, {"schemaVersion", 1}, {"data", 3}}),
             Catch::Contains("data must be an object"));
}

TEST_CASE("integers beyond the range of a field are a decode error, not a wrapped value", "[workflows][events]") {
  const json revealed = encodeEvent(KeyRevealed{"b-1", "en-US", "x64", "ABCDE-12345-FGHIJ-67890-KLMNO", 10,
                                                *parseTime("2026-01-05T09:00:00Z")});
  json wide = revealed;
  wide["data"]["maxActivations"] = 4294967306LL;  // 2^32 + 10, which would wrap to 10
  CHECK_THAT(decodeError(wide), Catch::Contains("data.maxActivations: must be an integer from"));
  json negative = revealed;
  negative["data"]["maxActivations"] = -4294967286LL;
  CHECK_THAT(decodeError(negative), Catch::Contains("data.maxActivations: must be an integer from"));
  json largest = revealed;
  largest["data"]["maxActivations"] = 2147483647;
  CHECK(std::get<KeyRevealed>(decodeEvent(largest)).maxActivations == 2147483647);
}

TEST_CASE("event data decodes from its stored text, which must be a JSON object", "[workflows][events]") {
  const std::string expired = R"({"benefitId":"b-1","expiredAt":"2026-01-05T09:00:00Z"})";
  CHECK(decodeEventData("BenefitExpired", 1, expired) ==
        DomainEvent{BenefitExpired{"b-1", *parseTime("2026-01-05T09:00:00Z")}});
  const auto refusal = [](std::string_view text) {
    try {
      decodeEventData("BenefitExpired", 1, text);
    } catch (const EventDecodeError& error) {
      return std::string{error.what()};
    }
    return std::string{"no error"};
  };
  CHECK_THAT(refusal(R"({"benefitId":"b-1","expiredAt":"2026-01-05T09:00:00Z")"), Catch::Contains("data is not JSON"));
  CHECK_THAT(refusal(R"({"benefitId":"b-1"} trailing)"), Catch::Contains("data is not JSON"));
  CHECK_THAT(refusal("\"b-1\""), Catch::Contains("BenefitExpired: data must be an object"));
  CHECK_THAT(refusal(R"({"benefitId":7,"expiredAt":"2026-01-05T09:00:00Z"})"),
             Catch::Contains("data.benefitId: must be a string"));
  CHECK_THAT(refusal(R"({"benefitId":"b-1","expiredAt":"2026-01-05T09:00:00Z","benefitId":"\ud800"})"),
             Catch::Contains("data is not JSON"));
  // A key given twice counts as its last value, as a JSON document built from the text would.
  const std::string twice = R"({"benefitId":"b-1","expiredAt":"2026-01-05T09:00:00Z","benefitId":"b-2"})";
  CHECK(std::get<BenefitExpired>(decodeEventData("BenefitExpired", 1, twice)).benefitId ==
        std::get<BenefitExpired>(decodeEvent("BenefitExpired", 1, json::parse(twice))).benefitId);
  CHECK(std::get<BenefitExpired>(decodeEventData("BenefitExpired", 1, twice)).benefitId == "b-2");
  // Fields the event does not have are ignored, so that older builds read what newer ones add.
  CHECK(decodeEventData("BenefitExpired", 1, R"({"benefitId":"b-1","note":[1,{"a":null}],"expiredAt":"2026-01-05T09:00:00Z"})") ==
        DomainEvent{BenefitExpired{"b-1", *parseTime("2026-01-05T09:00:00Z")}});
}

TEST_CASE("integers written with a fraction or an exponent are refused like any other non-integer", "[workflows][events]") {
  const std::string text = R"({"benefitId":"b-1","language":"en-US","os":"x64","key":"K","maxActivations":MAX,"revealedAt":"2026-01-05T09:00:00Z"})";
  const auto with = [&](std::string_view max) {
    std::string out = text;
    out.replace(out.find("MAX"), 3, max);
    return out;
  };
  CHECK(std::get<KeyRevealed>(decodeEventData("KeyRevealed", 1, with("2"))).maxActivations == 2);
  CHECK_THROWS_AS(decodeEventData("KeyRevealed", 1, with("2.0")), EventDecodeError);
  CHECK_THROWS_AS(decodeEventData("KeyRevealed", 1, with("2e0")), EventDecodeError);
  CHECK_THROWS_AS(decodeEventData("KeyRevealed", 1, with("\"2\"")), EventDecodeError);
  CHECK_THROWS_AS(decodeEventData("KeyRevealed", 1, with("18446744073709551615")), EventDecodeError);
}

TEST_CASE("R-SW-2 keys are redacted from event data for readers who may not see them", "[workflows][events]") {
  const DomainEvent revealed =
      KeyRevealed{"b-1", "en-US", "x64", "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE", 2, *parseTime("2026-01-05T09:00:00Z")};
  const nlohmann::json redacted = redactSecrets("KeyRevealed", encodeEventData(revealed));
  CHECK(redacted["key"] == "REDACTED");
  CHECK(redacted["language"] == "en-US");
  CHECK(redacted.dump().find("AAAAA") == std::string::npos);

  BenefitActivated activated;
  activated.benefitId = "b-1";
  activated.activatedAt = *parseTime("2026-01-05T09:00:00Z");
  activated.expiresAt = *parseTime("2027-01-05T09:00:00Z");
  activated.accessId = "ACCESS-1";
  activated.contractId = "CONTRACT-1";
  const nlohmann::json technical = redactSecrets("BenefitActivated", encodeEventData(DomainEvent{activated}));
  CHECK(technical["accessId"] == "REDACTED");
  CHECK(technical["contractId"] == "REDACTED");
  CHECK(technical["benefitId"] == "b-1");
  activated.accessId.reset();
  activated.contractId.reset();
  const nlohmann::json software = encodeEventData(DomainEvent{activated});
  CHECK(redactSecrets("BenefitActivated", software) == software);  // nothing to hide stays as it is

  const nlohmann::json other = encodeEventData(BenefitExpired{"b-1", *parseTime("2026-01-05T09:00:00Z")});
  CHECK(redactSecrets("BenefitExpired", other) == other);
}

TEST_CASE("stored event data is compact JSON text with keys in name order, as it has always been written",
          "[workflows][events]") {
  const Time t = *parseTime("2026-01-05T09:00:00Z");
  // The bytes a JSON document of the same data gave when dumped: the hash chain covers them.
  CHECK(encodeEventDataText(SeatAssigned{"b-1", "s-1", "u-\"1\"\\\n\xc3\xa9", t, false}) ==
        R"({"assignedAt":"2026-01-05T09:00:00Z","benefitId":"b-1","carriedOver":false,"seatId":"s-1","userId":"u-\"1\"\\\n)"
        "\xc3\xa9\"}");
  SupportRequestOpened opened{"b-1", "r-1", "advisory", "Azure", "tab\tand \x01", std::nullopt, t};
  CHECK(encodeEventDataText(opened) ==
        R"({"benefitId":"b-1","openedAt":"2026-01-05T09:00:00Z","productFamily":"Azure","summary":"tab\tand \u0001",)"
        R"("supportRequestId":"r-1","type":"advisory"})");
  opened.hours = 3;
  CHECK(json::parse(encodeEventDataText(opened))["hours"] == 3);
  CHECK(encodeEventDataText(UserAdded{"p", "u", "e@x.example", "E", {Role::globalAdmin, Role::userAdmin}, t}) ==
        R"({"addedAt":"2026-01-05T09:00:00Z","displayName":"E","email":"e@x.example","partnerId":"p",)"
        R"("roles":["global-admin","user-admin"],"userId":"u"})");
  for (const DomainEvent& event : {DomainEvent{opened}, DomainEvent{SeatAssigned{"b", "s", "u", t, true}}}) {
    CHECK(encodeEventDataText(event) == encodeEventData(event).dump());
    CHECK(decodeEventData(eventType(event), eventSchemaVersion(event), encodeEventDataText(event)) == event);
  }
}
