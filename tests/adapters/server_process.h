#pragma once
// ServerProcess: a real benefitd started on a data dir with `--listen 127.0.0.1:0` and the
// simulated clock, found through the `listening on` line it prints; plus a client for it.
// Thread safety: one owner thread; clients may be made per thread.

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/cli/http_client.h"

namespace benefitd::testing {

inline constexpr const char* kOperatorToken = "operator-secret";

class ServerProcess {
 public:
  /// Starts benefitd on `data_dir`; `extra` flags are appended.
  explicit ServerProcess(std::filesystem::path data_dir, std::vector<std::string> extra = {})
      : data_dir_(std::move(data_dir)), extra_(std::move(extra)) {
    start();
  }
  ~ServerProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      ::close(stdout_);
    }
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  const std::string& port() const { return port_; }
  std::filesystem::path log_path() const { return data_dir_.parent_path() / (data_dir_.filename().string() + ".log"); }

  /// SIGTERM and the exit status (the code when it exited, -1 otherwise).
  int stop() { return end(SIGTERM); }
  /// SIGKILL: no chance to flush anything.
  void kill9() { end(SIGKILL); }
  /// Sends `signal` without waiting; wait_exit() then collects the exit status.
  void send_signal(int signal) { ::kill(pid_, signal); }
  int wait_exit() { return end(0); }
  void restart() { start(); }

  cli::HttpClient client() const { return cli::HttpClient("127.0.0.1", port_); }

  /// The highest X-Position any Caller of this server has seen: reads wait for it.
  std::atomic<std::uint64_t>& seen_position() const { return seen_position_; }

 private:
  void start() {
    int out[2];
    REQUIRE(::pipe(out) == 0);
    std::vector<std::string> args = {BENEFITD_PATH,  "--data-dir", data_dir_.string(), "--listen", "127.0.0.1:0",
                                     "--operator-token", kOperatorToken, "--clock", "simulated",
                                     "--clock-start", "2026-01-05T09:00:00Z", "--durability", "fsync"};
    args.insert(args.end(), extra_.begin(), extra_.end());
    const std::string log = log_path().string();
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      const int err = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (err >= 0) ::dup2(err, STDERR_FILENO);
      ::close(out[0]);
      std::vector<char*> argv;
      for (auto& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    std::string line;
    char c;
    while (::read(out[0], &c, 1) == 1 && c != '\n') line.push_back(c);
    stdout_ = out[0];  // kept open: a closed pipe would kill the server on its next write
    INFO("benefitd said: " << line);
    REQUIRE(line.starts_with("listening on 127.0.0.1:"));
    port_ = line.substr(line.rfind(':') + 1);
  }

  int end(int signal) {
    REQUIRE(pid_ > 0);
    if (signal != 0) ::kill(pid_, signal);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    ::close(stdout_);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  std::filesystem::path data_dir_;
  std::vector<std::string> extra_;
  pid_t pid_ = -1;
  int stdout_ = -1;
  mutable std::atomic<std::uint64_t> seen_position_{0};
  std::string port_;
};

/// A client that speaks as one caller (a token) and parses JSON answers. Its GETs read every
/// write acknowledged to any caller of the server (?minPosition=), as a careful client would.
class Caller {
 public:
  Caller(const ServerProcess& server, std::string token)
      : client_(server.client()), token_(std::move(token)), seen_(server.seen_position()) {}

  cli::ClientResponse send(const std::string& method, const std::string& target, const std::string& body = "",
                           std::vector<std::pair<std::string, std::string>> headers = {}) {
    std::string read_target = target;
    if (method == "GET" && seen_ > 0)
      read_target += (target.find('?') == std::string::npos ? "?" : "&") + ("minPosition=" + std::to_string(seen_));
    cli::ClientRequest request{method, read_target, body, std::move(headers)};
    if (!token_.empty()) request.headers.emplace_back("Authorization", "Bearer " + token_);
    cli::ClientResponse response = client_.send(request);
    if (const auto position = response.header("X-Position"); position && method != "GET") {
      std::uint64_t value = std::stoull(*position), current = seen_;
      while (value > current && !seen_.compare_exchange_weak(current, value)) {
      }
    }
    return response;
  }
  nlohmann::json get(const std::string& target, int expected = 200) { return expect(send("GET", target), expected); }
  nlohmann::json post(const std::string& target, const nlohmann::json& body, int expected) {
    return expect(send("POST", target, body.dump()), expected);
  }
  nlohmann::json put(const std::string& target, const nlohmann::json& body, int expected) {
    return expect(send("PUT", target, body.dump()), expected);
  }

  static nlohmann::json expect(const cli::ClientResponse& response, int expected) {
    INFO("answer: " << response.status << " " << response.body);
    REQUIRE(response.status == expected);
    return response.body.empty() ? nlohmann::json() : nlohmann::json::parse(response.body);
  }

 private:
  cli::HttpClient client_;
  std::string token_;
  std::atomic<std::uint64_t>& seen_;
};

}  // namespace benefitd::testing
