#include "adapters/http/connection_table.h"

#include "adapters/http/session.h"

namespace benefitd::http {

void ConnectionTable::add(const std::shared_ptr<Session>& session, bool counted) {
  const std::scoped_lock lock(mutex_);
  entries_.push_back(Entry{session, counted});
  index_.emplace(session.get(), std::prev(entries_.end()));
  if (counted) ++counted_;
}

void ConnectionTable::remove(const Session* session) {
  const std::scoped_lock lock(mutex_);
  const auto found = index_.find(session);
  if (found == index_.end()) return;
  if (found->second->counted) --counted_;
  entries_.erase(found->second);
  index_.erase(found);
  if (entries_.empty()) emptied_.notify_all();
}

std::size_t ConnectionTable::counted() const {
  const std::scoped_lock lock(mutex_);
  return counted_;
}

std::size_t ConnectionTable::uncounted() const {
  const std::scoped_lock lock(mutex_);
  return entries_.size() - counted_;
}

std::shared_ptr<Session> ConnectionTable::take_oldest_idle() {
  const std::scoped_lock lock(mutex_);
  for (Entry& entry : entries_) {
    if (!entry.counted) continue;
    auto session = entry.session.lock();
    if (!session || !session->idle()) continue;
    entry.counted = false;
    --counted_;
    return session;
  }
  return nullptr;
}

std::vector<std::shared_ptr<Session>> ConnectionTable::all() const {
  const std::scoped_lock lock(mutex_);
  std::vector<std::shared_ptr<Session>> sessions;
  for (const Entry& entry : entries_)
    if (auto session = entry.session.lock()) sessions.push_back(std::move(session));
  return sessions;
}

bool ConnectionTable::wait_until_empty(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  return emptied_.wait_until(lock, deadline, [this] { return entries_.empty(); });
}

}  // namespace benefitd::http
