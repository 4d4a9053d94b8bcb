#pragma once
// Runs a program with its stdout on a pipe and SIGKILLs it once it has written `lines` lines
// plus `extra` more time: counting the child's own progress reports, rather than guessing a
// time, makes every kill land mid-work however slow or loaded the machine is. Returns the
// complete lines the child wrote (a line cut by the kill is dropped).
// Not thread-safe; one call at a time per test.

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/child_process.h"

namespace benefitd::testing {

inline std::string run_and_kill_after(std::vector<std::string> arguments, std::size_t lines,
                                      std::chrono::milliseconds extra) {
  ChildProcess child(std::move(arguments));
  std::mutex mutex;
  std::condition_variable progressed;
  std::string output;
  bool closed = false;
  std::thread reader([&, fd = child.stdout_fd()] {
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
  child.signal(SIGKILL);
  reader.join();
  // Killed (-1), or finished its work (0): a child that failed is a failed test.
  const int exit_code = child.end(0);
  REQUIRE((exit_code == -1 || exit_code == 0));

  const std::size_t complete = output.rfind('\n');
  return complete == std::string::npos ? "" : output.substr(0, complete + 1);
}

}  // namespace benefitd::testing
