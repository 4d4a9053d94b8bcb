#include "adapters/app/benefit_service.h"

#include <openssl/crypto.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "adapters/app/event_envelope.h"
#include "adapters/app/random_ids.h"
#include "adapters/app/replies.h"
#include "adapters/app/view_keys.h"
#include "adapters/app/views_projection.h"
#include "adapters/fulfilment/simulated_fulfilment.h"
#include "store/rocksdb/rocksdb_event_store.h"
#include "workflows/decide.h"
#include "workflows/storable_time.h"

namespace benefitd::app {

namespace {

constexpr std::size_t kEngineThreads = 2;
constexpr auto kAdvanceCatchUp = std::chrono::seconds(30);
// Idempotency records live 24 hours (R-ENG-4); looking for expired ones hourly keeps each at
// most 25 hours.
constexpr auto kHousekeepingPeriod = std::chrono::hours(1);
constexpr std::string_view kTokenPrefix = "token/";
// How long a user's removal waits for the views to list the partner's benefits.
constexpr auto kRemovalCatchUp = std::chrono::seconds(10);

std::string random_id(std::string_view prefix) { return std::string(prefix) + new_token().substr(0, 24); }

Problem unavailable(std::string detail) {
  return {"unavailable", "The store could not complete the request; nothing was changed. " + detail,
          nlohmann::json::object()};
}

// The answer to a completed command: `decided` (the last attempt's answer) when it ran now,
// the stored reply when it was a retry of an idempotency key.
Outcome outcome_of(const engine::Completion& completion, Outcome decided) {
  switch (completion.kind) {
    case engine::Completion::Kind::done:
    case engine::Completion::Kind::replayed: {
      Outcome outcome = completion.kind == engine::Completion::Kind::done ? std::move(decided)
                                                                          : deserialize(completion.reply);
      if (auto* reply = std::get_if<Reply>(&outcome)) reply->position = completion.position;
      return outcome;
    }
    case engine::Completion::Kind::key_reused:
      return Problem{"idempotency-key-reused",
                     "This Idempotency-Key was first used for a different request.",
                     nlohmann::json::object()};
    case engine::Completion::Kind::key_in_flight:
      return Problem{"idempotency-key-in-flight",
                     "A request with this Idempotency-Key is still being processed; retry shortly.",
                     nlohmann::json::object()};
    case engine::Completion::Kind::contention:
      return unavailable("The resource kept changing under concurrent commands; retry.");
    case engine::Completion::Kind::superseded:
      // Only a timer's firing expects a row: another process fired the timer first.
      return Problem{"invalid-transition", "This was done meanwhile by another server.", nlohmann::json::object()};
    case engine::Completion::Kind::unavailable:
      return unavailable(completion.detail);
  }
  return unavailable("");
}

// The user a command gives a new token: a new user's first one (generation 0), or a rotated one
// (R-AUTH-10). The credential row names the user, its partner and the generation, since a
// token is accepted only while it is of the user's current generation.
struct TokenGrant {
  std::string user_id, partner_id;
  int generation = 0;
};

std::optional<TokenGrant> token_grant(const workflows::Command& command, const workflows::Decision& decision) {
  if (std::holds_alternative<workflows::RegisterPartner>(command)) {
    return TokenGrant{decision.result.value("globalAdminUserId", std::string()),
                      decision.result.value("partnerId", std::string()), 0};
  }
  if (const auto* add = std::get_if<workflows::AddUser>(&command)) {
    return TokenGrant{decision.result.value("userId", std::string()), add->partnerId, 0};
  }
  if (const auto* rotate = std::get_if<workflows::RotateUserToken>(&command)) {
    return TokenGrant{rotate->userId, rotate->partnerId, decision.result.value("tokenGeneration", 0)};
  }
  return std::nullopt;
}

}  // namespace

std::unique_ptr<Service> open_service(const ServiceOptions& options, std::string* error) {
  return BenefitService::open(options, error);
}

std::unique_ptr<BenefitService> BenefitService::open(const ServiceOptions& options,
                                                     std::string* error) {
  if (options.operator_token.empty() && !options.offline) {
    *error = "an operator token is required (--operator-token or BENEFITD_OPERATOR_TOKEN)";
    return nullptr;
  }
  std::optional<workflows::Catalog> catalog;
  try {
    catalog = workflows::Catalog::fromFile(options.catalog.value_or(BENEFITD_CATALOG_SOURCE_PATH));
  } catch (const std::exception& failure) {
    *error = std::string("the catalog cannot be loaded: ") + failure.what();
    return nullptr;
  }

  std::unique_ptr<store::EventStore> store;
  if (options.open_store) {
    if (store::Status status = options.open_store(&store); !status.is_ok()) {
      *error = "the store cannot be opened: " + status.message();
      return nullptr;
    }
    if (options.wrap_store) store = options.wrap_store(std::move(store));
  } else {
    std::unique_ptr<store::RocksDbEventStore> rocksdb;
    store::RocksDbOptions store_options{options.data_dir / "store"};
    store_options.durability = options.durable ? store::Durability::fsync : store::Durability::none;
    store_options.block_cache_bytes =
        options.offline ? std::min(options.store_cache_bytes, kOfflineStoreCacheBytes) : options.store_cache_bytes;
    store_options.reserved_disk_bytes = options.store_reserved_disk_bytes;
    if (store::Status status = store::RocksDbEventStore::open(store_options, &rocksdb); !status.is_ok()) {
      *error = "the store in " + options.data_dir.string() + " cannot be opened: " + status.message();
      return nullptr;
    }
    store = options.wrap_store ? options.wrap_store(std::move(rocksdb)) : std::move(rocksdb);
  }

  std::unique_ptr<engine::Clock> clock;
  if (options.clock == ClockMode::simulated) {
    std::unique_ptr<engine::SimulatedClock> simulated;
    if (store::Status status = engine::SimulatedClock::open(*store, options.clock_start, &simulated);
        !status.is_ok()) {
      *error = "the simulated clock cannot be read: " + status.message();
      return nullptr;
    }
    clock = std::move(simulated);
  } else {
    clock = std::make_unique<engine::SystemClock>();
  }

  std::unique_ptr<store::Lease> lease = std::make_unique<store::SoleLease>();
  if (options.open_lease) {
    if (store::Status status = options.open_lease(&lease); !status.is_ok()) {
      *error = "the lease cannot be opened: " + status.message();
      return nullptr;
    }
  }

  std::unique_ptr<BenefitService> service(new BenefitService(options, std::move(store), std::move(lease),
                                                             std::move(clock), std::move(*catalog)));
  if (store::Status status = service->projections_->open(); !status.is_ok()) {
    *error = "the views cannot be opened: " + status.message();
    return nullptr;
  }
  if (options.offline) return service;

  // Views that cannot catch up (an event the projection refuses, a failing disk) do not keep
  // the server down: it serves the log, commands and health, answers 503 for the views, and
  // the runner keeps retrying.
  // Commands answer 503 until the views have caught up and are handed over to them (see
  // decide), so that no command is acknowledged whose views could not be written with it.
  store::Status views = service->projections_->catch_up(
      service->catch_up_progress_.report(service->projections_->position()));
  service->catch_up_progress_.finish();
  if (views.is_ok()) views = service->projections_->hand_over_to_writers();
  if (!views.is_ok()) {
    spdlog::error("the views stopped at position {} of {}: {}", service->projections_->position(),
                  service->store_->last_position(), service->projections_->last_error().value_or(views.message()));
  }
  service->projections_->start(engine::ProjectionRunner::Following::writers);
  // Timers that fell due while the engine was stopped fire now, in due-time order (or, when
  // another process holds the lease, there).
  std::size_t fired = 0;
  if (store::Status status = service->lease_->held() ? service->scheduler_->fire_due(service->clock_->now(), &fired)
                                                     : store::Status::ok();
      !status.is_ok()) {
    spdlog::error("due timers cannot fire yet ({} fired): {}", fired, status.message());
  }
  service->scheduler_->start();
  service->notifier_->start();
  service->housekeeping_ = std::make_unique<engine::PeriodicTask>(kHousekeepingPeriod, [raw = service.get()] {
    std::size_t removed = 0;
    if (raw->lease_->held()) (void)raw->executor_->expire_idempotency(&removed);
  });
  return service;
}

BenefitService::BenefitService(const ServiceOptions& options,
                               std::unique_ptr<store::EventStore> store, std::unique_ptr<store::Lease> lease,
                               std::unique_ptr<engine::Clock> clock, workflows::Catalog catalog)
    : options_(options),
      store_(std::move(store)),
      lease_(std::move(lease)),
      clock_(std::move(clock)),
      catalog_(std::move(catalog)),
      operator_token_hash_(options.operator_token.empty() ? "" : token_hash(options.operator_token)),
      aggregates_(*store_) {
  std::vector<std::unique_ptr<engine::Projection>> projections;
  projections.push_back(std::make_unique<ViewsProjection>(*store_));
  projections_ = std::make_unique<engine::ProjectionRunner>(*store_, std::move(projections));
  executor_ = std::make_unique<engine::CommandExecutor>(*store_, *clock_, kEngineThreads);
  scheduler_ = std::make_unique<engine::TimerScheduler>(
      *store_, *clock_,
      [this](const engine::Timer& timer, std::function<void(store::Status)> done) { fire_timer(timer, std::move(done)); },
      *lease_);
  notifier_ = std::make_unique<notify::Notifier>(
      *store_,
      options.notification_sink ? options.notification_sink
                                : notify::spool_file_sink(options.data_dir / "notifications.jsonl"),
      notify::NotifierOptions{.max_attempts = options.notification_max_attempts}, *lease_);
  operations_ = std::make_unique<ServerOperations>(*store_, *notifier_, *projections_, options.data_dir);
}

BenefitService::~BenefitService() {
  // Verifications and long reads in progress finish first: they read the store everything below uses.
  audit_thread_.join();
  long_reads_.stop();
  // Stop what produces work before what does it: notifier and timers, then commands, then views.
  housekeeping_.reset();
  notifier_.reset();
  scheduler_.reset();
  executor_.reset();
  projections_.reset();
}

std::optional<workflows::Actor> BenefitService::authenticate(std::string_view token) const {
  if (token.empty()) return std::nullopt;
  const std::string hash = token_hash(token);
  if (!operator_token_hash_.empty() &&
      CRYPTO_memcmp(hash.data(), operator_token_hash_.data(), hash.size()) == 0) {
    return workflows::Actor::operatorActor();
  }
  std::optional<Credential> credential = credentials_.find(hash);
  if (!credential) {
    std::optional<std::string> stored;
    if (store::Status status = store_->get(store::Table::credentials, std::string(kTokenPrefix) + hash, &stored);
        !status.is_ok()) {
      throw StoreUnavailable("the credentials cannot be read: " + status.message());
    }
    if (!stored) return std::nullopt;
    const auto row = nlohmann::json::parse(*stored, nullptr, false);
    if (!row.is_object()) throw StoreUnavailable("a credential row is malformed");
    credential = Credential{row.value("userId", ""), row.value("partnerId", ""), row.value("generation", 0)};
    credentials_.remember(hash, *credential);
  }
  engine::AggregateRepository<workflows::Partner>::Loaded partner;
  if (store::Status status = aggregates_.partners().load(workflows::partnerStream(credential->partner_id), &partner);
      !status.is_ok()) {
    throw StoreUnavailable("the token's partner cannot be read: " + status.message());
  }
  const workflows::UserView* user = partner.state->view().findUser(credential->user_id);
  // A removed user, or a token replaced since (R-AUTH-10).
  if (user == nullptr || credential->generation != user->tokenGeneration) return std::nullopt;
  return workflows::Actor::user(credential->user_id, credential->partner_id, user->roles);
}

engine::Attempt BenefitService::decide(const RequestContext& context,
                                       const workflows::Command& command, workflows::Time now,
                                       Effects& effects, Outcome& answer) {
  effects.views = {};
  if (!projections_->views_written_inline()) {
    answer = unavailable("The views are behind the log; commands resume once they have caught up.");
    return {};
  }
  DecisionSource source(aggregates_);
  if (context.if_match) {
    const std::string target = workflows::targetStream(command);
    const std::uint64_t current = target.empty() ? 0 : source.version_of(target);
    if (current != 0 && current != *context.if_match) {
      answer = Problem{"version-mismatch",
                       "The resource is at version " + std::to_string(current) + ", not the version given in If-Match.",
                       {{"currentVersion", current}}};
      return {};
    }
  }

  RandomIds ids;
  // A removal (and the release after it) learns the partner's benefits here, afresh on every
  // try (R-AUTH-10).
  std::optional<workflows::Command> listed;
  if (store::Status status = with_partner_benefits(command, &listed); !status.is_ok()) {
    answer = unavailable(status.message());
    return {};
  }
  const workflows::Decision decision = workflows::decide(
      listed ? *listed : command, workflows::CommandContext{context.actor, now, catalog_, source, ids});
  if (decision.refused()) {
    answer = problem_of(*decision.rejection);
    return {};
  }

  const Envelope envelope{actor_name(context.actor), context.correlation_id,
                          random_id("cmd-"), command_name(command), now};
  engine::Attempt attempt;
  std::set<std::string> written;
  for (const workflows::StreamAppend& append : decision.appends) {
    store::StreamAppend stream{append.streamId,
                               append.expectedVersion == 0
                                   ? store::ExpectedVersion::no_stream()
                                   : store::ExpectedVersion::exactly(append.expectedVersion),
                               {}};
    for (const workflows::DomainEvent& event : append.events) {
      stream.events.push_back(to_stored(event, envelope, random_id("evt-")));
    }
    written.insert(append.streamId);
    attempt.write.streams.push_back(std::move(stream));
  }
  // R-ENG-10: the views of the events commit with them.
  if (store::Status status = inline_views(decision, source, *store_, &effects.views); !status.is_ok()) {
    answer = unavailable(status.message());
    return {};
  }
  attempt.write.writes = std::move(effects.views.writes);
  if (const std::size_t events = decision.eventCount(); events > 0) {
    attempt.write.writes.push_back(engine::ProjectionRunner::checkpoint_at_event(events - 1));
  }
  for (const workflows::StreamDependency& dependency : decision.dependsOn) {
    if (written.count(dependency.streamId) != 0) continue;
    attempt.write.streams.push_back(
        {dependency.streamId,
         dependency.version == 0 ? store::ExpectedVersion::no_stream()
                                 : store::ExpectedVersion::exactly(dependency.version),
         {}});
  }

  for (const workflows::TimerEffect& timer : decision.timers) {
    const nlohmann::json payload = {{"kind", "domain"},
                                    {"command", workflows::encodeTimerCommand(timer.command)}};
    attempt.write.writes.push_back(engine::schedule_timer({timer.timerId, timer.dueAt, payload.dump()}));
  }
  bool timers = !decision.timers.empty();
  if (options_.fulfilment == FulfilmentMode::simulated) {
    for (const workflows::FulfilmentRequestEffect& request : decision.fulfilmentRequests) {
      for (const engine::Timer& timer : fulfilment::simulated_timers(request)) {
        attempt.write.writes.push_back(engine::schedule_timer(timer));
        timers = true;
      }
    }
  }
  effects.timers = timers;

  for (const workflows::NotificationEffect& notification : decision.notifications) {
    const nlohmann::json row = {{"id", notification.notificationId},
                                {"to", notification.to},
                                {"subject", notification.subject},
                                {"body", notification.body},
                                {"queuedAt", workflows::formatTime(now)}};
    attempt.write.writes.push_back(store::KeyedWrite::put(
        store::Table::outbox, view_keys::padded(now) + "/" + notification.notificationId, row.dump()));
  }
  effects.notifications = !decision.notifications.empty();

  // A new user's token is shown once, in this reply; only its hash is kept (R-AUTH-9), so a
  // retry with the same Idempotency-Key gets the reply without it.
  std::optional<std::string> token;
  if (const auto grant = token_grant(command, decision)) {
    token = new_token();
    attempt.write.writes.push_back(store::KeyedWrite::put(
        store::Table::credentials, std::string(kTokenPrefix) + token_hash(*token),
        nlohmann::json{{"userId", grant->user_id}, {"partnerId", grant->partner_id}, {"generation", grant->generation}}
            .dump()));
    attempt.replay_reply =
        serialize(reply_to(command, decision, effects.views.after, source, context.actor, std::nullopt));
  }
  answer = reply_to(command, decision, effects.views.after, source, context.actor, token);
  return attempt;
}

void BenefitService::run(const RequestContext& context, workflows::Command command,
                         std::optional<workflows::Time> at,
                         std::function<void(engine::Attempt&)> amend, Done done) {
  const auto started = std::chrono::steady_clock::now();
  auto effects = std::make_shared<Effects>();
  std::optional<engine::IdempotencyKey> key;
  if (context.idempotency_key) {
    key = engine::IdempotencyKey{actor_name(context.actor), *context.idempotency_key, context.fingerprint};
  }
  // The last attempt's answer, handed from the attempt to the completion as it is: only a
  // retry of an idempotency key needs it serialized.
  auto answer = std::make_shared<Outcome>();
  executor_->run(
      std::move(key),
      [this, context, command = std::move(command), at, amend = std::move(amend), effects, answer] {
        engine::Attempt attempt = decide(context, command, at.value_or(clock_->now()), *effects, *answer);
        if (amend) amend(attempt);
        if (context.idempotency_key) attempt.reply = serialize(*answer);
        return attempt;
      },
      [this, started, effects, answer, done = std::move(done)](engine::Completion completion) {
        Outcome outcome = outcome_of(completion, std::move(*answer));
        metrics_.record(std::chrono::steady_clock::now() - started, std::holds_alternative<Reply>(outcome));
        if (completion.kind == engine::Completion::Kind::done) {
          if (!effects->views.keys.empty()) {
            remember_states(effects->views.after, aggregates_);
            projections_->committed_inline(completion.position, effects->views.keys);
          }
          if (effects->timers && scheduler_) scheduler_->scheduled(clock_->now());
          if (effects->notifications && notifier_) notifier_->wake();
        }
        done(std::move(outcome));
      });
}

void BenefitService::execute(const RequestContext& context, workflows::Command command, Done done) {
  if (lists_partner_benefits(command)) {
    // R-AUTH-10: the removal releases the user's seats on the benefits the views list for the
    // partner, so it waits until they include every write acknowledged before it.
    return after_views_catch_up(
        [this, context, command = std::move(command), done = std::move(done)](bool reached) mutable {
          if (!reached) return done(unavailable("The views did not catch up with the log in time; retry."));
          run(context, std::move(command), std::nullopt, {}, std::move(done));
        });
  }
  run(context, std::move(command), std::nullopt, {}, std::move(done));
}

bool BenefitService::lists_partner_benefits(const workflows::Command& command) {
  return std::holds_alternative<workflows::RemoveUser>(command) ||
         std::holds_alternative<workflows::ReleaseRemovedUserSeats>(command);
}

void BenefitService::after_views_catch_up(std::function<void(bool reached)> next) {
  projections_->when_reached(store_->last_position(), std::chrono::steady_clock::now() + kRemovalCatchUp,
                             std::move(next));
}

store::Status BenefitService::with_partner_benefits(const workflows::Command& command,
                                                    std::optional<workflows::Command>* listed) const {
  return std::visit(
      [&](const auto& c) -> store::Status {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, workflows::RemoveUser> || std::is_same_v<C, workflows::ReleaseRemovedUserSeats>) {
          C with_benefits = c;
          with_benefits.benefitIds.clear();
          if (store::Status status = partner_benefit_ids(c.partnerId, &with_benefits.benefitIds); !status.is_ok()) {
            return status;
          }
          *listed = std::move(with_benefits);
        }
        return store::Status::ok();
      },
      command);
}

