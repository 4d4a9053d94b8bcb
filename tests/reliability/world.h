#pragma once
// World: what the crash loop's load knows of the server's contents, to choose commands that
// can succeed: the seeded partners with their admins' tokens and employees, and the benefits
// bought so far, by what can be done with them next. It learns only from acknowledged answers,
// so it never relies on anything a crash could have taken away.
// Thread safety: every method may be called from any thread.

#include <cstddef>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "tests/reliability/api_client.h"

namespace benefitd::reliability {

struct Partner {
  std::string partner_id, admin_token;
  std::vector<std::string> employee_ids;  // users without roles, who receive seats
};

struct BenefitRef {
  std::size_t partner = 0;  // index into World::partners()
  std::string benefit_id, category;
};

class World {
 public:
  explicit World(std::vector<Partner> partners) : partners_(std::move(partners)) {}

  const std::vector<Partner>& partners() const { return partners_; }

  /// A random benefit to activate, taken from the pool: each benefit is activated by one
  /// command only, so that every acknowledged activation appends events of its own (asking a
  /// software benefit again for the same key would answer 200 without an event, R-SW-2).
  std::optional<BenefitRef> to_activate(std::mt19937_64& random);
  /// A random benefit to seat further users on; to open support requests on.
  /// Nullopt while there is none.
  std::optional<BenefitRef> with_seats(std::mt19937_64& random) const { return pick(seated_, random); }
  std::optional<BenefitRef> with_support(std::mt19937_64& random) const { return pick(supported_, random); }

  /// Learns from the answer to a purchase of `partner`: its benefits can be activated.
  void purchased(std::size_t partner, const nlohmann::json& package);
  /// Learns from an acknowledged activation of `benefit`.
  void activated(const BenefitRef& benefit);

 private:
  std::optional<BenefitRef> pick(const std::vector<BenefitRef>& pool, std::mt19937_64& random) const;

  const std::vector<Partner> partners_;
  mutable std::mutex mutex_;
  std::vector<BenefitRef> purchased_, seated_, supported_;
};

}  // namespace benefitd::reliability
