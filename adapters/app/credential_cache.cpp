#include "adapters/app/credential_cache.h"

#include <mutex>

namespace benefitd::app {

std::optional<Credential> CredentialCache::find(std::string_view token_hash) const {
  std::shared_lock lock(mutex_);
  if (const auto found = credentials_.find(token_hash); found != credentials_.end()) return found->second;
  return std::nullopt;
}

void CredentialCache::remember(std::string token_hash, Credential credential) {
  std::unique_lock lock(mutex_);
  if (credentials_.size() >= limit_) credentials_.clear();
  credentials_.insert_or_assign(std::move(token_hash), std::move(credential));
}

}  // namespace benefitd::app