store::Status BenefitService::partner_benefit_ids(const std::string& partner_id, std::vector<std::string>* ids) const {
  const std::string prefix = view_keys::benefits_of(partner_id);
  const std::string end = view_keys::prefix_end(prefix);
  std::string from = prefix;
  for (;;) {
    std::vector<store::KeyValue> rows;
    constexpr std::size_t kChunk = 500;
    if (store::Status status = store_->scan(store::Table::views, from, end, kChunk, &rows); !status.is_ok()) {
      return status;
    }
    for (const store::KeyValue& row : rows) ids->push_back(row.key.substr(prefix.size()));
    if (rows.size() < kChunk) return store::Status::ok();
    from = rows.back().key + '\0';
  }
}

void BenefitService::fire_timer(const engine::Timer& timer, std::function<void(store::Status)> done) {
  const auto payload = nlohmann::json::parse(timer.payload, nullptr, false);
  std::optional<workflows::Command> command;
  if (payload.is_object() && payload.value("kind", "") == "domain") {
    try {
      command = workflows::toCommand(workflows::decodeTimerCommand(payload["command"]));
    } catch (const std::exception&) {
      command.reset();
    }
  } else {
    command = fulfilment::command_of(payload);
  }
  if (!command) {
    // Nothing can run this timer; removing it keeps it from holding up the ones after it.
    store::WriteRequest drop;
    engine::fire_timer_in(timer, &drop);
    store_->append_async(std::move(drop),
                         [done = std::move(done)](store::AppendResult result) { done(result.status); });
    return;
  }
  const RequestContext context{workflows::Actor::system(), "timer-" + timer.id, std::nullopt, "", std::nullopt};
  const bool needs_views = lists_partner_benefits(*command);
  auto fire = [this, context, command = std::move(*command), timer](std::function<void(store::Status)> done) {
    run(context, command, timer.due,
        [timer](engine::Attempt& attempt) { engine::fire_timer_in(timer, &attempt.write); },
        [done = std::move(done)](Outcome outcome) {
          const auto* problem = std::get_if<Problem>(&outcome);
          done(problem != nullptr && problem->code == "unavailable" ? store::Status::io_error(problem->detail)
                                                                     : store::Status::ok());
        });
  };
  if (!needs_views) return fire(std::move(done));
  // The seats to release may be on a benefit bought just before the removal: the views list it
  // once they include every write before this timer.
  after_views_catch_up([fire = std::move(fire), done = std::move(done)](bool reached) mutable {
    if (!reached) return done(store::Status::io_error("the views did not catch up with the log in time"));
    fire(std::move(done));
  });
}

