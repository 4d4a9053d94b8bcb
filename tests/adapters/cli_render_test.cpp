// benefitctl's pieces that need no server: tables, problems, URLs.
#include <catch2/catch.hpp>

#include <sstream>

#include "adapters/cli/api_commands.h"
#include "adapters/cli/http_client.h"
#include "adapters/cli/render.h"

namespace benefitd::testing {
namespace {

TEST_CASE("lists render as aligned tables with the next cursor", "[cli]") {
  const nlohmann::json list = {{"items", {{{"benefitId", "B1"}, {"status", "active"}, {"seats", nlohmann::json::array()}},
                                          {{"benefitId", "B22"}, {"status", nullptr}}}},
                               {"nextCursor", "c2"}};
  std::ostringstream out;
  cli::render_list(list, {"benefitId", "status", "product"}, out);
  CHECK(out.str() ==
        "benefitId  status  product\n"
        "B1         active  -\n"
        "B22        -       -\n"
        "next cursor: c2\n");
  std::ostringstream scalars;
  cli::render_list(list, {}, scalars);
  CHECK(scalars.str().starts_with("benefitId  status\n"));
  std::ostringstream empty;
  cli::render_list({{"items", nlohmann::json::array()}, {"nextCursor", nullptr}}, {}, empty);
  CHECK(empty.str() == "(none)\n");
}

TEST_CASE("objects and problems render for people", "[cli]") {
  std::ostringstream object;
  cli::render_object({{"now", "2026-01-05T09:00:00Z"}, {"mode", "simulated"}}, object);
  CHECK(object.str() == "mode  simulated\nnow   2026-01-05T09:00:00Z\n");
  std::ostringstream problem;
  cli::render_problem(400, {{"code", "invalid-request"}, {"detail", "bad"}, {"errors", {{{"field", "type"}, {"message", "is required"}}}}},
                      problem);
  CHECK(problem.str() == "error 400 invalid-request: bad\n  type: is required\n");
}

TEST_CASE("server URLs and query values are read and encoded", "[cli]") {
  CHECK(cli::parse_server_url("http://127.0.0.1:8080/") == std::pair<std::string, std::string>{"127.0.0.1", "8080"});
  CHECK(cli::parse_server_url("localhost:9") == std::pair<std::string, std::string>{"localhost", "9"});
  CHECK(cli::parse_server_url("http://[::1]:80") == std::pair<std::string, std::string>{"::1", "80"});
  CHECK_FALSE(cli::parse_server_url("http://nohost"));
  CHECK(cli::url_encode("2026-01-05T09:00:00Z") == "2026-01-05T09:00:00Z");
  CHECK(cli::url_encode("a b&c/d") == "a%20b%26c%2Fd");
}

}  // namespace
}  // namespace benefitd::testing
