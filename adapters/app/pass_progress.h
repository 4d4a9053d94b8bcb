#pragma once
// PassProgress: how far a long pass over the log has come (a rebuild of the views, a
// verification, an export), shown to people while it runs.
//
// Three displays, one meter:
// - bar: for a terminal. One line redrawn in place (carriage return, erase to the end of the
//   line) at most every 100 ms: a bar, events done of the total, the rate and the time left.
// - lines: for a log or a redirected stderr. One line every 5 s with the same figures, as
//   whole lines a log can keep.
// - quiet: nothing.
// Both bar and lines end with one summary line when the pass finishes: events, seconds, rate.
//
// The rate is the average since the pass started (a pass reads at a steady pace, and an
// average does not jump about); the time left is what remains at that rate. A total of 0
// means unknown (a partner's slice of the log): then no bar, no percentage and no time left.
//
// The clock is injected so that throttling and figures can be tested without waiting.
// Thread safety: none; one pass updates its meter from one thread at a time.

#include <chrono>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>

namespace benefitd::app {

/// What a pass over the log reports as it goes: events done, and of how many (0: unknown).
using PassReport = std::function<void(std::uint64_t done, std::uint64_t total)>;

class PassProgress {
 public:
  using Clock = std::chrono::steady_clock;
  using Now = std::function<Clock::time_point()>;
  /// Receives each whole line of the lines display (without its newline).
  using LineSink = std::function<void(std::string_view line)>;

  enum class Display { bar, lines, quiet };

  static constexpr std::chrono::milliseconds kBarInterval{100};
  static constexpr std::chrono::milliseconds kLineInterval{5000};

  /// The display for a pass reporting on file descriptor `fd`: bar on a terminal, lines
  /// otherwise, quiet when asked.
  static Display display_for(int fd, bool quiet);

  /// Reports on stderr, so that stdout carries only a tool's answer: the display for stderr, or
  /// quiet when asked.
  static PassProgress on_stderr(std::string what, bool quiet);

  /// Reports on `out` in `display`. `what` names the pass ("verifying the log").
  PassProgress(std::ostream& out, Display display, std::string what, Now now = Clock::now);
  /// Reports whole lines to `sink` (the lines display), for a log.
  PassProgress(LineSink sink, std::string what, Now now = Clock::now);

  /// `done` events of `total` (0: unknown) so far; draws if its display's interval has passed.
  void update(std::uint64_t done, std::uint64_t total);
  /// A PassReport that updates this meter (which must outlive it).
  PassReport report() {
    return [this](std::uint64_t done, std::uint64_t total) { update(done, total); };
  }
  /// Draws the final figures and the summary line. Call once, when the pass has ended (a
  /// failed pass too: the summary says how far it went).
  void finish();

 private:
  void draw_bar();
  std::string figures(double seconds) const;

  std::ostream* out_ = nullptr;  // bar, and lines written to a stream
  LineSink sink_;
  Display display_;
  std::string what_;
  Now now_;
  Clock::time_point started_;
  Clock::time_point last_drawn_;
  std::uint64_t done_ = 0;
  std::uint64_t total_ = 0;
};

}  // namespace benefitd::app
