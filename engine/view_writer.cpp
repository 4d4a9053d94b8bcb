#include "engine/view_writer.h"

#include <iterator>
#include <limits>

namespace benefitd::engine {

store::Status ViewWriter::get(std::string_view key, std::optional<std::string>* out) const {
  if (const auto found = pending_.find(key); found != pending_.end()) {
    *out = found->second.resolved();
    return store::Status::ok();
  }
  if (rebuilt_ != nullptr) return rebuilt_->get(key, out);
  if (store::Status status = await_earlier_commit(); !status.is_ok()) return status;
  return store_->get(store::Table::views, key, out);
}

store::Status ViewWriter::scan(std::string_view from_key, std::string_view to_key,
                               std::vector<store::KeyValue>* out) const {
  if (rebuilt_ != nullptr) return store::Status::invalid_argument("views rebuilt in bulk are read by key only");
  if (store::Status status = await_earlier_commit(); !status.is_ok()) return status;
  std::vector<store::KeyValue> stored;
  if (store::Status status = store_->scan(store::Table::views, from_key, to_key,
                                         std::numeric_limits<std::size_t>::max(), &stored);
      !status.is_ok()) {
    return status;
  }
  std::map<std::string, std::string, std::less<>> merged;
  for (store::KeyValue& row : stored) merged.emplace(std::move(row.key), std::move(row.value));
  for (auto it = pending_.lower_bound(from_key);
       it != pending_.end() && (to_key.empty() || it->first < to_key); ++it) {
    if (std::optional<std::string> value = it->second.resolved()) {
      merged.insert_or_assign(it->first, std::move(*value));
    } else {
      merged.erase(it->first);
    }
  }
  for (auto& [key, value] : merged) out->push_back({key, std::move(value)});
  return store::Status::ok();
}

store::Status ViewWriter::await_earlier_commit() const {
  return earlier_commit_.valid() ? earlier_commit_.get() : store::Status::ok();
}

void ViewWriter::put(std::string key, std::string value) {
  pending_.insert_or_assign(std::move(key), Change{std::move(value), nullptr});
}

void ViewWriter::put_rendered(std::string key, Render render) {
  pending_.insert_or_assign(std::move(key), Change{std::nullopt, std::move(render)});
}

void ViewWriter::erase(std::string key) { pending_.insert_or_assign(std::move(key), Change{}); }

void ViewWriter::put_at(std::string key_prefix, LogPlace place, std::string value) {
  if (place.position != 0) {
    put(key_prefix + store::position_key_suffix(place.position), std::move(value));
  } else {
    positioned_.push_back(store::KeyedWrite::put_at_event(store::Table::views, std::move(key_prefix),
                                                          place.index_in_write, std::move(value)));
  }
}

std::vector<store::KeyedWrite> ViewWriter::take() {
  std::vector<store::KeyedWrite> writes;
  writes.reserve(pending_.size());
  for (auto& [key, change] : pending_) {
    std::optional<std::string> value = change.render ? change.render() : std::move(change.value);
    writes.push_back(value ? store::KeyedWrite::put(store::Table::views, key, std::move(*value))
                           : store::KeyedWrite::erase(store::Table::views, key));
  }
  pending_.clear();
  writes.insert(writes.end(), std::make_move_iterator(positioned_.begin()),
                std::make_move_iterator(positioned_.end()));
  positioned_.clear();
  return writes;
}

}  // namespace benefitd::engine
