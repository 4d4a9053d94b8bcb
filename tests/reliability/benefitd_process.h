#pragma once
// BenefitdProcess: a real benefitd on one data dir (RocksDB, fsync, simulated clock, a free
// loopback port), which the crash loop starts, SIGKILLs, stops and starts again. The port is
// read from the `listening on HOST:PORT` line the server prints once it accepts connections;
// its stderr is appended to a log file beside the data dir, for the post-mortem of a failure.
// Thread safety: one owner thread.

#include <filesystem>
#include <optional>
#include <string>

#include "tests/support/child_process.h"

namespace benefitd::reliability {

class BenefitdProcess {
 public:
  BenefitdProcess(std::filesystem::path executable, std::filesystem::path data_dir, std::string operator_token);
  BenefitdProcess(const BenefitdProcess&) = delete;
  BenefitdProcess& operator=(const BenefitdProcess&) = delete;

  /// Starts the server and waits for its `listening on` line. Throws std::runtime_error when it
  /// exits or prints anything else.
  void start();
  /// SIGKILL: the server gets no chance to flush or finish anything.
  void kill9();
  /// SIGTERM and the exit status (-1 when it did not exit normally).
  int stop();

  bool running() const { return child_.has_value(); }
  const std::string& port() const { return port_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  std::filesystem::path log_path() const;

 private:
  int end(int signal);

  std::filesystem::path executable_, data_dir_;
  std::string operator_token_;
  std::optional<testing::ChildProcess> child_;  // while it runs
  std::string port_;
};

}  // namespace benefitd::reliability
