// benefitctl: the command-line client of API.md, plus offline tools on a stopped server's
// data dir. Exit codes: 0 success, 1 the server refused (or the audit chain is broken),
// 2 usage, connection or data-dir errors.
#include <cstdlib>
#include <iostream>

#include <CLI/CLI.hpp>

#include "adapters/cli/api_commands.h"
#include "adapters/cli/http_client.h"
#include "adapters/cli/offline_tools.h"
#include "adapters/cli/render.h"

namespace {

using namespace benefitd::cli;

std::string from_environment(const char* name, std::string fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

int call_server(const ApiCall& call, const std::string& server, const std::string& token, bool json) {
  const auto address = parse_server_url(server);
  if (!address) {
    std::cerr << "benefitctl: --server must look like http://HOST:PORT, got '" << server << "'\n";
    return 2;
  }
  ClientRequest request{call.method, call.target, call.body ? call.body->dump() : "", {}};
  if (!token.empty()) request.headers.emplace_back("Authorization", "Bearer " + token);
  ClientResponse response;
  try {
    HttpClient client(address->first, address->second);
    response = client.send(request);
  } catch (const std::exception& error) {
    std::cerr << "benefitctl: " << error.what() << "\n";
    return 2;
  }
  const bool success = response.status >= 200 && response.status < 300;
  if (response.status == 204) return 0;  // done, nothing to show (a removal)
  if (call.text) {
    std::cout << response.body;
    return success ? 0 : 1;
  }
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (json) {
    (success ? std::cout : std::cerr) << (body.is_discarded() ? response.body : body.dump()) << "\n";
  } else if (!success) {
    render_problem(response.status, body, std::cerr);
  } else if (call.list) {
    render_list(body, call.columns, std::cout);
  } else {
    render_object(body, std::cout);
  }
  return success ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"benefitctl: partner-program membership benefits from the command line"};
  app.require_subcommand(1);
  std::string server = from_environment("BENEFITCTL_SERVER", "http://127.0.0.1:8080");
  std::string token = from_environment("BENEFITCTL_TOKEN", "");
  bool json = false;
  app.add_option("--server", server, "Server URL (or BENEFITCTL_SERVER)")->capture_default_str();
  app.add_option("--token", token, "Bearer token (or BENEFITCTL_TOKEN)");
  app.add_flag("--json", json, "Print the server's JSON, for scripts");

  CLI::App& audit = *app.add_subcommand("audit", "Audit: history, verification, export");
  audit.require_subcommand(1);
  CLI::App& verify = *audit.add_subcommand("verify", "Verify the hash chains (online, or offline with --data-dir)");
  std::string verify_dir, verify_partner;
  verify.add_option("--data-dir", verify_dir, "A stopped server's data dir (offline)");
  verify.add_option("--partner", verify_partner, "Only this partner's streams");
  CLI::App& export_command = *audit.add_subcommand("export", "CloudEvents 1.0 JSON lines of the log (offline)");
  std::string export_dir, export_partner;
  export_command.add_option("--data-dir", export_dir, "A stopped server's data dir")->required();
  export_command.add_option("--partner", export_partner, "Only this partner's events");
  CLI::App& projections = *app.add_subcommand("projections", "Views");
  projections.require_subcommand(1);
  CLI::App& rebuild = *projections.add_subcommand("rebuild", "Rebuild every view from the log (offline)");
  std::string rebuild_dir;
  rebuild.add_option("--data-dir", rebuild_dir, "A stopped server's data dir")->required();

  ApiCommands commands(app, audit);
  for (CLI::App* group : app.get_subcommands({}))
    if (group != &app && !group->get_subcommands({}).empty()) group->require_subcommand(1);
  CLI11_PARSE(app, argc, argv);

  const auto optional = [](const std::string& value) {
    return value.empty() ? std::nullopt : std::optional<std::string>(value);
  };
  if (verify.parsed()) {
    if (!verify_dir.empty()) return verify_offline(verify_dir, optional(verify_partner), json);
    const int status = call_server(ApiCommands::verify_call(verify_partner), server, token, json);
    return status;
  }
  if (export_command.parsed()) return export_offline(export_dir, optional(export_partner));
  if (rebuild.parsed()) return rebuild_offline(rebuild_dir);
  std::optional<ApiCall> call;
  try {
    call = commands.chosen();
  } catch (const std::exception&) {
    std::cerr << "benefitctl: a numeric option is not a number\n";
    return 2;
  }
  if (!call) {
    std::cerr << app.help();
    return 2;
  }
  return call_server(*call, server, token, json);
}
