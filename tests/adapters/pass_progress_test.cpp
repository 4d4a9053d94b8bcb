// PassProgress: what a long pass shows on a terminal, in a log, and when quiet, driven by a
// clock the test moves by hand (no waiting, no timed assertions).
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "adapters/app/catch_up_progress.h"
#include "adapters/app/pass_progress.h"

namespace benefitd::testing {
namespace {

using app::PassProgress;
using namespace std::chrono_literals;

/// A clock that stands still until the test moves it.
struct HandClock {
  PassProgress::Clock::time_point now{};
  PassProgress::Now reader() {
    return [this] { return now; };
  }
};

std::size_t count_of(const std::string& text, std::string_view part) {
  std::size_t count = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

TEST_CASE("Pass progress on a terminal redraws one line in place at most every 100 ms", "[progress]") {
  HandClock clock;
  std::ostringstream out;
  PassProgress progress(out, PassProgress::Display::bar, "verifying the log", clock.reader());

  clock.now += 50ms;
  progress.update(1000, 4000);
  CHECK(out.str().empty());  // too soon after the start

  clock.now += 50ms;
  progress.update(2000, 4000);
  CHECK(out.str() == "\rverifying the log [############............] 2000 of 4000 events (50%), 20000 events/s, "
                     "0 s left\x1b[K");

  clock.now += 99ms;
  progress.update(2500, 4000);
  CHECK(count_of(out.str(), "\r") == 1);  // within 100 ms of the last drawing

  clock.now += 1ms;
  progress.update(3000, 4000);
  CHECK(count_of(out.str(), "\r") == 2);
  CHECK(out.str().find('\n') == std::string::npos);  // always the same line

  clock.now += 100ms;
  progress.update(4000, 4000);
  progress.finish();
  const std::string shown = out.str();
  CHECK(shown.ends_with("[########################] 4000 of 4000 events (100%), 13333 events/s\x1b[K\n"
                        "verifying the log: 4000 events in 0.3 s (13333 events/s)\n"));
}

TEST_CASE("Pass progress in a log writes a whole line every 5 s with the rate and the time left", "[progress]") {
  HandClock clock;
  std::vector<std::string> lines;
  PassProgress progress([&lines](std::string_view line) { lines.emplace_back(line); }, "rebuilding the views",
                        clock.reader());

  for (int second = 1; second <= 12; ++second) {
    clock.now += 1s;
    progress.update(static_cast<std::uint64_t>(second) * 100'000, 2'000'000);
  }
  REQUIRE(lines.size() == 2);  // at 5 s and at 10 s
  CHECK(lines[0] == "rebuilding the views: 500000 of 2000000 events (25%), 100000 events/s, 15 s left");
  CHECK(lines[1] == "rebuilding the views: 1000000 of 2000000 events (50%), 100000 events/s, 10 s left");

  progress.finish();
  REQUIRE(lines.size() == 3);
  CHECK(lines[2] == "rebuilding the views: 1200000 events in 12.0 s (100000 events/s)");
}

TEST_CASE("Pass progress to a stream that is not a terminal writes lines and never a carriage return",
          "[progress]") {
  HandClock clock;
  std::ostringstream out;
  PassProgress progress(out, PassProgress::Display::lines, "exporting", clock.reader());
  clock.now += 4min;
  progress.update(6'000'000, 0);  // a partner's slice: the total is unknown
  progress.update(6'000'001, 0);  // same instant: throttled
  progress.finish();
  CHECK(out.str() ==
        "exporting: 6000000 events, 25000 events/s\n"
        "exporting: 6000001 events in 240.0 s (25000 events/s)\n");
}

TEST_CASE("Pass progress time left reads in minutes and hours for a long pass", "[progress]") {
  HandClock clock;
  std::vector<std::string> lines;
  PassProgress progress([&lines](std::string_view line) { lines.emplace_back(line); }, "verifying the log",
                        clock.reader());
  clock.now += 10s;
  progress.update(1'000'000, 100'000'000);
  clock.now += 990s;
  progress.update(10'000'000, 100'000'000);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].ends_with("100000 events/s, 16 min 30 s left"));
  CHECK(lines[1].ends_with("10000 events/s, 2 h 30 min left"));
}

TEST_CASE("Pass progress when quiet shows nothing, not even the summary", "[progress]") {
  HandClock clock;
  std::ostringstream out;
  PassProgress progress(out, PassProgress::Display::quiet, "verifying the log", clock.reader());
  clock.now += 1h;
  progress.update(5, 10);
  progress.finish();
  CHECK(out.str().empty());
  CHECK(PassProgress::display_for(-1, true) == PassProgress::Display::quiet);
  CHECK(PassProgress::display_for(-1, false) == PassProgress::Display::lines);  // not a terminal
}

TEST_CASE("Catch-up progress counts the events after the views' checkpoint, not log positions", "[progress]") {
  HandClock clock;
  app::CatchUpProgress progress(clock.reader());
  const app::PassReport report = progress.report(100);
  clock.now += 1s;
  report(600, 1100);
  const std::string metrics = progress.metrics_text();
  CHECK(metrics.find("\nbenefitd_views_catch_up_events_done 500\n") != std::string::npos);
  CHECK(metrics.find("\nbenefitd_views_catch_up_events_total 1000\n") != std::string::npos);
}

}  // namespace
}  // namespace benefitd::testing
