#pragma once
// Service: everything the product does, in the terms of its HTTP contract (API.md) but free of
// HTTP. The HTTP router and the CLI's offline tools call it; it binds the generic engine
// (engine/) to the benefit domain (workflows/) on the RocksDB store.
//
// Every answer is an Outcome: a Reply (success, with the body API.md gives) or a Problem (a
// code from API.md's table; the HTTP layer maps codes to statuses). Client input never makes a
// method throw. A failing store changes nothing: a command answers the problem `unavailable`;
// a query or authenticate() throws StoreUnavailable, since "absent" would be a wrong answer
// (a 404, or a 401 that makes a client drop a valid token).
//
// Commands are asynchronous: `done` runs exactly once, after the command is durable (or was
// refused), on an engine thread; it must be quick and must not block. Nothing here blocks the
// caller's thread on disk I/O except the queries, which read from memory-backed views.
//
// Thread safety: all methods may be called from any thread concurrently.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/app/client_link.h"
#include "adapters/app/log_export.h"
#include "adapters/app/pass_progress.h"
#include "store/event.h"
#include "store/event_store.h"
#include "store/lease.h"
#include "store/status.h"
#include "workflows/actor.h"
#include "workflows/commands.h"
#include "workflows/time.h"

namespace benefitd::app {

using Position = store::Position;
class Operations;  // operations.h

/// A success. `kind` says which 2xx applies: ok 200, created 201, accepted 202, no_content
/// 204 (the resource is gone; `body` is not sent).
struct Reply {
  enum class Kind { ok, created, accepted, no_content };
  Kind kind = Kind::ok;
  nlohmann::json body;
  /// The stream version of the resource in `body`, when it is one resource (its ETag).
  std::optional<std::uint64_t> version;
  /// The log position this answer reflects (X-Position). After a command, the log's position
  /// with the command applied: its read-your-writes token, which may lie past its own events
  /// when one commit held several commands; after a retry of an idempotency key, the log's
  /// position now. After a query, the position the views had reached.
  Position position = 0;
  /// Instead of `body` (then null), the body as the JSON text of a view row, served as it is
  /// stored, never parsed (polls of a benefit); empty otherwise. document() reads either.
  std::string body_text = {};

  /// The body as a document, from `body_text` when that holds it.
  nlohmann::json document() const { return body_text.empty() ? body : nlohmann::json::parse(body_text); }
};

/// The views an answer reads, so that a long-poll waits for those alone: exact view keys and
/// key prefixes ending in '/' (see view_keys.h). Naming neither means every view.
struct ViewWatch {
  std::vector<std::string> keys;
  std::vector<std::string> prefixes;
};

/// A refusal. `code` is one of API.md's codes (e.g. "refund-window-closed", "not-found",
/// "version-mismatch", "idempotency-key-reused", "unavailable"); `extra` holds further
/// members of the problem document (e.g. currentStatus, reassignableAt, errors).
struct Problem {
  std::string code;
  std::string detail;
  nlohmann::json extra = nlohmann::json::object();
};

using Outcome = std::variant<Reply, Problem>;

/// The most events one page of a partner's audit history holds (and its default size).
inline constexpr std::size_t kMaxAuditPage = 10'000;

/// The store could not be read, so the answer is unknown. The HTTP layer answers it 503
/// `unavailable`.
class StoreUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
using Done = std::function<void(Outcome)>;

/// A query whose answer can hold thousands of rows, for Service::run_long_read.
struct LongRead {
  /// Whose turn it is: reads of one queue run in the order asked, and queues take turns, so
  /// one caller's many reads hold up another's by one read at most. The router names the
  /// caller's partner, or the operator.
  std::string queue;
  /// The connection that waits for the answer, when there is one: a read for a connection
  /// that closed is dropped unrun, one for a connection holding too many unsent answers waits.
  std::shared_ptr<ClientLink> client;
  /// The read itself; it must not throw. Dropped (destroyed unrun) when its client has gone.
  std::function<void()> run;
};

/// Everything about the request a command needs besides the command itself.
struct RequestContext {
  workflows::Actor actor;
  std::string correlation_id;                  // one per request (X-Correlation-Id or new)
  std::optional<std::string> idempotency_key;  // 1..255 characters
  std::string fingerprint;                     // method + path + body: a reused key must match
  std::optional<std::uint64_t> if_match;       // expected version of the target stream
};

/// ?limit=&cursor= (limit 1..500, checked by the caller). A cursor that no page of the list
/// could have given is refused `invalid-request`.
struct Page {
  std::size_t limit = 100;
  std::string cursor;  // empty for the first page; otherwise a previous reply's nextCursor
};

struct BenefitFilter {
  std::optional<std::string> category, status, package_id;
};

/// The most benefits one page of a partner's benefits examines. A filter few of them pass
/// would otherwise read every benefit of the partner for one page (seconds for hundreds of
/// thousands), holding a query thread all the while: a page that reaches this many ends there,
/// with fewer than its limit of items (none, maybe) and a nextCursor that goes on from the last
/// one examined (null if that was the partner's last benefit).
inline constexpr std::size_t kBenefitsExaminedPerPage = 2000;

/// POST /v1/clock/advance: exactly one of the two.
struct ClockAdvance {
  std::optional<std::int64_t> seconds;
  std::optional<workflows::Time> to;
};

enum class FulfilmentAction { accept, complete, reject };

/// What GET /healthz reports. The reasons are for the operator's log: they may name files.
struct Health {
  store::WriteHealth store;
  Position log_position = 0;
  Position views_position = 0;
  std::optional<std::string> views_error;  // set while the views cannot follow the log
  bool ok() const { return store.writable() && !views_error; }
};

/// POST /v1/fulfilment/requests/{id}/accept|complete|reject bodies.
struct FulfilmentAnswer {
  std::optional<workflows::Time> expected_by;         // accept
  std::optional<std::string> access_id, contract_id;  // complete
  std::string reason;                                 // reject
};

class Service {
 public:
  virtual ~Service() = default;

