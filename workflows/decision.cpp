#include "workflows/decision.h"

#include <algorithm>

#include "workflows/decision_builder.h"
#include "workflows/ids.h"

namespace benefitd::workflows {

std::size_t Decision::eventCount() const {
  std::size_t count = 0;
  for (const StreamAppend& append : appends) count += append.events.size();
  return count;
}

void DecisionBuilder::emit(const std::string& streamId, std::uint64_t expectedVersion, DomainEvent event) {
  auto& appends = decision_.appends;
  auto it = std::find_if(appends.begin(), appends.end(), [&](const StreamAppend& a) { return a.streamId == streamId; });
  if (it == appends.end()) it = appends.insert(appends.end(), StreamAppend{streamId, expectedVersion, {}});
  it->events.push_back(std::move(event));
}

void DecisionBuilder::dependOn(const std::string& streamId, std::uint64_t version) {
  auto& deps = decision_.dependsOn;
  if (std::none_of(deps.begin(), deps.end(), [&](const StreamDependency& d) { return d.streamId == streamId; }))
    deps.push_back(StreamDependency{streamId, version});
}

bool DecisionBuilder::reject(std::string_view code, std::string detail, nlohmann::json extra) {
  if (!decision_.rejection) decision_.rejection = Rejection{std::string{code}, std::move(detail), std::move(extra)};
  return false;
}

Decision DecisionBuilder::finish() && {
  if (decision_.rejection) {
    Decision refused;
    refused.rejection = std::move(decision_.rejection);
    return refused;
  }
  auto& deps = decision_.dependsOn;
  std::erase_if(deps, [&](const StreamDependency& d) {
    return std::any_of(decision_.appends.begin(), decision_.appends.end(),
                       [&](const StreamAppend& a) { return a.streamId == d.streamId; });
  });
  return std::move(decision_);
}

TimerEffect timerFor(TimerCommand command, Time dueAt) {
  const nlohmann::json encoded = encodeTimerCommand(command);
  std::string subject;
  for (const auto& [key, value] : encoded.items())
    if (key != "command") subject = value.get<std::string>();
  const std::string id = encoded["command"].get<std::string>() + ":" + subject + ":" + formatTime(dueAt);
  return TimerEffect{id, dueAt, std::move(command)};
}

bool isWellFormedProductKey(const std::string& key) {
  if (key.size() != 29) return false;
  for (std::size_t i = 0; i < key.size(); ++i) {
    const char c = key[i];
    if (i % 6 == 5) {
      if (c != '-') return false;
    } else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
      return false;
    }
  }
  return true;
}

}  // namespace benefitd::workflows
