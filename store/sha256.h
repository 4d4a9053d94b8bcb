#pragma once
// SHA-256 through OpenSSL's EVP interface. Thread-safe.

#include <string_view>

#include "store/event.h"

namespace benefitd::store {

/// The SHA-256 digest of `bytes`.
Hash sha256(std::string_view bytes);

}  // namespace benefitd::store