std::variant<workflows::Time, Problem> BenefitService::clock_target(const ClockAdvance& advance) const {
  const workflows::Time now = clock_->now();
  const workflows::Time target = advance.to ? *advance.to : now + std::chrono::seconds(advance.seconds.value_or(0));
  if (target < now || (advance.seconds && *advance.seconds < 0)) {
    return Problem{"invalid-request", "The simulated clock only moves forward.", {{"now", workflows::formatTime(now)}}};
  }
  if (!workflows::isStorable(target)) {  // R-ENG-11
    return Problem{"invalid-request", "The simulated clock cannot move past 9999-12-31T23:59:59Z.",
                   {{"now", workflows::formatTime(now)}}};
  }
  return target;
}

void BenefitService::advance_clock(const RequestContext& context, ClockAdvance advance, Done done) {
  if (auto refused = workflows::authorize(context.actor, "", workflows::Permission::operatorOnly)) {
    done(problem_of(*refused));
    return;
  }
  if (!clock_->is_simulated()) {
    done(Problem{"clock-not-simulated", "The server runs on the system clock; start it with --clock simulated to move time.",
                 nlohmann::json::object()});
    return;
  }
  if (!context.idempotency_key) {
    auto target = clock_target(advance);
    if (auto* problem = std::get_if<Problem>(&target)) done(std::move(*problem));
    else move_clock(std::get<workflows::Time>(target), std::move(done));
    return;
  }
  // R-ENG-4: the key's record first stores where the clock is to go (a target, not a
  // distance), then the reply once it got there. A retry of a finished advance gets that
  // reply; a retry that finds only the target (the server stopped half way) finishes the same
  // advance instead of moving the clock a second time.
  const engine::IdempotencyKey key{actor_name(context.actor), *context.idempotency_key, context.fingerprint};
  executor_->run(
      key,
      [this, advance] {
        engine::Attempt attempt;
        auto target = clock_target(advance);
        if (auto* problem = std::get_if<Problem>(&target)) attempt.reply = serialize(*problem);
        else attempt.reply = nlohmann::json{{"clockTarget", workflows::formatTime(std::get<workflows::Time>(target))}}.dump();
        return attempt;
      },
      [this, key, done = std::move(done)](engine::Completion completion) {
        const auto stored = nlohmann::json::parse(completion.reply, nullptr, false);
        const bool reached_write = completion.kind == engine::Completion::Kind::done ||
                                   completion.kind == engine::Completion::Kind::replayed;
        if (!reached_write || !stored.is_object() || !stored.contains("clockTarget")) {
          done(outcome_of(completion, deserialize(completion.reply)));
          return;
        }
        finish_keyed_advance(key, *workflows::parseTime(stored["clockTarget"].get<std::string>()), done);
      });
}

