#include "workflows/storable_time.h"

#include <type_traits>

#include "workflows/rules.h"

namespace benefitd::workflows {

namespace {

using std::chrono::December;
using std::chrono::January;

// Times a view or a timer derives from an event's own times (R-PKG-2, R-PKG-5, R-VS-2).
std::vector<Time> derivedTimes(const PackagePurchased& e) {
  return {e.purchasedAt + rules::kRefundWindow, e.expiresAt + rules::kRenewalWindow};
}
std::vector<Time> derivedTimes(const PackageRenewed& e) {
  return {e.renewedAt + rules::kRefundWindow, e.expiresAt + rules::kRenewalWindow};
}
std::vector<Time> derivedTimes(const SeatAssigned& e) { return {e.assignedAt + rules::kSeatReassignmentDelay}; }
std::vector<Time> derivedTimes(const SeatReassigned& e) { return {e.reassignedAt + rules::kSeatReassignmentDelay}; }
std::vector<Time> derivedTimes(const auto&) { return {}; }

// Collects the Time fields of an event, through the same `fields` the codec uses.
struct TimeFields {
  std::vector<Time>& out;
  template <class T>
  void operator()(const char*, const T& value) const {
    if constexpr (std::is_same_v<T, Time>) {
      out.push_back(value);
    } else if constexpr (std::is_same_v<T, std::optional<Time>>) {
      if (value) out.push_back(*value);
    }
  }
};

std::optional<std::string> outside(Time t, const std::string& what) {
  if (isStorable(t)) return std::nullopt;
  return what + " would be " + formatTime(t) + ", outside the years 0001 to 9999 the engine can store";
}

}  // namespace

Time earliestStorableTime() {
  return Time{std::chrono::sys_days{std::chrono::year{1} / January / 1}};
}

Time latestStorableTime() {
  return Time{std::chrono::sys_days{std::chrono::year{9999} / December / 31}} + std::chrono::seconds{86'399};
}

bool isStorable(Time t) { return t >= earliestStorableTime() && t <= latestStorableTime(); }

std::optional<std::string> unstorableTime(const Decision& decision) {
  for (const StreamAppend& append : decision.appends) {
    for (const DomainEvent& event : append.events) {
      std::optional<std::string> problem;
      std::visit(
          [&](const auto& e) {
            std::vector<Time> times;
            std::decay_t<decltype(e)>::fields(e, TimeFields{times});
            for (const Time derived : derivedTimes(e)) times.push_back(derived);
            for (const Time t : times) {
              if (!problem) problem = outside(t, std::string("a time of ") + std::string(e.kType));
            }
          },
          event);
      if (problem) return problem;
    }
  }
  for (const TimerEffect& timer : decision.timers) {
    if (auto problem = outside(timer.dueAt, "a timer's due time")) return problem;
  }
  for (const FulfilmentRequestEffect& request : decision.fulfilmentRequests) {
    if (auto problem = outside(request.expectedBy, "a fulfilment request's expected date")) return problem;
  }
  return std::nullopt;
}

}  // namespace benefitd::workflows
