#pragma once
// BenefitService: the Service (service.h) over the RocksDB store, the engine and the domain.
// Commands decide on the engine's threads and answer once durable; queries read the views.
// Thread safety: as Service: every method may be called from any thread.

#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <variant>

#include "adapters/app/aggregates.h"
#include "adapters/app/credential_cache.h"
#include "adapters/app/catch_up_progress.h"
#include "adapters/app/command_metrics.h"
#include "adapters/app/inline_views.h"
#include "adapters/app/long_read_queue.h"
#include "adapters/app/server_operations.h"
#include "adapters/app/service.h"
#include "adapters/notify/notifier.h"
#include "engine/clock.h"
#include "engine/command_executor.h"
#include "engine/periodic_task.h"
#include "engine/projection_runner.h"
#include "engine/timer_scheduler.h"
#include "store/event_store.h"
#include "store/lease.h"
#include "workflows/catalog.h"

namespace benefitd::app {

class BenefitService final : public Service {
 public:
  /// See open_service.
  static std::unique_ptr<BenefitService> open(const ServiceOptions& options, std::string* error);
  ~BenefitService() override;

  std::optional<workflows::Actor> authenticate(std::string_view token) const override;

  void execute(const RequestContext& context, workflows::Command command, Done done) override;
  void advance_clock(const RequestContext& context, ClockAdvance advance, Done done) override;
  void answer_fulfilment(const RequestContext& context, std::string request_id,
                         FulfilmentAction action, FulfilmentAnswer answer, Done done) override;

  Outcome clock(const workflows::Actor& actor) const override;
  Outcome catalog() const override;
  Outcome partner(const workflows::Actor& actor, std::string_view partner_id) const override;
  Outcome users(const workflows::Actor& actor, std::string_view partner_id,
                const Page& page) const override;
  Outcome packages(const workflows::Actor& actor, std::string_view partner_id,
                   const Page& page) const override;
  Outcome package(const workflows::Actor& actor, std::string_view package_id) const override;
  Outcome benefits(const workflows::Actor& actor, std::string_view partner_id,
                   const BenefitFilter& filter, const Page& page) const override;
  Outcome expirations(const workflows::Actor& actor, std::string_view partner_id,
                      std::int64_t within_seconds, const Page& page) const override;
  Outcome benefit(const workflows::Actor& actor, std::string_view benefit_id,
                  std::optional<workflows::Time> as_of) const override;
  Outcome stream_events(const workflows::Actor& actor, std::string_view stream_id,
                        std::uint64_t from_version, std::size_t limit) const override;
  Outcome partner_audit(const workflows::Actor& actor, std::string_view partner_id,
                        std::optional<workflows::Time> from, std::optional<workflows::Time> to,
                        Position start, std::size_t limit) const override;
  Outcome events(const workflows::Actor& actor, Position from_position,
                 std::size_t limit) const override;
  void verify(const workflows::Actor& actor, std::optional<std::string> partner_id, Done done,
              PassReport progress) override;
  void run_long_read(LongRead read) override;
  Outcome fulfilment_requests(const workflows::Actor& actor, std::optional<std::string> status,
                              const Page& page) const override;

  Position views_position() const override;
  Position log_position() const override;
  Health health() const override;
  std::optional<std::string> views_error() const override;
  void when_views_reach(Position position, std::chrono::steady_clock::time_point deadline,
                        std::function<void(bool reached)> done) override;
  void when_views_change(const ViewWatch& watch, Position since, std::chrono::steady_clock::time_point deadline,
                         std::function<void(bool changed)> done) override;
  std::string metrics_text() const override;

  store::Status export_cloudevents(const ExportFilter& filter, std::ostream& out,
                                   const PassReport& progress) const override;
  store::Status rebuild_projections(const PassReport& progress) override;
  Operations* operations() override { return operations_.get(); }

 private:
  // What a decision asked of the world besides its write, for after the commit.
  struct Effects {
    std::atomic<bool> timers{false};
    std::atomic<bool> notifications{false};
    InlineViews views;  // the last attempt's; written on an engine thread before its append
  };

  BenefitService(const ServiceOptions& options, std::unique_ptr<store::EventStore> store,
                 std::unique_ptr<store::Lease> lease, std::unique_ptr<engine::Clock> clock,
                 workflows::Catalog catalog);

