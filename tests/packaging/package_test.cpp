// The Debian package (issue 16, docs/operations.md "Install"), as cpack made it from this build
// dir (the package_build_deb fixture): what it holds, what it depends on, units systemd
// accepts, and its service started from the extracted package the way its unit says, with a
// state directory, a credential and a notify socket as systemd would give them.
#include <catch2/catch.hpp>

#include <signal.h>

#include <filesystem>
#include <map>
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

struct CommandResult {
  int exit_code;
  std::string output;  // stdout; stderr goes to the log
};

CommandResult run(std::vector<std::string> arguments, const fs::path& log) {
  ChildProcess child(std::move(arguments), log);
  std::string output = child.read_all();
  return {child.end(0), std::move(output)};
}

fs::path the_package() {
  std::vector<fs::path> packages;
  for (const auto& entry : fs::directory_iterator(BENEFITD_DEB_DIR))
    if (entry.path().extension() == ".deb") packages.push_back(entry.path());
  REQUIRE(packages.size() == 1);
  return packages.front();
}

/// The package's files, extracted as dpkg would install them, under a fresh directory.
struct ExtractedPackage {
  ExtractedPackage() {
    const CommandResult extracted = run({"/usr/bin/dpkg-deb", "-x", the_package().string(), root().string()}, log());
    REQUIRE(extracted.exit_code == 0);
  }
  fs::path root() const { return dir.path() / "root"; }
  fs::path log() const { return dir.path() / "commands.log"; }
  TempDir dir;
};

/// The [Service] settings of a unit file, one value per key (the last one).
std::map<std::string, std::string> unit_settings(const fs::path& unit) {
  std::map<std::string, std::string> settings;
  std::istringstream text(read_text(unit));
  for (std::string line; std::getline(text, line);) {
    const std::size_t equals = line.find('=');
    if (line.empty() || line[0] == '#' || line[0] == '[' || equals == std::string::npos) continue;
    settings[line.substr(0, equals)] = line.substr(equals + 1);
  }
  return settings;
}

/// `unit_text` with the path of each program the package ships (/usr/bin/... after '=' or ' ')
/// moved under `root`; other programs (the host's /usr/bin/find) stay where they are.
std::string programs_under(const fs::path& root, std::string unit_text) {
  const std::string prefix = root.string();
  for (std::size_t at = unit_text.find("/usr/bin/"); at != std::string::npos; at = unit_text.find("/usr/bin/", at + 1)) {
    if (at == 0 || (unit_text[at - 1] != '=' && unit_text[at - 1] != ' ')) continue;
    const std::string program = unit_text.substr(at, unit_text.find_first_of(" \t\n'\"", at) - at);
    if (!fs::exists(prefix + program)) continue;
    unit_text.insert(at, prefix);
    at += prefix.size();
  }
  return unit_text;
}

std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> result;
  std::istringstream in(text);
  for (std::string word; in >> word;) result.push_back(word);
  return result;
}

}  // namespace

TEST_CASE("Package: it holds both programs, the catalog, man pages, the unit, the config file as a conffile and the docs") {
  TempDir dir;
  const CommandResult contents = run({"/usr/bin/dpkg-deb", "--contents", the_package().string()}, dir.path() / "log");
  REQUIRE(contents.exit_code == 0);
  INFO(contents.output);
  for (const char* path : {"./usr/bin/benefitd", "./usr/bin/benefitctl", "./usr/share/benefitd/catalog.json",
                           "./usr/share/man/man1/benefitd.1.gz", "./usr/share/man/man1/benefitctl.1.gz",
                           "./usr/lib/systemd/system/benefitd.service", "./etc/benefitd/benefitd.conf",
                           "./usr/share/bash-completion/completions/benefitctl",
                           "./usr/share/doc/benefitd/operations.md"}) {
    CHECK(contents.output.find(std::string(" ") + path + "\n") != std::string::npos);
  }
  const CommandResult conffiles =
      run({"/usr/bin/dpkg-deb", "--info", the_package().string(), "conffiles"}, dir.path() / "log");
  REQUIRE(conffiles.exit_code == 0);
  CHECK(conffiles.output == "/etc/benefitd/benefitd.conf\n");
}

TEST_CASE("Package: it declares the Debian packages of the shared libraries its programs load") {
  TempDir dir;
  const CommandResult depends =
      run({"/usr/bin/dpkg-deb", "--field", the_package().string(), "Depends"}, dir.path() / "log");
  REQUIRE(depends.exit_code == 0);
  INFO(depends.output);
  // dpkg-shlibdeps names the package of each library the programs link: the C and C++
  // runtimes, RocksDB, OpenSSL, libsystemd (sd_notify); the maintainer scripts need
  // deb-systemd-helper.
  for (const char* package : {"libc6", "libstdc++6", "librocksdb", "libssl3", "libsystemd0", "init-system-helpers"})
    CHECK(depends.output.find(package) != std::string::npos);
}

