#pragma once
// The product's views, derived from the log (R-ENG-5): benefit, package and partner views,
// users, each partner's benefit and package lists, the expirations index, the fulfilment
// queue with an index of its open requests, and each partner's slice of the log (for audit).
// Keys are in view_keys.h.
//
// It advances aggregates of its own event by event and writes their views, so a view is exactly
// what the domain's machines say after that event. For the state before an event it has not
// cached, it first asks the command path's cache: the aggregate a command has just loaded is
// the state its events' views start from, and both build states from the log alike. Its own
// cache follows the log's order, so it is never ahead of the event it projects (the command
// path's may be, and is then not used).
// Thread safety: apply may run on several threads at once, for events of different streams.

#include "adapters/app/aggregates.h"
#include "engine/projection_runner.h"

namespace benefitd::app {

class ViewsProjection final : public engine::Projection {
 public:
  /// `commands` (the command path's aggregates) must outlive the projection.
  ViewsProjection(const store::EventStore& store, Aggregates& commands)
      : store_(store), commands_(commands), aggregates_(own_aggregates(store)) {}

  // 2: the index of open fulfilment requests. 3: the package view's refundWindow.
  std::string layout() const override { return "views/3"; }
  store::Status apply(const store::RecordedEvent& event, engine::ViewWriter& views) override;
  void reset() override { aggregates_ = own_aggregates(store_); }
  // Every key belongs to one stream: an aggregate's view, its log entries (by position), its row
  // in a partner's lists and in the expirations, and fulfilment rows (by a request id that only
  // one stream's events carry). The aggregate repositories are thread-safe.
  bool streams_independent() const override { return true; }

 private:
  // The projection's own cache serves a stream's events that follow each other closely in the
  // log (a command's events, a chunk's); for the others the command path's cache is asked
  // first. Kept small, it keeps a rebuild's memory low at the same speed (docs/benchmarks.md).
  static std::unique_ptr<Aggregates> own_aggregates(const store::EventStore& store) {
    return std::make_unique<Aggregates>(store, 20'000);
  }

  store::Status apply_partner(const store::RecordedEvent& event, const workflows::DomainEvent& domain,
                              engine::ViewWriter& views);
  store::Status apply_package(const store::RecordedEvent& event, const workflows::DomainEvent& domain,
                              engine::ViewWriter& views);
  store::Status apply_benefit(const store::RecordedEvent& event, const workflows::DomainEvent& domain,
                              engine::ViewWriter& views);

  const store::EventStore& store_;
  Aggregates& commands_;
  std::unique_ptr<Aggregates> aggregates_;
};

}  // namespace benefitd::app
