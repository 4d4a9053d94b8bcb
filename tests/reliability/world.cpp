// The load's knowledge of the server's contents.
#include "tests/reliability/world.h"

namespace benefitd::reliability {

std::optional<BenefitRef> World::pick(const std::vector<BenefitRef>& pool, std::mt19937_64& random) const {
  std::lock_guard lock(mutex_);
  if (pool.empty()) return std::nullopt;
  return pool[std::uniform_int_distribution<std::size_t>(0, pool.size() - 1)(random)];
}

void World::purchased(std::size_t partner, const nlohmann::json& package) {
  std::lock_guard lock(mutex_);
  for (const auto& benefit : package["benefits"])
    purchased_.push_back({partner, benefit["benefitId"], benefit["category"]});
}

std::optional<BenefitRef> World::to_activate(std::mt19937_64& random) {
  std::lock_guard lock(mutex_);
  if (purchased_.empty()) return std::nullopt;
  const std::size_t index = std::uniform_int_distribution<std::size_t>(0, purchased_.size() - 1)(random);
  BenefitRef taken = std::move(purchased_[index]);
  purchased_[index] = std::move(purchased_.back());
  purchased_.pop_back();
  return taken;
}

void World::activated(const BenefitRef& benefit) {
  std::lock_guard lock(mutex_);
  if (benefit.category == "visual-studio") seated_.push_back(benefit);
  if (benefit.category == "technical") supported_.push_back(benefit);
}

}  // namespace benefitd::reliability
