// R-ENG-9 and R-ENG-1 over loopback sockets: hostile requests never get a 5xx and change
// nothing; racing activations of one benefit give exactly one success.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "scenario.h"
#include "support/temp_dir.h"

namespace benefitd::testing {
namespace {

TEST_CASE_METHOD(OnePartner, "R-ENG-9 hostile requests over a socket get 4xx and change nothing", "[http][server][R-ENG-9]") {
  const auto package = buy("action-pack");
  const std::string benefit = benefit_of(package, "software")["benefitId"];
  const std::string activate = "/v1/benefits/" + benefit + "/activate";
  const auto events_before = op.get("/v1/events?limit=500")["items"].size();

  const std::vector<std::pair<std::string, std::string>> bodies = {
      {activate, R"({"language":)"},
      {activate, "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"},
      {activate, std::string(200000, '[')},
      {activate, "{\"language\":\"\xc3\x28\",\"os\":\"x64\"}"},
      {activate, R"({"language":1,"os":["x64"]})"},
      {activate, R"({"language":"en-US","os":"x64","userId":{"a":{"b":{}}}})"},
      {"/v1/benefits/" + benefit + "/support-requests", R"({"type":"product-support","productFamily":"x","summary":7,"hours":"2"})"},
      {"/v1/partners/" + partner.partner_id + "/users", R"({"email":"a@b.c","displayName":"d","roles":["root"]})"},
      {"/v1/partners/" + partner.partner_id + "/packages", R"({"type":"platinum"})"},
      {"/v1/partners/" + partner.partner_id + "/packages", R"({"type":null})"},
      {"/v1/benefits/..%2F..%2Fpartners/activate", "{}"},
      {"/v1/benefits/%00/activate", "{}"},
      {"/v1/benefits/" + std::string(5000, 'x') + "/activate", "{}"},
  };
  for (const auto& [target, body] : bodies) {
    CAPTURE(target.substr(0, 80), body.substr(0, 80));
    const auto answer = admin.send("POST", target, body);
    CHECK(answer.status >= 400);
    CHECK(answer.status < 500);
  }
  const std::vector<std::string> raw = {
      "POST " + activate + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + partner.admin_token +
          "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n",
      "POST " + activate + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
      "GET /v1/benefits/" + benefit + " HTTP/9.9\r\nHost: x\r\n\r\n",
      "GET /v1/benefits/\x01\x02 HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /v1/benefits/" + benefit + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \xff\xfe\r\n\r\n",
      "POST " + activate + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + partner.admin_token +
          "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"language\"",
      std::string(100000, 'A'),
  };
  for (const auto& bytes : raw) {
    CAPTURE(bytes.substr(0, 80));
    for (int status : statuses_in(raw_exchange(server.port(), bytes))) {
      CHECK(status >= 400);
      CHECK(status < 500);
    }
  }
  CHECK(op.get("/v1/events?limit=500")["items"].size() == events_before);
  CHECK(admin.get("/v1/benefits/" + benefit)["status"] == "purchased");
  CHECK(server.stop() == 0);
}

TEST_CASE_METHOD(OnePartner, "R-ENG-1 racing activations of one benefit give exactly one success", "[http][server][R-ENG-1]") {
  const auto package = buy("action-pack");
  const std::string activate = "/v1/benefits/" + benefit_of(package, "software")["benefitId"].get<std::string>() + "/activate";

  constexpr int kRacers = 8;
  std::atomic<int> successes{0}, conflicts{0}, others{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> racers;
  for (int i = 0; i < kRacers; ++i) {
    racers.emplace_back([&] {
      Caller caller(server, partner.admin_token);
      while (!go) std::this_thread::yield();
      const auto answer = caller.send("POST", activate, R"({"language":"en-US","os":"x64"})");
      if (answer.status == 200) ++successes;
      else if (answer.status == 409) ++conflicts;
      else ++others;
    });
  }
  go = true;
  for (auto& racer : racers) racer.join();
  CHECK(successes == 1);
  CHECK(conflicts == kRacers - 1);
  CHECK(others == 0);
  std::size_t activations = 0;
  const auto events = op.get("/v1/events?limit=500");
  for (const auto& event : events["items"])
    if (event["type"] == "BenefitActivated") ++activations;
  CHECK(activations == 1);
}

}  // namespace
}  // namespace benefitd::testing
