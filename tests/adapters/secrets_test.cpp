// Secrets on disk and in `ps` (docs/reliability.md, "Hostile clients"): the data dir is for
// benefitd's user only, the operator token may come from a file, and a token that is short or
// holds whitespace is refused at start.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <fstream>

#include "scenario.h"
#include "support/temp_dir.h"

namespace benefitd::testing {
namespace {

/// The permission bits of `path` that group and others hold.
unsigned shared_bits(const std::filesystem::path& path) {
  struct stat status {};
  REQUIRE(::stat(path.c_str(), &status) == 0);
  return status.st_mode & 077u;
}

/// Starts benefitd with `arguments` after the data dir and listen flags; its exit code and what
/// it wrote to stderr, when it refuses to start.
std::pair<int, std::string> refused_start(const TempDir& dir, std::vector<std::string> arguments) {
  std::vector<std::string> command = {BENEFITD_PATH, "--data-dir", (dir.path() / "data").string(), "--listen",
                                      "127.0.0.1:0"};
  command.insert(command.end(), arguments.begin(), arguments.end());
  const auto log = dir.path() / "refused.log";
  std::filesystem::remove(log);
  ChildProcess child(std::move(command), log);
  const std::string line = child.read_line();
  INFO("benefitd said: " << line);
  CHECK(line.empty());
  const int code = child.end(0);
  std::ifstream in(log);
  return {code, std::string(std::istreambuf_iterator<char>(in), {})};
}

TEST_CASE("Secrets on disk: the data dir benefitd creates is 0700 and every file in it 0600",
          "[http][server][hostile]") {
  TempDir dir;
  const auto data = dir.path() / "data";
  {
    ServerProcess server(data);
    Caller op(server, kOperatorToken);
    const auto partner = register_partner(op, "contoso");
    op.post("/v1/partners/" + partner.partner_id + "/packages", {{"type", "action-pack"}}, 201);
    CHECK(server.stop() == 0);
  }
  CHECK(shared_bits(data) == 0);
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(data)) {
    CAPTURE(entry.path());
    CHECK(shared_bits(entry.path()) == 0);
    if (entry.is_regular_file()) ++files;
  }
  CHECK(files > 3);  // RocksDB's log, manifest, tables and options files at least
}

TEST_CASE("Secrets in ps: an operator token shorter than 16 characters or with whitespace is refused at start",
          "[http][server][hostile]") {
  TempDir dir;
  for (const std::string token : {"fifteen-chars-x", "sixteen chars ok", "sixteen-chars-ok\t"}) {
    CAPTURE(token);
    const auto [code, said] = refused_start(dir, {"--operator-token", token});
    CHECK(code == 2);
    CHECK(said.find("operator token must") != std::string::npos);
  }
  const auto [code, said] = refused_start(dir, {"--operator-token-file", (dir.path() / "missing").string()});
  CHECK(code == 2);
  CHECK(said.find("--operator-token-file") != std::string::npos);
}

TEST_CASE("Secrets in ps: --operator-token-file gives the operator token, ahead of --operator-token",
          "[http][server][hostile]") {
  TempDir dir;
  const std::string file_token = "token-from-a-file-0123456789";
  const auto token_file = dir.path() / "operator-token";
  std::ofstream(token_file) << file_token << "\n";
  ServerProcess server(dir.path() / "data", {"--operator-token-file", token_file.string()});
  Caller from_file(server, file_token);
  CHECK(from_file.get("/v1/clock")["mode"] == "simulated");
  Caller from_flag(server, kOperatorToken);
  Caller::expect(from_flag.send("GET", "/v1/clock"), 401);
}

}  // namespace
}  // namespace benefitd::testing
