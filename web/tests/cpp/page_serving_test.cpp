// The page served beside the API (adapters/http/page_assets.h) and GET /v1/me, through the
// Router over a FakeService, with a small page of its own (not the built one).
#include <catch2/catch.hpp>

#include <array>

#include "adapters/http/page_assets.h"
#include "router_harness.h"

using namespace benefitd;
using namespace benefitd::testing;
using http::HttpResponse;

namespace {

constexpr std::array kPage{
    http::PageAsset{"/index.html", "text/html; charset=utf-8", "<!doctype html><title>Benefits</title>"},
    http::PageAsset{"/assets/index-abc123.js", "text/javascript; charset=utf-8", "console.log(1)",
                    "gzipped console.log(1)"},
};

struct PageHarness : RouterHarness {
  http::PageAssets page{kPage};
  http::Router with_page{service, metrics, [this] {
                           http::RouterOptions options = short_waits();
                           options.page = &page;
                           return options;
                         }()};
  HttpResponse get(std::string target, std::optional<std::string> if_none_match = std::nullopt,
                   std::optional<std::string> accept_encoding = std::nullopt) {
    auto built = request("GET", std::move(target), "", "");
    if (if_none_match) built.headers.emplace_back("If-None-Match", *if_none_match);
    if (accept_encoding) built.headers.emplace_back("Accept-Encoding", *accept_encoding);
    std::optional<HttpResponse> answered;
    with_page.handle(std::move(built), [&](HttpResponse response) { answered = std::move(response); });
    REQUIRE(answered);
    return *answered;
  }
};

}  // namespace

TEST_CASE("the page: / and every path under its routes answer index.html, revalidated every time", "[http][page]") {
  PageHarness h;
  for (const char* path : {"/", "/benefits", "/benefits/software", "/packages", "/users", "/history", "/operator",
                           "/benefits/technical?x=1"}) {
    INFO(path);
    const HttpResponse index = h.get(path);
    CHECK(index.status == 200);
    CHECK(index.body == "<!doctype html><title>Benefits</title>");
    CHECK(index.header("Content-Type") == "text/html; charset=utf-8");
    CHECK(index.header("Cache-Control") == "no-cache");
    CHECK(index.header("Content-Security-Policy").has_value());
  }
  const HttpResponse first = h.get("/");
  const std::string etag(*first.header("ETag"));
  const HttpResponse again = h.get("/benefits", etag);
  CHECK(again.status == 304);
  CHECK(again.body.empty());
}

TEST_CASE("the page: hashed assets are cached for a year, unknown assets and paths stay 404", "[http][page]") {
  PageHarness h;
  const HttpResponse script = h.get("/assets/index-abc123.js");
  CHECK(script.status == 200);
  CHECK(script.body == "console.log(1)");
  CHECK(script.header("Content-Type") == "text/javascript; charset=utf-8");
  CHECK(script.header("Cache-Control") == "public, max-age=31536000, immutable");
  for (const char* path : {"/assets/index-old.js", "/assets", "/assets/a/b.js", "/nothing", "/v1/nothing", "/healthz/x"}) {
    INFO(path);
    const HttpResponse missing = h.get(path);
    CHECK(missing.status == 404);
    CHECK(json_of(missing)["code"] == "not-found");
  }
}

TEST_CASE("the page: a file the build compressed goes gzip-encoded to clients that accept gzip", "[http][page]") {
  PageHarness h;
  const HttpResponse plain = h.get("/assets/index-abc123.js");
  CHECK(plain.body == "console.log(1)");
  CHECK_FALSE(plain.header("Content-Encoding").has_value());
  CHECK(plain.header("Vary") == "Accept-Encoding");
  const HttpResponse gzip = h.get("/assets/index-abc123.js", std::nullopt, "gzip, deflate, br");
  CHECK(gzip.body == "gzipped console.log(1)");
  CHECK(gzip.header("Content-Encoding") == "gzip");
  CHECK(gzip.header("Vary") == "Accept-Encoding");
  CHECK(gzip.header("ETag") != plain.header("ETag"));
  CHECK(h.get("/assets/index-abc123.js", std::string(*gzip.header("ETag")), "gzip").status == 304);
  CHECK(h.get("/assets/index-abc123.js", std::nullopt, "br, gzip;q=0").body == "console.log(1)");
  // index.html has no compressed form here: it goes as it is, whatever the client accepts.
  CHECK_FALSE(h.get("/", std::nullopt, "gzip").header("Content-Encoding").has_value());

  CHECK(http::accepts_gzip("gzip"));
  CHECK(http::accepts_gzip("deflate, GZIP"));  // codings are case-insensitive
  CHECK(http::accepts_gzip("*"));
  CHECK(http::accepts_gzip("gzip;q=0.5"));
  CHECK_FALSE(http::accepts_gzip("gzip;q=0"));
  CHECK_FALSE(http::accepts_gzip("gzip; q=0.000"));
  CHECK_FALSE(http::accepts_gzip("br, identity"));
  CHECK_FALSE(http::accepts_gzip(""));
}

TEST_CASE("the page: the API, /healthz, /metrics and /openapi.json answer as without the page", "[http][page]") {
  PageHarness h;
  CHECK(h.get("/openapi.json").header("Content-Type") == "application/json");
  CHECK(h.get("/metrics").status == 200);
  CHECK(h.get("/healthz").status == 200);
  CHECK(h.get("/v1/benefits/B1").status == 401);
  auto post = request("POST", "/", "{}", "");
  std::optional<HttpResponse> answered;
  h.with_page.handle(std::move(post), [&](HttpResponse response) { answered = std::move(response); });
  REQUIRE(answered);
  CHECK(answered->status == 404);
}

TEST_CASE("GET /v1/me tells a token's owner: the operator, or a user with partner and roles", "[http][page][R-AUTH]") {
  RouterHarness h;
  const HttpResponse user = h.send(request("GET", "/v1/me"));
  CHECK(user.status == 200);
  CHECK(json_of(user) == nlohmann::json{{"kind", "user"}, {"userId", "U1"}, {"partnerId", "P1"},
                                        {"roles", {"global-admin"}}});
  const HttpResponse operator_answer = h.send(request("GET", "/v1/me", "", "operator-token"));
  CHECK(json_of(operator_answer) == nlohmann::json{{"kind", "operator"}, {"roles", nlohmann::json::array()}});
  CHECK(h.send(request("GET", "/v1/me", "", "")).status == 401);
  CHECK(h.send(request("GET", "/v1/me", "", "no-such-token")).status == 401);
}
