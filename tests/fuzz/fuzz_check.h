#pragma once
// fuzz_require: the property check of the fuzz targets. A broken property prints what broke
// and aborts, which libFuzzer reports as a crash (and saves the input) and which fails the
// corpus replay in ctest. assert() would vanish from a release build; this never does.
// Thread safety: callable from any thread.

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace benefitd::fuzz {

inline void fuzz_require(bool holds, std::string_view property) {
  if (holds) return;
  std::fprintf(stderr, "fuzz property broken: %.*s\n", static_cast<int>(property.size()), property.data());
  std::abort();
}

}  // namespace benefitd::fuzz
