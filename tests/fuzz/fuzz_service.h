#pragma once
// FuzzService: the router tests' FakeService (canned answers, recorded calls; tokens
// "operator-token" and "admin-token") with views that stand still at kViewsPosition, so that
// a fuzzed request cannot make the router wait forever: every wait for the views is held
// until settle_waits(), which ends it as reached when the views are that far and as timed out
// otherwise, as the real Service would at the deadline.
// Thread safety: one thread.

#include <cstddef>
#include <deque>
#include <functional>
#include <utility>

#include "tests/adapters/fake_service.h"

namespace benefitd::fuzz {

class FuzzService : public testing::FakeService {
 public:
  /// Where the views are: the position FakeService's commands answer with.
  static constexpr app::Position kViewsPosition = 7;

  app::Position views_position() const override { return kViewsPosition; }
  void when_views_reach(app::Position position, std::chrono::steady_clock::time_point,
                        std::function<void(bool)> done) override {
    waits_.emplace_back(position, std::move(done));
  }

  /// Ends every wait, including those that ending one starts (a long-poll asks again); false
  /// if the router was still waiting after `max_rounds` endings.
  bool settle_waits(std::size_t max_rounds) {
    for (std::size_t round = 0; round < max_rounds; ++round) {
      if (waits_.empty()) return true;
      auto [position, done] = std::move(waits_.front());
      waits_.pop_front();
      const bool reached = position <= kViewsPosition;
      if (!reached) ++timed_out_waits_;
      done(reached);
    }
    return waits_.empty();
  }

  /// Waits that ended at their deadline: the one reason a 503 is a right answer here.
  std::size_t timed_out_waits() const { return timed_out_waits_; }

 private:
  std::deque<std::pair<app::Position, std::function<void(bool)>>> waits_;
  std::size_t timed_out_waits_ = 0;
};

}  // namespace benefitd::fuzz