  /// One try of a command at time `now`, as an engine Attempt; its answer goes to `answer`.
  engine::Attempt decide(const RequestContext& context, const workflows::Command& command,
                         workflows::Time now, Effects& effects, Outcome& answer);
  /// Runs a command; `amend` may add writes to each attempt (a timer's own erase).
  void run(const RequestContext& context, workflows::Command command,
           std::optional<workflows::Time> at, std::function<void(engine::Attempt&)> amend,
           Done done);
  void fire_timer(const engine::Timer& timer, std::function<void(store::Status)> done);
  /// Where an advance takes the simulated clock, or invalid-request when that is backwards.
  std::variant<workflows::Time, Problem> clock_target(const ClockAdvance& advance) const;
  /// Fires every timer due up to `target`, moves the clock there, waits for the views.
  void move_clock(workflows::Time target, Done done);
  /// The rest of an advance whose target is stored with its key: move, then store the reply.
  void finish_keyed_advance(const engine::IdempotencyKey& key, workflows::Time target, Done done);

  /// The partner's benefit ids, as the views list them (R-AUTH-10: a removal's seats).
  store::Status partner_benefit_ids(const std::string& partner_id, std::vector<std::string>* ids) const;
  /// Whether `command` releases seats on the partner's benefits (RemoveUser and its timer),
  /// which it learns from the views.
  static bool lists_partner_benefits(const workflows::Command& command);
  /// Such a command with the partner's benefit ids filled in, in `listed`; `listed` is left
  /// empty for any other command.
  store::Status with_partner_benefits(const workflows::Command& command,
                                      std::optional<workflows::Command>* listed) const;
  /// Runs `next(true)` once the views include every write acknowledged so far, or
  /// `next(false)` when they have not after kRemovalCatchUp.
  void after_views_catch_up(std::function<void(bool reached)> next);
  /// The queue rows of the open fulfilment requests, through their index.
  store::Status open_fulfilment_requests(std::vector<store::KeyValue>* rows) const;
  /// The chain verification itself, on the calling thread.
  Outcome verify_chains(const workflows::Actor& actor, const std::optional<std::string>& partner_id,
                        const PassReport& progress) const;
  /// not-found if the partner does not exist, forbidden or not-found if `actor` may not
  /// `permission` on it (R-AUTH-8), else nullopt.
  std::optional<Problem> partner_visible(const workflows::Actor& actor, std::string_view partner_id,
                                         workflows::Permission permission) const;
  /// A page of the index rows under `prefix`, each turned into an item (or skipped) by `item`.
  Outcome index_page(std::string_view prefix, const Page& page,
                     const std::function<std::optional<nlohmann::json>(const store::KeyValue&)>& item) const;
  /// The partner owning a stream (from the views), or empty if the stream is unknown.
  std::string owner_of(std::string_view stream) const;
  /// Reads a view row as JSON.
  std::optional<nlohmann::json> view(const std::string& key) const;
  /// Reads a view row as its stored text.
  std::optional<std::string> view_text(const std::string& key) const;
  /// The document of the view row `key` stored as `text`; StoreUnavailable if it is not JSON.
  static nlohmann::json parse_view(const std::string& key, const std::string& text);

  const ServiceOptions options_;
  std::unique_ptr<store::EventStore> store_;
  // Who fires timers and delivers the outbox among the processes on the store (store/lease.h).
  std::unique_ptr<store::Lease> lease_;
  std::unique_ptr<engine::Clock> clock_;
  const workflows::Catalog catalog_;
  const std::string operator_token_hash_;
  mutable Aggregates aggregates_;  // caches of loaded aggregates: logically const
  mutable CredentialCache credentials_;  // credential rows read while authenticating
  CommandMetrics metrics_;
  CatchUpProgress catch_up_progress_;  // the views' catch-up when opening
  std::unique_ptr<engine::ProjectionRunner> projections_;
  std::unique_ptr<engine::CommandExecutor> executor_;
  std::unique_ptr<engine::TimerScheduler> scheduler_;
  std::unique_ptr<notify::Notifier> notifier_;
  std::unique_ptr<engine::PeriodicTask> housekeeping_;  // expires idempotency records
  // Whole-log reads (audit verification): one at a time, never on an I/O or engine thread.
  boost::asio::thread_pool audit_thread_{1};
  // Long queries (run_long_read), beside verification so that one never waits for the other.
  LongReadQueue long_reads_;
  std::mutex advancing_mutex_;
  std::set<std::string> advancing_keys_;  // keyed clock advances between target and reply
  std::unique_ptr<ServerOperations> operations_;  // backups and dead letters (operations.h)
};

}  // namespace benefitd::app
