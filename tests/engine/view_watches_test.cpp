// ViewWatches: long-polls woken by the view keys a commit wrote, not by every commit.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "engine/view_watches.h"

using namespace benefitd;
using namespace std::chrono_literals;

namespace {

using Clock = engine::ViewWatches::Clock;

/// What a watch's `done` was called with, in order.
struct Calls {
  std::vector<bool> seen;
  engine::ViewWatches::Done done() {
    return [this](bool changed) { seen.push_back(changed); };
  }
};

Clock::time_point later() { return Clock::now() + 1h; }

}  // namespace

TEST_CASE("Long-poll wake-ups per key: a commit wakes the watches of the keys it wrote, and no other",
          "[engine][long-poll]") {
  engine::ViewWatches watches;
  Calls a, b;
  watches.watch({{"benefit/A"}, {}}, 0, later(), a.done());
  watches.watch({{"benefit/B"}, {}}, 0, later(), b.done());

  watches.changed(1, {"benefit/B", "partner-log/fabrikam/00000000000000000001"});
  CHECK(a.seen.empty());
  CHECK(b.seen == std::vector<bool>{true});
  CHECK(watches.size() == 1);

  watches.changed(2, {"benefit/A"});
  CHECK(a.seen == std::vector<bool>{true});
  CHECK(b.seen == std::vector<bool>{true});  // woken once: a watch ends when it is woken
  CHECK(watches.size() == 0);
}

TEST_CASE("Long-poll wake-ups per key: a prefix watch wakes for keys under it, not under a longer name",
          "[engine][long-poll]") {
  engine::ViewWatches watches;
  Calls contoso, anything;
  watches.watch({{}, {"partner-log/P1/"}}, 0, later(), contoso.done());
  watches.changed(1, {"partner-log/P10/00000000000000000001", "partner-log/P1"});
  CHECK(contoso.seen.empty());

  watches.watch({}, 1, later(), anything.done());  // naming no key: any change
  watches.changed(2, {"partner-log/P1/00000000000000000002"});
  CHECK(contoso.seen == std::vector<bool>{true});
  CHECK(anything.seen == std::vector<bool>{true});

  Calls empty_commit;
  watches.watch({}, 2, later(), empty_commit.done());
  watches.changed(3, {});
  CHECK(empty_commit.seen == std::vector<bool>{true});
}

TEST_CASE("Long-poll wake-ups per key: a watch that arrives after a commit its reader may have missed wakes at once",
          "[engine][long-poll]") {
  engine::ViewWatches watches;
  watches.changed(5, {"benefit/B"});
  Calls stale, current;
  watches.watch({{"benefit/A"}, {}}, 4, later(), stale.done());
  CHECK(stale.seen == std::vector<bool>{true});
  watches.watch({{"benefit/A"}, {}}, 5, later(), current.done());
  CHECK(current.seen.empty());
  CHECK(watches.size() == 1);
}

TEST_CASE("Long-poll wake-ups per key: a watch ends unchanged at its deadline, earliest first",
          "[engine][long-poll]") {
  engine::ViewWatches watches;
  Calls soon, late;
  const auto now = Clock::now();
  CHECK(watches.watch({{"benefit/A"}, {}}, 0, now + 1h, late.done()));
  CHECK(watches.watch({{"benefit/A"}, {}}, 0, now + 1min, soon.done()));
  CHECK(watches.next_deadline() == now + 1min);

  watches.expire(now + 2min);
  CHECK(soon.seen == std::vector<bool>{false});
  CHECK(late.seen.empty());
  CHECK(watches.next_deadline() == now + 1h);

  watches.changed(1, {"benefit/A"});
  CHECK(late.seen == std::vector<bool>{true});
  CHECK_FALSE(watches.next_deadline());

  Calls past;
  watches.watch({{"benefit/A"}, {}}, 1, now - 1s, past.done());
  CHECK(past.seen == std::vector<bool>{false});
  CHECK(watches.size() == 0);
}

TEST_CASE("Long-poll wake-ups per key: thousands of watches of other keys are left waiting by a commit",
          "[engine][long-poll]") {
  engine::ViewWatches watches;
  int woken = 0;
  for (int i = 0; i < 5000; ++i) {
    watches.watch({{"benefit/" + std::to_string(i)}, {}}, 0, later(), [&](bool) { ++woken; });
    watches.watch({{}, {"partner-log/P" + std::to_string(i) + "/"}}, 0, later(), [&](bool) { ++woken; });
  }
  watches.changed(1, {"benefit/42", "partner-log/P7/00000000000000000001"});
  CHECK(woken == 2);
  CHECK(watches.size() == 9998);
}

TEST_CASE("Long-poll wake-ups per key: a reset of the views wakes every watch", "[engine][long-poll]") {
  engine::ViewWatches watches;
  Calls one, two;
  watches.watch({{"benefit/A"}, {}}, 0, later(), one.done());
  watches.watch({{}, {"fulfilment/"}}, 0, later(), two.done());
  watches.changed_all(0);
  CHECK(one.seen == std::vector<bool>{true});
  CHECK(two.seen == std::vector<bool>{true});
  CHECK(watches.size() == 0);
}