void BenefitService::finish_keyed_advance(const engine::IdempotencyKey& key, workflows::Time target, Done done) {
  const std::string scoped = key.scope + '\0' + key.key;
  {
    // The executor lets the key go once the target is stored; until the reply is stored too,
    // a concurrent retry is refused as for any command still running.
    std::lock_guard lock(advancing_mutex_);
    if (!advancing_keys_.insert(scoped).second) {
      done(outcome_of({engine::Completion::Kind::key_in_flight, "", store_->last_position(), ""}, Outcome{}));
      return;
    }
  }
  auto finish = [this, scoped, done = std::move(done)](Outcome outcome) {
    {
      std::lock_guard lock(advancing_mutex_);
      advancing_keys_.erase(scoped);
    }
    done(std::move(outcome));
  };
  move_clock(target, [this, key, finish = std::move(finish)](Outcome outcome) {
    if (!std::holds_alternative<Reply>(outcome)) {
      finish(std::move(outcome));
      return;
    }
    executor_->remember(key, serialize(outcome), [finish, outcome](store::Status status) {
      finish(status.is_ok() ? outcome : Outcome(unavailable(status.message())));
    });
  });
}

void BenefitService::move_clock(workflows::Time target, Done done) {
  scheduler_->advance(target, [this, done = std::move(done)](store::Status status, std::size_t fired) {
    if (!status.is_ok()) {
      done(unavailable(status.message()));
      return;
    }
    const Position position = store_->last_position();
    projections_->when_reached(
        position, std::chrono::steady_clock::now() + kAdvanceCatchUp,
        [this, done, fired, position](bool reached) {
          if (!reached) {
            done(unavailable("The views did not catch up in time."));
            return;
          }
          Reply reply;
          reply.body = {{"now", workflows::formatTime(clock_->now())}, {"timersFired", fired}};
          reply.position = position;
          done(std::move(reply));
        });
  });
}

