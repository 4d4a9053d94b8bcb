#pragma once
// CheckFailed: a violated guarantee, found by one of the crash loop's checks. Its message says
// which guarantee and what was seen; the loop stops and exits non-zero on it.

#include <stdexcept>

namespace benefitd::reliability {

class CheckFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace benefitd::reliability
