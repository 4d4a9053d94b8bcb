#pragma once
// CapturedLog: routes spdlog's default logger into a string while it lives, then puts the
// previous logger back. Not thread-safe to create or destroy while other threads log; what is
// logged meanwhile, from any thread, is captured whole.

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <mutex>
#include <sstream>
#include <string>

namespace benefitd::testing {

class CapturedLog {
 public:
  /// Captures messages at `level` and above.
  explicit CapturedLog(spdlog::level::level_enum level = spdlog::level::info) : previous_(spdlog::default_logger()) {
    auto logger = std::make_shared<spdlog::logger>("captured", std::make_shared<spdlog::sinks::ostream_sink_mt>(text_));
    logger->set_level(level);
    spdlog::set_default_logger(std::move(logger));
  }
  ~CapturedLog() { spdlog::set_default_logger(previous_); }
  CapturedLog(const CapturedLog&) = delete;
  CapturedLog& operator=(const CapturedLog&) = delete;

  std::string text() const {
    spdlog::default_logger()->flush();
    return text_.str();
  }

 private:
  std::ostringstream text_;
  std::shared_ptr<spdlog::logger> previous_;
};

}  // namespace benefitd::testing
