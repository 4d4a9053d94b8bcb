// benefitd as a service (issue 16, docs/operations.md): its settings from a config file, the
// environment and flags in that order of precedence; the operator token from a systemd
// credential; readiness and stopping told through sd_notify. Each against the real program.
#include <catch2/catch.hpp>

#include <signal.h>

#include <cctype>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/cli/http_client.h"
#include "benefitd_run.h"
#include "notify_listener.h"
#include "scoped_environment.h"
#include "support/child_process.h"
#include "support/temp_dir.h"

using namespace benefitd::testing;
namespace fs = std::filesystem;

namespace {

constexpr const char* kFileToken = "token-from-the-config-file";

/// benefitd with `flags` on a data dir in `dir`, its log beside it.
BenefitdRun start(const TempDir& dir, std::vector<std::string> flags) {
  std::vector<std::string> arguments = {BENEFITD_PATH, "--data-dir", (dir.path() / "data").string()};
  arguments.insert(arguments.end(), flags.begin(), flags.end());
  return BenefitdRun(std::move(arguments), dir.path() / "benefitd.log");
}

int get_status(const BenefitdRun& server, const std::string& target, const std::string& token = "") {
  benefitd::cli::HttpClient client(server.host(), server.port());
  benefitd::cli::ClientRequest request{"GET", target, "", {}};
  if (!token.empty()) request.headers.emplace_back("Authorization", "Bearer " + token);
  return client.send(request).status;
}

}  // namespace

TEST_CASE("Config: a setting comes from the config file, a BENEFITD_ variable wins over the file, a flag wins over both") {
  TempDir dir;
  const fs::path config = dir.path() / "benefitd.conf";
  // Loopback addresses tell the three sources apart: each binds its own.
  write_text(config, "# settings\nlisten = \"127.0.0.2:0\"\noperator-token = \"" + std::string(kFileToken) + "\"\n");
  ScopedEnvironment environment;
  environment.unset("BENEFITD_LISTEN");
  environment.unset("BENEFITD_OPERATOR_TOKEN");

  {
    BenefitdRun server = start(dir, {"--config", config.string()});
    INFO(server.log());
    REQUIRE(server.address().starts_with("127.0.0.2:"));
    // The token the file gave is the operator's.
    CHECK(get_status(server, "/v1/catalog", kFileToken) == 200);
    CHECK(server.stop() == 0);
  }
  environment.set("BENEFITD_LISTEN", "127.0.0.3:0");
  {
    BenefitdRun server = start(dir, {"--config", config.string()});
    INFO(server.log());
    REQUIRE(server.address().starts_with("127.0.0.3:"));
    // Settings the environment leaves alone still come from the file.
    CHECK(get_status(server, "/v1/catalog", kFileToken) == 200);
    CHECK(server.stop() == 0);
  }
  {
    BenefitdRun server = start(dir, {"--config", config.string(), "--listen", "127.0.0.4:0"});
    INFO(server.log());
    REQUIRE(server.address().starts_with("127.0.0.4:"));
    CHECK(server.stop() == 0);
  }
}

TEST_CASE("Config: every flag has its BENEFITD_ variable") {
  TempDir dir;
  // --help lists each option with its variable: every long option but --help, --version, --config.
  ChildProcess help({BENEFITD_PATH, "--help"}, dir.path() / "help.log");
  std::istringstream lines(help.read_all());
  CHECK(help.end(0) == 0);
  int flags = 0;
  for (std::string line; std::getline(lines, line);) {
    const std::size_t start = line.find_first_not_of(' ');
    if (start == std::string::npos || !line.substr(start).starts_with("--")) continue;
    const std::string flag = line.substr(start, line.find_first_of(" =", start) - start);
    if (flag == "--help" || flag == "--version" || flag == "--config") continue;
    std::string variable = "BENEFITD_";
    for (const char c : flag.substr(2)) variable.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(c)));
    INFO(line);
    CHECK(line.find("(Env:" + variable + ")") != std::string::npos);
    ++flags;
  }
  CHECK(flags >= 15);

  ScopedEnvironment environment;
  environment.set("BENEFITD_LISTEN", "127.0.0.5:0");
  environment.set("BENEFITD_OPERATOR_TOKEN", kFileToken);
  environment.set("BENEFITD_DATA_DIR", (dir.path() / "from-the-environment").string());
  const fs::path empty_config = dir.path() / "empty.conf";
  write_text(empty_config, "");
  BenefitdRun server(std::vector<std::string>{BENEFITD_PATH, "--config", empty_config.string()},
                     dir.path() / "benefitd.log");
  INFO(server.log());
  REQUIRE(server.address().starts_with("127.0.0.5:"));
  CHECK(fs::is_directory(dir.path() / "from-the-environment"));
  CHECK(server.stop() == 0);
}

