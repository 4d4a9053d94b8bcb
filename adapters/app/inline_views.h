#pragma once
// The views a command's events change, computed on the command path from the aggregates its
// decision read, to commit in the command's own write (R-ENG-10): once the command is
// answered, every view it changed shows it. The rows come from view_rows.h, the code the
// projection runner replays the log with, so the views and the log never disagree.
// Thread safety: a call uses its arguments only; the states it keeps are immutable.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "adapters/app/aggregates.h"
#include "store/write_request.h"
#include "workflows/decision.h"

namespace benefitd::app {

/// The aggregates of a write's streams as its events leave them, by stream id.
struct StatesAfter {
  std::map<std::string, std::shared_ptr<const workflows::Partner>> partners;
  std::map<std::string, std::shared_ptr<const workflows::Package>> packages;
  std::map<std::string, std::shared_ptr<const workflows::Benefit>> benefits;
};

struct InlineViews {
  /// The views table's writes; rows keyed by an event's log position are positioned writes.
  std::vector<store::KeyedWrite> writes;
  /// The view keys written, for waking long-polls once the write commits; a row keyed by an
  /// event's position by its key prefix (long-polls watch those by prefix).
  std::vector<std::string> keys;
  /// The states the views were computed from; the command's reply is built from them too.
  StatesAfter after;
};

/// Puts the aggregates as the events left them into `aggregates`' caches: call only once the
/// write committed, so that the next command on them reads nothing from the store.
void remember_states(const StatesAfter& after, Aggregates& aggregates);

/// The views of `decision`'s events. Its appends must be the write's streams, in order and
/// first (events are numbered across them for positioned rows); `source` must be the source
/// the decision read. Fails (corruption, or a store error reading a fulfilment row) without
/// side effects.
store::Status inline_views(const workflows::Decision& decision, const DecisionSource& source,
                           const store::EventStore& store, InlineViews* out);

}  // namespace benefitd::app
