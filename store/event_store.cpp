#include "store/event_store.h"

#include <future>

namespace benefitd::store {

AppendResult EventStore::append(WriteRequest request) {
  std::promise<AppendResult> outcome;
  auto result = outcome.get_future();
  append_async(std::move(request),
               [&outcome](AppendResult done) { outcome.set_value(std::move(done)); });
  return result.get();
}

}  // namespace benefitd::store
