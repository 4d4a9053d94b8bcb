// The order of the crash loop's checks, and the ones that need the whole server.
#include "tests/reliability/crash_checks.h"

#include <algorithm>

#include "tests/reliability/acknowledgement_check.h"
#include "tests/reliability/check_failed.h"
#include "tests/reliability/offline_checks.h"

namespace benefitd::reliability {

workflows::Time CrashChecks::clock_now(ApiClient& operator_client) {
  const std::string now = operator_client.get("/v1/clock")["now"];
  return workflows::parseTime(now).value();
}

void CrashChecks::verify_online(ApiClient& operator_client) {
  const auto report = operator_client.call("POST", "/v1/audit/verify", nlohmann::json::object(), 200);
  if (report.value("ok", false) != true || report.value("eventsChecked", std::uint64_t{0}) != log_.last_position())
    throw CheckFailed("R-ENG-6: POST /v1/audit/verify answered " + report.dump() + ", the log has " +
                      std::to_string(log_.last_position()) + " events");
}

ExpiryTally CrashChecks::fire_due_timers(ApiClient& operator_client) {
  // Advancing by nothing answers once every timer due by now has fired (R-ENG-8): those that
  // fell due while the server was down fire at its start.
  operator_client.call("POST", "/v1/clock/advance", {{"seconds", 0}}, 200);
  log_.catch_up(operator_client);
  return check_expiries(log_, clock_now(operator_client));
}

RestartReport CrashChecks::after_restart(const std::string& port) {
  ClientPool clients(port);
  ApiClient& op = clients.of(operator_token_);
  RestartReport report;
  log_.catch_up(op);

  const RetryOutcome retried = retry_in_doubt(clients, ledger_);
  report.in_doubt = retried.in_doubt;
  report.acknowledged_on_retry = retried.acknowledged;
  // Retried commands may have scheduled timers due now (a fulfilment accepted at once), which
  // fire on the scheduler's thread: let them, so that the log stands still from here on.
  report.expiries = fire_due_timers(op);

  const std::vector<AcknowledgedCommand> acknowledged = ledger_.take_unchecked();
  check_in_log(acknowledged, log_, clock_now(op));
  const std::uint64_t before_replays = log_.last_position();
  check_replays(acknowledged, clients);
  log_.catch_up(op);
  if (log_.last_position() != before_replays)
    throw CheckFailed("R-ENG-4: sending acknowledged commands again with their keys appended " +
                      std::to_string(log_.last_position() - before_replays) + " events");

  verify_online(op);
  return report;
}

std::size_t CrashChecks::views_equal_rebuild(BenefitdProcess& server) {
  {
    ApiClient op(server.port(), operator_token_);
    log_.catch_up(op);
    // The served views must include the whole log before they are compared with a rebuild.
    op.get("/v1/fulfilment/requests?minPosition=" + std::to_string(log_.last_position()));
  }
  if (const int status = server.stop(); status != 0)
    throw CheckFailed("benefitd exited " + std::to_string(status) + " on SIGTERM; see " + server.log_path().string());
  check_row_counts(server.data_dir());
  const std::size_t rows = compare_views_with_rebuild(server.data_dir(), benefitctl_);
  server.start();
  return rows;
}

CrashChecks::FinalReport CrashChecks::finish(BenefitdProcess& server, int days) {
  {
    ApiClient op(server.port(), operator_token_);
    for (int step = 0; step < days; step += 30)
      op.call("POST", "/v1/clock/advance", {{"seconds", std::min(30, days - step) * 24 * 3600}}, 200);
    const ExpiryTally tally = fire_due_timers(op);
    if (tally.still_running != 0)
      throw CheckFailed("R-LIFE-5: " + std::to_string(tally.still_running) + " packages or benefits have not expired " +
                        std::to_string(days) + " days later");
  }
  FinalReport report;
  report.view_rows = views_equal_rebuild(server);
  ApiClient op(server.port(), operator_token_);
  report.expiries = fire_due_timers(op);
  verify_online(op);
  if (const int status = server.stop(); status != 0)
    throw CheckFailed("benefitd exited " + std::to_string(status) + " on SIGTERM");
  verify_offline(server.data_dir(), benefitctl_, log_.last_position());
  return report;
}

}  // namespace benefitd::reliability
