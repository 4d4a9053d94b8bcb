#pragma once
// Small builders for store tests.

#include <string>
#include <vector>

#include "store/write_request.h"

namespace benefitd::testing {

inline store::EventData make_event(std::string type, std::string data = "{}") {
  store::EventData event;
  event.id = type + "-" + data;
  event.type = std::move(type);
  event.occurred_at = store::Timestamp(std::chrono::milliseconds(1'767'600'000'000));
  event.actor = "operator";
  event.correlation_id = "corr-1";
  event.causation_id = "cmd-1";
  event.data = std::move(data);
  return event;
}

inline store::WriteRequest append_to(std::string stream, store::ExpectedVersion expected,
                                     std::vector<store::EventData> events) {
  store::WriteRequest request;
  request.streams.push_back({std::move(stream), expected, std::move(events)});
  return request;
}

}  // namespace benefitd::testing
