#pragma once
// ChildProcess: a real program (benefitd, benefitctl, a crash child) started with its stdout on
// a pipe to this process and, optionally, its stderr appended to a log file. Tests and the
// crash loop drive the product's binaries through it. The pipe stays open while the child
// runs: a closed pipe would kill a server on its next write. Failures to start throw
// std::runtime_error.
// Thread safety: one owner thread; another thread may read stdout_fd() while the owner waits.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace benefitd::testing {

class ChildProcess {
 public:
  /// Starts arguments[0] with the others as its arguments.
  explicit ChildProcess(std::vector<std::string> arguments,
                        const std::optional<std::filesystem::path>& stderr_log = std::nullopt) {
    int pipe_fds[2];
    if (::pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
    if (stderr_log) {
      posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_log->c_str(),
                                       O_WRONLY | O_CREAT | O_APPEND, 0644);
    }
    std::vector<char*> argv;
    for (std::string& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);
    const int spawned = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    if (spawned != 0) {
      ::close(pipe_fds[0]);
      pid_ = -1;
      throw std::runtime_error("cannot run " + arguments.front());
    }
    stdout_ = pipe_fds[0];
  }

  /// A child still running is killed (SIGKILL) and reaped.
  ~ChildProcess() {
    if (running()) end(SIGKILL);
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  bool running() const { return pid_ > 0; }
  int stdout_fd() const { return stdout_; }

  /// The next line of its stdout, without the newline; what there is when the output ends.
  std::string read_line() {
    std::string line;
    for (char c; ::read(stdout_, &c, 1) == 1 && c != '\n';) line.push_back(c);
    return line;
  }

  /// Everything it writes to stdout until it closes it.
  std::string read_all() {
    std::string output;
    char buffer[4096];
    for (ssize_t n; (n = ::read(stdout_, buffer, sizeof buffer)) > 0;) output.append(buffer, static_cast<std::size_t>(n));
    return output;
  }

  /// Sends `signal` without waiting (a reader of stdout_fd() then sees the output end).
  void signal(int signal) const {
    if (running()) ::kill(pid_, signal);
  }

  /// Sends `signal` (none if 0), waits for the child to end and closes the pipe. Returns its
  /// exit code, or -1 if a signal ended it.
  int end(int signal) {
    if (!running()) throw std::logic_error("the child process has already ended");
    if (signal != 0) ::kill(pid_, signal);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    ::close(stdout_);
    stdout_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
  int stdout_ = -1;
};

}  // namespace benefitd::testing
