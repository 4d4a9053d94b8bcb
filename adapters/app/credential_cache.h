#pragma once
// CredentialCache: the credential rows read while authenticating, by token hash. A credential
// row never changes once written (a new or rotated token gets a row of its own), so a row read
// once may be kept: authenticating a request then reads no row. What the row names is still
// checked against the partner on every request: a removed user, or a token replaced since
// (R-AUTH-10), is refused whether or not its row is held. Only rows found are kept; a token
// with no row is looked up again on its next use (it may be one created since).
//
// Thread safety: every member may be called from any thread.

#include <cstddef>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/string_key_hash.h"

namespace benefitd::app {

struct Credential {
  std::string user_id, partner_id;
  int generation = 0;  // the user's token generation the token was issued for
};

class CredentialCache {
 public:
  /// Holds up to `limit` credentials, then starts again from none.
  explicit CredentialCache(std::size_t limit = 100'000) : limit_(limit) {}

  std::optional<Credential> find(std::string_view token_hash) const;
  void remember(std::string token_hash, Credential credential);

 private:
  const std::size_t limit_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Credential, store::StringKeyHash, std::equal_to<>> credentials_;
};

}  // namespace benefitd::app
