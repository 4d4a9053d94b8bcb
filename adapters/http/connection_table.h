#pragma once
// ConnectionTable: the server's open connections in the order they were accepted, so that the
// listener can count them against --max-connections and shed the oldest idle one to make room
// for a new client. A session enters when accepted and leaves when it closes its socket; one
// chosen for shedding (or admitted only to be refused) no longer counts as open.
// Thread safety: all methods may be called concurrently.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace benefitd::http {

class Session;

class ConnectionTable {
 public:
  /// Adds an accepted session; `counted` is false for one admitted only to be refused.
  void add(const std::shared_ptr<Session>& session, bool counted);
  /// The session closed its socket.
  void remove(const Session* session);
  /// Sessions added, not yet removed, and neither shed nor refused.
  std::size_t counted() const;
  /// Sessions added, not yet removed, that no longer count (shed or refused, still closing).
  std::size_t uncounted() const;
  /// The oldest counted session that is idle (Session::idle()), which stops counting; nullptr
  /// when every counted session is busy.
  std::shared_ptr<Session> take_oldest_idle();
  /// Every session not yet removed.
  std::vector<std::shared_ptr<Session>> all() const;
  /// Waits until every session has been removed, or `deadline`; whether none is left.
  bool wait_until_empty(std::chrono::steady_clock::time_point deadline);

 private:
  struct Entry {
    std::weak_ptr<Session> session;
    bool counted;
  };

  mutable std::mutex mutex_;
  std::condition_variable emptied_;
  std::list<Entry> entries_;  // oldest first
  std::unordered_map<const Session*, std::list<Entry>::iterator> index_;
  std::size_t counted_ = 0;
};

}  // namespace benefitd::http
