#pragma once
// Lease: the right to do the work that must happen once among the processes sharing a store
// (firing timers, the simulated fulfilment's answers, delivering the outbox, housekeeping), so
// that one process does it at a time and another takes over when the holder dies.
//
// Contract:
// - held() is true while this process holds the lease as far as it can tell. A lease over a
//   network (postgres/postgres_lease.h) is lost when its holder's connection dies and is then
//   taken by another process within its retry period.
// - A lease narrows who does the work; it does not make the work safe to do twice. Between a
//   holder losing its connection and noticing it, two processes may both believe they hold the
//   lease. Work under a lease must therefore be safe to race: a timer's firing expects its row
//   (WriteRequest::expected_rows), so of two firings of one timer the second fails and changes
//   nothing; a notification is delivered at least once and carries an id for receivers to drop
//   duplicates.
// - Work that waits for the lease looks at held() every kLeasePoll. Work under a shared lease
//   also looks for rows other processes added (timers, notifications) every kLeasePoll, since
//   only its own process's commits wake it.
//
// Thread safety: all methods are thread-safe.

#include <chrono>

namespace benefitd::store {

/// How often work waiting for a lease looks whether this process holds it now, and work under a
/// shared lease looks for what other processes queued.
inline constexpr std::chrono::milliseconds kLeasePoll{100};

class Lease {
 public:
  virtual ~Lease() = default;
  /// Whether this process holds the lease now. Never blocks.
  virtual bool held() const = 0;
  /// Whether other processes may share the store (and queue work this one must look for).
  virtual bool shared() const = 0;
};

/// The lease of a store no other process shares (RocksDB, memory): always held.
class SoleLease final : public Lease {
 public:
  bool held() const override { return true; }
  bool shared() const override { return false; }
};

/// One SoleLease for everything that runs on a store of its own.
inline const Lease& sole_lease() {
  static const SoleLease lease;
  return lease;
}

}  // namespace benefitd::store
