// benefitctl: the command-line client of API.md, plus offline tools on a stopped server's
// data dir. Exit codes: 0 success, 1 the server refused (or the audit chain is broken),
// 2 usage, connection or data-dir errors. Global options may stand anywhere on the line.
#include <cstdlib>
#include <iostream>

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "adapters/cli/api_commands.h"
#include "adapters/cli/backup_commands.h"
#include "adapters/cli/http_client.h"
#include "adapters/cli/offline_tools.h"
#include "adapters/cli/render.h"
#include "adapters/cli/watch.h"
#include "workflows/time.h"

namespace {

using namespace benefitd::cli;

constexpr int kUsageError = 2;

std::string from_environment(const char* name, std::string fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

/// The options that apply to every call to the server.
struct Globals {
  std::string server = from_environment("BENEFITCTL_SERVER", "http://127.0.0.1:8080");
  std::string token = from_environment("BENEFITCTL_TOKEN", "");
  std::string cacert = from_environment("BENEFITCTL_CACERT", "");
  std::string idempotency_key, if_match;
  bool json = false;

  std::vector<std::pair<std::string, std::string>> headers(const std::string& method) const {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    if (method == "GET") return headers;
    if (!idempotency_key.empty()) headers.emplace_back("Idempotency-Key", idempotency_key);
    // The API's ETags are quoted versions; people type the version (3) or the ETag ("3").
    if (!if_match.empty()) headers.emplace_back("If-Match", if_match.front() == '"' ? if_match : '"' + if_match + '"');
    return headers;
  }
};

void add_globals(CLI::App& app, Globals& globals) {
  const std::string group = "Global options (anywhere on the line)";
  app.add_option("--server", globals.server, "Server URL (or BENEFITCTL_SERVER)")
      ->capture_default_str()
      ->type_name("URL")
      ->group(group);
  app.add_option("--token", globals.token, "Bearer token (or BENEFITCTL_TOKEN)")->type_name("TOKEN")->group(group);
  app.add_option("--cacert", globals.cacert,
                 "Trust only the CA certificates in this PEM file for an https:// server (or BENEFITCTL_CACERT; "
                 "default: the system's trust store)")
      ->type_name("FILE")
      ->group(group);
  app.add_flag("--json", globals.json, "Print the server's JSON, for scripts")->group(group);
  app.add_option("--idempotency-key", globals.idempotency_key,
                 "Idempotency-Key of a POST/PUT/DELETE: the same command again changes nothing")
      ->check(CLI::Validator(
          [](const std::string& key) {
            return key.empty() || key.size() > 255 ? std::string("must be 1 to 255 characters") : std::string();
          },
          "", "KEY"))
      ->type_name("KEY")
      ->group(group);
  app.add_option("--if-match", globals.if_match, "Only if the resource is at this version (its ETag)")
      ->type_name("VERSION")
      ->group(group);
  app.set_version_flag("--version", std::string("benefitctl ") + BENEFITD_VERSION)->group(group);
  app.set_help_flag("-h,--help", "Print this help and exit")->group(group);
}

std::optional<HttpClient> connect(const Globals& globals) {
  const auto address = parse_server_address(globals.server);
  if (!address) {
    std::cerr << "benefitctl: --server must look like http://HOST:PORT or https://HOST:PORT, got '" << globals.server
              << "'\n";
    return std::nullopt;
  }
  if (!address->https) {
    if (!globals.cacert.empty()) {
      std::cerr << "benefitctl: --cacert is for an https:// server, got '" << globals.server << "'\n";
      return std::nullopt;
    }
    return std::make_optional<HttpClient>(address->host, address->port);
  }
  try {
    return std::make_optional<HttpClient>(address->host, address->port, std::chrono::seconds(90),
                                          ClientTls{globals.cacert});
  } catch (const std::exception& error) {
    std::cerr << "benefitctl: --cacert: " << error.what() << "\n";
    return std::nullopt;
  }
}

int call_server(const ApiCall& call, const Globals& globals) {
  auto client = connect(globals);
  if (!client) return kUsageError;
  ClientRequest request{call.method, call.target, call.body ? call.body->dump() : "", globals.headers(call.method)};
  ClientResponse response;
  try {
    response = client->send(request);
  } catch (const std::exception& error) {
    std::cerr << "benefitctl: " << error.what() << "\n";
    return kUsageError;
  }
  const bool success = response.status >= 200 && response.status < 300;
  if (response.status == 204) return 0;  // done, nothing to show (a removal)
  if (call.shape == Shape::text) {
    std::cout << response.body;
    return success ? 0 : 1;
  }
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (globals.json) {
    (success ? std::cout : std::cerr) << (body.is_discarded() ? response.body : body.dump()) << "\n";
  } else if (!success) {
    render_problem(response.status, body, std::cerr, call.names);
  } else if (call.shape == Shape::list) {
    render_list(body, call.columns, std::cout);
  } else if (call.shape == Shape::operations) {
    render_operations(body, std::cout);
  } else {
    render_object(body, std::cout, call.nested);
  }
  return success ? 0 : 1;
}

int watch(const WatchRequest& request, const Globals& globals) {
  auto client = connect(globals);
  if (!client) return kUsageError;
  try {
    return watch_benefit(*client, globals.headers("GET"), request, globals.json, std::cout, std::cerr);
  } catch (const std::exception& error) {
    std::cerr << "benefitctl: " << error.what() << "\n";
    return kUsageError;
  }
}

}  // namespace

int main(int argc, char** argv) {
  // What the store and the engine log (a RocksDB warning, say) goes to stderr: stdout carries
  // only the answer, such as the lines of an export.
  spdlog::set_default_logger(spdlog::stderr_color_mt("benefitctl"));
  CLI::App app{"benefitctl: partner-program membership benefits from the command line"};
  // Set before any subcommand is added: subcommands inherit it, so an option a subcommand
  // does not know (--json, --server, ...) is looked up in its parents, wherever it stands.
  app.fallthrough();
  app.require_subcommand(1);
  Globals globals;
  add_globals(app, globals);

  CLI::App& audit = *app.add_subcommand("audit", "Audit: history, verification, export");
  CLI::App& verify = *audit.add_subcommand("verify", "Verify the hash chains (online, or offline with --data-dir or --store)");
  verify.footer(
      "\nWho: the operator (offline: whoever can read the data dir)\nExample:\n  benefitctl audit verify "
      "--data-dir /var/lib/benefitd");
  // The offline tools open a stopped server's store: its data dir's, or a PostgreSQL store.
  const std::string store_help = "A PostgreSQL store no node serves (libpq connection string), in place of --data-dir";
  OfflineStore verify_store, export_store, rebuild_store;
  std::string verify_partner;
  verify.add_option("--data-dir", verify_store.data_dir, "A stopped server's data dir (offline)");
  verify.add_option("--store", verify_store.conninfo, store_help + " (offline)")->excludes("--data-dir");
  verify.add_option("--partner", verify_partner, "Only this partner's streams");
  bool quiet = false;
  const std::string quiet_help = "Show no progress on stderr (offline)";
  verify.add_flag("--quiet", quiet, quiet_help);
  CLI::App& export_command = *audit.add_subcommand("export", "CloudEvents 1.0 JSON lines of the log (offline)");
  export_command.footer(
      "\nWho: whoever can read the data dir (the server stopped)\nExample:\n  benefitctl audit "
      "export --data-dir /var/lib/benefitd --partner P-1 --from 2026-01-01T00:00:00Z --to 2026-03-31T23:59:59Z");
  std::string export_partner, export_from, export_to;
  export_command.add_option("--data-dir", export_store.data_dir, "A stopped server's data dir");
  export_command.add_option("--store", export_store.conninfo, store_help)->excludes("--data-dir");
  export_command.add_option("--partner", export_partner, "Only this partner's events (read through its index)");
  const CLI::Validator rfc3339(
      [](const std::string& text) {
        return benefitd::workflows::parseTime(text) ? std::string() : std::string("must be RFC 3339 UTC, like 2026-01-05T09:00:00Z");
      },
      "");
  export_command.add_option("--from", export_from, "Only events that occurred at or after this time")
      ->check(rfc3339)
      ->type_name("TIME");
  export_command.add_option("--to", export_to, "Only events that occurred at or before this time")
      ->check(rfc3339)
      ->type_name("TIME");
  export_command.add_flag("--quiet", quiet, quiet_help);
  CLI::App& projections = *app.add_subcommand("projections", "Views: rebuild them from the log (offline)");
  CLI::App& rebuild = *projections.add_subcommand("rebuild", "Rebuild every view from the log (offline)");
  rebuild.footer(
      "\nWho: whoever can write the data dir (the server stopped)\nExample:\n  benefitctl projections "
      "rebuild --data-dir /var/lib/benefitd");
  rebuild.add_option("--data-dir", rebuild_store.data_dir, "A stopped server's data dir");
  rebuild.add_option("--store", rebuild_store.conninfo, store_help)->excludes("--data-dir");
  rebuild.add_flag("--quiet", quiet, quiet_help);

  CLI::App& backup = *app.add_subcommand("backup", "Backups: take one from a running server, restore one offline");
  CLI::App& backup_create =
      *backup.add_subcommand("create", "Take a consistent backup of a running server into a new directory");
  backup_create.footer(
      "\nWho: the operator (--token)\nExample:\n  benefitctl backup create --server http://127.0.0.1:8080 "
      "--to /srv/backups/benefitd-2026-11-26");
  std::string backup_to;
  backup_create.add_option("--to", backup_to, "A new or empty directory for the backup")->required()->type_name("DIR");
  CLI::App& backup_restore = *backup.add_subcommand(
      "restore", "Restore a backup into a new data dir, then verify its log and views (offline)");
  backup_restore.footer(
      "\nWho: whoever can write the new data dir (no server runs on it)\nExample:\n  benefitctl backup restore "
      "--from /srv/backups/benefitd-2026-11-26 --data-dir /var/lib/benefitd");
  std::string restore_from, restore_dir;
  backup_restore.add_option("--from", restore_from, "A directory made by `backup create`")->required()->type_name("DIR");
  backup_restore.add_option("--data-dir", restore_dir, "A new or empty data dir")->required()->type_name("DIR");
  backup_restore.add_flag("--quiet", quiet, quiet_help);

  ApiCommands commands(app, audit);
  for (CLI::App* group : app.get_subcommands({}))
    if (!group->get_subcommands({}).empty()) group->require_subcommand(1);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // Help and --version end with code 0; every other parse error is a usage error.
    return app.exit(error) == 0 ? 0 : kUsageError;
  }