void BenefitService::answer_fulfilment(const RequestContext& context, std::string request_id,
                                       FulfilmentAction action, FulfilmentAnswer answer, Done done) {
  if (auto refused = workflows::authorize(context.actor, "", workflows::Permission::operatorOnly)) {
    done(problem_of(*refused));
    return;
  }
  const auto row = view(view_keys::fulfilment(request_id));
  if (!row) {
    done(Problem{"not-found", "There is no fulfilment request " + request_id + ".", nlohmann::json::object()});
    return;
  }
  std::optional<workflows::Command> command;
  if (row->contains("benefitId")) {
    const std::string benefit = row->value("benefitId", "");
    switch (action) {
      case FulfilmentAction::accept:
        command = workflows::AcceptFulfilment{benefit, request_id, answer.expected_by};
        break;
      case FulfilmentAction::complete:
        command = workflows::CompleteFulfilment{benefit, request_id, answer.access_id, answer.contract_id};
        break;
      case FulfilmentAction::reject:
        command = workflows::RejectFulfilment{benefit, request_id, answer.reason};
        break;
    }
  } else if (action == FulfilmentAction::complete) {
    command = workflows::CompleteCancellation{row->value("packageId", ""), request_id};
  }
  if (!command) {
    done(Problem{"invalid-transition", "A cancellation service request can only be completed.",
                 {{"currentStatus", row->value("status", "")}}});
    return;
  }
  execute(context, std::move(*command), std::move(done));
}

