// Holding the server to what it acknowledged before a crash.
#include "tests/reliability/acknowledgement_check.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "tests/reliability/check_failed.h"

namespace benefitd::reliability {

namespace {

std::string describe(const SentCommand& sent) {
  return sent.planned.request.method + " " + sent.planned.request.path + " " + sent.planned.request.body +
         " (Idempotency-Key " + sent.planned.request.idempotency_key + ")";
}

/// The start of a long answer: enough to recognise it in a failure message.
std::string excerpt(const std::string& body) { return body.size() <= 400 ? body : body.substr(0, 400) + "..."; }

bool is_clock_advance(const SentCommand& sent) { return sent.planned.request.path == "/v1/clock/advance"; }

/// The stream the command must have written to; a purchase names its package in its answer.
std::string expected_stream(const AcknowledgedCommand& command) {
  if (!command.sent.planned.target_stream.empty()) return command.sent.planned.target_stream;
  return "package-" + command.answer.json().at("packageId").get<std::string>();
}

void check_events(const AcknowledgedCommand& command, const LogMirror& log) {
  const std::string what = describe(command.sent);
  if (!command.answer.position) throw CheckFailed("R-ENG-3: " + what + " was acknowledged without X-Position");
  // X-Position is the log's position with the command applied (its read-your-writes token):
  // every event the command appended is at or before it.
  const std::uint64_t position = *command.answer.position;
  if (position > log.last_position())
    throw CheckFailed("R-ENG-3: " + what + " was acknowledged at position " + std::to_string(position) +
                      " but after the restart the log ends at " + std::to_string(log.last_position()));
  const std::string stream = expected_stream(command);
  bool in_stream = false;
  for (const std::string& id : command.sent.correlation_ids) {
    for (const std::uint64_t mine : log.by_correlation(id)) {
      if (mine > position)
        throw CheckFailed("R-ENG-3: " + what + " was acknowledged at position " + std::to_string(position) +
                          " but appended " + log.at(mine).type + " at position " + std::to_string(mine));
      in_stream = in_stream || log.at(mine).stream == stream;
    }
  }
  if (!in_stream) throw CheckFailed("R-ENG-3: " + what + " was acknowledged but left no event in " + stream);
}

void check_clock(const AcknowledgedCommand& command, workflows::Time clock_now) {
  const std::string answered = command.answer.json().at("now");
  if (workflows::parseTime(answered).value() > clock_now)
    throw CheckFailed("R-ENG-3: " + describe(command.sent) + " moved the clock to " + answered +
                      " but after the restart it is " + workflows::formatTime(clock_now));
}

}  // namespace

RetryOutcome retry_in_doubt(ClientPool& clients, Ledger& ledger) {
  RetryOutcome outcome;
  for (SentCommand& sent : ledger.take_in_doubt()) {
    ++outcome.in_doubt;
    sent.correlation_ids.push_back(sent.correlation_ids.front() + "-retry");
    const Answer answer = clients.of(sent.planned.token).command(sent.planned.request, sent.correlation_ids.back());
    // The same key with the same request: a refusal for reuse or for a key still running
    // would mean the crash left the key half-recorded (R-ENG-4).
    if (answer.status == 422 || answer.status >= 500 ||
        answer.body.find("idempotency-key-in-flight") != std::string::npos)
      throw CheckFailed("R-ENG-4: retrying " + describe(sent) + " after the restart answered " +
                        std::to_string(answer.status) + ": " + excerpt(answer.body));
    if (sent.planned.learn) sent.planned.learn(answer);
    if (answer.ok()) {
      ledger.acknowledged(std::move(sent), answer);
      ++outcome.acknowledged;
    } else {
      ledger.refused();
    }
  }
  return outcome;
}

void check_in_log(const std::vector<AcknowledgedCommand>& acknowledged, const LogMirror& log,
                  workflows::Time clock_now) {
  for (const AcknowledgedCommand& command : acknowledged) {
    if (is_clock_advance(command.sent)) check_clock(command, clock_now);
    else check_events(command, log);
  }
}

void check_replays(const std::vector<AcknowledgedCommand>& acknowledged, ClientPool& clients) {
  for (const AcknowledgedCommand& command : acknowledged) {
    const SentCommand& sent = command.sent;
    const Answer replay = clients.of(sent.planned.token).command(sent.planned.request, sent.correlation_ids.front() + "-replay");
    // API.md promises the first status and body. X-Position may be later than the first one:
    // it still lets the client read its own write.
    if (replay.status != command.answer.status || replay.body != command.answer.body ||
        replay.position.value_or(0) < command.answer.position.value_or(0))
      throw CheckFailed("R-ENG-4: " + describe(sent) + " first answered " + std::to_string(command.answer.status) +
                        " at position " + std::to_string(command.answer.position.value_or(0)) + ": " +
                        excerpt(command.answer.body) + "\nagain with its key after the restart it answered " +
                        std::to_string(replay.status) + " at position " + std::to_string(replay.position.value_or(0)) +
                        ": " + excerpt(replay.body));
  }
}

}  // namespace benefitd::reliability
