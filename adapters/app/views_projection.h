#pragma once
// The product's views as a projection of the log (R-ENG-5), for the projection runner: it
// replays events into the views when they are behind the log (a rebuild, a layout upgrade, a
// data directory of an older version). Which views an event changes is view_rows.h's, the same
// code the command path runs when it writes a command's views with its events.
//
// It advances aggregates of its own event by event, so a view is exactly what the domain's
// machines say after that event. Its cache follows the log's order, so it is never ahead of
// the event it projects.
// Thread safety: apply may run on several threads at once, for events of different streams.

#include "adapters/app/aggregates.h"
#include "engine/projection_runner.h"

namespace benefitd::app {

class ViewsProjection final : public engine::Projection {
 public:
  explicit ViewsProjection(const store::EventStore& store) : store_(store), aggregates_(own_aggregates(store)) {}

  // 2: the index of open fulfilment requests. 3: the package view's refundWindow. 4: aggregate
  // snapshots.
  std::string layout() const override { return "views/4"; }
  store::Status apply(const store::RecordedEvent& event, engine::ViewWriter& views) override;
  void reset() override { aggregates_ = own_aggregates(store_); }
  // Every key belongs to one stream: an aggregate's view, its log entries (by position), its row
  // in a partner's lists and in the expirations, and fulfilment rows (by a request id that only
  // one stream's events carry). The aggregate repositories are thread-safe.
  bool streams_independent() const override { return true; }

 private:
  // The cache serves a stream's events that follow each other closely in the log (a command's
  // events, a chunk's). Kept small, it keeps a rebuild's memory low at the same speed
  // (docs/benchmarks.md). It replays streams from the log alone: the views it writes, snapshots
  // among them, never depend on the views it replaces.
  static std::unique_ptr<Aggregates> own_aggregates(const store::EventStore& store) {
    return std::make_unique<Aggregates>(store, 20'000, Aggregates::Snapshots::ignored);
  }

  const store::EventStore& store_;
  std::unique_ptr<Aggregates> aggregates_;
};

}  // namespace benefitd::app
