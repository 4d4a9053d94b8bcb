// The domain's entry point for the engine: decide a command against the current aggregates.
//
//   Decision d = decide(command, CommandContext{actor, now, catalog, source, ids});
//
// Pure and deterministic: the same command, actor, time, aggregates and generated values give
// the same decision. Nothing is read but the arguments; no clock, no I/O, no randomness.
// The engine appends d.appends atomically (each stream at its expectedVersion, each
// d.dependsOn stream still at its version), then applies the events to its aggregates and
// carries out the effects. See docs/domain.md.
// Thread safety: reentrant; a call uses its arguments only.
#pragma once

#include "workflows/actor.h"
#include "workflows/aggregate_source.h"
#include "workflows/catalog.h"
#include "workflows/commands.h"
#include "workflows/decision.h"
#include "workflows/ids.h"

namespace benefitd::workflows {

struct CommandContext {
  const Actor& actor;
  Time now;
  const Catalog& catalog;
  const AggregateSource& source;
  IdSource& ids;
};

/// A rejection (codes of API.md, plus forbidden and not-found) or the events and effects.
/// Throws std::logic_error only for broken invariants (a malformed generated product key).
Decision decide(const Command& command, const CommandContext& context);

}  // namespace benefitd::workflows
