#pragma once
// FakeService: an in-memory app::Service for the router's unit tests. It records what the
// router asked for and answers with what the test set up; view waits are held until the test
// moves the views (advance_views) or ends them (expire_waits).
// Thread safety: one test thread, except that complete_pending() may run on another.

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "adapters/app/service.h"

namespace benefitd::testing {

class FakeService : public app::Service {
 public:
  FakeService() {
    tokens["operator-token"] = workflows::Actor::operatorActor();
    tokens["admin-token"] = workflows::Actor::user("U1", "P1", {workflows::Role::globalAdmin});
  }

  // ---- what the test sets up ----
  std::map<std::string, workflows::Actor> tokens;
  app::Outcome command_outcome = app::Reply{app::Reply::Kind::created, {{"id", "X1"}}, 1, 7};
  bool complete_commands_inline = true;  // false: commands wait in `pending` for complete_pending()
  nlohmann::json benefit_body = {{"benefitId", "B1"}, {"status", "purchased"}};
  std::uint64_t benefit_version = 1;
  std::optional<app::Problem> query_problem;  // answered by every query when set
  bool throw_from_queries = false;
  bool hold_long_reads = false;  // true: long reads wait in `long_reads` for run_long_reads()
  app::Health health_report;      // what /healthz reports

  // ---- what the router asked for ----
  std::vector<workflows::Command> commands;
  std::vector<app::RequestContext> contexts;
  std::vector<app::ClockAdvance> advances;
  std::vector<std::pair<std::string, app::FulfilmentAction>> fulfilment_answers;
  // Queries are const in the interface; the fake records their arguments all the same.
  mutable std::optional<app::BenefitFilter> last_filter;
  mutable std::optional<app::Page> last_page;
  mutable std::optional<std::optional<workflows::Time>> last_as_of;
  std::vector<app::Done> pending;
  std::vector<app::LongRead> long_reads;

  std::optional<workflows::Actor> authenticate(std::string_view token) const override {
    const auto it = tokens.find(std::string(token));
    if (it == tokens.end()) return std::nullopt;
    return it->second;
  }

  void execute(const app::RequestContext& context, workflows::Command command, app::Done done) override {
    contexts.push_back(context);
    commands.push_back(std::move(command));
    finish(std::move(done));
  }
  void advance_clock(const app::RequestContext& context, app::ClockAdvance advance, app::Done done) override {
    contexts.push_back(context);
    advances.push_back(advance);
    finish(std::move(done));
  }
  void answer_fulfilment(const app::RequestContext& context, std::string request_id, app::FulfilmentAction action,
                         app::FulfilmentAnswer, app::Done done) override {
    contexts.push_back(context);
    fulfilment_answers.emplace_back(std::move(request_id), action);
    finish(std::move(done));
  }
  /// Completes every held command with `command_outcome`.
  void complete_pending() {
    for (auto& done : std::exchange(pending, {})) done(command_outcome);
  }

  app::Outcome clock(const workflows::Actor&) const override { return answer({{"now", "2026-01-05T09:00:00Z"}}); }
  app::Outcome catalog() const override { return answer({{"packages", nlohmann::json::array()}}); }
  app::Outcome partner(const workflows::Actor&, std::string_view id) const override {
    return answer({{"partnerId", id}}, 3);
  }
  app::Outcome users(const workflows::Actor&, std::string_view, const app::Page& page) const override {
    last_page = page;
    return list();
  }
  app::Outcome packages(const workflows::Actor&, std::string_view, const app::Page& page) const override {
    last_page = page;
    return list();
  }
  app::Outcome package(const workflows::Actor&, std::string_view id) const override {
    return answer({{"packageId", id}}, 2);
  }
  app::Outcome benefits(const workflows::Actor&, std::string_view, const app::BenefitFilter& filter,
                        const app::Page& page) const override {
    last_filter = filter;
    last_page = page;
    return list();
  }
  app::Outcome expirations(const workflows::Actor&, std::string_view, std::int64_t, const app::Page& page) const override {
    last_page = page;
    return list();
  }
  app::Outcome benefit(const workflows::Actor&, std::string_view, std::optional<workflows::Time> as_of) const override {
    last_as_of = as_of;
    return answer(benefit_body, benefit_version);
  }
  app::Outcome stream_events(const workflows::Actor&, std::string_view, std::uint64_t, std::size_t) const override {
    return list();
  }
  app::Outcome partner_audit(const workflows::Actor&, std::string_view, std::optional<workflows::Time>,
                             std::optional<workflows::Time>, app::Position, std::size_t) const override {
    return list();
  }
  app::Outcome events(const workflows::Actor&, app::Position, std::size_t) const override { return list(); }
  void verify(const workflows::Actor&, std::optional<std::string>, app::Done done, app::PassReport) override {
    done(answer({{"ok", true}, {"eventsChecked", 0}}));
  }
  app::Outcome fulfilment_requests(const workflows::Actor&, std::optional<std::string>,
                                   const app::Page& page) const override {
    last_page = page;
    return list();
  }
  void run_long_read(app::LongRead read) override {
    if (hold_long_reads) return long_reads.push_back(std::move(read));
    read.run();
  }
  /// Runs every held long read.
  void run_long_reads() {
    for (auto& read : std::exchange(long_reads, {})) read.run();
  }

  app::Position views_position() const override { return position_; }
  app::Position log_position() const override { return position_; }
  app::Health health() const override { return health_report; }
  std::optional<std::string> views_error() const override { return health_report.views_error; }
  void when_views_reach(app::Position position, std::chrono::steady_clock::time_point,
                        std::function<void(bool)> done) override {
    if (position_ >= position) return done(true);
    waits_.emplace_back(position, std::move(done));
  }
  /// Moves the views to `position`, waking the waits it satisfies.
  void advance_views(app::Position position) {
    position_ = position;
    std::vector<std::pair<app::Position, std::function<void(bool)>>> still_waiting;
    for (auto& [wanted, done] : std::exchange(waits_, {})) {
      if (wanted <= position) done(true);
      else still_waiting.emplace_back(wanted, std::move(done));
    }
    for (auto& wait : still_waiting) waits_.push_back(std::move(wait));
  }
  /// Ends every wait as if its deadline had passed.
  void expire_waits() {
    for (auto& [wanted, done] : std::exchange(waits_, {})) done(false);
  }
  std::size_t waiting() const { return waits_.size(); }

  std::string metrics_text() const override { return "benefitd_events_appended_total 5\n"; }
  store::Status export_cloudevents(const app::ExportFilter&, std::ostream&, const app::PassReport&) const override {
    return store::Status::ok();
  }
  store::Status rebuild_projections(const app::PassReport&) override {
    return store::Status::ok();
  }

 private:
  void finish(app::Done done) {
    if (complete_commands_inline) done(command_outcome);
    else pending.push_back(std::move(done));
  }
  app::Outcome answer(nlohmann::json body, std::optional<std::uint64_t> version = std::nullopt) const {
    if (throw_from_queries) throw std::runtime_error("the store is on fire");
    if (query_problem) return *query_problem;
    return app::Reply{app::Reply::Kind::ok, std::move(body), version, position_};
  }
  app::Outcome list() const { return answer({{"items", nlohmann::json::array()}, {"nextCursor", nullptr}}); }

  app::Position position_ = 0;
  std::vector<std::pair<app::Position, std::function<void(bool)>>> waits_;
};

}  // namespace benefitd::testing