std::optional<std::string> BenefitService::view_text(const std::string& key) const {
  std::optional<std::string> stored;
  if (store::Status status = store_->get(store::Table::views, key, &stored); !status.is_ok()) {
    throw StoreUnavailable("a view cannot be read: " + status.message());
  }
  return stored;
}

nlohmann::json BenefitService::parse_view(const std::string& key, const std::string& text) {
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (parsed.is_discarded()) throw StoreUnavailable("the view " + key + " is malformed");
  return parsed;
}

std::optional<nlohmann::json> BenefitService::view(const std::string& key) const {
  const std::optional<std::string> stored = view_text(key);
  if (!stored) return std::nullopt;
  return parse_view(key, *stored);
}

Position BenefitService::views_position() const { return projections_->position(); }

Position BenefitService::log_position() const { return store_->last_position(); }

Health BenefitService::health() const {
  Health health;
  health.store = store_->write_health();
  health.log_position = store_->last_position();
  health.views_position = projections_->position();
  health.views_error = views_error();
  return health;
}

std::optional<std::string> BenefitService::views_error() const { return projections_->last_error(); }

void BenefitService::when_views_reach(Position position, std::chrono::steady_clock::time_point deadline,
                                      std::function<void(bool reached)> done) {
  projections_->when_reached(position, deadline, std::move(done));
}

void BenefitService::when_views_change(const ViewWatch& watch, Position since,
                                       std::chrono::steady_clock::time_point deadline,
                                       std::function<void(bool changed)> done) {
  projections_->when_changed({watch.keys, watch.prefixes}, since, deadline, std::move(done));
}

store::Status BenefitService::rebuild_projections(const PassReport& progress) {
  return projections_->rebuild(progress);
}

}  // namespace benefitd::app
