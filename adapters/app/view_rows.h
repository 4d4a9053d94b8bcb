#pragma once
// The views an event changes, from the aggregate it changes as it was before the event and is
// after it (R-ENG-5): the benefit, package and partner views, users, each partner's benefit and
// package lists, the expirations index, the fulfilment queue with its index of open requests,
// and each partner's slice of the log, and the aggregate's snapshot (its state after the event,
// which the command path loads an aggregate from: aggregates.h). Keys are in view_keys.h.
//
// One function, two callers: the command path writes the views of a command's events in the
// command's own write (inline_views.h), and the projection runner writes them when it replays
// the log (views_projection.h: rebuilds, upgrades). Both give the same bytes for the same
// events, which the rebuild test compares.
//
// Thread safety: reentrant; the states are shared immutable values.

#include <memory>

#include "engine/view_writer.h"
#include "store/status.h"
#include "workflows/benefit.h"
#include "workflows/events.h"
#include "workflows/package.h"
#include "workflows/partner.h"

namespace benefitd::app {

/// One event to project: what it says and where it is in the log.
struct ProjectedEvent {
  const workflows::DomainEvent& domain;
  store::Version version;  // its stream's version with the event
  engine::LogPlace place;
};

/// Each writes into `views` what `event` changes, given its aggregate `before` the event (an
/// aggregate that does not exist yet for the first) and `after` it. A failure (a fulfilment row
/// that cannot be read) leaves `views` partly written: drop the writer.
store::Status write_views(const ProjectedEvent& event, const std::shared_ptr<const workflows::Partner>& before,
                          const std::shared_ptr<const workflows::Partner>& after, engine::ViewWriter& views);
store::Status write_views(const ProjectedEvent& event, const std::shared_ptr<const workflows::Package>& before,
                          const std::shared_ptr<const workflows::Package>& after, engine::ViewWriter& views);
store::Status write_views(const ProjectedEvent& event, const std::shared_ptr<const workflows::Benefit>& before,
                          const std::shared_ptr<const workflows::Benefit>& after, engine::ViewWriter& views);

}  // namespace benefitd::app
