#pragma once
// CrashChecks: everything the crash loop verifies, in the order it verifies it, with the log
// mirror it keeps across cycles. After each restart (server up, load stopped): the log's shape,
// commands in doubt retried, the timers due by now, acknowledged commands in the log and
// replayed by key, the hash chains. Now and then, and at the end, with the server stopped: views against a
// rebuild. At the end: the clock run past every expiry, and the offline chain verification.
// Thread safety: one thread.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "tests/reliability/benefitd_process.h"
#include "tests/reliability/expiry_check.h"
#include "tests/reliability/ledger.h"
#include "tests/reliability/log_mirror.h"

namespace benefitd::reliability {

struct RestartReport {
  std::size_t in_doubt = 0, acknowledged_on_retry = 0;
  ExpiryTally expiries;
};

class CrashChecks {
 public:
  CrashChecks(Ledger& ledger, std::string operator_token, std::filesystem::path benefitctl)
      : ledger_(ledger), operator_token_(std::move(operator_token)), benefitctl_(std::move(benefitctl)) {}

  /// Every check that runs against the restarted server. Throws CheckFailed.
  RestartReport after_restart(const std::string& port);
  /// Stops the server (which must exit 0), compares its views with a rebuild, starts it again.
  /// Returns the number of view rows compared.
  std::size_t views_equal_rebuild(BenefitdProcess& server);
  struct FinalReport {
    ExpiryTally expiries;
    std::size_t view_rows = 0;
  };
  /// Runs the clock `days` ahead in steps of a month; then every package and benefit must have
  /// expired (and every package lapsed) exactly once, the views must equal a rebuild and the
  /// offline verification must pass. Leaves the server stopped.
  FinalReport finish(BenefitdProcess& server, int days);

  std::uint64_t events_in_log() const { return log_.last_position(); }

 private:
  workflows::Time clock_now(ApiClient& operator_client);
  void verify_online(ApiClient& operator_client);
  ExpiryTally fire_due_timers(ApiClient& operator_client);

  Ledger& ledger_;
  std::string operator_token_;
  std::filesystem::path benefitctl_;
  LogMirror log_;
};

}  // namespace benefitd::reliability
