#pragma once
// BenefitdRun: a real benefitd started with exactly the arguments a test gives (no defaults
// added, unlike ServerProcess), its stderr in a log file, and the address from the
// `listening on` line it prints once it serves; plus small file helpers for the tests here.
// Thread safety: one owner thread.

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "support/child_process.h"

namespace benefitd::testing {

inline void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

class BenefitdRun {
 public:
  BenefitdRun(std::vector<std::string> arguments, std::filesystem::path log) : log_(std::move(log)) {
    child_.emplace(std::move(arguments), log_);
    const std::string line = child_->read_line();
    if (line.starts_with("listening on ")) address_ = line.substr(13);
  }

  /// "HOST:PORT" it serves on; empty when it ended without serving.
  const std::string& address() const { return address_; }
  std::string host() const { return address_.substr(0, address_.rfind(':')); }
  std::string port() const { return address_.substr(address_.rfind(':') + 1); }
  std::string log() const { return read_text(log_); }

  /// SIGTERM (or no signal: 0), then its exit code (-1 when a signal ended it).
  int stop(int signal = SIGTERM) { return child_->end(signal); }
  void signal(int signal) const { child_->signal(signal); }

 private:
  std::filesystem::path log_;
  std::optional<ChildProcess> child_;
  std::string address_;
};

}  // namespace benefitd::testing
