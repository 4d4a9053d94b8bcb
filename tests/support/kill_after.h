#pragma once
// Runs a program with its stdout on a pipe and SIGKILLs it once it has written `lines` lines
// plus `extra` more time: counting the child's own progress reports, rather than guessing a
// time, makes every kill land mid-work however slow or loaded the machine is. Returns the
// complete lines the child wrote (a line cut by the kill is dropped).
// Not thread-safe; one call at a time per test.

#include <catch2/catch.hpp>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace benefitd::testing {

inline std::string run_and_kill_after(std::vector<std::string> arguments, std::size_t lines,
                                      std::chrono::milliseconds extra) {
  int pipe_fds[2];
  REQUIRE(::pipe(pipe_fds) == 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  std::vector<char*> argv;
  for (std::string& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  pid_t child = 0;
  REQUIRE(posix_spawn(&child, argv[0], &actions, nullptr, argv.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);

  std::mutex mutex;
  std::condition_variable progressed;
  std::string output;
  bool closed = false;
  std::thread reader([&, fd = pipe_fds[0]] {
    char buffer[4096];
    for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) {
      std::lock_guard lock(mutex);
      output.append(buffer, static_cast<std::size_t>(n));
      progressed.notify_all();
    }
    std::lock_guard lock(mutex);
    closed = true;
    progressed.notify_all();
  });
  {
    std::unique_lock lock(mutex);
    // Bounded: a child that never gets going fails the test instead of hanging it.
    progressed.wait_for(lock, std::chrono::seconds(120), [&] {
      return closed || static_cast<std::size_t>(std::count(output.begin(), output.end(), '\n')) >= lines;
    });
  }
  std::this_thread::sleep_for(extra);
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  reader.join();
  // Killed, or finished its work: but a child that failed is a failed test.
  REQUIRE((WIFSIGNALED(status) || WEXITSTATUS(status) == 0));
  ::close(pipe_fds[0]);

  const std::size_t complete = output.rfind('\n');
  return complete == std::string::npos ? "" : output.substr(0, complete + 1);
}

}  // namespace benefitd::testing
