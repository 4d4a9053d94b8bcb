#include "adapters/app/pass_progress.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <utility>

namespace benefitd::app {

namespace {

constexpr int kBarWidth = 24;

std::string duration_text(double seconds) {
  const auto whole = static_cast<std::uint64_t>(std::llround(seconds));
  if (whole < 60) return std::to_string(whole) + " s";
  if (whole < 3600) return std::to_string(whole / 60) + " min " + std::to_string(whole % 60) + " s";
  return std::to_string(whole / 3600) + " h " + std::to_string(whole % 3600 / 60) + " min";
}

}  // namespace

PassProgress::Display PassProgress::display_for(int fd, bool quiet) {
  if (quiet) return Display::quiet;
  return ::isatty(fd) != 0 ? Display::bar : Display::lines;
}

PassProgress PassProgress::on_stderr(std::string what, bool quiet) {
  return PassProgress(std::cerr, display_for(STDERR_FILENO, quiet), std::move(what));
}

PassProgress::PassProgress(std::ostream& out, Display display, std::string what, Now now)
    : out_(&out), display_(display), what_(std::move(what)), now_(std::move(now)) {
  started_ = last_drawn_ = now_();
  if (display_ == Display::lines) sink_ = [out = out_](std::string_view line) { *out << line << '\n' << std::flush; };
}

PassProgress::PassProgress(LineSink sink, std::string what, Now now)
    : sink_(std::move(sink)), display_(Display::lines), what_(std::move(what)), now_(std::move(now)) {
  started_ = last_drawn_ = now_();
}

std::string PassProgress::figures(double seconds) const {
  std::string text = std::to_string(done_);
  if (total_ > 0) {
    text += " of " + std::to_string(total_) + " events (" + std::to_string(done_ * 100 / total_) + "%)";
  } else {
    text += " events";
  }
  if (seconds <= 0) return text;
  const double rate = static_cast<double>(done_) / seconds;
  text += ", " + std::to_string(std::llround(rate)) + " events/s";
  if (total_ > done_ && rate > 0) text += ", " + duration_text(static_cast<double>(total_ - done_) / rate) + " left";
  return text;
}

void PassProgress::update(std::uint64_t done, std::uint64_t total) {
  done_ = done;
  total_ = total;
  if (display_ == Display::quiet) return;
  const Clock::time_point now = now_();
  if (now - last_drawn_ < (display_ == Display::bar ? kBarInterval : kLineInterval)) return;
  last_drawn_ = now;
  if (display_ == Display::bar) {
    draw_bar();
  } else {
    sink_(what_ + ": " + figures(std::chrono::duration<double>(now - started_).count()));
  }
}

void PassProgress::draw_bar() {
  std::string bar;
  if (total_ > 0) {
    const auto filled = static_cast<int>(std::min(done_, total_) * kBarWidth / total_);
    bar = " [" + std::string(filled, '#') + std::string(kBarWidth - filled, '.') + "]";
  }
  // Back to the line's start, redraw, and erase what a longer earlier line left behind.
  *out_ << '\r' << what_ << bar << ' '
        << figures(std::chrono::duration<double>(last_drawn_ - started_).count()) << "\x1b[K" << std::flush;
}

void PassProgress::finish() {
  if (display_ == Display::quiet) return;
  const Clock::time_point now = now_();
  const double seconds = std::chrono::duration<double>(now - started_).count();
  char elapsed[32];
  std::snprintf(elapsed, sizeof elapsed, "%.1f", seconds);
  std::string summary = what_ + ": " + std::to_string(done_) + " events in " + elapsed + " s";
  if (seconds > 0) {
    summary += " (" + std::to_string(std::llround(static_cast<double>(done_) / seconds)) + " events/s)";
  }
  if (display_ == Display::bar) {
    last_drawn_ = now;
    draw_bar();
    *out_ << '\n' << summary << '\n' << std::flush;
  } else {
    sink_(summary);
  }
}

}  // namespace benefitd::app
