// benefitctl against a real benefitd: subcommands, tables and --json, exit codes; then the
// offline tools on the stopped server's data dir, including a tampered log.
#include <catch2/catch.hpp>

#include <rocksdb/db.h>

#include <cstdio>
#include <sstream>

#include "scenario.h"
#include "support/temp_dir.h"

namespace benefitd::testing {
namespace {

struct Run {
  int status;
  std::string out;
};

/// Runs benefitctl with `arguments` (already shell-quoted) and its stdout.
Run benefitctl(const std::string& arguments) {
  const std::string command = std::string(BENEFITCTL_PATH) + " " + arguments + " 2>/dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  char buffer[4096];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

/// Changes one byte of the first stored event that holds `needle`, as an intruder would.
void tamper(const std::filesystem::path& data_dir, const std::string& needle) {
  std::filesystem::path db_path;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(data_dir))
    if (entry.path().filename() == "CURRENT") db_path = entry.path().parent_path();
  REQUIRE(!db_path.empty());
  std::vector<std::string> names;
  REQUIRE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), db_path.string(), &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& name : names) descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  REQUIRE(rocksdb::DB::Open(rocksdb::DBOptions(), db_path.string(), descriptors, &handles, &db).ok());
  auto* events = handles[std::find(names.begin(), names.end(), "events") - names.begin()];
  bool changed = false;
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), events));
  for (it->SeekToFirst(); it->Valid() && !changed; it->Next()) {
    std::string value = it->value().ToString();
    const std::size_t at = value.find(needle);
    if (at == std::string::npos) continue;
    value[at] = static_cast<char>(value[at] ^ 0x01);
    REQUIRE(db->Put(rocksdb::WriteOptions(), events, it->key(), value).ok());
    changed = true;
  }
  it.reset();
  REQUIRE(changed);
  for (auto* handle : handles) REQUIRE(db->DestroyColumnFamilyHandle(handle).ok());
  REQUIRE(db->Close().ok());
  delete db;
}

TEST_CASE("benefitctl speaks the API with tables or --json and exits 1 on a refusal", "[cli]") {
  TempDir dir;
  ServerProcess server(dir.path() / "data");
  const std::string op = "--server http://127.0.0.1:" + server.port() + " --token " + kOperatorToken;

  const Run registered = benefitctl(op + " --json partners register --name Contoso --account-email a@contoso.test"
                                         " --admin-email g@contoso.test --admin-name Grace");
  REQUIRE(registered.status == 0);
  const auto partner = nlohmann::json::parse(registered.out);
  const std::string partner_id = partner["partnerId"];
  const std::string admin = "--server http://127.0.0.1:" + server.port() + " --token " +
                            partner["globalAdmin"]["token"].get<std::string>();
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

  tamper(dir.path() / "data", "Contoso");
  CHECK(benefitctl("audit verify " + data).status == 1);
}

TEST_CASE("R-AUTH-10 benefitctl users rotate-token shows the new token and users remove leaves the user's token refused",
          "[cli][R-AUTH-10]") {
  TempDir dir;
  ServerProcess server(dir.path() / "data");
  Caller op(server, kOperatorToken);
  const PartnerAccess partner = register_partner(op, "contoso");
  Caller admin(server, partner.admin_token);
  const UserAccess agent = add_user(admin, partner.partner_id, "agent@contoso.test", {"admin-agent"});
  const std::string as_admin = "--server http://127.0.0.1:" + server.port() + " --token " + partner.admin_token;
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

}  // namespace
}  // namespace benefitd::testing
