#pragma once
// Identifiers, product keys, Access/Contract IDs and tokens from OpenSSL's CSPRNG: product keys
// and tokens are secrets, so they must not be guessable.
// Thread safety: thread-safe (each thread draws from a buffer of its own, filled by OpenSSL's
// RAND_bytes, which is thread-safe).

#include <string>

#include "workflows/ids.h"

namespace benefitd::app {

class RandomIds final : public workflows::IdSource {
 public:
  std::string newId(workflows::IdKind kind) override;
  std::string productKey() override;
  std::string accessId() override;
  std::string contractId() override;
};

/// A bearer token: 32 random bytes, hexadecimal.
std::string new_token();
/// The stored form of a token (R-AUTH-9): SHA-256, hexadecimal.
std::string token_hash(std::string_view token);

}  // namespace benefitd::app
