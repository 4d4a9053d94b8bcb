#pragma once
// CapturedLog: routes spdlog's default logger into a string while it lives, then puts the
// previous logger back. Messages logged meanwhile from any thread are captured whole; read
// text() once nothing logs any more (it does not wait for loggers on other threads). Create
// and destroy it on one thread, while no other thread logs.

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <sstream>
#include <string>

namespace benefitd::testing {

class CapturedLog {
 public:
  /// Captures messages at `level` and above.
  explicit CapturedLog(spdlog::level::level_enum level = spdlog::level::info)
      : previous_(spdlog::default_logger()),
        logger_(std::make_shared<spdlog::logger>("captured", std::make_shared<spdlog::sinks::ostream_sink_mt>(text_))) {
    logger_->set_level(level);
    spdlog::set_default_logger(logger_);
  }
  ~CapturedLog() { spdlog::set_default_logger(previous_); }
  CapturedLog(const CapturedLog&) = delete;
  CapturedLog& operator=(const CapturedLog&) = delete;

  std::string text() const {
    logger_->flush();
    return text_.str();
  }

 private:
  std::ostringstream text_;  // before logger_, whose sink writes to it
  std::shared_ptr<spdlog::logger> previous_;
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace benefitd::testing
