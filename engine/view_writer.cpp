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

std::optional<std::string> ViewWriter::Change::resolved() const {
  if (document) return document->dump();
  if (render) return render();
  return value;
}

store::Status ViewWriter::await_earlier_commit() const {
  return earlier_commit_.valid() ? earlier_commit_.get() : store::Status::ok();
}

void ViewWriter::put(std::string key, std::string value) {
  pending_.insert_or_assign(std::move(key), Change{std::move(value), nullptr, std::nullopt, false});
}

void ViewWriter::put_rendered(std::string key, Render render) {
  pending_.insert_or_assign(std::move(key), Change{std::nullopt, std::move(render), std::nullopt, false});
}

void ViewWriter::put_document(std::string key, nlohmann::json document) {
  pending_.insert_or_assign(std::move(key), Change{std::nullopt, nullptr, std::move(document), false});
}

store::Status ViewWriter::edit_document(std::string_view key, const std::function<void(nlohmann::json&)>& change) {
  if (const auto found = pending_.find(key); found != pending_.end() && found->second.document) {
    change(*found->second.document);
    return store::Status::ok();
  }
  std::optional<std::string> text;
  if (store::Status status = get(key, &text); !status.is_ok()) return status;
  nlohmann::json document = text ? nlohmann::json::parse(*text, nullptr, false) : nlohmann::json::object();
  if (document.is_discarded()) return store::Status::corruption("view row " + std::string(key) + " is not JSON");
  change(document);
  put_document(std::string(key), std::move(document));
  return store::Status::ok();
}

void ViewWriter::put_new(std::string key, std::string value) {
  pending_.insert_or_assign(std::move(key), Change{std::move(value), nullptr, std::nullopt, true});
}

void ViewWriter::erase(std::string key) {
  if (const auto found = pending_.find(key); found != pending_.end() && found->second.created) {
    pending_.erase(found);
    return;
  }
  pending_.insert_or_assign(std::move(key), Change{});
}

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
  // Each node is taken out of the map, so that its key moves into the write rather than being
  // copied: a rebuild takes millions of rows.
  while (!pending_.empty()) {
    auto node = pending_.extract(pending_.begin());
    Change& change = node.mapped();
    std::optional<std::string> value = change.value ? std::move(change.value) : change.resolved();
    writes.push_back(value ? store::KeyedWrite::put(store::Table::views, std::move(node.key()), std::move(*value))
                           : store::KeyedWrite::erase(store::Table::views, std::move(node.key())));
  }
  writes.insert(writes.end(), std::make_move_iterator(positioned_.begin()),
                std::make_move_iterator(positioned_.end()));
  positioned_.clear();
  return writes;
}

}  // namespace benefitd::engine
