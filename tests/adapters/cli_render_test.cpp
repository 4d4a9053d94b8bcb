// benefitctl's pieces that need no server: tables, nested sections, problems, URLs, and the
// strict reading of numbers and durations.
#include <catch2/catch.hpp>

#include <sstream>

#include "adapters/cli/api_commands.h"
#include "adapters/cli/http_client.h"
#include "adapters/cli/option_values.h"
#include "adapters/cli/render.h"

namespace benefitd::testing {
namespace {

TEST_CASE("lists render as aligned tables with the next cursor", "[cli]") {
  const nlohmann::json list = {{"items",
                                {{{"benefitId", "B1"}, {"status", "active"}, {"seats", nlohmann::json::array()}},
                                 {{"benefitId", "B22"}, {"status", nullptr}}}},
                               {"nextCursor", "c2"}};
  std::ostringstream out;
  cli::render_list(list, {"benefitId", "status", "product"}, out);
  CHECK(out.str() ==
        "benefitId  status  product\n"
        "B1         active  -\n"
        "B22        -       -\n"
        "more: --cursor c2\n");
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
  cli::render_problem(
      400,
      {{"code", "invalid-request"}, {"detail", "bad"}, {"errors", {{{"field", "type"}, {"message", "is required"}}}}},
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

TEST_CASE("nested data renders as indented sections and sub-tables, never one line of JSON", "[cli]") {
  const nlohmann::json package = {{"packageId", "K1"},
                                  {"refund", {{"amount", "530.00"}, {"issuedAt", "2026-01-06T09:00:00Z"}}},
                                  {"benefitIds", {"B1", "B2"}},
                                  {"benefits",
                                   {{{"benefitId", "B1"},
                                     {"status", "purchased"},
                                     {"balances", {{"advisoryHours", 25}}},
                                     {"seats", nlohmann::json::array()}},
                                    {{"benefitId", "B2"}, {"status", "active"}, {"balances", nullptr}}}}};
  std::ostringstream chosen;
  cli::render_object(package, chosen, {{"benefits", {"benefitId", "status"}}});
  CHECK(chosen.str() ==
        "benefitIds  B1, B2\n"
        "benefits:\n"
        "  benefitId  status\n"
        "  B1         purchased\n"
        "  B2         active\n"
        "packageId   K1\n"
        "refund:\n"
        "  amount    530.00\n"
        "  issuedAt  2026-01-06T09:00:00Z\n");
  std::ostringstream sections;
  cli::render_object(package, sections);
  CHECK(sections.str().find("benefits:\n"
                            "  [1]\n"
                            "    balances:\n"
                            "      advisoryHours  25\n") != std::string::npos);
  CHECK(sections.str().find("{") == std::string::npos);
  std::ostringstream scalar_items;
  cli::render_object({{"seats", {{{"seatId", "S1"}, {"userId", "U1"}}}}}, scalar_items);
  CHECK(scalar_items.str() == "seats:\n  seatId  userId\n  S1      U1\n");
}

TEST_CASE("table cells join lists and show an actor as its kind and user", "[cli]") {
  const nlohmann::json list = {
      {"items",
       {{{"userId", "U1"}, {"roles", {"global-admin", "user-admin"}}, {"actor", {{"kind", "user"}, {"userId", "U1"}}}},
        {{"userId", "U2"}, {"roles", nlohmann::json::array()}, {"actor", {{"kind", "operator"}}}}}},
      {"nextCursor", nullptr}};
  std::ostringstream out;
  cli::render_list(list, {"userId", "roles", "actor"}, out);
  CHECK(out.str() ==
        "userId  roles                     actor\n"
        "U1      global-admin, user-admin  user U1\n"
        "U2      (none)                    operator\n");
}

TEST_CASE("openapi renders as a table of operations", "[cli]") {
  const nlohmann::json document = {{"openapi", "3.0.3"},
                                   {"paths",
                                    {{"/v1/clock", {{"get", {{"summary", "The clock"}}}}},
                                     {"/v1/clock/advance", {{"post", {{"summary", "Move the clock"}}}}}}}};
  std::ostringstream out;
  cli::render_operations(document, out);
  CHECK(out.str() ==
        "method  path               summary\n"
        "GET     /v1/clock          The clock\n"
        "POST    /v1/clock/advance  Move the clock\n");
}

TEST_CASE("problems name benefitctl's flags, not API fields, and list the allowed values", "[cli]") {
  const cli::FieldNames names = {{"userId", "--user"}, {"language", "--language"}};
  std::ostringstream missing;
  cli::render_problem(
      400, {{"code", "invalid-request"}, {"detail", "userId is required"}, {"errors", {{{"field", "userId"}}}}},
      missing, names);
  CHECK(missing.str() == "error 400 invalid-request: --user is required\n  --user\n");
  std::ostringstream language;
  cli::render_problem(400,
                      {{"code", "invalid-request"},
                       {"detail", "language must be one of the product's languages"},
                       {"errors", {{{"field", "language"}, {"allowed", {"en-US", "de-DE"}}}}}},
                      language, names);
  CHECK(language.str() ==
        "error 400 invalid-request: --language must be one of the product's languages\n"
        "  --language: one of en-US, de-DE\n");
  std::ostringstream words;
  cli::render_problem(400, {{"code", "x"}, {"detail", "userIds and globalAdmin.userId differ from userId."}}, words,
                      names);
  CHECK(words.str() == "error 400 x: userIds and globalAdmin.userId differ from --user.\n");
}

/// Parses `value` given to an option checked by `validator`; the value the option holds after,
/// or nullopt when the parse was refused.
std::optional<std::string> read_with(const CLI::Validator& validator, const std::string& value) {
  CLI::App app;
  std::string held;
  app.add_option("--value", held)->transform(validator);
  try {
    app.parse(std::vector<std::string>{value, "--value"});  // CLI11 reads the vector from its end
  } catch (const CLI::ParseError&) {
    return std::nullopt;
  }
  return held;
}

TEST_CASE("durations and whole numbers are read strictly, never truncated", "[cli]") {
  const auto seconds = cli::duration_in_seconds();
  CHECK(read_with(seconds, "90") == "90");
  CHECK(read_with(seconds, "90s") == "90");
  CHECK(read_with(seconds, "15m") == "900");
  CHECK(read_with(seconds, "2H") == "7200");
  CHECK(read_with(seconds, "3d") == "259200");
  CHECK(read_with(seconds, "1w") == "604800");
  CHECK(read_with(seconds, "010") == "10");  // decimal, not octal
  for (const char* refused : {"1.9", "3x", "-1", "d", "", "0x10", "1d2h", "99999999999999999999", "9999999999999999d"})
    CHECK_FALSE(read_with(seconds, refused));

  const auto hours = cli::duration_in_hours();
  CHECK(read_with(hours, "2h") == "2");
  CHECK(read_with(hours, "2") == "2");
  for (const char* refused : {"2.5h", "30m", "2d"}) CHECK_FALSE(read_with(hours, refused));

  const auto page = cli::whole_number(1, 500);
  CHECK(read_with(page, "500") == "500");
  for (const char* refused : {"0", "501", "1.9", "12abc", " 5"}) CHECK_FALSE(read_with(page, refused));
}

}  // namespace
}  // namespace benefitd::testing
