#include "store/rocksdb/rocksdb_logger.h"

#include <rocksdb/env.h>
#include <spdlog/spdlog.h>

#include <array>
#include <cstdarg>
#include <cstdio>
#include <string_view>

namespace benefitd::store {

namespace {

// Warnings RocksDB gives about what the store does on purpose, logged at debug: an operator can
// do nothing about them. Each is the start of the message (after RocksDB's source location).
constexpr std::array<std::string_view, 1> kExpectedWarnings = {
    // Table files written outside the database (a table replacement's, ingested) have no unique
    // id of the database's to check against its manifest; RocksDB 7.8 says so once per process.
    "At least one SST file opened without unique ID to verify",
};

bool expected_warning(std::string_view message) {
  // RocksDB prefixes "[file:line] ".
  if (message.starts_with('[')) {
    const auto end = message.find("] ");
    if (end != std::string_view::npos) message.remove_prefix(end + 2);
  }
  for (const std::string_view expected : kExpectedWarnings) {
    if (message.starts_with(expected)) return true;
  }
  return false;
}

spdlog::level::level_enum spdlog_level(rocksdb::InfoLogLevel level) {
  switch (level) {
    case rocksdb::InfoLogLevel::WARN_LEVEL:
      return spdlog::level::warn;
    case rocksdb::InfoLogLevel::ERROR_LEVEL:
    case rocksdb::InfoLogLevel::FATAL_LEVEL:
      return spdlog::level::err;
    default:
      return spdlog::level::debug;
  }
}

class SpdlogLogger final : public rocksdb::Logger {
 public:
  // RocksDB skips the formatting of messages below this level.
  SpdlogLogger()
      : rocksdb::Logger(spdlog::should_log(spdlog::level::debug) ? rocksdb::InfoLogLevel::DEBUG_LEVEL
                                                                 : rocksdb::InfoLogLevel::WARN_LEVEL) {}

  void Logv(const char* format, va_list arguments) override {
    Logv(rocksdb::InfoLogLevel::INFO_LEVEL, format, arguments);
  }

  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list arguments) override {
    if (level < GetInfoLogLevel()) return;
    auto target = spdlog_level(level);
    if (!spdlog::should_log(target)) return;
    std::array<char, 1024> buffer;
    const int length = std::vsnprintf(buffer.data(), buffer.size(), format, arguments);
    if (length < 0) return;
    const std::string_view message(buffer.data(), std::min<std::size_t>(length, buffer.size() - 1));
    if (target == spdlog::level::warn && expected_warning(message)) {
      target = spdlog::level::debug;
      if (!spdlog::should_log(target)) return;
    }
    spdlog::log(target, "rocksdb: {}", message);
  }
};

}  // namespace

std::shared_ptr<rocksdb::Logger> make_rocksdb_logger() { return std::make_shared<SpdlogLogger>(); }

}  // namespace benefitd::store