TEST_CASE("Config: a file with a key that names no flag, or a --config file that is missing, is refused") {
  TempDir dir;
  ScopedEnvironment environment;
  environment.set("BENEFITD_OPERATOR_TOKEN", kFileToken);
  environment.unset("BENEFITD_LISTEN");

  const fs::path misspelt = dir.path() / "misspelt.conf";
  write_text(misspelt, "lisen = \"127.0.0.1:0\"\n");
  BenefitdRun with_unknown_key = start(dir, {"--config", misspelt.string(), "--listen", "127.0.0.1:0"});
  INFO(with_unknown_key.log());
  CHECK(with_unknown_key.address().empty());
  // A server that started anyway is killed, so that the failure shows rather than a hang.
  CHECK(with_unknown_key.stop(with_unknown_key.address().empty() ? 0 : SIGKILL) != 0);

  BenefitdRun with_missing_file =
      start(dir, {"--config", (dir.path() / "absent.conf").string(), "--listen", "127.0.0.1:0"});
  CHECK(with_missing_file.address().empty());
  CHECK(with_missing_file.stop(with_missing_file.address().empty() ? 0 : SIGKILL) != 0);
  CHECK_FALSE(fs::exists(dir.path() / "data"));
}

TEST_CASE("Service: the operator token comes from the systemd credential in CREDENTIALS_DIRECTORY") {
  TempDir dir;
  const std::string credential_token = "token-from-a-systemd-credential";
  fs::create_directory(dir.path() / "credentials");
  write_text(dir.path() / "credentials" / "operator-token", credential_token + "\n");
  const fs::path empty_config = dir.path() / "empty.conf";
  write_text(empty_config, "");
  ScopedEnvironment environment;
  environment.unset("BENEFITD_OPERATOR_TOKEN");
  environment.unset("BENEFITD_OPERATOR_TOKEN_FILE");
  environment.set("CREDENTIALS_DIRECTORY", (dir.path() / "credentials").string());

  BenefitdRun server = start(dir, {"--config", empty_config.string(), "--listen", "127.0.0.1:0"});
  INFO(server.log());
  REQUIRE_FALSE(server.address().empty());
  CHECK(get_status(server, "/v1/catalog", credential_token) == 200);
  CHECK(get_status(server, "/v1/catalog", "some-other-token-of-length") == 401);
  CHECK(server.stop() == 0);
}

TEST_CASE("Service: benefitd tells the service manager READY=1 once it serves and STOPPING=1 when it stops") {
  TempDir dir;
  NotifyListener manager(dir.path() / "notify.socket");
  const fs::path empty_config = dir.path() / "empty.conf";
  write_text(empty_config, "");
  ScopedEnvironment environment;
  environment.set("NOTIFY_SOCKET", manager.path().string());

  BenefitdRun server = start(
      dir, {"--config", empty_config.string(), "--listen", "127.0.0.1:0", "--operator-token", kFileToken});
  INFO(server.log());
  REQUIRE_FALSE(server.address().empty());
  REQUIRE(manager.wait_for("READY=1"));
  CHECK(get_status(server, "/healthz") == 200);
  CHECK_FALSE(manager.wait_for("STOPPING=1", std::chrono::seconds(0)));

  server.signal(SIGTERM);
  CHECK(manager.wait_for("STOPPING=1"));
  CHECK(server.stop(0) == 0);
}
