#pragma once
// Runs `threads` threads doing `per_thread` operations each and returns operations per second
// over the whole run. Shared by the benchmark programs.

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

}  // namespace benefitd::bench
