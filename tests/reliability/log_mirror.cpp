// Reading the global log incrementally and checking its shape as it is read.
#include "tests/reliability/log_mirror.h"

#include "tests/reliability/check_failed.h"

namespace benefitd::reliability {

namespace {

constexpr int kPageSize = 500;

/// Only the expiry bookkeeping needs event data; the rest is dropped to keep the mirror small.
bool keeps_data(const std::string& type) {
  return type == "PackagePurchased" || type == "PackageRenewed" || type == "BenefitGranted" ||
         type == "BenefitActivated";
}

}  // namespace

const std::vector<std::uint64_t>& LogMirror::by_correlation(const std::string& correlation_id) const {
  static const std::vector<std::uint64_t> kNone;
  const auto found = by_correlation_.find(correlation_id);
  return found == by_correlation_.end() ? kNone : found->second;
}

void LogMirror::catch_up(ApiClient& operator_client) {
  if (!events_.empty()) {
    // The last event read before the crash must have survived it, unchanged: it was visible,
    // so it was committed, and a committed event is durable (R-ENG-3).
    const LoggedEvent& last = events_.back();
    const auto page = operator_client.get("/v1/events?fromPosition=" + std::to_string(last.position) + "&limit=1");
    if (page["items"].empty() || page["items"][0]["hash"] != last.hash)
      throw CheckFailed("R-ENG-3: event " + std::to_string(last.position) + " (" + last.type + " on " + last.stream +
                        "), read before the crash, is missing or changed after the restart");
  }
  for (;;) {
    const auto page = operator_client.get("/v1/events?fromPosition=" + std::to_string(events_.size() + 1) +
                                          "&limit=" + std::to_string(kPageSize));
    for (const auto& item : page["items"]) add(item);
    if (page["items"].size() < kPageSize) return;
  }
}

void LogMirror::add(const nlohmann::json& item) {
  LoggedEvent event{item["position"], item["streamId"], item["type"], item["occurredAt"],
                    item["correlationId"], item["hash"], nlohmann::json()};
  if (event.position != events_.size() + 1)
    throw CheckFailed("R-ENG-2: the log jumps from position " + std::to_string(events_.size()) + " to " +
                      std::to_string(event.position));
  StreamHead& head = heads_[event.stream];
  const std::uint64_t version = item["version"];
  if (version != head.version + 1)
    throw CheckFailed("R-ENG-2: stream " + event.stream + " jumps from version " + std::to_string(head.version) +
                      " to " + std::to_string(version) + " at position " + std::to_string(event.position));
  if (head.version > 0 && item["prevHash"] != head.hash)
    throw CheckFailed("R-ENG-6: event " + std::to_string(event.position) + " of " + event.stream +
                      " does not carry its stream's previous hash");
  head = {version, event.hash};
  if (keeps_data(event.type)) event.data = item["data"];
  by_correlation_[event.correlation_id].push_back(event.position);
  events_.push_back(std::move(event));
}

}  // namespace benefitd::reliability
