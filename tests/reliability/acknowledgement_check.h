#pragma once
// The durability checks (R-ENG-3, R-ENG-4) on the commands the server acknowledged:
// - a command in doubt (its answer lost in the crash) is sent again with its idempotency key,
//   as a careful client would; a 2xx then makes it acknowledged like any other;
// - an acknowledged command's events are in the log: it left an event (found by its
//   correlation id) in the stream it was about, at or before its X-Position;
//   an acknowledged clock advance is not undone;
// - sending it again with its idempotency key returns the first answer, byte for byte, with
//   the same X-Position, and appends nothing.
// Thread safety: one thread.

#include <cstddef>
#include <vector>

#include "tests/reliability/ledger.h"
#include "tests/reliability/log_mirror.h"
#include "workflows/time.h"

namespace benefitd::reliability {

struct RetryOutcome {
  std::size_t in_doubt = 0, acknowledged = 0;
};

/// Sends every command in doubt again; says how many there were and were acknowledged.
RetryOutcome retry_in_doubt(ClientPool& clients, Ledger& ledger);

/// Throws CheckFailed unless every command in `acknowledged` is in `log` (or, for a clock
/// advance, `clock_now` is not before the time it answered).
void check_in_log(const std::vector<AcknowledgedCommand>& acknowledged, const LogMirror& log,
                  workflows::Time clock_now);

/// Throws CheckFailed unless each command sent again with its key gets its first answer.
/// The caller checks that the log did not grow.
void check_replays(const std::vector<AcknowledgedCommand>& acknowledged, ClientPool& clients);

}  // namespace benefitd::reliability
