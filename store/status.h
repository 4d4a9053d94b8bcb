#pragma once
// Status: the outcome of a store operation. Expected failures (a lost race, bad input, a
// failing disk) are values, not exceptions, so that callers must look at them.
// Thread safety: immutable once built; safe to share.

#include <string>
#include <string_view>
#include <utility>

namespace benefitd::store {

class [[nodiscard]] Status {
 public:
  enum class Code {
    ok,
    conflict,          // an expected stream version did not match
    invalid_argument,  // the request itself is malformed; retrying cannot help
    corruption,        // stored bytes do not decode
    io_error,          // the storage failed; nothing of the request was written
  };

  Status() = default;
  static Status ok() { return {}; }
  static Status conflict(std::string message) { return {Code::conflict, std::move(message)}; }
  static Status invalid_argument(std::string message) {
    return {Code::invalid_argument, std::move(message)};
  }
  static Status corruption(std::string message) { return {Code::corruption, std::move(message)}; }
  static Status io_error(std::string message) { return {Code::io_error, std::move(message)}; }

  bool is_ok() const { return code_ == Code::ok; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  Code code_ = Code::ok;
  std::string message_;
};

}  // namespace benefitd::store
