#pragma once
// StringKeyHash: for unordered maps keyed by std::string that are searched with a string_view,
// with std::equal_to<> as their key equality: a look-up then builds no string.
// Thread safety: stateless.

#include <cstddef>
#include <functional>
#include <string_view>

namespace benefitd::store {

struct StringKeyHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view key) const noexcept { return std::hash<std::string_view>{}(key); }
};

}  // namespace benefitd::store
