#include "adapters/http/logging.h"

#include <memory>
#include <string>

#include <nlohmann/json.hpp>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "adapters/http/problem.h"

namespace benefitd::http {

namespace {

constexpr std::string_view kTime = "%Y-%m-%dT%H:%M:%S.%eZ";
LogFormat g_format = LogFormat::text;
std::shared_ptr<spdlog::logger> g_access;

/// %* in a pattern: the message as the inside of a JSON string.
class EscapedMessage : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& message, const std::tm&, spdlog::memory_buf_t& out) override {
    const std::string quoted = dump_json(std::string(message.payload.data(), message.payload.size()));
    out.append(quoted.data() + 1, quoted.data() + quoted.size() - 1);
  }
  std::unique_ptr<spdlog::custom_flag_formatter> clone() const override {
    return std::make_unique<EscapedMessage>();
  }
};

std::shared_ptr<spdlog::logger> make_logger(const std::string& name, const std::string& pattern) {
  auto logger = std::make_shared<spdlog::logger>(name, std::make_shared<spdlog::sinks::stderr_sink_mt>());
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  formatter->add_flag<EscapedMessage>('*').set_pattern(pattern);
  logger->set_formatter(std::move(formatter));
  return logger;
}

}  // namespace

bool configure_logging(LogFormat format, std::string_view level_name) {
  const auto level = spdlog::level::from_str(std::string(level_name));
  if (level == spdlog::level::off && level_name != "off") return false;
  g_format = format;
  const std::string time(kTime);
  const bool json = format == LogFormat::json;
  auto main = make_logger("benefitd", json ? R"({"time":")" + time + R"(","level":"%l","message":"%*"})"
                                           : time + " %l %v");
  g_access = make_logger("access", json ? R"({"time":")" + time + R"(","level":"%l",%v})" : time + " %l %v");
  main->set_level(level);
  g_access->set_level(level);
  spdlog::set_default_logger(main);
  return true;
}

void log_request(const RequestRecord& r) {
  if (!g_access) return;
  const double milliseconds = r.duration.count() * 1000.0;
  if (g_format == LogFormat::json) {
    g_access->info(R"("message":"request","method":{},"path":{},"status":{},"durationMs":{:.3f},"correlationId":{},"route":{})",
                   dump_json(r.method), dump_json(r.path), r.status, milliseconds, dump_json(r.correlation_id),
                   dump_json(r.route));
  } else {
    g_access->info("{} {} {} {:.3f}ms correlation={} route=\"{}\"", r.method, r.path, r.status, milliseconds,
                   r.correlation_id, r.route);
  }
}

}  // namespace benefitd::http
