// benefitd: the server. Flags as in API.md "Starting the server".
#include <sys/stat.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "adapters/app/service.h"
#include "adapters/http/webhook_sink.h"
#include "adapters/notify/webhook_signature.h"
#include "adapters/http/config_file.h"
#include "adapters/http/connection_limit.h"
#include "adapters/http/logging.h"
#include "adapters/http/operator_token.h"
#include "adapters/http/router.h"
#ifdef BENEFITD_PAGE
#include "adapters/http/page_bundle.h"
#endif
#include "adapters/http/server.h"
#include "store/postgres/postgres_event_store.h"
#include "store/postgres/postgres_lease.h"
#include "adapters/http/service_manager.h"
#include "workflows/time.h"

namespace {

using namespace benefitd;

/// "HOST:PORT" or "[IPv6]:PORT".
bool parse_listen(const std::string& text, http::ServerOptions* options) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon + 1 == text.size()) return false;
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = 0;
  try {
    std::size_t used = 0;
    port = std::stoi(text.substr(colon + 1), &used);
    if (used != text.size() - colon - 1) return false;
  } catch (const std::exception&) {
    return false;
  }
  if (host.empty() || port < 0 || port > 65535) return false;
  options->host = host;
  options->port = static_cast<std::uint16_t>(port);
  return true;
}

/// The catalog installed beside the program (PREFIX/bin/benefitd, PREFIX/share/benefitd), as the
/// package lays it out; nullopt when benefitd runs from a build tree.
std::optional<std::filesystem::path> installed_catalog() {
  std::error_code error;
  const std::filesystem::path program = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return std::nullopt;
  std::filesystem::path catalog = program.parent_path().parent_path() / "share" / "benefitd" / "catalog.json";
  if (!std::filesystem::is_regular_file(catalog, error)) return std::nullopt;
  return catalog;
}

}  // namespace

