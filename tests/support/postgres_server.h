#pragma once
// PostgresServer: a private PostgreSQL 15 for one test executable, started at first use and
// stopped when the executable exits: a fresh cluster (initdb) in a temp dir, reachable only
// on a Unix socket in that dir, run as the `postgres` user when the tests run as root (the
// server refuses to run as root). Each test takes a fresh schema, so that tests share the
// server but not data. Durable settings except fsync (off: the tests prove the store's
// logic, not the disk's), so the suite stays fast; a benchmark makes its own server with
// fsync on.
// Failures to start throw std::runtime_error with the server's log.
// Thread safety: shared() and fresh_schema() may be called from any thread; stop() and
// start() from one test at a time.

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>

namespace benefitd::testing {

class PostgresServer {
 public:
  enum class Disk { fsync_off, fsync_on };

  /// The executable's server for tests, started on first use.
  static PostgresServer& shared() {
    static PostgresServer server(Disk::fsync_off);
    return server;
  }

  /// A server of its own, e.g. a durable one for a benchmark.
  explicit PostgresServer(Disk disk) {
    std::string pattern = (std::filesystem::temp_directory_path() / "benefitd-pg-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    if (::geteuid() == 0) run("chown postgres: " + dir_.string(), "chown");
    run(as_server_user(bin("initdb") + " -D " + data().string() +
                       " --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync -U postgres"),
        "initdb");
    std::ofstream config(data() / "postgresql.conf", std::ios::app);
    config << "listen_addresses = ''\n"
           << "unix_socket_directories = '" << dir_.string() << "'\n"
           << "port = 5432\nmax_connections = 300\nsynchronous_commit = on\nfull_page_writes = on\n"
           << "fsync = " << (disk == Disk::fsync_on ? "on" : "off") << "\n";
    config.close();
    start();
  }

  /// A libpq connection string for the server's `postgres` database.
  std::string conninfo() const { return "host=" + dir_.string() + " port=5432 user=postgres dbname=postgres"; }
  /// The same as a URI, as `benefitd --store` takes it.
  std::string uri() const { return "postgresql:///postgres?host=" + dir_.string() + "&port=5432&user=postgres"; }

  /// A schema name no other test of any process has used.
  std::string fresh_schema() {
    static std::atomic<int> next{0};
    return "test_" + std::to_string(::getpid()) + "_" + std::to_string(next++);
  }

  /// Stops the server (fast shutdown: connections are cut).
  void stop() { run(as_server_user(bin("pg_ctl") + " -D " + data().string() + " -m fast -w stop"), "pg_ctl stop"); }
  /// Starts it again on the same data.
  void start() {
    run(as_server_user(bin("pg_ctl") + " -D " + data().string() + " -l " + (dir_ / "server.log").string() +
                       " -w -t 60 start"),
        "pg_ctl start");
  }

  ~PostgresServer() {
    std::system((as_server_user(bin("pg_ctl") + " -D " + data().string() + " -m immediate -w stop") + " >/dev/null 2>&1").c_str());
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

 private:
  std::filesystem::path data() const { return dir_ / "data"; }
  static std::string bin(const std::string& program) { return "/usr/lib/postgresql/15/bin/" + program; }
  static std::string as_server_user(const std::string& command) {
    return ::geteuid() == 0 ? "runuser -u postgres -- " + command : command;
  }

  void run(const std::string& command, const std::string& what) const {
    const std::string log = (dir_ / "setup.log").string();
    if (std::system((command + " >>" + log + " 2>&1").c_str()) != 0) {
      std::ostringstream output;
      output << std::ifstream(log).rdbuf() << std::ifstream(dir_ / "server.log").rdbuf();
      throw std::runtime_error(what + " failed (is postgresql-15 installed? scripts/install-deps):\n" + output.str());
    }
  }

  std::filesystem::path dir_;
};

}  // namespace benefitd::testing
