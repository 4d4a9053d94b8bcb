#pragma once
// LongReadQueue: the one thread that runs long reads (service.h, Service::run_long_read), fairly.
// Each read names the queue it waits in (its caller's partner, or the operator); the thread
// serves the queues in turn, one read each, so however many reads one partner has queued,
// another partner's read waits for at most one read of each other queue. Within a queue,
// reads run in the order asked. A read whose client has gone (ClientLink::gone) is dropped
// unrun; one whose client holds more unsent answers than its budget (ClientLink::saturated)
// waits, while reads behind it in other queues, or for other clients, go ahead.
//
// Thread safety: push() and counts() may be called from any thread; stop() from one thread
// other than the queue's. Reads pushed after stop() are dropped.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "adapters/app/service.h"

namespace benefitd::app {

class LongReadQueue {
 public:
  LongReadQueue();
  ~LongReadQueue();
  LongReadQueue(const LongReadQueue&) = delete;
  LongReadQueue& operator=(const LongReadQueue&) = delete;

  void push(LongRead read);
  /// Waits for the read running to finish, drops the reads still queued and ends the thread.
  /// The destructor does it if it was not done.
  void stop();

  struct Counts {
    std::uint64_t run = 0;      // reads run
    std::uint64_t dropped = 0;  // reads dropped unrun: their client had gone
  };
  Counts counts() const;

 private:
  // Shared with the listeners the queue leaves on client links, which may outlive it.
  struct State {
    std::mutex mutex;
    std::condition_variable wake;
    std::map<std::string, std::deque<LongRead>> queues;  // only non-empty queues
    std::string last_served;                            // the round-robin turn
    bool stopping = false;
    Counts counts;
  };

  void work();
  /// The next read to run, taking the queues in turn after `last_served`; moves the reads of
  /// gone clients to `dropped`. Nullopt when every queued read waits for its client.
  static std::optional<LongRead> next(State& state, std::vector<LongRead>& dropped);

  std::shared_ptr<State> state_;
  std::thread worker_;
};

}  // namespace benefitd::app
