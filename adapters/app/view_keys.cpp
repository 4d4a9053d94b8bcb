#include "adapters/app/view_keys.h"

#include <charconv>

namespace benefitd::app::view_keys {

std::string padded(std::uint64_t number) {
  char digits[20];
  char* end = std::to_chars(digits, digits + sizeof digits, number).ptr;
  std::string text(sizeof digits - static_cast<std::size_t>(end - digits), '0');
  text.append(digits, end);
  return text;
}

std::string padded(workflows::Time time) {
  const auto seconds = time.time_since_epoch().count();
  return padded(static_cast<std::uint64_t>(seconds < 0 ? 0 : seconds));
}

std::string prefix_end(std::string prefix) {
  // Every prefix here ends in '/', so the next byte value bounds the range.
  prefix.back() = static_cast<char>(prefix.back() + 1);
  return prefix;
}

}  // namespace benefitd::app::view_keys
