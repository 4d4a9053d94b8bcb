// Starting, killing and stopping benefitd for the crash loop.
#include "tests/reliability/benefitd_process.h"

#include <signal.h>

#include <stdexcept>
#include <vector>

namespace benefitd::reliability {

BenefitdProcess::BenefitdProcess(std::filesystem::path executable, std::filesystem::path data_dir,
                                 std::string operator_token)
    : executable_(std::move(executable)), data_dir_(std::move(data_dir)), operator_token_(std::move(operator_token)) {}

std::filesystem::path BenefitdProcess::log_path() const {
  return data_dir_.parent_path() / "benefitd.log";
}

void BenefitdProcess::start() {
  if (running()) throw std::logic_error("benefitd is already running");
  child_.emplace(std::vector<std::string>{executable_.string(), "--data-dir", data_dir_.string(),
                                          "--listen", "127.0.0.1:0", "--operator-token", operator_token_,
                                          "--clock", "simulated", "--clock-start", "2026-01-05T09:00:00Z",
                                          "--durability", "fsync", "--log-level", "warn"},
                 log_path());
  const std::string line = child_->read_line();
  const std::string expected = "listening on 127.0.0.1:";
  if (!line.starts_with(expected)) {
    const int status = end(SIGKILL);
    throw std::runtime_error("benefitd did not start (exit " + std::to_string(status) + ", said '" + line +
                             "'); see " + log_path().string());
  }
  port_ = line.substr(expected.size());
}

void BenefitdProcess::kill9() { end(SIGKILL); }

int BenefitdProcess::stop() { return end(SIGTERM); }

int BenefitdProcess::end(int signal) {
  if (!running()) throw std::logic_error("benefitd is not running");
  const int status = child_->end(signal);
  child_.reset();
  return status;
}

}  // namespace benefitd::reliability
