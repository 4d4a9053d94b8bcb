#include "engine/view_watches.h"

#include <algorithm>

namespace benefitd::engine {

bool ViewWatches::watch(Keys keys, store::Position since, Clock::time_point deadline, Done done) {
  {
    const std::scoped_lock lock(mutex_);
    // A commit after `since` was reported before the watch arrived: it may have changed what
    // the reader saw, and no later report would say so.
    if (since >= reported_ && deadline > Clock::now()) {
      const Id id = next_id_++;
      for (const std::string& key : keys.exact) by_key_[key].insert(id);
      for (const std::string& prefix : keys.prefixes) by_prefix_[prefix].insert(id);
      if (keys.exact.empty() && keys.prefixes.empty()) any_change_.insert(id);
      deadlines_.emplace(deadline, id);
      watches_.emplace(id, Watch{std::move(keys), deadline, std::move(done)});
      return deadlines_.begin()->second == id;
    }
  }
  done(since < reported_);
  return false;
}

void ViewWatches::changed(store::Position position, const std::vector<std::string>& keys) {
  std::vector<Done> woken;
  {
    const std::scoped_lock lock(mutex_);
    reported_ = std::max(reported_, position);
    for (const std::string& key : keys) {
      take_indexed(by_key_, key, &woken);
      // Every prefix of the key that ends in '/', shortest first.
      for (std::size_t slash = key.find('/'); slash != std::string::npos; slash = key.find('/', slash + 1)) {
        if (by_prefix_.empty()) break;
        take_indexed(by_prefix_, key.substr(0, slash + 1), &woken);
      }
    }
    for (const Id id : std::unordered_set<Id>(any_change_)) woken.push_back(take(id));
  }
  for (Done& done : woken) done(true);
}

void ViewWatches::changed_all(store::Position position) {
  std::vector<Done> woken;
  {
    const std::scoped_lock lock(mutex_);
    reported_ = std::max(reported_, position);
    while (!watches_.empty()) woken.push_back(take(watches_.begin()->first));
  }
  for (Done& done : woken) done(true);
}

void ViewWatches::expire(Clock::time_point now) {
  std::vector<Done> expired;
  {
    const std::scoped_lock lock(mutex_);
    while (!deadlines_.empty() && deadlines_.begin()->first <= now) expired.push_back(take(deadlines_.begin()->second));
  }
  for (Done& done : expired) done(false);
}

std::optional<ViewWatches::Clock::time_point> ViewWatches::next_deadline() const {
  const std::scoped_lock lock(mutex_);
  if (deadlines_.empty()) return std::nullopt;
  return deadlines_.begin()->first;
}

std::size_t ViewWatches::size() const {
  const std::scoped_lock lock(mutex_);
  return watches_.size();
}

ViewWatches::Done ViewWatches::take(Id id) {
  auto found = watches_.find(id);
  Watch watch = std::move(found->second);
  watches_.erase(found);
  const auto unindex = [id](Index& index, const std::string& key) {
    if (auto entry = index.find(key); entry != index.end()) {
      entry->second.erase(id);
      if (entry->second.empty()) index.erase(entry);
    }
  };
  for (const std::string& key : watch.keys.exact) unindex(by_key_, key);
  for (const std::string& prefix : watch.keys.prefixes) unindex(by_prefix_, prefix);
  any_change_.erase(id);
  deadlines_.erase({watch.deadline, id});
  return std::move(watch.done);
}

void ViewWatches::take_indexed(Index& index, const std::string& key, std::vector<Done>* woken) {
  const auto entry = index.find(key);
  if (entry == index.end()) return;
  // take() edits the entry (and may erase it): copy the ids first.
  for (const Id id : std::vector<Id>(entry->second.begin(), entry->second.end())) woken->push_back(take(id));
}

}  // namespace benefitd::engine
