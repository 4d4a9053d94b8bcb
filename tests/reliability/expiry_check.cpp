// Replaying the mirrored log's expiry bookkeeping: due times from the events that set them,
// expiries from the events the timers appended.
#include "tests/reliability/expiry_check.h"

#include <map>
#include <optional>
#include <string>

#include "tests/reliability/check_failed.h"

namespace benefitd::reliability {

namespace {

using workflows::Time;

/// A package that was not renewed lapses this long after its expiry (R-PKG-5).
constexpr auto kRenewalWindow = workflows::days(30);

Time time_of(const std::string& text, const LoggedEvent& event) {
  const auto parsed = workflows::parseTime(text);
  if (!parsed)
    throw CheckFailed("event " + std::to_string(event.position) + " carries an unreadable time '" + text + "'");
  return *parsed;
}

/// One package or benefit: its current term's due time and what its timers appended.
struct Lifecycle {
  std::optional<Time> due;
  bool terminal = false;  // cancelled: no expiry is due any more
  const LoggedEvent* expired = nullptr;
  const LoggedEvent* lapsed = nullptr;
};

[[noreturn]] void fail(const std::string& rule, const LoggedEvent& event, const std::string& what) {
  throw CheckFailed(rule + ": " + event.stream + ": " + event.type + " at position " +
                    std::to_string(event.position) + " " + what);
}

void expect_stamped(const LoggedEvent& event, Time due) {
  if (time_of(event.occurred_at, event) != due)
    fail("R-LIFE-6", event, "occurred at " + event.occurred_at + ", its timer was due at " + workflows::formatTime(due));
}

void record(Lifecycle& life, const LoggedEvent& event) {
  const std::string& type = event.type;
  if (type == "PackagePurchased" || type == "PackageRenewed" || type == "BenefitGranted" ||
      type == "BenefitActivated") {
    life.due = time_of(event.data.at("expiresAt"), event);
    if (type == "PackageRenewed") life.expired = life.lapsed = nullptr;  // a new term, with its own expiry
  } else if (type == "PackageCancelled" || type == "BenefitCancelled") {
    life.terminal = true;
  } else if (type == "PackageExpired" || type == "BenefitExpired") {
    if (life.expired) fail("R-LIFE-6", event, "is the second expiry (the first is at position " +
                                                  std::to_string(life.expired->position) + ")");
    if (!life.due) fail("R-LIFE-5", event, "expires something that was never granted");
    expect_stamped(event, *life.due);
    life.expired = &event;
  } else if (type == "PackageLapsed") {
    if (life.lapsed) fail("R-LIFE-6", event, "is the second lapse");
    if (!life.expired) fail("R-PKG-5", event, "lapses a package that never expired");
    expect_stamped(event, *life.due + kRenewalWindow);
    life.lapsed = &event;
  }
}

}  // namespace

ExpiryTally check_expiries(const LogMirror& log, Time now) {
  std::map<std::string, Lifecycle> lifecycles;
  for (const LoggedEvent& event : log.events()) {
    if (event.stream.starts_with("package-") || event.stream.starts_with("benefit-"))
      record(lifecycles[event.stream], event);
  }
  ExpiryTally tally;
  for (const auto& [stream, life] : lifecycles) {
    const bool package = stream.starts_with("package-");
    if (life.terminal || !life.due) continue;
    if (*life.due > now) {
      ++tally.still_running;
      continue;
    }
    if (!life.expired)
      throw CheckFailed("R-LIFE-6: " + stream + " was due to expire at " + workflows::formatTime(*life.due) +
                        " but has no expiry event; the clock is at " + workflows::formatTime(now));
    if (package && *life.due + kRenewalWindow <= now && !life.lapsed)
      throw CheckFailed("R-PKG-5: " + stream + " was due to lapse at " +
                        workflows::formatTime(*life.due + kRenewalWindow) + " but has no PackageLapsed event");
    ++(package ? tally.packages_expired : tally.benefits_expired);
    if (life.lapsed) ++tally.packages_lapsed;
  }
  return tally;
}

}  // namespace benefitd::reliability