  /// The actor a bearer token stands for (the operator, or a user with their current roles),
  /// or nullopt for an unknown token.
  virtual std::optional<workflows::Actor> authenticate(std::string_view token) const = 0;

  // ---- commands ----

  /// Runs a domain command (everything in workflows::Command that callers may issue).
  /// Replies with the body API.md gives for the endpoint that issues it.
  virtual void execute(const RequestContext& context, workflows::Command command, Done done) = 0;
  /// Operator: moves the simulated clock; replies once due timers fired and views caught up.
  virtual void advance_clock(const RequestContext& context, ClockAdvance advance, Done done) = 0;
  /// Operator: answers a fulfilment request by its id.
  virtual void answer_fulfilment(const RequestContext& context, std::string request_id,
                                 FulfilmentAction action, FulfilmentAnswer answer, Done done) = 0;

  // ---- queries (Reply bodies as in API.md) ----

  virtual Outcome clock(const workflows::Actor& actor) const = 0;
  virtual Outcome catalog() const = 0;
  virtual Outcome partner(const workflows::Actor& actor, std::string_view partner_id) const = 0;
  virtual Outcome users(const workflows::Actor& actor, std::string_view partner_id,
                        const Page& page) const = 0;
  virtual Outcome packages(const workflows::Actor& actor, std::string_view partner_id,
                           const Page& page) const = 0;
  virtual Outcome package(const workflows::Actor& actor, std::string_view package_id) const = 0;
  virtual Outcome benefits(const workflows::Actor& actor, std::string_view partner_id,
                           const BenefitFilter& filter, const Page& page) const = 0;
  /// Soonest first; the cursor is the last item's expiry and benefit id.
  virtual Outcome expirations(const workflows::Actor& actor, std::string_view partner_id,
                              std::int64_t within_seconds, const Page& page) const = 0;
  /// With `as_of`, the benefit as it was then, rebuilt from the log (R-ENG-7).
  virtual Outcome benefit(const workflows::Actor& actor, std::string_view benefit_id,
                          std::optional<workflows::Time> as_of) const = 0;
  virtual Outcome stream_events(const workflows::Actor& actor, std::string_view stream_id,
                                std::uint64_t from_version, std::size_t limit) const = 0;
  /// The partner's events in log order, those at `start` (a log position, the nextCursor of
  /// the previous page) or later, at most `limit` of them, filtered by `from` and `to`.
  virtual Outcome partner_audit(const workflows::Actor& actor, std::string_view partner_id,
                                std::optional<workflows::Time> from, std::optional<workflows::Time> to,
                                Position start, std::size_t limit) const = 0;
  virtual Outcome events(const workflows::Actor& actor, Position from_position,
                         std::size_t limit) const = 0;
  /// Walks the hash chains of the whole log (or of one partner's streams): long, so it runs
  /// on a thread of its own, one verification at a time; `done` runs there, and so does
  /// `progress` (events read of the log's) as it goes.
  virtual void verify(const workflows::Actor& actor, std::optional<std::string> partner_id, Done done,
                      PassReport progress = {}) = 0;
  /// Runs `read.run` (a query whose answer can hold thousands of rows) on a thread of the
  /// Service's own for such reads, so that it holds up neither an I/O thread nor an engine
  /// thread: fairly between queues, in the order asked within one (see LongRead).
  virtual void run_long_read(LongRead read) = 0;
  /// Oldest request first; the cursor is the last item's requestedAt and requestId.
  virtual Outcome fulfilment_requests(const workflows::Actor& actor, std::optional<std::string> status,
                                      const Page& page) const = 0;

  // ---- views' progress, for ?minPosition= and long-polls ----

