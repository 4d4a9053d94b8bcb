#pragma once
// The product's views, derived from the log (R-ENG-5): benefit, package and partner views,
// users, each partner's benefit and package lists, the expirations index, the fulfilment
// queue and each partner's slice of the log (for audit). Keys are in view_keys.h.
//
// It advances the aggregates event by event and writes their views, so a view is exactly what
// the domain's machines say after that event. The aggregates are the command path's: both
// build them from the log in order, so a state either one cached is the state the other would
// build, and the aggregate a command has just loaded is the one its events' views need next.
// Thread safety: apply may run on several threads at once, for events of different streams.

#include "adapters/app/aggregates.h"
#include "engine/projection_runner.h"

namespace benefitd::app {

class ViewsProjection final : public engine::Projection {
 public:
  /// `aggregates` must outlive the projection.
  explicit ViewsProjection(Aggregates& aggregates) : aggregates_(aggregates) {}

  store::Status apply(const store::RecordedEvent& event, engine::ViewWriter& views) override;
  // Every key belongs to one stream: an aggregate's view, its log entries (by position), its row
  // in a partner's lists and in the expirations, and fulfilment rows (by a request id that only
  // one stream's events carry). The aggregate repositories are thread-safe.
  bool streams_independent() const override { return true; }

 private:
  store::Status apply_partner(const store::RecordedEvent& event, const workflows::DomainEvent& domain,
                              engine::ViewWriter& views);
  store::Status apply_package(const store::RecordedEvent& event, const workflows::DomainEvent& domain,
                              engine::ViewWriter& views);
  store::Status apply_benefit(const store::RecordedEvent& event, const workflows::DomainEvent& domain,
                              engine::ViewWriter& views);

  Aggregates& aggregates_;
};

}  // namespace benefitd::app
