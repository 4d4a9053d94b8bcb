#pragma once
// The crash loop's load: client threads sending a mix of real commands, each with its own
// idempotency key and correlation id, until the server dies under them or they are told to
// stop. Purchases, activations of every benefit category, Visual Studio seat assignments,
// support requests, and clock advances that make fulfilment and expiry timers fire.
// Thread safety: run_load blocks its caller; the workers share only World and Ledger.

#include <atomic>
#include <cstdint>
#include <string>

#include "tests/reliability/ledger.h"
#include "tests/reliability/world.h"

namespace benefitd::reliability {

struct LoadOptions {
  int threads = 4;
  int max_advance_hours = 24;  // each clock advance moves 1..max hours; 0: no clock advances
  std::uint64_t seed = 0;
  std::string operator_token;
};

/// Runs `options.threads` workers against the server on `port` until `stop` is set or each
/// worker has seen the server die; commands then in flight are recorded as in doubt.
/// `cycle` makes this run's idempotency keys and correlation ids unique.
void run_load(const std::string& port, const LoadOptions& options, int cycle, World& world, Ledger& ledger,
              const std::atomic<bool>& stop);

}  // namespace benefitd::reliability
