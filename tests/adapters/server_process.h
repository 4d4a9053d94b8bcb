#pragma once
// ServerProcess: a real benefitd started on a data dir with `--listen 127.0.0.1:0` and the
// simulated clock, found through the `listening on` line it prints; plus a client for it, whose
// exchanges go to the exchange log when BENEFITD_EXCHANGE_LOG is set (exchange_log.h).
// Thread safety: one owner thread; clients may be made per thread.

#include <catch2/catch.hpp>

#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/cli/http_client.h"
#include "exchange_log.h"
#include "support/child_process.h"

namespace benefitd::testing {

inline constexpr const char* kOperatorToken = "operator-secret-token";

class ServerProcess {
 public:
  /// Starts benefitd on `data_dir`; `extra` flags are appended.
  explicit ServerProcess(std::filesystem::path data_dir, std::vector<std::string> extra = {})
      : data_dir_(std::move(data_dir)), extra_(std::move(extra)) {
    start();
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
  void send_signal(int signal) { child_->signal(signal); }
  int wait_exit() { return end(0); }
  void restart() { start(); }

  RecordingClient client() const { return RecordingClient("127.0.0.1", port_); }

  /// The highest X-Position any Caller of this server has seen: reads wait for it.
  std::atomic<std::uint64_t>& seen_position() const { return seen_position_; }

 private:
  void start() {
    std::vector<std::string> args = {BENEFITD_PATH,  "--data-dir", data_dir_.string(), "--listen", "127.0.0.1:0",
                                     "--operator-token", kOperatorToken, "--clock", "simulated",
                                     "--clock-start", "2026-01-05T09:00:00Z", "--durability", "fsync"};
    args.insert(args.end(), extra_.begin(), extra_.end());
    child_.emplace(std::move(args), log_path());
    const std::string line = child_->read_line();
    INFO("benefitd said: " << line);
    REQUIRE(line.starts_with("listening on 127.0.0.1:"));
    port_ = line.substr(line.rfind(':') + 1);
  }

  int end(int signal) {
    REQUIRE(child_);
    const int status = child_->end(signal);
    child_.reset();
    return status;
  }

  std::filesystem::path data_dir_;
  std::vector<std::string> extra_;
  std::optional<ChildProcess> child_;  // while it runs
  mutable std::atomic<std::uint64_t> seen_position_{0};
  std::string port_;
};

/// A client that speaks as one caller (a token) and adds nothing to its requests: no
/// minPosition, so its reads show what the server promises by default (R-ENG-10).
class PlainCaller {
 public:
  PlainCaller(const ServerProcess& server, std::string token) : client_(server.client()), token_(std::move(token)) {}

  cli::ClientResponse send(const std::string& method, const std::string& target, const std::string& body = "") {
    return client_.send({method, target, body, {{"Authorization", "Bearer " + token_}}});
  }

 private:
  RecordingClient client_;
  std::string token_;
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
  RecordingClient client_;
  std::string token_;
  std::atomic<std::uint64_t>& seen_;
};

}  // namespace benefitd::testing
