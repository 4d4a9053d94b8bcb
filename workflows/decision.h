// The outcome of deciding a command: a rejection, or events grouped by stream plus the
// effects the engine carries out once the append succeeded (timers, fulfilment requests,
// notifications). Everything is data; the engine executes it mechanically.
// Thread safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "workflows/commands.h"
#include "workflows/events.h"
#include "workflows/rejection.h"

namespace benefitd::workflows {

/// Events for one stream, appended only if the stream is still at expectedVersion
/// (0 = the stream must not exist yet). All appends of a decision are one atomic append.
struct StreamAppend {
  std::string streamId;
  std::uint64_t expectedVersion = 0;
  std::vector<DomainEvent> events;
};

/// A stream the decision read but does not write: the append must fail if its version moved
/// (R-PKG-4: an activation depends on its package, a cancellation on its software benefits).
struct StreamDependency {
  std::string streamId;
  std::uint64_t version = 0;
};

/// Run `command` as actor `system` at dueAt, once. timerId is derived from the content, so
/// scheduling the same timer twice is recognisable.
struct TimerEffect {
  std::string timerId;
  Time dueAt;
  TimerCommand command;
};

/// The timer for `command` at `dueAt`; its id ("expire-benefit:<id>:<time>") follows from both.
TimerEffect timerFor(TimerCommand command, Time dueAt);

/// Work for the fulfilment back office. kind: a category name (activation) or "cancellation".
/// subjectStream is the benefit or package stream; the adapter answers with AcceptFulfilment /
/// CompleteFulfilment / RejectFulfilment (benefits) or CompleteCancellation (packages), passing
/// requestId. expectedBy is the catalog's processing time from requestedAt.
struct FulfilmentRequestEffect {
  std::string requestId, kind, subjectStream;
  Time requestedAt, expectedBy;
};

/// An outbox message (R-GTM-3); the same id is in the NotificationQueued event, so a receiver
/// can drop duplicates of at-least-once delivery.
struct NotificationEffect {
  std::string notificationId, to, subject;
  nlohmann::json body;
};

struct Decision {
  std::optional<Rejection> rejection;
  std::vector<StreamAppend> appends;
  std::vector<StreamDependency> dependsOn;
  std::vector<TimerEffect> timers;
  std::vector<FulfilmentRequestEffect> fulfilmentRequests;
  std::vector<NotificationEffect> notifications;
  /// Command-specific answer data: ids of what was created ("partnerId", "globalAdminUserId",
  /// "userId", "packageId", "benefitIds", "requestId", "seatId", "supportRequestId") or the key
  /// asked for ("key": {"language","os","key","maxActivations","revealedAt"}).
  nlohmann::json result = nlohmann::json::object();

  bool refused() const { return rejection.has_value(); }
  /// All events of the decision, stream by stream, in append order.
  std::size_t eventCount() const;
};

}  // namespace benefitd::workflows