TEST_CASE("Package: systemd-analyze verify accepts every unit it ships, without a warning") {
  ExtractedPackage package;
  // The units side by side (a timer finds its service), with the programs they start moved
  // under the extracted root: verify checks that each command exists and is executable.
  const fs::path units = package.dir.path() / "units";
  fs::create_directory(units);
  std::vector<fs::path> copies;
  for (const auto& entry : fs::directory_iterator(package.root() / "usr/lib/systemd/system")) {
    copies.push_back(units / entry.path().filename());
    write_text(copies.back(), programs_under(package.root(), read_text(entry.path())));
  }
  REQUIRE_FALSE(copies.empty());
  for (const fs::path& unit : copies) {
    // The man pages are checked above (`man` would read the host's, which lacks them).
    const fs::path log = package.dir.path() / (unit.filename().string() + ".log");
    const CommandResult verified = run({"/usr/bin/systemd-analyze", "verify", "--man=no", unit.string()}, log);
    const std::string complaints = read_text(log) + verified.output;
    INFO(unit.filename() << ": " << complaints);
    CHECK(verified.exit_code == 0);
    // verify only warns about an unknown setting or a value it cannot parse, and exits 0.
    CHECK(complaints.empty());
  }
}

TEST_CASE("Package: the unit's ExecStart, started as systemd would, says READY=1, serves and stops cleanly") {
  ExtractedPackage package;
  const auto unit = unit_settings(package.root() / "usr/lib/systemd/system/benefitd.service");
  REQUIRE(unit.at("Type") == "notify");
  REQUIRE(unit.at("StateDirectory") == "benefitd");
  REQUIRE(unit.count("DynamicUser"));
  // LoadCredential=ID:PATH puts PATH's content at $CREDENTIALS_DIRECTORY/ID.
  const std::string credential = unit.at("LoadCredential");
  const std::string credential_id = credential.substr(0, credential.find(':'));
  REQUIRE(credential.substr(credential.find(':') + 1) == "/etc/benefitd/operator-token");

  TempDir runtime;
  const fs::path state_dir = runtime.path() / "state";
  const fs::path credentials = runtime.path() / "credentials";
  fs::create_directory(state_dir);
  fs::create_directory(credentials);
  const std::string token = "a-token-the-postinst-would-write";
  write_text(credentials / credential_id, token);
  NotifyListener manager(runtime.path() / "notify");
  ScopedEnvironment environment;
  environment.set("CREDENTIALS_DIRECTORY", credentials.string());
  environment.set("NOTIFY_SOCKET", manager.path().string());
  environment.unset("BENEFITD_OPERATOR_TOKEN");

  // The unit's command line with the package's paths moved under the extracted root, and the
  // test's only changes: the package's own config file (not the host's /etc) and any free port.
  std::vector<std::string> arguments;
  for (const std::string& word : words(unit.at("ExecStart"))) {
    if (word == "/var/lib/benefitd") {
      arguments.push_back(state_dir.string());
    } else if (word.starts_with("/usr/")) {
      arguments.push_back((package.root() / word.substr(1)).string());
    } else {
      arguments.push_back(word);
    }
  }
  REQUIRE(arguments.front() == (package.root() / "usr/bin/benefitd").string());
  arguments.insert(arguments.end(), {"--config", (package.root() / "etc/benefitd/benefitd.conf").string(),
                                     "--listen", "127.0.0.1:0"});

  BenefitdRun server(arguments, runtime.path() / "benefitd.log");
  INFO(server.log());
  REQUIRE_FALSE(server.address().empty());
  REQUIRE(manager.wait_for("READY=1"));
  benefitd::cli::HttpClient client(server.host(), server.port());
  CHECK(client.send({"GET", "/healthz", "", {}}).status == 200);
  CHECK(client.send({"GET", "/v1/catalog", "", {{"Authorization", "Bearer " + token}}}).status == 200);
  CHECK_FALSE(fs::is_empty(state_dir));
  // The catalog the package installed, found beside the program.
  CHECK(server.log().find("catalog: " + (package.root() / "usr/share/benefitd/catalog.json").string()) !=
        std::string::npos);

  server.signal(SIGTERM);
  CHECK(manager.wait_for("STOPPING=1"));
  CHECK(server.stop(0) == 0);
}
