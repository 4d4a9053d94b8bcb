#include "store/table_replacement.h"

#include "store/event_store.h"

namespace benefitd::store {

Status BufferedTableReplacement::add(std::vector<KeyedWrite> rows) {
  for (KeyedWrite& row : rows) {
    if (row.value) {
      rows_.insert_or_assign(std::move(row.key), std::move(*row.value));
    } else {
      rows_.erase(row.key);
    }
  }
  return Status::ok();
}

Status BufferedTableReplacement::get(std::string_view key, std::optional<std::string>* out) const {
  const auto found = rows_.find(key);
  *out = found == rows_.end() ? std::nullopt : std::optional<std::string>(found->second);
  return Status::ok();
}

Status BufferedTableReplacement::commit(std::vector<KeyedWrite> writes) {
  WriteRequest request;
  request.completes_acknowledged = true;
  request.writes.reserve(rows_.size() + writes.size() + 1);
  request.writes.push_back(KeyedWrite::clear(table_));
  for (auto& [key, value] : rows_) request.writes.push_back(KeyedWrite::put(table_, key, std::move(value)));
  rows_.clear();
  for (KeyedWrite& write : writes) request.writes.push_back(std::move(write));
  return store_.append(std::move(request)).status;
}

}  // namespace benefitd::store
