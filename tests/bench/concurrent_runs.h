#pragma once
// Runs `threads` threads doing `per_thread` operations each and returns operations per second
// over the whole run, and with `measure`, the process's CPU time per operation. Shared by the
// benchmark programs.

#include <sys/resource.h>

#include <chrono>
#include <thread>
#include <vector>

namespace benefitd::bench {

template <typename Operation>
double per_second(int threads, long per_thread, Operation operation) {
  const auto start = std::chrono::steady_clock::now();
  {
    std::vector<std::jthread> running;
    for (int t = 0; t < threads; ++t) {
      running.emplace_back([&operation, t, per_thread] {
        for (long i = 0; i < per_thread; ++i) operation(t, i);
      });
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return static_cast<double>(threads) * static_cast<double>(per_thread) / seconds;
}

struct Run {
  double per_second = 0;
  /// The whole process's CPU time (user and system, every thread, background work included)
  /// over the run, per operation.
  double cpu_us_per_operation = 0;
};

template <typename Operation>
Run measure(int threads, long per_thread, Operation operation) {
  const auto cpu_us = [] {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto us = [](const timeval& t) {
      return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_usec);
    };
    return us(usage.ru_utime) + us(usage.ru_stime);
  };
  const double cpu_before = cpu_us();
  const double rate = per_second(threads, per_thread, operation);
  return {rate, (cpu_us() - cpu_before) / (static_cast<double>(threads) * static_cast<double>(per_thread))};
}

}  // namespace benefitd::bench
