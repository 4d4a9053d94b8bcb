// Collects one decision while the machines run: events per stream, dependencies, effects.
// Internal to workflows/. Thread safety: one decision, one thread.
#pragma once

#include "workflows/decision.h"

namespace benefitd::workflows {

class DecisionBuilder {
 public:
  /// Appends to the stream's group, creating it with expectedVersion on first use.
  void emit(const std::string& streamId, std::uint64_t expectedVersion, DomainEvent event);
  /// Records a stream read; ignored for streams the decision also writes.
  void dependOn(const std::string& streamId, std::uint64_t version);
  /// The first rejection wins; always returns false so guards can `return reject(...)`.
  bool reject(std::string_view code, std::string detail, nlohmann::json extra = nlohmann::json::object());
  bool refused() const { return decision_.rejection.has_value(); }

  void schedule(TimerEffect timer) { decision_.timers.push_back(std::move(timer)); }
  void requestFulfilment(FulfilmentRequestEffect request) { decision_.fulfilmentRequests.push_back(std::move(request)); }
  void notify(NotificationEffect notification) { decision_.notifications.push_back(std::move(notification)); }
  nlohmann::json& result() { return decision_.result; }

  /// The finished decision; a refused one carries the rejection and nothing else.
  Decision finish() &&;

 private:
  Decision decision_;
};

}  // namespace benefitd::workflows
