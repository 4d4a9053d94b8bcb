// benefitctl against a real benefitd: subcommands, tables and --json, exit codes, global
// options anywhere, strict durations, flags in errors, idempotency and If-Match, watching a
// benefit live; then the offline tools on the stopped server's data dir, including a
// tampered log.
#include <catch2/catch.hpp>

#include <rocksdb/db.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "scenario.h"
#include "support/raw_rocksdb.h"
#include "support/temp_dir.h"

namespace benefitd::testing {
namespace {

struct Run {
  int status;
  std::string out;
};

/// Runs `program` with `arguments` (already shell-quoted); its stdout, with its stderr sent to
/// `errors_to` (a file, or `&1` for after stdout's, in the order written).
Run run(const std::string& program, const std::string& arguments, const std::string& errors_to = "/dev/null") {
  const std::string command = program + " " + arguments + " 2>" + errors_to;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  char buffer[4096];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

Run benefitctl(const std::string& arguments) { return run(BENEFITCTL_PATH, arguments); }
/// benefitctl's stdout and stderr together.
Run benefitctl_said(const std::string& arguments) { return run(BENEFITCTL_PATH, arguments, "&1"); }

std::string server_of(const ServerProcess& server) { return "--server http://127.0.0.1:" + server.port(); }

/// Changes one byte of the first stored event that holds `needle`, as an intruder would.
void tamper(const std::filesystem::path& data_dir, const std::string& needle) {
  std::filesystem::path db_path;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(data_dir))
    if (entry.path().filename() == "CURRENT") db_path = entry.path().parent_path();
  REQUIRE(!db_path.empty());
  benefitd::testing::with_raw_database(db_path, [&](rocksdb::DB& db, const benefitd::testing::RawFamilies& families) {
    auto* events = families.named("events");
    bool changed = false;
    std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(rocksdb::ReadOptions(), events));
    for (it->SeekToFirst(); it->Valid() && !changed; it->Next()) {
      std::string value = it->value().ToString();
      const std::size_t at = value.find(needle);
      if (at == std::string::npos) continue;
      value[at] = static_cast<char>(value[at] ^ 0x01);
      REQUIRE(db.Put(rocksdb::WriteOptions(), events, it->key(), value).ok());
      changed = true;
    }
    REQUIRE(changed);
  });
}

TEST_CASE("benefitctl speaks the API with tables or --json and exits 1 on a refusal", "[cli]") {
  TempDir dir;
  ServerProcess server(dir.path() / "data");
  const std::string op = "--server http://127.0.0.1:" + server.port() + " --token " + kOperatorToken;

  const Run registered = benefitctl(op +
                                    " --json partners register --name Contoso --account-email a@contoso.test"
                                    " --admin-email g@contoso.test --admin-name Grace");
  REQUIRE(registered.status == 0);
  const auto partner = nlohmann::json::parse(registered.out);
  const std::string partner_id = partner["partnerId"];
  const std::string admin =
      "--server http://127.0.0.1:" + server.port() + " --token " + partner["globalAdmin"]["token"].get<std::string>();
  CHECK(benefitctl(admin + " packages buy " + partner_id + " action-pack").status == 0);

  const Run table = benefitctl(admin + " benefits list " + partner_id + " --category software");
  CHECK(table.status == 0);
  std::istringstream lines(table.out);
  std::string header;
  std::getline(lines, header);
  CHECK(header.starts_with("benefitId"));
  CHECK(header.find("status") != std::string::npos);
  CHECK(std::count(table.out.begin(), table.out.end(), '\n') == 3);  // header and two software benefits
  CHECK(table.out.find("purchased") != std::string::npos);

  const Run clock = benefitctl(admin + " --json clock get");
  CHECK(nlohmann::json::parse(clock.out)["now"] == "2026-01-05T09:00:00Z");
  CHECK(benefitctl(admin + " clock advance --seconds 60").status == 1);
  CHECK(benefitctl(op + " clock advance --seconds 60").status == 0);
  CHECK(benefitctl("--server http://127.0.0.1:1 health").status == 2);
  CHECK(server.stop() == 0);

  const std::string data = "--data-dir " + (dir.path() / "data").string();
  const Run verified = benefitctl("--json audit verify " + data);
  CHECK(verified.status == 0);
  CHECK(nlohmann::json::parse(verified.out)["ok"] == true);

  const Run exported = benefitctl("audit export " + data + " --partner " + partner_id);
  CHECK(exported.status == 0);
  std::istringstream events(exported.out);
  std::string line;
  int count = 0;
  while (std::getline(events, line)) {
    const auto event = nlohmann::json::parse(line);
    CHECK(event["specversion"] == "1.0");
    ++count;
  }
  CHECK(count > 3);
  CHECK(benefitctl("projections rebuild " + data).status == 0);

  // Not on a terminal, each offline pass reports its progress on stderr in whole lines (here
  // only the summary: the pass is shorter than a progress line's interval), and --quiet
  // silences them; stdout is the same either way, and holds no log line.
  const std::filesystem::path errors = dir.path() / "stderr.txt";
  const auto read_errors = [&errors] {
    std::ifstream file(errors);
    return std::string(std::istreambuf_iterator<char>(file), {});
  };
  for (const std::string pass : {"audit verify --json", "audit export", "projections rebuild"}) {
    INFO(pass);
    const Run shown = run(BENEFITCTL_PATH, pass + " " + data, errors.string());
    CHECK(shown.status == 0);
    const std::string progress = read_errors();
    CHECK(progress.find(" events in ") != std::string::npos);
    CHECK(progress.find("events/s") != std::string::npos);
    CHECK(progress.find('\r') == std::string::npos);
    CHECK(progress.ends_with('\n'));
    const Run quiet = run(BENEFITCTL_PATH, pass + " --quiet " + data, errors.string());
    CHECK(quiet.status == 0);
    CHECK(read_errors().find("events") == std::string::npos);
    CHECK(quiet.out == shown.out);
    CHECK(shown.out.find("] [") == std::string::npos);  // a log line's level
  }
  // --from and --to keep the lines whose time lies between them, both included.
  const auto lines_timed = [](const std::string& lines, const auto& keep) {
    std::string kept;
    std::istringstream in(lines);
    for (std::string line; std::getline(in, line);)
      if (keep(nlohmann::json::parse(line)["time"].get<std::string>())) kept += line + "\n";
    return kept;
  };
  const std::string all = benefitctl("audit export " + data).out;
  const std::string at_nine = lines_timed(all, [](const std::string& time) { return time == "2026-01-05T09:00:00Z"; });
  CHECK(!at_nine.empty());
  CHECK(benefitctl("audit export " + data + " --from 2026-01-05T09:00:00Z --to 2026-01-05T09:00:00Z").out == at_nine);
  CHECK(benefitctl("audit export " + data + " --from 2026-01-05T09:00:01Z").out ==
        lines_timed(all, [](const std::string& time) { return time > "2026-01-05T09:00:00Z"; }));
  CHECK(benefitctl("audit export " + data + " --from yesterday").status == 2);

  tamper(dir.path() / "data", "Contoso");
  CHECK(benefitctl("audit verify " + data).status == 1);
}

TEST_CASE_METHOD(OnePartner,
                 "R-AUTH-10 benefitctl users rotate-token shows the new token and users remove leaves the user's "
                 "token refused",
                 "[cli][R-AUTH-10]") {
  const UserAccess agent = add_user(admin, partner.partner_id, "agent@contoso.test", {"admin-agent"});
  const std::string as_admin = server_of(server) + " --token " + partner.admin_token;
  const std::string partner_path = "/v1/partners/" + partner.partner_id;

  const Run rotated = benefitctl(as_admin + " --json users rotate-token " + partner.partner_id + " " + agent.user_id);
  REQUIRE(rotated.status == 0);
  const std::string fresh = nlohmann::json::parse(rotated.out)["token"];
  Caller::expect(Caller(server, agent.token).send("GET", partner_path), 401);
  Caller(server, fresh).get(partner_path);

  const Run removed = benefitctl(as_admin + " users remove " + partner.partner_id + " " + agent.user_id);
  CHECK(removed.status == 0);
  CHECK(removed.out.empty());
  Caller::expect(Caller(server, fresh).send("GET", partner_path), 401);
  CHECK(benefitctl(as_admin + " users remove " + partner.partner_id + " " + agent.user_id).status == 1);  // 404
}

TEST_CASE("benefitctl usage errors exit 2, help and --version exit 0, for both programs", "[cli]") {
  CHECK(benefitctl("").status == 2);                                  // no subcommand
  CHECK(benefitctl("partners").status == 2);                          // a group without its command
  CHECK(benefitctl("partners register --name Contoso").status == 2);  // missing options
  CHECK(benefitctl("benefits get").status == 2);                      // missing argument
  CHECK(benefitctl("clock get --no-such-option").status == 2);
  CHECK(benefitctl("clock get extra-argument").status == 2);
  CHECK(benefitctl("users list P-1 --limit 0").status == 2);  // out of range
  CHECK(benefitctl("--server nonsense health").status == 2);
  const Run help = benefitctl("benefits activate --help");
  CHECK(help.status == 0);
  CHECK(help.out.find("Who: the operator; global-admin, mpn-partner-admin") != std::string::npos);
  CHECK(help.out.find("Example:\n  benefitctl benefits activate B-1") != std::string::npos);
  CHECK(help.out.find("--if-match") != std::string::npos);  // the global options are named
  const Run paging = benefitctl("audit history --help");
  CHECK(paging.out.find("--limit N") != std::string::npos);
  CHECK(paging.out.find("--cursor") != std::string::npos);
  CHECK(benefitctl("--help").out.find("Global options") != std::string::npos);

  const Run version = benefitctl("--version");
  CHECK(version.status == 0);
  CHECK(version.out.starts_with("benefitctl "));
  const Run server_version = run(BENEFITD_PATH, "--version");
  CHECK(server_version.status == 0);
  CHECK(server_version.out.starts_with("benefitd "));
  CHECK(server_version.out.substr(9) == version.out.substr(11));  // one version for both
}

TEST_CASE("benefitctl global options stand anywhere on the line", "[cli]") {
  TempDir dir;
  ServerProcess server(dir.path() / "data");
  const Run after = benefitctl("clock get --json " + server_of(server) + " --token " + kOperatorToken);
  REQUIRE(after.status == 0);
  CHECK(nlohmann::json::parse(after.out)["now"] == "2026-01-05T09:00:00Z");
  const Run between =
      benefitctl("clock --token " + std::string(kOperatorToken) + " get " + server_of(server) + " --json");
  REQUIRE(between.status == 0);
  CHECK(nlohmann::json::parse(between.out)["mode"] == "simulated");
}

TEST_CASE("benefitctl durations: --seconds 3d moves three days, 1.9 and 3x are refused and move nothing", "[cli]") {
  TempDir dir;
  ServerProcess server(dir.path() / "data");
  Caller op(server, kOperatorToken);
  const std::string as_op = server_of(server) + " --token " + kOperatorToken;
  CHECK(benefitctl(as_op + " clock advance --seconds 3d").status == 0);
  CHECK(op.get("/v1/clock")["now"] == "2026-01-08T09:00:00Z");
  CHECK(benefitctl(as_op + " clock advance --seconds 90m").status == 0);
  CHECK(op.get("/v1/clock")["now"] == "2026-01-08T10:30:00Z");
  for (const char* refused : {"1.9", "3x", "-5", "2h30"}) {
    const Run run = benefitctl_said(as_op + " clock advance --seconds " + refused);
    CHECK(run.status == 2);
    CHECK(run.out.find("--seconds") != std::string::npos);
  }
  CHECK(benefitctl(as_op + " clock advance --seconds 60 --to 2026-02-01T00:00:00Z").status == 2);
  CHECK(op.get("/v1/clock")["now"] == "2026-01-08T10:30:00Z");
  CHECK(benefitctl(as_op + " benefits expiring P-1 --within 1.5d").status == 2);
  CHECK(benefitctl(as_op + " benefits support-request B-1 --type product-support --family azure --summary s"
                           " --hours 2.5h")
            .status == 2);
}

TEST_CASE_METHOD(OnePartner,
                 "benefitctl tables: users with roles, audit history with actors, paged with --limit and --cursor",
                 "[cli]") {
  add_user(admin, partner.partner_id, "agent@contoso.test", {"admin-agent", "user-admin"});
  const std::string as_admin = server_of(server) + " --token " + partner.admin_token;

  const Run users = benefitctl(as_admin + " users list " + partner.partner_id);
  REQUIRE(users.status == 0);
  CHECK(users.out.starts_with("userId"));
  CHECK(users.out.substr(0, users.out.find('\n')).find("roles") != std::string::npos);
  const std::size_t agent_row = users.out.find("agent@contoso.test");
  REQUIRE(agent_row != std::string::npos);
  const std::string agent_line = users.out.substr(agent_row, users.out.find('\n', agent_row) - agent_row);
  CHECK(agent_line.find("admin-agent") != std::string::npos);
  CHECK(agent_line.find("user-admin") != std::string::npos);
  CHECK(users.out.find("global-admin") != std::string::npos);

  // The log: PartnerRegistered and UserAdded (the global admin) by the operator, then
  // UserAdded (the agent) by the global admin.
  const Run first = benefitctl(as_admin + " audit history " + partner.partner_id + " --limit 2");
  REQUIRE(first.status == 0);
  CHECK(first.out.substr(0, first.out.find('\n')).find("actor") != std::string::npos);
  CHECK(first.out.find("PartnerRegistered") != std::string::npos);
  CHECK(first.out.find("operator") != std::string::npos);
  const std::size_t more = first.out.find("more: --cursor ");
  REQUIRE(more != std::string::npos);
  const std::string cursor = first.out.substr(more + 15, first.out.find('\n', more) - more - 15);
  const Run second = benefitctl(as_admin + " audit history " + partner.partner_id + " --limit 2 --cursor " + cursor);
  REQUIRE(second.status == 0);
  CHECK(second.out.find("PartnerRegistered") == std::string::npos);
  CHECK(second.out.find("UserAdded") != std::string::npos);
  CHECK(second.out.find("user " + partner.admin_user_id) != std::string::npos);  // the admin added the agent
}

TEST_CASE_METHOD(OnePartner, "benefitctl shows nested answers as sections and tables, and names its flags in errors",
                 "[cli]") {
  const std::string as_admin = server_of(server) + " --token " + partner.admin_token;

  const Run bought = benefitctl(as_admin + " packages buy " + partner.partner_id + " silver-competency");
  REQUIRE(bought.status == 0);
  CHECK(bought.out.find("benefits:\n  benefitId") != std::string::npos);
  std::istringstream lines(bought.out);
  for (std::string line; std::getline(lines, line);) {
    CHECK(line.size() < 160);
    CHECK(line.find('{') == std::string::npos);
  }
  const Run listed = benefitctl(as_admin + " --json benefits list " + partner.partner_id);
  std::string software, visual_studio;
  const auto benefits = nlohmann::json::parse(listed.out);
  for (const auto& benefit : benefits["items"]) {
    if (benefit["category"] == "software" && software.empty()) software = benefit["benefitId"];
    if (benefit["category"] == "visual-studio" && visual_studio.empty()) visual_studio = benefit["benefitId"];
  }
  REQUIRE(!software.empty());
  REQUIRE(!visual_studio.empty());
  const Run no_user = benefitctl_said(as_admin + " benefits activate " + visual_studio);
  CHECK(no_user.status == 1);
  CHECK(no_user.out.find("--user is required") != std::string::npos);
  CHECK(no_user.out.find("userId") == std::string::npos);
  const Run no_language = benefitctl_said(as_admin + " benefits activate " + software + " --os x64");
  CHECK(no_language.status == 1);
  CHECK(no_language.out.find("--language: one of ") != std::string::npos);
  CHECK(no_language.out.find("en-US") != std::string::npos);

  const Run operations = benefitctl(server_of(server) + " openapi");
  REQUIRE(operations.status == 0);
  CHECK(operations.out.starts_with("method"));
  CHECK(operations.out.find("/v1/clock/advance") != std::string::npos);
  CHECK(operations.out.find("\":") == std::string::npos);  // no JSON fragments
}

TEST_CASE_METHOD(OnePartner, "benefitctl --idempotency-key repeats nothing and --if-match refuses a stale version",
                 "[cli]") {
  const std::string as_admin = server_of(server) + " --token " + partner.admin_token;
  const std::string buy = " packages buy " + partner.partner_id + " action-pack --json --idempotency-key buy-1";

  const Run first = benefitctl(as_admin + buy);
  const Run again = benefitctl(as_admin + buy);
  REQUIRE(first.status == 0);
  REQUIRE(again.status == 0);
  const auto package = nlohmann::json::parse(first.out);
  CHECK(nlohmann::json::parse(again.out)["packageId"] == package["packageId"]);
  CHECK(admin.get("/v1/partners/" + partner.partner_id + "/packages")["items"].size() == 1);

  const std::string package_id = package["packageId"];
  const std::string version = std::to_string(package["version"].get<int>());
  const Run stale = benefitctl_said(as_admin + " packages cancel " + package_id + " --reason r --if-match 999");
  CHECK(stale.status == 1);
  CHECK(stale.out.find("412 version-mismatch") != std::string::npos);
  CHECK(admin.get("/v1/packages/" + package_id)["status"] == package["status"]);
  CHECK(benefitctl(as_admin + " packages cancel " + package_id + " --reason r --if-match " + version).status == 0);
  CHECK(admin.get("/v1/packages/" + package_id)["status"] != package["status"]);
}

TEST_CASE_METHOD(OnePartner, "benefitctl benefits watch follows a benefit live until it reaches --until", "[cli]") {
  const auto package = buy("silver-competency");
  const std::string technical = benefit_of(package, "technical")["benefitId"];
  admin.post("/v1/benefits/" + technical + "/activate", nlohmann::json::object(), 202);

  const std::string command = std::string(BENEFITCTL_PATH) + " " + server_of(server) + " --token " +
                              partner.admin_token + " benefits watch " + technical + " --until active --wait 5";
  FILE* watch = ::popen(command.c_str(), "r");
  REQUIRE(watch != nullptr);
  char line[512];
  REQUIRE(std::fgets(line, sizeof line, watch) != nullptr);  // the status before the clock moves
  const std::string before = line;
  CHECK((before.ends_with("  activation-requested\n") || before.ends_with("  pending\n")));
  advance_days(op, 7);  // fulfilment takes 3 business days
  std::string rest;
  while (std::fgets(line, sizeof line, watch) != nullptr) rest += line;
  const int status = ::pclose(watch);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(rest.ends_with("  active\n"));
  CHECK(rest.starts_with("2026-01-"));
}

/// What the bash completion offers for `words` (the last one being completed), one line.
std::string completions(const std::string& words) {
  const std::string script = std::string("source ") + BENEFITCTL_COMPLETION + "; COMP_WORDS=(" + BENEFITCTL_PATH +
                             " " + words + "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _benefitctl;" +
                             " echo \"${COMPREPLY[*]}\"";
  const Run completed = run("bash", "-c '" + script + "'");
  REQUIRE(completed.status == 0);
  return completed.out;
}

TEST_CASE("benefitctl bash completion offers the commands and options of benefitctl's own help", "[cli]") {
  CHECK(completions("ben") == "benefits\n");
  CHECK(completions("benefits wa") == "watch\n");
  CHECK(completions("--server http://127.0.0.1:1 benefits wa") == "watch\n");  // an option's value is skipped
  CHECK(completions("clock advance --se") == "--seconds --server\n");         // its own and the global ones
  CHECK(completions("benefits get B-1 --js") == "--json\n");
  const std::string top = completions("\"\"");
  for (const char* group : {"audit", "partners", "users", "packages", "benefits", "clock", "openapi"})
    CHECK(top.find(group) != std::string::npos);
}

}  // namespace
}  // namespace benefitd::testing