int main(int argc, char** argv) {
  // The data dir holds product keys, emails and token hashes: whatever benefitd creates (the
  // dir, RocksDB's files, the notification spool) is for its own user only (0700 and 0600).
  ::umask(077);
  CLI::App cli{"benefitd: partner-program membership benefits, over HTTP"};
  cli.set_version_flag("--version", std::string("benefitd ") + BENEFITD_VERSION);
  std::string data_dir = "./data", listen = "127.0.0.1:8080", operator_token, operator_token_file, clock = "system", clock_start,
              fulfilment = "simulated", catalog, durability = "fsync", log_format = "text", log_level = "info",
              notify_webhook;
  int io_threads = 2;
  std::size_t max_connections = 4096;
  std::size_t cache_mb = 256;
  std::uint64_t reserve_disk_mb = 128;
  std::string tls_cert, tls_key;
  int tls_handshake_timeout = 10;
  cli.add_option("--data-dir", data_dir, "Where the event store and views live")->capture_default_str();
  std::string store_conninfo;
  cli.add_option("--store", store_conninfo,
                 "The event store on PostgreSQL: a libpq connection string (postgresql://...); default: RocksDB in --data-dir");
  int lease_retry_ms = 1000;
  cli.add_option("--lease-retry-ms", lease_retry_ms,
                 "With --store: how often a server that does not fire timers tries to take over from the one that "
                 "does (the longest a dead one's timers wait), in milliseconds")
      ->check(CLI::Range(10, 60'000))->capture_default_str();
  cli.add_option("--listen", listen, "HOST:PORT to listen on (port 0: any free port)")->capture_default_str();
  cli.add_option("--operator-token", operator_token, "The operator's bearer token")
      ->envname("BENEFITD_OPERATOR_TOKEN");
  // A token on the command line is visible to every local user in /proc/PID/cmdline.
  cli.add_option("--operator-token-file", operator_token_file,
                 "A file holding the operator's bearer token (wins over --operator-token; default: the "
                 "systemd credential operator-token, when there is one)");
  cli.add_option("--clock", clock, "system or simulated")->check(CLI::IsMember({"system", "simulated"}))
      ->capture_default_str();
  cli.add_option("--clock-start", clock_start, "Start of a new data dir's simulated clock (RFC 3339)");
  cli.add_option("--fulfilment", fulfilment, "simulated or external")
      ->check(CLI::IsMember({"simulated", "external"}))->capture_default_str();
  cli.add_option("--catalog", catalog,
                 "Catalog JSON file (default: the one installed in ../share/benefitd, else the built-in catalog)");
  cli.add_option("--durability", durability, "fsync or none")->check(CLI::IsMember({"fsync", "none"}))
      ->capture_default_str();
  cli.add_option("--log-format", log_format, "text or json")->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cli.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")->capture_default_str();
  cli.add_option("--notify-webhook", notify_webhook, "POST notifications to this URL instead of the spool");
  std::string notify_webhook_secret_file;
  cli.add_option("--notify-webhook-secret-file", notify_webhook_secret_file,
                 "A file holding the webhook signing secret (whsec_ + base64, Standard Webhooks)");
  std::string notify_webhook_cacert;
  cli.add_option("--notify-webhook-cacert", notify_webhook_cacert,
                 "Trust only the CA certificates in this PEM file for an https:// webhook (default: the system's)")
      ->type_name("FILE");
  std::uint32_t notify_max_attempts = 10;
  cli.add_option("--notify-max-attempts", notify_max_attempts,
                 "Failed deliveries of one notification before it is parked in the dead letters")
      ->check(CLI::Range(1, 1000))->capture_default_str();
  cli.add_option("--io-threads", io_threads, "HTTP I/O threads")->check(CLI::Range(1, 64))->capture_default_str();
  cli.add_option("--max-connections", max_connections,
                 "Client connections open at once (at most what the open-file limit leaves the store)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20))->capture_default_str();
  cli.add_option("--cache-mb", cache_mb, "Memory for the store's block cache, in MiB")
      ->check(CLI::Range(std::size_t{8}, std::size_t{1} << 20))->capture_default_str();
  cli.add_option("--reserve-disk-mb", reserve_disk_mb,
                 "Free disk space kept in reserve, in MiB: below it commands are refused (503) until space is freed")
      ->check(CLI::Range(std::uint64_t{0}, std::uint64_t{1} << 30))->capture_default_str();
  cli.add_option("--tls-cert", tls_cert, "Serve HTTPS with this PEM certificate (and chain); SIGHUP reloads it")
      ->type_name("FILE");
  cli.add_option("--tls-key", tls_key, "The PEM private key of --tls-cert")->type_name("FILE");
  cli.add_option("--tls-handshake-timeout", tls_handshake_timeout,
                 "Seconds a client may take to complete its TLS handshake")
      ->check(CLI::Range(1, 300))->capture_default_str();
  // Last, so that every flag above is also read from BENEFITD_* variables and the config file.
  http::read_environment_and_config_file(cli);
  CLI11_PARSE(cli, argc, argv);

  if (!http::configure_logging(log_format == "json" ? http::LogFormat::json : http::LogFormat::text, log_level)) {
    std::cerr << "--log-level: unknown level '" << log_level << "'\n";
    return 2;
  }
  if (operator_token_file.empty()) {
    if (const auto credential = http::credential_file("operator-token")) operator_token_file = credential->string();
  }
  if (!operator_token_file.empty()) {
    std::string token_error;
    const auto token = http::read_operator_token_file(operator_token_file, &token_error);
    if (!token) {
      std::cerr << "--operator-token-file: " << token_error << "\n";
      return 2;
    }
    operator_token = *token;
  }
  if (operator_token.empty()) {
    std::cerr << "an operator token is required: BENEFITD_OPERATOR_TOKEN, --operator-token-file or --operator-token\n";
    return 2;
  }
  if (const auto problem = http::operator_token_problem(operator_token)) {
    std::cerr << *problem << "\n";
    return 2;
  }
  http::ServerOptions server_options;
  server_options.io_threads = io_threads;
  const http::OpenFileLimit open_files = http::raise_open_file_limit();
  server_options.max_connections = http::connection_cap(max_connections, open_files.now);
  spdlog::info("open-file limit {} (started with {}); at most {} client connections", open_files.now,
               open_files.before, server_options.max_connections);
  if (!parse_listen(listen, &server_options)) {
    std::cerr << "--listen: expected HOST:PORT, got '" << listen << "'\n";
    return 2;
  }
  if (tls_cert.empty() != tls_key.empty()) {
    std::cerr << "--tls-cert and --tls-key go together\n";
    return 2;
  }
  if (!tls_cert.empty()) {
    std::string tls_error;
    server_options.tls = http::TlsContexts::load({tls_cert, tls_key}, &tls_error);
    if (!server_options.tls) {
      std::cerr << "--tls-cert/--tls-key: " << tls_error << "\n";
      return 2;
    }
    server_options.tls_handshake_timeout = std::chrono::seconds(tls_handshake_timeout);
  }

  app::ServiceOptions options;
  options.data_dir = data_dir;
  options.operator_token = operator_token;
  options.clock = clock == "simulated" ? app::ClockMode::simulated : app::ClockMode::system;
  if (!clock_start.empty()) {
    options.clock_start = workflows::parseTime(clock_start);
    if (!options.clock_start) {
      std::cerr << "--clock-start: expected an RFC 3339 UTC time such as 2026-01-05T09:00:00Z\n";
      return 2;
    }
  }
  options.fulfilment = fulfilment == "external" ? app::FulfilmentMode::external : app::FulfilmentMode::simulated;
  if (!catalog.empty()) {
    options.catalog = catalog;
  } else {
    options.catalog = installed_catalog();
  }
  spdlog::info("catalog: {}", options.catalog ? options.catalog->string() : std::string("built-in"));
  options.durable = durability == "fsync";
  if (!store_conninfo.empty()) {
    options.open_store =
        store::PostgresEventStore::opener({.conninfo = store_conninfo, .synchronous_commit = options.durable});
    options.open_lease = [store_conninfo, lease_retry_ms](std::unique_ptr<store::Lease>* out) {
      std::unique_ptr<store::PostgresLease> lease;
      store::Status status = store::PostgresLease::open(
          {.conninfo = store_conninfo, .retry_period = std::chrono::milliseconds(lease_retry_ms)}, &lease);
      if (status.is_ok()) *out = std::move(lease);
      return status;
    };
  }
  options.store_cache_bytes = cache_mb << 20;
  options.store_reserved_disk_bytes = reserve_disk_mb << 20;
  options.notification_max_attempts = notify_max_attempts;
  if (!notify_webhook.empty()) {
    std::string webhook_error;
    std::optional<std::string> webhook_key;
    if (!notify_webhook_secret_file.empty()) {
      webhook_key = notify::read_webhook_secret_file(notify_webhook_secret_file, &webhook_error);
      if (!webhook_key) {
        std::cerr << "--notify-webhook-secret-file: " << webhook_error << "\n";
        return 2;
      }
    } else {
      spdlog::warn("--notify-webhook without --notify-webhook-secret-file: notifications go out unsigned");
    }
    auto sink = http::webhook_sink(notify_webhook, std::move(webhook_key), notify_webhook_cacert, &webhook_error);
    if (!sink) {
      std::cerr << "--notify-webhook: " << webhook_error << "\n";
      return 2;
    }
    options.notification_sink = std::move(*sink);
  }

  // A data dir made before benefitd set its umask (or by hand) may be open to other users.
  std::error_code status_error;
  const std::filesystem::file_status data_dir_status = std::filesystem::status(data_dir, status_error);
  using std::filesystem::perms;
  if (std::filesystem::exists(data_dir_status) &&
      (data_dir_status.permissions() & (perms::group_all | perms::others_all)) != perms::none) {
    spdlog::warn("{} is open to other users; `chmod 700 {}` keeps its keys and emails private", data_dir, data_dir);
  }

  std::string error;
  std::unique_ptr<app::Service> service = app::open_service(options, &error);
  if (!service) {
    spdlog::error("cannot open {}: {}", data_dir, error);
    return 1;
  }
  http::HttpMetrics metrics;
  http::RouterOptions router_options;
#ifdef BENEFITD_PAGE
  // The Benefits page (web/), compiled in by the build.
  static const http::PageAssets page(http::page_bundle());
  router_options.page = &page;
#endif
  http::Router router(*service, metrics, router_options);
  http::Server server(router, metrics, server_options);
  std::string bound;
  if (!server.start(&bound, &error)) {
    spdlog::error("cannot listen: {}", error);
    return 1;
  }
  std::cout << "listening on " << bound << std::endl;
  http::notify_ready();
  spdlog::info("benefitd serving {} from {}", bound, data_dir);
  server.run();
  http::notify_stopping();
  // The Service answers its last commands into the server's queues: close it first.
  service.reset();
  spdlog::info("stopped");
  return 0;
}
