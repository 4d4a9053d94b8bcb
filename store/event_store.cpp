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

Status EventStore::positions_in_time(Timestamp /*from*/, Timestamp /*to*/, std::vector<PositionRange>* out) const {
  if (const Position last = last_position(); last > 0) out->push_back({1, last});
  return Status::ok();
}

Status EventStore::checkpoint(const std::filesystem::path& /*dir*/) const {
  return Status::invalid_argument("this store cannot copy itself into a directory: back it up with its own tools");
}

Status EventStore::replace_table(Table table, std::unique_ptr<TableReplacement>* out) {
  *out = std::make_unique<BufferedTableReplacement>(*this, table);
  return Status::ok();
}

}  // namespace benefitd::store