  const auto optional = [](const std::string& value) {
    return value.empty() ? std::nullopt : std::optional<std::string>(value);
  };
  const auto given = [](const OfflineStore& where) { return !where.data_dir.empty() || !where.conninfo.empty(); };
  if (verify.parsed()) {
    if (given(verify_store)) return verify_offline(verify_store, optional(verify_partner), globals.json, quiet);
    return call_server(ApiCommands::verify_call(verify_partner), globals);
  }
  for (const auto& [command, where] : {std::pair{&export_command, &export_store}, std::pair{&rebuild, &rebuild_store}}) {
    if (command->parsed() && !given(*where)) {
      std::cerr << "benefitctl: " << command->get_name() << " needs --data-dir or --store\n";
      return kUsageError;
    }
  }
  if (export_command.parsed()) {
    const auto time = [](const std::string& text) {
      return text.empty() ? std::nullopt : benefitd::workflows::parseTime(text);
    };
    return export_offline(export_store, {optional(export_partner), time(export_from), time(export_to)}, quiet);
  }
  if (rebuild.parsed()) return rebuild_offline(rebuild_store, quiet);
  if (backup_create.parsed()) {
    auto client = connect(globals);
    if (!client) return kUsageError;
    return create_backup(*client, globals.headers("GET"), backup_to, globals.json);
  }
  if (backup_restore.parsed()) return restore_backup(restore_from, restore_dir, globals.json, quiet);
  if (const auto request = commands.watch_chosen()) return watch(*request, globals);
  const auto call = commands.chosen();
  if (!call) {
    std::cerr << app.help();
    return kUsageError;
  }
  return call_server(*call, globals);
}
