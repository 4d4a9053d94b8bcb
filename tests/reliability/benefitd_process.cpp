// Starting, killing and stopping benefitd for the crash loop.
#include "tests/reliability/benefitd_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>
#include <vector>

namespace benefitd::reliability {

BenefitdProcess::BenefitdProcess(std::filesystem::path executable, std::filesystem::path data_dir,
                                 std::string operator_token)
    : executable_(std::move(executable)), data_dir_(std::move(data_dir)), operator_token_(std::move(operator_token)) {}

BenefitdProcess::~BenefitdProcess() {
  if (running()) end(SIGKILL);
}

std::filesystem::path BenefitdProcess::log_path() const {
  return data_dir_.parent_path() / "benefitd.log";
}

void BenefitdProcess::start() {
  if (running()) throw std::logic_error("benefitd is already running");
  int out[2];
  if (::pipe(out) != 0) throw std::runtime_error("pipe failed");
  std::vector<std::string> args = {executable_.string(), "--data-dir", data_dir_.string(),
                                   "--listen", "127.0.0.1:0", "--operator-token", operator_token_,
                                   "--clock", "simulated", "--clock-start", "2026-01-05T09:00:00Z",
                                   "--durability", "fsync", "--log-level", "warn"};
  const std::string log = log_path().string();
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
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
  stdout_ = out[0];
  std::string line;
  char c;
  while (::read(stdout_, &c, 1) == 1 && c != '\n') line.push_back(c);
  const std::string expected = "listening on 127.0.0.1:";
  if (!line.starts_with(expected)) {
    const int status = end(SIGKILL);
    throw std::runtime_error("benefitd did not start (exit " + std::to_string(status) + ", said '" + line +
                             "'); see " + log);
  }
  port_ = line.substr(expected.size());
}

void BenefitdProcess::kill9() { end(SIGKILL); }

int BenefitdProcess::stop() { return end(SIGTERM); }

int BenefitdProcess::end(int signal) {
  if (!running()) throw std::logic_error("benefitd is not running");
  ::kill(pid_, signal);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  ::close(stdout_);
  stdout_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace benefitd::reliability