  /// The log position every view has caught up with.
  virtual Position views_position() const = 0;
  /// The log's last position: everything acknowledged so far lies at or before it, so a read
  /// whose views include it shows every write answered before it began (R-ENG-10).
  virtual Position log_position() const = 0;
  /// Runs `done(true)` once the views reach `position`, or `done(false)` at `deadline`
  /// (from an engine thread; quick, non-blocking). Never busy-waits.
  virtual void when_views_reach(Position position, std::chrono::steady_clock::time_point deadline,
                                std::function<void(bool reached)> done) = 0;
  /// Runs `done(true)` once a commit of the views after position `since` may have changed a
  /// view `watch` names, or `done(false)` at `deadline` (from an engine thread, or at once on
  /// the caller's; quick, non-blocking). Wake-ups may be spurious, never missed. By default
  /// any advance of the views counts as a change.
  virtual void when_views_change(const ViewWatch& /*watch*/, Position since,
                                 std::chrono::steady_clock::time_point deadline,
                                 std::function<void(bool changed)> done) {
    when_views_reach(since + 1, deadline, std::move(done));
  }

  /// Prometheus text for the engine's own metrics (events appended, projection lag, timers
  /// pending, fulfilment queue depth, command latency); the HTTP layer adds its own.
  virtual std::string metrics_text() const = 0;
  /// Whether the engine can write and its views follow the log (GET /healthz).
  virtual Health health() const = 0;
  /// Why the views cannot follow the log, while they cannot (health()'s views_error without
  /// asking the store anything: cheap enough for every read).
  virtual std::optional<std::string> views_error() const = 0;

  // ---- offline tools (benefitctl on a stopped server's data dir) ----

  /// Writes the events `filter` selects as CloudEvents 1.0 JSON lines, with product keys and
  /// Access/Contract IDs redacted (see log_export.h).
  virtual store::Status export_cloudevents(const ExportFilter& filter, std::ostream& out,
                                           const PassReport& progress = {}) const = 0;
  /// Drops every view and rebuilds it from the log; `progress` hears (events done, total).
  virtual store::Status rebuild_projections(const PassReport& progress) = 0;

  /// Backups, notification dead letters and restore checks (operations.h); nullptr for a
  /// Service without a store of files (test doubles), whose routes then answer not-found.
  virtual Operations* operations() { return nullptr; }
};

enum class ClockMode { system, simulated };
enum class FulfilmentMode { simulated, external };

/// The block cache of a store opened for an offline tool. Its passes read the log with
/// iterators that leave the cache alone; only their point reads use it (a verification's
/// stream heads read back and its index checks in key order), and those read most blocks once.
/// With the server's 256 MiB, verifying ten million events filled it and peaked at 522 to
/// 537 MiB; with this, at 324 MiB, and no slower (docs/benchmarks.md).
inline constexpr std::size_t kOfflineStoreCacheBytes = std::size_t{64} << 20;

struct ServiceOptions {
  std::filesystem::path data_dir = "data";
  std::string operator_token;
  ClockMode clock = ClockMode::system;
  std::optional<workflows::Time> clock_start;  // simulated clock of a new data dir
  FulfilmentMode fulfilment = FulfilmentMode::simulated;
  std::optional<std::filesystem::path> catalog;  // the built-in catalog when absent
  bool durable = true;                            // false: --durability none
  std::size_t store_cache_bytes = std::size_t{256} << 20;  // the store's block cache
  /// Free disk space the store keeps: below it, commands answer `unavailable` (see
  /// store::RocksDbOptions::reserved_disk_bytes).
  std::uint64_t store_reserved_disk_bytes = std::uint64_t{128} << 20;
  /// Delivers one notification (true once it has it; false to be offered it again later).
  /// When empty, notifications go to notifications.jsonl in the data dir.
  std::function<bool(const nlohmann::json& notification)> notification_sink;
  /// Failed attempts at one notification before it is parked in the dead letters.
  std::uint32_t notification_max_attempts = 10;
  /// For offline tools: no timers, fulfilment or notifier run, and the store's block cache is
  /// at most kOfflineStoreCacheBytes.
  bool offline = false;
  /// Wraps the opened store before anything uses it (tests inject store failures with it);
  /// when empty, the service uses the RocksDB store as it is.
  std::function<std::unique_ptr<store::EventStore>(std::unique_ptr<store::EventStore>)> wrap_store;
  /// Opens the event store in place of the RocksDB store in data_dir (benefitd --store with a
  /// PostgreSQL connection string); the data dir still holds everything else.
  std::function<store::Status(std::unique_ptr<store::EventStore>*)> open_store;
  /// Opens the lease (store/lease.h) of the processes sharing the store open_store opens; when
  /// empty, the service is alone on its store and always holds it.
  std::function<store::Status(std::unique_ptr<store::Lease>*)> open_lease;
};

/// Opens the data dir (creating it), catches the views up, fires timers that fell due while
/// stopped, and starts the engine's threads. On failure returns nullptr and sets `error`.
std::unique_ptr<Service> open_service(const ServiceOptions& options, std::string* error);

}  // namespace benefitd::app
